# STIMS — the two commands: `make run` (set up and serve with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install setup serve lint messages clean

## Set up everything (venv, Python and front-end packages, database, units, demo data) and serve.
run: setup
	DEBUG=1 $(BIN)/stims runserver $(HOST):$(PORT)

## Run the whole test suite (the same command CI runs, on SQLite and on PostgreSQL).
test: install
	$(BIN)/pytest

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 …"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Migrate, load the official administrative units and the demo data (idempotent).
setup: install
	DEBUG=1 $(BIN)/stims migrate --no-input
	DEBUG=1 $(BIN)/stims load_units
	DEBUG=1 $(BIN)/stims demo

lint: install
	$(BIN)/ruff check src
	scripts/bandit
	DEBUG=1 $(BIN)/stims makemigrations --check --dry-run

## Refresh the translation catalogues after changing user-visible strings.
messages: install
	cd src/stims && DEBUG=1 ../../$(BIN)/stims makemessages -l vi -l en --no-obsolete
	cd src/stims && DEBUG=1 ../../$(BIN)/stims compilemessages

clean:
	rm -rf $(VENV) node_modules
