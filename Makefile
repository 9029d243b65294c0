# Spotcheck: `make demo` to try it, `make test` to run every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# `spotcheck` defaults to production settings; the demo and set-up run with development ones.
# (Not exported: pytest reads its own settings from pyproject.toml.)
DEV := DJANGO_SETTINGS_MODULE=spotcheck.config.settings.development

.PHONY: demo setup test test-fast bench lint system-packages messages clean

$(STAMP): pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	 if [ ! -x $(BIN)/python ]; then echo "creating $(VENV) with $$python"; $$python -m venv $(VENV); fi
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

system-packages:
	@scripts/system-packages

setup: $(STAMP) system-packages
	$(DEV) $(BIN)/spotcheck migrate --noinput -v0
	$(DEV) $(BIN)/spotcheck collectstatic --noinput -v0

demo: setup
	$(DEV) $(BIN)/spotcheck demo load
	$(DEV) $(BIN)/spotcheck audit schedule
	@echo "serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@$(DEV) $(BIN)/spotcheck db_worker --queue-name default -v0 & worker=$$!; \
	 trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	 $(DEV) $(BIN)/gunicorn spotcheck.config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: $(STAMP) system-packages
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python bench/draw.py
	$(BIN)/python bench/import_entities.py
	$(BIN)/python bench/joint_visits.py
	$(BIN)/python bench/staffing.py
	$(BIN)/python bench/joint_batch.py
	$(BIN)/python bench/portal.py
	$(BIN)/python bench/credit_recompute.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/merge_detect.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

messages: $(STAMP)
	cd spotcheck && $(DEV) ../$(BIN)/spotcheck makemessages -l en --no-obsolete && $(DEV) ../$(BIN)/spotcheck compilemessages -l en

clean:
	rm -rf $(VENV) var
