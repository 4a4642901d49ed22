# ixportal: the front door. `make demo` to run it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DEBUG=true IXPORTAL_SANDBOX=true IXPORTAL_SANDBOX_URL=http://$(HOST):$(PORT)/sandbox/
PYTEST_ARGS ?=

.PHONY: demo test test-totals-http lint format bench fuzz loadtest chromium venv clean smoke

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The web server and one background worker (jobs, SAF-T exports); Ctrl-C stops both.
demo: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "ixportal: http://$(HOST):$(PORT)/  (Ctrl-C to stop the server and its worker)"
	@$(DEMO_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's chromium for the browser tests; never a browser download.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

test: venv chromium
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# The totals property test over real HTTP with 1,000 documents (CI runs 25 of them over
# HTTP and 1,000 through the sandbox's create service in-process).
test-totals-http: venv
	IXPORTAL_TOTALS_HTTP_EXAMPLES=1000 $(VENV)/bin/pytest -q -p no:randomly --durations=1 \
	  tests/create/test_totals_property.py -k over_http

# ruff (style, and banned-api: requests only in the client), import-linter (package
# boundaries, see [tool.importlinter] in pyproject.toml), mypy with django-stubs.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The production path under gunicorn with DEBUG off, on PostgreSQL (see .ci/smoke.py).
smoke: venv
	$(PY) .ci/smoke.py

bench: venv
	$(PY) bench/saft_validation.py
	$(PY) bench/run.py

# The documents-list fragment under gunicorn at saturation and at ~40 req/s (bench/loadtest.py).
loadtest: venv
	$(PY) bench/loadtest.py

# The property tests with 5,000 examples per form and per page's query string (the suite
# runs 300: hypothesis profile "ci"). FUZZ_ARGS narrows it, e.g. FUZZ_ARGS="-k create".
FUZZ_ARGS ?=
fuzz: venv
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -n 2 -p no:randomly -q tests/fuzz $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3
