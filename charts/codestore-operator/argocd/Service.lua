-- Argo CD health of a code.store Service (resource.customizations.health.code.store_Service).
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
-- what only the maker can fix: a schema that does not compile, a change that breaks clients, a reused version
local needsTheMaker = { SchemaInvalid = true, BreakingChange = true, VersionAlreadyPublished = true, InvalidSpec = true }
local ready = nil
for _, c in ipairs(obj.status.conditions or {}) do
  if c.type == "Ready" then ready = c end
end
if ready == nil then
  hs.status = "Progressing"
  hs.message = "no Ready condition yet"
elseif ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "version " .. (obj.status.version or "?") .. " published"
else
  hs.status = needsTheMaker[ready.reason] and "Degraded" or "Progressing"
  hs.message = (ready.reason or "") .. ": " .. (ready.message or "")
end
return hs
