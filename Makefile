# The two commands of the README: `make run` and `make test`. Both install what
# they need into .venv first, so they work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The analysis core, which setup.py compiles with mypyc: a change to it means building again.
COMPILED := $(wildcard provenance/align/*.py provenance/drift/*.py provenance/drift/checks/*.py)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml setup.py $(COMPILED) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/provenance db upgrade
	$(BIN)/provenance seed --if-empty --analyze
	$(BIN)/provenance serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	-$(BIN)/python bench/quality.py
	-$(BIN)/python bench/intake.py
	-$(BIN)/python bench/analysis.py
	-$(BIN)/python bench/web.py
	-$(BIN)/python bench/api.py
	-$(BIN)/python bench/writes.py

clean:
	rm -rf $(VENV) data .pytest_cache tests/artifacts build provenance/_compiled.json provenance_analysis__mypyc*.so
	find provenance -name '*.so' -delete
