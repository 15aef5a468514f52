# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian's chromium, for the explorer's browser test (playwright drives it: no `playwright install`)
CHROMIUM := /usr/bin/chromium

.PHONY: install demo test lint bench

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -c "from polybius.events.fallback import load_models; load_models()"  # train the fallback classifier once
	touch $(STAMP)

$(CHROMIUM):
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "note: no $(CHROMIUM) and no root apt-get to install it; the browser test will be skipped"; \
	fi

install: $(STAMP) $(CHROMIUM)

demo: install
	$(BIN)/polybius code examples/ --db polybius.duckdb --format table
	@echo
	@echo "Explore these events in your browser: $(BIN)/polybius serve --db polybius.duckdb"
	@echo "then open http://127.0.0.1:8000/ (API docs at http://127.0.0.1:8000/docs)"

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/throughput.py
