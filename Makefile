# Counterpoint: `make run` to try it, `make test` to check it. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: help venv run dev static test lint typecheck imports pytest test-web browser bench migrate demo clean

help:
	@echo "make run    set up, create the demo couple and serve http://$(HOST):$(PORT) (gunicorn)"
	@echo "make dev    the same with Django's auto-reloading development server"
	@echo "make test   set up (including a browser) and run lint, types, import rules and every test"
	@echo "make bench  run the benchmarks"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

static: venv
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: demo static
	@echo "Counterpoint is at http://$(HOST):$(PORT)/ — sign in as alex@example.com / counterpoint-demo"
	$(BIN)/gunicorn counterpoint.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile -

dev: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM). Install it with:"; \
		echo "    sudo apt-get install chromium"; \
		echo "or point CHROMIUM=/path/to/chromium at one you have."; \
		exit 1; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy counterpoint

imports: venv
	$(BIN)/lint-imports

pytest: venv browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck imports pytest

# The web and browser tests alone (CI runs them again on PostgreSQL).
test-web: venv browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest tests/web tests/browser $(PYTEST_ARGS)

# The engine's speed and the insights page's timings; results are printed as tables.
bench: venv
	$(PY) benchmarks/bench_clo.py
	$(PY) benchmarks/bench_var.py --full-loop
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_insights.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
