-- POST /couriers/bench-N/reservations (cN with COURIER_PREFIX=c; N below COURIERS, default 100,000), 1 mL each, so
-- reservations keep succeeding and the figure is the atomic write path, not 409s. References are unique per run
-- (the run's start second, the thread, a counter): a later run on the same store must not replay an earlier one's
-- references, which the service answers as idempotent retries without writing. Any answer but 201 is counted and
-- printed at the end as "unexpected answers: N" (the scripts refuse a figure that has them).
-- VOLUME (default 0.001) and EXPECT (default 201) make the same request a reference: VOLUME=-1 EXPECT=400 is refused
-- before it reaches the store, and EXPECT=201 against bench/lookup/Ceiling is bare Kestrel answering the same bytes.
-- Each wrk thread has its own Lua state; counted.lua gives each an id, used in references and the seed.
dofile("bench/lookup/counted.lua")

function init(args)
  math.randomseed(1000 + id)
  counter, unexpected, run = 0, 0, os.time()
  volume, expected = os.getenv("VOLUME") or "0.001", tonumber(os.getenv("EXPECT")) or 201
end

request = function()
  counter = counter + 1
  local courier = (os.getenv("COURIER_PREFIX") or "bench-") .. math.random(0, (tonumber(os.getenv("COURIERS")) or 100000) - 1)
  local body = '{"reference": "r' .. run .. '-' .. id .. '-' .. counter .. '", "volume": ' .. volume .. '}'
  return wrk.format("POST", "/couriers/" .. courier .. "/reservations", {["Content-Type"] = "application/json", ["X-Api-Key"] = os.getenv("COURIERS_API_KEY")}, body)
end

response = function(status)
  if status ~= expected then unexpected = unexpected + 1 end
end
