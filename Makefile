# The two commands a newcomer needs: `make run` and `make test`. The deploy targets follow:
# up, down, build (docker compose), terraform-init, terraform-apply, and `smoke`, the sample
# `/assign` curl against a running instance (`make test` runs the test suite).
.PHONY: run test bench-lookup bench-ceiling bench-assign clean up down build smoke terraform-init terraform-apply terraform-local terraform-check

DOTNET ?= dotnet
# Compose v2 (`docker compose`), or the older standalone docker-compose.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
# The Terraform workspace (dev, test or prod) and extra arguments, e.g. TF_ARGS='-var image=...'.
WORKSPACE ?= dev
TF_ARGS ?=

run: ## Start the API on http://localhost:3000 (and :8000) with the embedded SQLite store in data/
	ASPNETCORE_ENVIRONMENT=Development Storage__Sqlite__Path=$(CURDIR)/data/couriers.db \
		$(DOTNET) run --project src/Couriers.Api -c Release

test: ## Restore, build and run every test
	bash scripts/test.sh

up: ## LocalStack and the API in containers (docker-compose.yml), on :3000 and :8000
	$(COMPOSE) up --build

down:
	$(COMPOSE) down

build:
	$(COMPOSE) build

smoke: ## The sample `/assign` curl against a running `make up` (or `make run`)
	curl --fail-with-body -sS -X POST http://localhost:8000/assign \
	  -H "Content-Type: application/json" \
	  -d '{"driver_ids":["driver_1","driver_2"],"max_per_driver":2}'
	@echo

terraform-init:
	cd infra && terraform init

terraform-apply: ## Apply infra/ in WORKSPACE (dev, test, prod) on AWS
	cd infra && terraform workspace select -or-create $(WORKSPACE) && terraform apply -auto-approve $(TF_ARGS)

terraform-local: ## Apply infra/ to LocalStack (after `make up` or `$(COMPOSE) up -d localstack`): tables and log bucket only
	cd infra && terraform workspace select -or-create dev && terraform apply -auto-approve -var use_localstack=true $(TF_ARGS)

terraform-check: ## Parse every .tf file without Terraform (HCL parser from emulators/)
	node emulators/hcl2json.js infra > /dev/null && echo "infra/: every .tf file parses"

bench-assign: ## Time POST /assign end to end: 1,000 drivers x 50,000 packages, with and without volume limits
	bash bench/assign/run.sh

bench-lookup: ## Load 100,000 couriers and measure lookups and reservations with wrk
	bash bench/lookup/run.sh

bench-ceiling: ## Lookups beside the framework's ceiling (same bytes), lookups under writes, reservations beside the disk's fsync rate
	bash bench/lookup/vs-ceiling.sh

clean:
	$(DOTNET) clean -v quiet
	rm -rf data TestResults
