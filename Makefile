# The README's two commands: `make demo` and `make test`. Nothing has to come before them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: demo test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	bash scripts/setup-test-env.sh
	touch $@ $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/policykg build data/samples --out out

test: $(TESTSTAMP)
	$(BIN)/python -m pytest

bench: $(TESTSTAMP)
	$(BIN)/python -m benchmarks.bench_extract
	$(BIN)/python -m benchmarks.bench_build
	$(BIN)/python -m benchmarks.bench_store --triples 100000
	$(BIN)/python -m benchmarks.bench_viz

clean:
	rm -rf out $(VENV) *.egg-info
