# The two set-up commands of the README:
#   make console  - install HabitLink into .venv and chat with it in this terminal
#   make test     - install it with the dev tools, then lint, type-check and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: console test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

console: $(VENV)/.installed
	$(BIN)/habitlink console

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest -rs $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.bench_stats
	$(BIN)/python -m bench.bench_commands
	$(BIN)/python -m bench.bench_finder

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
