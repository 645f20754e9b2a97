-- POST /couriers/bench-N/reservations with a unique reference per request, 1 mL each, so
-- reservations keep succeeding and the figure is the atomic write path, not 409s.
local counter = 0
local thread_id = 0
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

request = function()
  counter = counter + 1
  local courier = math.random(0, 99999)
  local body = '{"reference": "r' .. thread_id .. '-' .. counter .. '", "volume": 0.001}'
  return wrk.format("POST", "/couriers/bench-" .. courier .. "/reservations", {["Content-Type"] = "application/json"}, body)
end

response = function(status)
  if status ~= 201 then io.write("unexpected status " .. status .. "\n") end
end
