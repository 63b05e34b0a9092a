# Kurultai: `make run` (set-up + the main job on samples/) and `make test` (set-up + every test).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out
DB     ?= sqlite:///kurultai.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENDOR := src/kurultai/web/static/vendor/vendor.js

.PHONY: setup setup-dev vendor browser run serve test lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=68,<81" wheel

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

# The dashboard's chart libraries (d3, topojson), country boundaries and Swagger UI (/docs) come from the npm registry,
# pinned by web/package-lock.json, and are bundled into the package here: nothing loads from a CDN.
$(VENDOR): web/package.json web/package-lock.json web/build.mjs
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
	  || { echo "Node.js and npm are needed to bundle the dashboard's chart libraries"; exit 1; }
	cd web && node build.mjs --ci

vendor: $(VENDOR)

setup: $(VENV)/.installed $(VENDOR)

setup-dev: $(VENV)/.installed-dev $(VENDOR)

# Debian's Chromium for the Playwright browser tests (Playwright never downloads a browser here).
browser:
	bash scripts/chromium.sh

run: setup
	$(BIN)/kurultai extract samples/*.txt --out $(OUT)
	@echo "Extractions written to $(OUT)/ (one NAME.json per sample)"
	$(BIN)/kurultai ingest samples --db $(DB)
	$(BIN)/kurultai serve --db $(DB) --host $(HOST) --port $(PORT)

serve: setup
	$(BIN)/kurultai serve --db $(DB) --host $(HOST) --port $(PORT)

test: setup-dev browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

bench: setup-dev
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache web/node_modules src/kurultai/web/static/vendor
