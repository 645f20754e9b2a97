-- Reserve 1 mL on a random courier (c0 … c99999, or below COURIERS), then release it again 16 requests later, as fast as
-- the connections go: the writes a lookup must not slow down for. References are unique per run, as in reserve.lua,
-- and answers other than 201, 200 and 404 are counted and printed at the end. A 404 is a release that overtook its own
-- reservation, still unanswered on another of the thread's connections. Each wrk thread has its own Lua state.
dofile("bench/lookup/counted.lua")

function init(args)
  math.randomseed(2000 + id)
  counter, held, first, last, unexpected, run = 0, {}, 1, 0, 0, os.time()
end

request = function()
  counter = counter + 1
  local key = { ["Content-Type"] = "application/json", ["X-Api-Key"] = os.getenv("COURIERS_API_KEY") }
  if counter % 2 == 0 and last - first >= 16 then
    local h = held[first]; held[first] = nil; first = first + 1
    return wrk.format("DELETE", "/couriers/c" .. h.courier .. "/reservations/" .. h.ref, key)
  end
  local h = { courier = math.random(0, (tonumber(os.getenv("COURIERS")) or 100000) - 1), ref = "m" .. run .. "-" .. id .. "-" .. counter }
  last = last + 1
  held[last] = h
  return wrk.format("POST", "/couriers/c" .. h.courier .. "/reservations", key, '{"reference": "' .. h.ref .. '", "volume": 0.001}')
end

response = function(status)
  if status ~= 201 and status ~= 200 and status ~= 404 then unexpected = unexpected + 1 end
end
