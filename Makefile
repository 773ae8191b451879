# impactkg: two commands do all the set-up on a fresh clone.
#   make demo   virtual environment, install, build a graph from samples/, serve on http://127.0.0.1:5000
#   make test   virtual environment with the dev extras, then the whole pytest suite

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= data
PORT   ?= 5000

.PHONY: demo test install install-dev lint bench bench-sparql bench-memory kill-test load fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The install stamps depend on pyproject.toml, so a changed dependency list reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/impactkg --data-dir $(DATA) init
	$(BIN)/impactkg --data-dir $(DATA) ingest samples
	$(BIN)/impactkg --data-dir $(DATA) stats
	$(BIN)/impactkg --data-dir $(DATA) serve --port $(PORT)

# The remote-store tests need a Virtuoso server and the browser tests Debian's Chromium; each is
# installed here when missing (root and Debian's packages needed). IMPACTKG_SKIP_REMOTE=1 and
# IMPACTKG_SKIP_BROWSER=1 skip those tests instead.
test: install-dev
	@[ "$$IMPACTKG_SKIP_REMOTE" = 1 ] || [ -x /usr/bin/virtuoso-t ] || bash .ci/setup-services
	@[ "$$IMPACTKG_SKIP_BROWSER" = 1 ] || [ -x /usr/bin/chromium ] || bash .ci/setup-browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_web.py

# SPARQL on a synthetic 1M-triple graph, also on rdflib and Virtuoso (about 30-60 min here).
bench-sparql: install-dev
	$(BIN)/python bench/bench_sparql.py

# Locust at 8 and 32 clients, before and during an ingest, on samples/ (rate limits off; ~6 min).
load: install-dev
	$(BIN)/python bench/load_web.py

# The long fuzz run: >= 100,000 generated inputs for readers, chunker, dates, questions, canned
# parameters and the native embedding engine, then atheris (coverage-guided, 10,000 per target);
# about 15-20 min here (docs/RELIABILITY.md).
fuzz: install-dev
	$(BIN)/python bench/fuzz_inputs.py

# Peak memory of ingest and export at 1,000 and 10,000 synthetic pages (see docs/RELIABILITY.md).
bench-memory: install
	$(BIN)/python bench/bench_memory.py --pages 1000 10000

# SIGKILL ingest 50 times (random points, search flush, between flush and commit, publish), check
# the store, the generation and the search index after each kill, re-run (about 15-30 min here).
kill-test: install-dev
	$(BIN)/python bench/kill_ingest.py --kills 50

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache .ruff_cache *.egg-info
