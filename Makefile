# The two set-up commands of the README:
#   make console  - install HabitLink into .venv and chat with it in this terminal
#   make test     - install it with the dev tools, then lint, type-check and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: console test lint typecheck pytest tools bench bench-idle clean

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

# Debian's docker-compose validates docker-compose.yml offline (tests/deploy); Debian's Chromium
# runs the admin's browser tests (tests/web/test_admin_browser.py: Playwright drives
# /usr/bin/chromium, no browser is downloaded); DejaVu Sans and WenQuanYi Micro Hei draw
# non-Latin text in the charts (bot/chart_fonts.py, tests/e2e/test_console_chart_text.py).
# Root installs what is missing.
tools:
	@missing=""; \
	command -v docker-compose >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "make: missing$$missing (as root: apt-get install$$missing)"; fi; \
	fi

# Two phases: most tests on PYTEST_WORKERS processes (pytest-xdist; each worker has its own
# databases and Redis keys), then the `serial` ones alone (they start several processes or compare
# latencies, which a neighbouring worker would disturb).
PYTEST_WORKERS ?= 2
pytest: $(VENV)/.installed-dev tools
	$(BIN)/pytest -rs -n $(PYTEST_WORKERS) -m "not serial" $(PYTEST_ARGS)
	$(BIN)/pytest -rs -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: PYTEST_ARGS chose no serial test

test: lint typecheck pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.bench_stats
	$(BIN)/python -m bench.bench_commands
	$(BIN)/python -m bench.bench_finder

# Idle memory as deployed: the project's dependencies only, no dev tools (bench/README.md).
.venv-prod/.installed: pyproject.toml
	$(PYTHON) -m venv .venv-prod
	.venv-prod/bin/python -m pip install --quiet -e .
	touch $@

bench-idle: $(VENV)/.installed-dev .venv-prod/.installed
	$(BIN)/python -m bench.bench_idle --python .venv-prod/bin/python

clean:
	rm -rf $(VENV) .venv-prod .pytest_cache .mypy_cache .ruff_cache
