# ixportal: the front door. `make demo` to run it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DEBUG=true IXPORTAL_SANDBOX=true IXPORTAL_SANDBOX_URL=http://$(HOST):$(PORT)/sandbox/
PYTEST_ARGS ?=

.PHONY: demo test lint format bench fuzz loadtest chromium venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "ixportal: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
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

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
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
