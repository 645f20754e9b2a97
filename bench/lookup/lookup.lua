-- GET /couriers/lookup?capacity_required=X&limit=50 with X uniform over the loaded capacities.
math.randomseed(7)
request = function()
  local required = math.random(10, 200)
  return wrk.format("GET", "/couriers/lookup?capacity_required=" .. required .. "&limit=50")
end
