-- GET /couriers/{id} on a random courier (c0 … c99999, or below COURIERS), as fast as the connections go: a read
-- as small as a reservation, the control for the writes a lookup must not slow down for. Answers other than 200
-- are counted and printed at the end.
dofile("bench/lookup/counted.lua")

function init(args)
  math.randomseed(3000 + id)
  unexpected = 0
end

request = function()
  local c = math.random(0, (tonumber(os.getenv("COURIERS")) or 100000) - 1)
  return wrk.format("GET", "/couriers/c" .. c, { ["X-Api-Key"] = os.getenv("COURIERS_API_KEY") })
end

response = function(status)
  if status ~= 200 then unexpected = unexpected + 1 end
end
