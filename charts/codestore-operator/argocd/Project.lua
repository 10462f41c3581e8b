-- Argo CD health of a code.store Project (resource.customizations.health.code.store_Project).
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
local failed = {}
for _, i in ipairs(obj.status.instances or {}) do
  if i.phase == "Failed" then table.insert(failed, i.name) end
end
if ready ~= nil and ready.reason == "InvalidSpec" then
  hs.status = "Degraded"
  hs.message = "InvalidSpec: " .. (ready.message or "")
elseif #failed > 0 then
  hs.status = "Degraded"
  hs.message = "failed instances: " .. table.concat(failed, ", ")
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "instances ready: " .. (obj.status.readyInstances or "?")
else
  hs.status = "Progressing"
  hs.message = ready ~= nil and ((ready.reason or "") .. ": " .. (ready.message or ""))
      or ("instances ready: " .. (obj.status.readyInstances or "0"))
end
return hs
