-- GET /couriers/lookup?capacity_required=X&limit=50 with X uniform over the loaded capacities.
math.randomseed(7)
wrk.headers["X-Api-Key"] = os.getenv("COURIERS_API_KEY")
request = function()
  local required = math.random(10, 200)
  return wrk.format("GET", "/couriers/lookup?capacity_required=" .. required .. "&limit=50")
end
