-- Reserve 1 mL on a random courier (c0 … c99999, or below COURIERS), then release it again 16 requests later, as fast as
-- the connections go: the writes a lookup must not slow down for. Each wrk thread has its own Lua state.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  math.randomseed(2000 + id)
  counter, held, first, last = 0, {}, 1, 0
end

request = function()
  counter = counter + 1
  local key = { ["Content-Type"] = "application/json", ["X-Api-Key"] = os.getenv("COURIERS_API_KEY") }
  if counter % 2 == 0 and last - first >= 16 then
    local h = held[first]; held[first] = nil; first = first + 1
    return wrk.format("DELETE", "/couriers/c" .. h.courier .. "/reservations/" .. h.ref, key)
  end
  local h = { courier = math.random(0, (tonumber(os.getenv("COURIERS")) or 100000) - 1), ref = "m" .. id .. "-" .. counter }
  last = last + 1
  held[last] = h
  return wrk.format("POST", "/couriers/c" .. h.courier .. "/reservations", key, '{"reference": "' .. h.ref .. '", "volume": 0.001}')
end
