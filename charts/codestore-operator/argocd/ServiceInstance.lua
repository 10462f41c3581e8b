-- Argo CD health of a code.store ServiceInstance (resource.customizations.health.code.store_ServiceInstance).
-- Argo CD runs it with the object in `obj` and shows the `hs` it returns.
hs = {}
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the code.store operator"
  return hs
end
if obj.metadata.generation ~= nil and (obj.status.observedGeneration == nil
    or obj.status.observedGeneration < obj.metadata.generation) then
  hs.status = "Progressing"
  hs.message = "The operator has not acted on generation " .. obj.metadata.generation .. " yet"
  return hs
end
local ready = nil
for _, c in ipairs(obj.status.conditions or {}) do
  if c.type == "Ready" then ready = c end
end
local said = ready ~= nil and ((ready.reason or "") .. ": " .. (ready.message or "")) or "no Ready condition yet"
if obj.status.phase == "Failed" then
  hs.status = "Degraded"
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = said
return hs
