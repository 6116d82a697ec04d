# STIMS — the two commands: `make run` (set up and serve with demo data) and `make test`.
# The interpreter: the distribution's own Python 3.11 when it can make a virtual environment (Debian's and
# Ubuntu's are built with profile-guided and link-time optimisation; pyenv's default build is not, and
# spends about a fifth more CPU on the same code: docs/performance.md, "The interpreter"), else the
# python3.11 found on PATH. `make PYTHON=python3 …` chooses another.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(or $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1 && echo /usr/bin/python3.11),python3.11)
endif
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Test processes for the parallel tier (pytest-xdist); the machine's cores by default.
WORKERS ?= auto
PYTEST_ARGS ?=
# Python keeps the bytecode of what it compiles (__pycache__, git-ignored) even where the environment says
# not to: without it every test process recompiles every module and pytest rewrites the assertions of
# every test module again (collection: 14 s of CPU per pytest process instead of 6 s on the build machine).
unexport PYTHONDONTWRITEBYTECODE
# A marker expression ANDed with each tier's own, e.g. MARKS="not once" (CI on PostgreSQL: the proofs
# that do not depend on the database run on SQLite only).
MARKS ?=
only = $(if $(strip $(MARKS)), and ($(MARKS)))
parallel = $(BIN)/pytest -n $(WORKERS) --dist loadfile

.PHONY: run test test-slow test-all test-parallel test-serial install setup serve lint messages clean chromium libreoffice lock

## Set up everything (venv, Python and front-end packages, database, units, demo data) and serve.
run: setup
	$(BIN)/stims runserver $(HOST):$(PORT)

## Run the test suite on SQLite (DATABASE_URL=postgres://… for PostgreSQL), in two tiers:
##   1. in parallel, one database per worker: every test that keeps to its own transaction;
##   2. one process: the tests that flush their database (live server and browser, dropped
##      connections, killed workers).
## The slow proofs (`slow` marker: the full permission matrix, API fuzzing, backup round trips) are
## `make test-slow`; `make test-all` runs both in two pytest runs instead of four (CI's command).
## The serial tier waits on a live server and Chromium most of the time (about half a core), so it runs
## beside the parallel tier; its output is printed after the parallel tier's.
test: install chromium
	@log=$$(mktemp); \
	$(BIN)/pytest -m "serial and not slow$(only)" $(PYTEST_ARGS) >"$$log" 2>&1 & serial=$$!; \
	$(parallel) -m "not serial and not slow$(only)" $(PYTEST_ARGS); parallel_status=$$?; \
	wait $$serial; serial_status=$$?; \
	echo; echo "=== serial tier (live server, browser, faults), run beside the parallel tier"; cat "$$log"; rm -f "$$log"; \
	[ $$parallel_status = 0 ] && { [ $$serial_status = 0 ] || [ $$serial_status = 5 ]; }

test-slow: install chromium libreoffice
	$(parallel) -m "slow and not serial$(only)" $(PYTEST_ARGS)
	$(BIN)/pytest -m "slow and serial$(only)" $(PYTEST_ARGS) || [ $$? = 5 ]

test-all: test-parallel test-serial

## The two tiers of the whole suite, fast and slow together (CI runs them as separate steps).
test-parallel: install chromium libreoffice
	$(parallel) -m "not serial$(only)" $(PYTEST_ARGS)

test-serial: install chromium libreoffice
	$(BIN)/pytest -m "serial$(only)" $(PYTEST_ARGS) || [ $$? = 5 ]

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 …"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,nlp]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium. Install it with:  sudo apt-get install chromium"; exit 1; \
	  fi; }

## Reports as PDF (stims.reports) convert the Word document with Debian's LibreOffice, headless.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-liberation >/dev/null; \
	  else \
	    echo "PDF reports need LibreOffice. Install it with:  sudo apt-get install libreoffice-writer-nogui"; exit 1; \
	  fi; }

## This checkout's own settings (git-ignored): DEBUG on and a generated secret key, so that
## `.venv/bin/stims …` works here with no variables. Kept once written.
local.env:
	@printf '%s\n' "# Written by \`make run\` for this checkout only (git ignores it); the environment wins over it." \
	  "DEBUG=1" "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@chmod 600 $@

## Migrate, load the official administrative units and the demo data (idempotent).
setup: install local.env
	$(BIN)/stims migrate --no-input
	$(BIN)/stims load_units
	$(BIN)/stims demo

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	scripts/bandit
	DEBUG=1 $(BIN)/stims makemigrations --check --dry-run

## Refresh the translation catalogues after changing user-visible strings.
messages: install
	cd src/stims && DEBUG=1 ../../$(BIN)/stims makemessages -l vi -l en --no-obsolete
	cd src/stims && DEBUG=1 ../../$(BIN)/stims compilemessages

## Pin the runtime dependencies: resolve pyproject.toml's ranges in a scratch venv → requirements.lock.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet .
	{ echo "# The exact versions of STIMS's runtime dependencies for this release (pyproject.toml gives the ranges)."; \
	  echo "# Written by \`make lock\`; installed by \`make install\` (as constraints) and by the deployment guide."; \
	  .venv-lock/bin/pip freeze --exclude stims; } > requirements.lock
	rm -rf .venv-lock build

clean:
	rm -rf $(VENV) node_modules
