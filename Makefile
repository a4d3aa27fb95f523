# Two entry points: `make run` (set up, build the demo database if missing, start the app)
# and `make test` (set up, run every test). Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/verkstad.duckdb

.PHONY: setup run db test lint check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Built only when missing: the program, then the generated demo documents (invented amounts),
# both through `verkstad ingest`. Built under a temporary name, so a failed build leaves no
# half-made database behind and the next run tries again; a finished one is never rebuilt.
$(DB): | $(STAMP)
	rm -f $(DB).building $(DB).building.lock
	$(BIN)/verkstad ingest data/program --db $(DB).building
	$(BIN)/verkstad demo --db $(DB).building
	mv $(DB).building $(DB)
	rm -f $(DB).building.lock

db: $(DB)

run: $(STAMP) $(DB)
	VERKSTAD_DB=$(DB) $(BIN)/streamlit run app.py --server.port 8501 --server.headless true

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint test

clean:
	rm -rf $(VENV) $(DB) data/raw data/demo
