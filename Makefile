# Gleaner: `make demo` and `make test` work on a fresh clone (Python >= 3.11).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: demo test lint fmt types pytest bench bench-smoke conformance clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev,cluster]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(VENV)/bin/gleaner demo

test: $(VENV)/.installed-dev lint types pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

types: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

# Workers per run; loadscope keeps a module's tests (and its module-scoped crawl) on one worker.
PYTEST_WORKERS ?= 4

pytest: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadscope

bench: $(VENV)/.installed-dev
	$(PY) -m bench.run

bench-smoke: $(VENV)/.installed-dev
	$(PY) -m bench.run --smoke

conformance: $(VENV)/.installed-dev
	$(PY) -m bench.conformance

clean:
	rm -rf $(VENV) gleaner-demo .pytest_cache .mypy_cache .ruff_cache bench/.work
