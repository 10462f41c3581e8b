-- Argo CD health of a code.store UsageReport (resource.customizations.health.code.store_UsageReport).
-- Argo CD runs it with the object in `obj` and shows the `hs` it returns. Reports are the operator's: a report
-- without a collection yet is Progressing, any other Healthy (its month, final or still counting).
hs = {}
if obj.status == nil or obj.status.collectedAt == nil then
  hs.status = "Progressing"
  hs.message = "No usage collected yet"
  return hs
end
hs.status = "Healthy"
local total = obj.status.total ~= nil and ((obj.status.total.amount or "0") .. " " .. (obj.status.total.currency or "")) or "0"
if obj.status.final then
  hs.message = "final: " .. total
else
  hs.message = "collected at " .. obj.status.collectedAt .. ": " .. total
end
return hs
