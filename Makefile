# One-command set-up: each target creates the virtual environment and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: install test serve classify train evaluate bench check

$(BIN)/foi-triage: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/foi-triage

test: install            ## run the test suite
	$(BIN)/python -m pytest -q

serve: install           ## run the HTTP service on the shipped model
	$(BIN)/foi-triage serve --host $(HOST) --port $(PORT)

classify: install        ## classify the example request with the shipped model
	$(BIN)/foi-triage classify tests/fixtures/seed_request.txt

train: install           ## retrain models/default from training_data/
	$(BIN)/foi-triage train

evaluate: install        ## cross-validated report
	$(BIN)/foi-triage evaluate --json bench/results/evaluate.json

bench: install           ## accuracy against the keyword baseline, throughput, memory
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/throughput.py
