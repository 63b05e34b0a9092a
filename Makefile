# Kurultai: `make run` (set-up + the main job on samples/) and `make test` (set-up + every test).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: setup setup-dev run test lint bench clean

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

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

run: setup
	$(BIN)/kurultai extract samples/*.txt --out $(OUT)
	@echo "Extractions written to $(OUT)/ (one NAME.json per sample)"

test: setup-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

bench: setup-dev
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
