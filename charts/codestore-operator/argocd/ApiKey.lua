-- Argo CD health of a code.store ApiKey (resource.customizations.health.code.store_ApiKey).
-- Argo CD runs it with the object in `obj` and shows the `hs` it returns.
hs = {}
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the code.store operator to make the key"
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
if ready == nil then
  hs.status = "Progressing"
  hs.message = "no Ready condition yet"
elseif ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "active"
else
  -- an expired key, or a Secret of its name that is someone else's: a person must act
  hs.status = (ready.reason == "Expired" or ready.reason == "SecretConflict") and "Degraded" or "Progressing"
  hs.message = (ready.reason or "") .. ": " .. (ready.message or "")
end
return hs
