# shihyo — the two commands of the quick start: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/shihyo
PORT ?= 8000
export SHIHYO_HOME ?= var

.PHONY: install demo test lint typecheck pytest pytest-postgres lock bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## demo: load the bundled example programmes into the database under var/, reconcile them, judge the targets, write the reports into out/, open the demo collection round with demo accounts (passwords printed), serve the dashboard
demo: install
	$(BIN)/shihyo demo --out out --host 127.0.0.1 --port $(PORT)

## test: lint, type-check, then the test suite on SQLite and on PostgreSQL
test: install lint typecheck pytest pytest-postgres

lint:
	$(BIN)/ruff check src tests bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -m "not postgres"

pytest-postgres:
	SHIHYO_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "db or postgres"

## lock: re-pin requirements/dev.txt from pyproject.toml (names and versions only)
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--no-header -o requirements/dev.txt pyproject.toml

## messages: refresh the Japanese translation catalogue after changing UI text (needs GNU gettext)
messages: install
	cd src/shihyo && DJANGO_SETTINGS_MODULE=shihyo.web.settings ../../$(BIN)/django-admin makemessages -l ja --no-location --no-obsolete
	cd src/shihyo && DJANGO_SETTINGS_MODULE=shihyo.web.settings ../../$(BIN)/django-admin compilemessages

bench: install
	$(BIN)/python bench/engine_vs_duckdb.py --repeat 3
	$(BIN)/python bench/fresh_after_write.py
	$(BIN)/python bench/dashboard_load.py
	$(BIN)/python bench/report_speed.py
	$(BIN)/python bench/processes.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
