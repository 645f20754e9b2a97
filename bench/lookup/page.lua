-- GET /couriers/lookup?capacity_required=X&limit=50, X uniform in 1-100 (the integer-capacity load).
math.randomseed(7)
wrk.headers["X-Api-Key"] = os.getenv("COURIERS_API_KEY")
request = function()
  return wrk.format("GET", "/couriers/lookup?capacity_required=" .. math.random(1, 100) .. "&limit=50")
end
