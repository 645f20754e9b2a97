-- Shared by the write scripts (loaded with dofile from the repository's root): gives each wrk thread an id, and at
-- the end prints "unexpected answers: N" with the answers the script's response() counted in `unexpected`.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("unexpected") end
  if total > 0 then io.write("unexpected answers: " .. total .. "\n") end
end
