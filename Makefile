# assure-qa: `make run` sets up, builds the index if needed and serves the app on 127.0.0.1:7860;
# `make test` sets up and runs the tests. Both work on a fresh machine with only the registries.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 7860
CORPUS ?= corpus
INDEX ?= index
# Offline model loading and no telemetry, for every command below.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: run setup setup-dev index serve test test-fast check bench browser clean

run: setup index serve

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup-dev: $(VENV)/.installed-dev browser

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's chromium for the end-to-end browser test (Playwright drives it; it never downloads one).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium (the browser test will be skipped)"; fi; }

index: setup
	$(VENV)/bin/assure-qa index --corpus $(CORPUS) --index $(INDEX)

serve: setup
	$(VENV)/bin/assure-qa serve --index $(INDEX) --corpus $(CORPUS) --host $(HOST) --port $(PORT)

test: setup-dev
	$(VENV)/bin/pytest -q

test-fast: setup-dev
	$(VENV)/bin/pytest -q -m "not model and not browser"

check: setup-dev
	$(VENV)/bin/ruff check src tests app.py bench
	$(VENV)/bin/mypy src

bench: setup-dev
	$(PY) bench/pipeline.py
	$(PY) bench/eval.py --name dev
	$(PY) bench/eval.py --questions eval/heldout.jsonl --name heldout
	$(PY) bench/eval.py --questions eval/confirm.jsonl --name confirm
	$(PY) bench/scifact.py
	$(PY) bench/report.py

clean:
	rm -rf $(VENV) $(INDEX)/gen-* $(INDEX)/CURRENT $(INDEX)/.building-*
