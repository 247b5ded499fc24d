# caremarket: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-fast install system-deps serve lint format bench clean

demo: install ## build the demo database and run the web app on http://127.0.0.1:8000
	$(BIN)/caremarket demo
	$(BIN)/caremarket serve --demo

test: install system-deps ## the whole suite: checks, SQLite, then PostgreSQL when reachable
	scripts/test.sh

test-fast: install ## the edit-test loop: unit and integration tests on SQLite (no browser)
	env -u DATABASE_URL $(BIN)/pytest -n 2 -p no:cacheprovider -m "unit or integration" $(ARGS)

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps: ## Chromium for the browser tests; start the local PostgreSQL if it is stopped
	scripts/system-deps.sh

serve: install
	$(BIN)/caremarket serve --demo

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: install ## benchmarks; figures go to docs/benchmarks.md by hand, with machine and date
	$(BIN)/python bench/allocation_bench.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .hypothesis
