-- POST /couriers/bench-N/reservations (cN with COURIER_PREFIX=c; N below COURIERS, default 100,000) with a unique reference per request, 1 mL each, so
-- reservations keep succeeding and the figure is the atomic write path, not 409s.
-- Each wrk thread has its own Lua state: setup() gives each an id, used in references and the seed.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  math.randomseed(1000 + id)
  counter = 0
end

request = function()
  counter = counter + 1
  local courier = (os.getenv("COURIER_PREFIX") or "bench-") .. math.random(0, (tonumber(os.getenv("COURIERS")) or 100000) - 1)
  local body = '{"reference": "r' .. id .. '-' .. counter .. '", "volume": 0.001}'
  return wrk.format("POST", "/couriers/" .. courier .. "/reservations", {["Content-Type"] = "application/json", ["X-Api-Key"] = os.getenv("COURIERS_API_KEY")}, body)
end

response = function(status)
  if status ~= 201 then
    unexpected = (unexpected or 0) + 1
    if unexpected <= 5 then io.write("unexpected status " .. status .. "\n") end
  end
end
