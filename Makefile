# Kring: `make run` serves the demo, `make test` runs every test.
# Both create .venv and install pinned dependencies (constraints.txt) on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails follow the address `make run` serves, unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)

# Where the second test run finds the real services.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kring
TEST_REDIS_URL ?= redis://127.0.0.1:6379/7
# Both test runs spread over this many workers (pytest-xdist), a test file each
# at a time; each worker has its own Redis database and var/ (tests/parallel.py).
# TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -p tests.parallel -n $(TEST_WORKERS) --dist loadfile

.PHONY: run worker test test-embedded test-integration lint bench messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed-run: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(PIP) -e '.[dev]'
	touch $@

# The browser suite's own tools from the npm registry (axe-core), pinned by
# package-lock.json; installed once, never fetched while the tests run.
BROWSER_TOOLS := tests/browser_tools
$(BROWSER_TOOLS)/node_modules/.package-lock.json: $(BROWSER_TOOLS)/package.json $(BROWSER_TOOLS)/package-lock.json
	npm ci --prefix $(BROWSER_TOOLS) --no-audit --no-fund

# Daphne, and a Celery worker with beat on a broker of folders in var/broker
# (emails, digests, the sweep for held-back emails): one command, no services.
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty --url http://$(HOST):$(PORT)/
	$(BIN)/python manage.py rebuild_search_index --if-empty
	@echo "Kring is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	SITE_URL="$(SITE_URL)" $(BIN)/python -m project.serve -b $(HOST) -p $(PORT)

# A Celery worker with beat (the digest schedule) on Redis: emails at once,
# digests, and the sweep for emails held back. Run beat in one process only.
worker: $(VENV)/.installed-run
	@if [ -z "$$REDIS_URL" ]; then \
		echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker"; exit 1; \
	fi
	$(BIN)/celery -A project worker --beat --loglevel=INFO

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# The whole suite: lint, the embedded default (SQLite, in-memory channel
# layer, in-process Celery, one Daphne), then the scaled-out setup
# (PostgreSQL, Redis, two Daphne processes).
test: lint test-embedded test-integration

test-embedded: $(VENV)/.installed-dev $(BROWSER_TOOLS)/node_modules/.package-lock.json
	env -u DATABASE_URL -u REDIS_URL $(PYTEST) -m "not integration and not once"

test-integration: $(VENV)/.installed-dev $(BROWSER_TOOLS)/node_modules/.package-lock.json
	@if $(BIN)/python -m tests.services "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
			$(PYTEST) -m "integration or browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL or Redis is missing; the integration suite cannot run."; exit 1; \
	else \
		echo "PostgreSQL or Redis is not reachable: integration suite NOT run (it runs in CI)."; \
	fi

messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=tests --ignore=var --ignore=bench --ignore=docs --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

# The README's screenshots (docs/screenshots/): a fresh demo in var/screenshots/,
# served on a free port, photographed in Chromium at 375x812 and 1280x800.
screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m docs.screenshots

clean:
	rm -rf $(VENV) var staticfiles $(BROWSER_TOOLS)/node_modules
