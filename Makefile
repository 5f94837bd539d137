# Two commands matter: `make run` and `make test`.  Both set themselves up on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PACKAGES := contracts/pyproject.toml services/crm/pyproject.toml services/erp/pyproject.toml \
            services/gateway/pyproject.toml devstack/pyproject.toml requirements-dev.txt

.PHONY: setup run test test-postgres lint format clean chromium chaos bench contracts

setup: $(STAMP)

$(STAMP): $(PACKAGES)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e 'contracts[runtime,http]' -e services/crm -e services/erp \
		-e services/gateway -e devstack -r requirements-dev.txt
	touch $(STAMP)

## Start the broker and the three services with demo data; Ctrl-C stops everything.
run: setup
	LOG_FORMAT=$${LOG_FORMAT:-text} $(BIN)/python -m devstack run

## Lint, type-check, check the published event contract and run the whole suite (SQLite).
test: setup lint contracts
	$(BIN)/pytest -q

## The same suite against PostgreSQL (TEST_POSTGRES_URL, default: the local server).
test-postgres: setup
	TEST_POSTGRES_URL=$${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432} $(BIN)/pytest -q

## The event catalog: generated files up to date, nothing breaks the released schemas.
contracts: setup
	$(BIN)/python -m contracts.catalog check
	$(BIN)/python -m contracts.catalog compat

## The business story, told through the gateway (against `make run`, or a stack of its own).
demo: setup
	$(BIN)/python -m devstack.demo

## The long fault run: thousands of orders while services are killed and the broker frozen.
chaos: setup
	$(BIN)/python -m devstack.chaos --orders $${CHAOS_ORDERS:-4000} --seconds $${CHAOS_SECONDS:-600} \
		--workers $${CHAOS_WORKERS:-160} --fault-every 4 12 \
		--json bench-results/chaos.json $${CHAOS_POSTGRES_URL:+--postgres $$CHAOS_POSTGRES_URL}

## Speed and memory, each beside a baseline from the same run (BENCH_POSTGRES_URL for PostgreSQL).
bench: setup
	$(BIN)/python -m devstack.bench --json bench-results/latest.json

lint: setup
	$(BIN)/ruff check contracts services devstack tests deploy
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix contracts services devstack tests deploy
	$(BIN)/ruff format contracts services devstack tests deploy

## Debian's Chromium for the operations-page test (skipped, saying why, when it is absent).
## Not part of `make test`: it needs root and a package download, which is not cheap.
chromium:
	test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

clean:
	rm -rf .run $(VENV)
