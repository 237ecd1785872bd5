# Duban's two contract commands are `make demo` and `make test`; the rest are helpers.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install assets demo demo-reset serve test bench cluster lint fmt messages openapi

help:
	@echo "make demo        install, migrate, seed the demo district and serve http://$(HOST):$(PORT)"
	@echo "make demo-reset  delete the demo database and start over"
	@echo "make test        lint, migration and deploy checks, the suite on SQLite (and PostgreSQL when DATABASE_URL names one)"
	@echo "make bench       the speed targets on PostgreSQL (BENCH_ITEMS=1000000 by default; docs/performance.md)"
	@echo "make cluster     the production layout on this machine: Redis, two app hosts, a worker and beat (docs/deploy.md)"
	@echo "make fmt         format the code"
	@echo "make messages    refresh and compile the translations"
	@echo "make openapi     refresh the committed OpenAPI snapshot (docs/openapi.json)"

# uv itself, when the machine does not have it: a private virtualenv under var/.
var/tools/bin/uv:
	python3 -m venv var/tools
	var/tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

demo: install assets
	DUBAN_DEMO=1 $(UV) run duban demo
	DUBAN_DEMO=1 $(UV) run duban collectstatic --noinput --verbosity 0
	DUBAN_DEMO=1 HOST=$(HOST) PORT=$(PORT) $(UV) run duban serve

demo-reset:
	rm -f var/duban.sqlite3 var/duban.sqlite3-wal var/duban.sqlite3-shm
	$(MAKE) demo

test: install assets
	UV="$(UV)" scripts/test

bench: install
	UV="$(UV)" scripts/bench

cluster: install assets
	$(UV) run python -m duban.core.cluster

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .

fmt: install
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

openapi: install
	DUBAN_DEMO=1 $(UV) run duban export_openapi_schema --api duban.api.api --indent 2 --sorted --output docs/openapi.json

messages: install
	cd duban && DUBAN_DEMO=1 $(abspath $(UV)) run ../manage.py makemessages --locale zh_Hans --no-obsolete --no-location
	$(UV) run python scripts/compile_messages.py
