# The two commands a newcomer types: `make book` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help book render site test test-fast serve validate checks clean lock bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP) ## Validate data, render every notebook and build the site into _build/html
	$(BIN)/python -m analysis build

render: $(STAMP) ## Render the notebooks only (AREA=99F for one area)
	$(BIN)/python -m analysis render $(if $(AREA),--area $(AREA))

site: $(STAMP) ## Build the site from the committed notebooks (no re-render)
	$(BIN)/python -m analysis build --no-render

validate: $(STAMP) ## Check the data in data/
	$(BIN)/python -m analysis validate

checks: $(STAMP) ## Print the reconciliation ledger counts
	$(BIN)/python -m analysis checks

test: $(STAMP) ## Unit tests, nbval on the committed notebooks, strict book build and browser checks, on 2 workers
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=10

test-fast: $(STAMP) ## Unit tests, back-tests, doctests and pages without a kernel, on 2 workers, for the edit-test loop
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow" -p no:nbval -o addopts="-ra -p no:cacheprovider --doctest-modules --ignore=analysis/__main__.py --ignore=analysis/templates" analysis benchmarks tests

bench: $(STAMP) ## Time the build against naive papermill, and at 7, 50 and 211 areas and the test loops (about 50 min); updates README.md
	$(BIN)/python -m benchmarks.run --update-readme

serve: ## Serve the built site on http://localhost:8000
	$(BIN)/python -m http.server --directory _build/html 8000

lock: $(STAMP) ## Re-pin requirements.txt from the installed environment
	{ echo "# Exact versions of everything the book installs (a lock). Regenerate with 'make lock'."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -iE '^(pip|setuptools|wheel)=='; echo "-e . --config-settings editable_mode=compat"; } > requirements.txt

clean: ## Remove the built site and caches
	rm -rf _build .pytest_cache
