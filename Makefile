# The two commands a newcomer needs: `make run` and `make test`. The interview's targets
# (up, down, build, terraform-*, smoke) are added as the deployment work lands.
.PHONY: run test bench-lookup bench-assign clean

DOTNET ?= dotnet

run: ## Start the API on http://localhost:3000 (and :8000) with the embedded SQLite store in data/
	ASPNETCORE_ENVIRONMENT=Development $(DOTNET) run --project src/Couriers.Api -c Release

test: ## Restore, build and run every test
	bash scripts/test.sh

bench-assign: ## Time POST /assign end to end: 1,000 drivers x 50,000 packages, with and without volume limits
	bash bench/assign/run.sh

bench-lookup: ## Load 100,000 couriers and measure lookups and reservations with wrk
	bash bench/lookup/run.sh

clean:
	$(DOTNET) clean -v quiet
	rm -rf data TestResults
