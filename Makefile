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

.PHONY: help venv runtime run dev worker keys static test check lint typecheck imports pytest test-web browser bench bench-pages bench-load bench-kill bench-restore bench-delete migrate demo clean

help:
	@echo "make run    set up, create the demo couple and serve http://$(HOST):$(PORT) (gunicorn + task runner)"
	@echo "make dev    the same with Django's auto-reloading development server"
	@echo "make check  the fast loop: lint, format, types, import rules, engine + web tests (no browser)"
	@echo "make test   set up (including a browser) and run lint, types, import rules and every test"
	@echo "make bench  run the benchmarks (bench-pages: CPU per page; bench-load: 50 partners at once; bench-kill: SIGKILL test; bench-restore: a restore killed; bench-delete: a study deleted with its researcher)"

# pip without the version nag and without warnings about the machine's own configuration.
PIP_INSTALL := $(PY) -m pip install --quiet --quiet --disable-pip-version-check --no-input
# uv (itself a PyPI package, installed into the venv by pip) downloads and unpacks wheels in parallel:
# on a fresh 2-core machine it installs the runtime dependencies in ~40 s where pip alone takes ~190 s.
# Bytecode is compiled at install (uv leaves it to first import otherwise: +20 s on the first migrate).
# If uv cannot be installed or fails, pip does the work, so nothing depends on it.
UV := $(BIN)/uv
INSTALL = { $(UV) --version >/dev/null 2>&1 && $(UV) pip install --quiet --compile-bytecode --python $(PY) $(1); } || $(PIP_INSTALL) $(1)

# Only what running needs (pyproject's [project] dependencies): no test or lint tools.
$(VENV)/.runtime: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > $(VENV)/runtime-requirements.txt
	@echo "Installing what Counterpoint needs to run (once; later runs skip this)..."
	@$(PIP_INSTALL) uv >/dev/null 2>&1 || true
	@$(call INSTALL,-r $(VENV)/runtime-requirements.txt)
	@touch $@

# Everything for development: the project itself (editable) and the dev extra.
$(VENV)/.installed: $(VENV)/.runtime pyproject.toml
	@echo "Installing the development tools..."
	@$(call INSTALL,-e '.[dev]')
	@touch $@

runtime: $(VENV)/.runtime

venv: $(VENV)/.installed

migrate: runtime
	@$(PY) manage.py migrate --noinput --verbosity 0

demo: migrate
	@$(PY) manage.py demo

static: runtime
	@$(PY) manage.py collectstatic --noinput --verbosity 0

keys: runtime
	@$(PY) manage.py push_keys

# Emails in the run point at where it actually serves.
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The demo data, the static files (brotli is slow on plotly.min.js) and the keys are made side by side.
run: runtime
	@$(MAKE) --no-print-directory -j3 demo static keys
	@echo "Counterpoint is at http://$(HOST):$(PORT)/ — sign in as alex@example.com / counterpoint-demo"
	@echo "The web server and the task runner (emails, reminders, push) run together; Ctrl-C stops both."
	@# Served with DEBUG off, as people use it: a wrong address is a plain "not found", never
	@# Django's debug page with every URL and a traceback's local values. `make dev` keeps DEBUG on.
	@DEBUG=$${DEBUG:-false} $(PY) -m counterpoint.serve --bind $(HOST):$(PORT)

dev: export SITE_URL ?= http://$(HOST):$(PORT)
dev: demo keys
	@echo "Background tasks need the task runner: run 'make worker' in a second terminal."
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: runtime
	$(PY) manage.py run_huey --flush-locks

browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM). Install it with:"; \
		echo "    sudo apt-get install chromium"; \
		echo "or point CHROMIUM=/path/to/chromium at one you have."; \
		exit 1; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The code and the tests (files and strictness in pyproject.toml's [tool.mypy]).
typecheck: venv
	$(BIN)/mypy

imports: venv
	$(BIN)/lint-imports

# The tests without a browser run spread over the machine's cores (pytest-xdist: each worker has
# its own test database, and the browser tests' workers each their own live server and Chromium);
# the browser tests run after them, spread the same way. XDIST= runs all on one.
XDIST ?= -n auto
pytest: venv browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m "not browser" $(XDIST) $(PYTEST_ARGS)
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m browser $(XDIST) $(PYTEST_ARGS)

test: lint typecheck imports pytest

# The fast loop before a commit (CONTRIBUTING.md): everything but the browser and the slow
# statistical checks, the tests spread over the machine's cores. The import-cycle test is in
# tests/architecture.
# Python keeps compiled modules and pytest its rewritten test modules in __pycache__ (ignored by
# git) even where the environment sets PYTHONDONTWRITEBYTECODE: without them every test worker and
# every subprocess compiles the whole project again (about 8 s of CPU per worker on this machine).
CHECK_ARGS ?= -n auto
check: export PYTHONDONTWRITEBYTECODE =
check: lint typecheck imports
	$(BIN)/pytest tests/architecture tests/science tests/web -m "not browser and not slow" -q $(CHECK_ARGS)

# The web and browser tests alone (CI runs them again on PostgreSQL).
test-web: venv browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest tests/web tests/browser -m "not browser" $(XDIST) $(PYTEST_ARGS)
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest tests/web tests/browser -m browser $(XDIST) $(PYTEST_ARGS)

# The engine's speed and the insights page's timings; results are printed as tables.
bench: venv
	$(PY) benchmarks/bench_clo.py
	$(PY) benchmarks/bench_var.py --full-loop
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_profiles.py
	$(PY) benchmarks/bench_insights.py
	CHROMIUM=$(CHROMIUM) $(PY) benchmarks/bench_page_load.py
	$(MAKE) bench-pages bench-load bench-kill bench-restore bench-delete

# CPU per page of the load test's mix, rendered and kept, and the mix played in one process.
bench-pages: venv
	$(PY) benchmarks/bench_pages.py --repeat 15
	$(PY) benchmarks/bench_pages.py --mix 1500

# 50 partners at once against gunicorn (production settings, loopback, niced), SQLite and
# PostgreSQL: p50/p95/p99 and req/s per page, and the mix against /healthz (docs/capacity.md).
bench-load: venv
	$(PY) benchmarks/bench_load.py $(BENCH_LOAD_ARGS)

# SIGKILL the server 20 times while people write: every acknowledged write must be there once.
bench-kill: venv
	$(PY) benchmarks/kill_test.py $(BENCH_KILL_ARGS)

# SIGKILL a restore 20 times: the data must be as before it or as the backup, never a mix.
bench-restore: venv
	$(PY) benchmarks/restore_kill.py

# A researcher deletes their account, whose study 60 couples took part in (docs/capacity.md).
bench-delete: venv
	$(PY) benchmarks/bench_account_delete.py $(BENCH_DELETE_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
