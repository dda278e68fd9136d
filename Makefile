# Two entry points: `make demo` (set up and run the main job) and `make test` (set up and run the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test setup setup-test bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

setup: $(BIN)/activate
	$(BIN)/pip install -q -e .

setup-test: $(BIN)/activate
	$(BIN)/pip install -q -e '.[all]'

demo: setup
	$(BIN)/stationary zoo
	$(BIN)/stationary compare alexnet --pes 256 --batch 16 --plot dataflow_comparison.png

test: setup-test
	$(BIN)/python -m pytest

bench: setup-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
