# Two commands do all set-up: `make lab` and `make test`.
# Everything installs into .venv; nothing outside this folder is touched, except as root: `make test`
# then also installs Debian's bubblewrap and chromium (system-tools) and builds the shared install at
# /opt/wagner-course that the hub test runs (hub-tools).

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

.PHONY: install shared-install check-python-support lab test test-fast lint typecheck test-browser explorer bench exercises student digests grade system-tools hub hub-install hub-tools lock clean

# `make install PREFIX=DIR` is `make shared-install PREFIX=DIR` (below); plain `make install` builds .venv.
ifeq ($(origin PREFIX) $(MAKECMDGOALS),command line install)
install: shared-install
else
install: $(STAMP)
endif

# >>> install (the student edition copies this recipe: course/teach/edition.py)
$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 not found; install it, or run make PYTHON=/path/to/python3.11" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || { echo "error: $(PYTHON) is older than Python 3.11" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev,hub]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (Wagner course)" >/dev/null
	touch $@
# <<< install

# shared-install: one shared, read-only environment at PREFIX that every Unix user's Jupyter server runs (JupyterHub).
#   make shared-install PREFIX=/opt/wagner-course [EXTRAS=hub] [SHARED_PYTHON=/usr/bin/python3.11]
# A venv from a Python 3.11 every user can run (Debian's /usr/bin/python3.11 when ours is private;
# as root, apt installs python3.11-venv if needed), the model by hash, a non-editable install with the
# pinned constraints, the course kernel in PREFIX/share/jupyter, then chmod -R a+rX,go-w (tools/shared_install.sh).
PREFIX ?= /opt/wagner-course
EXTRAS ?=
shared-install:
	@PYTHON="$(PYTHON)" KERNEL=$(KERNEL) sh tools/shared_install.sh "$(PREFIX)" "$(EXTRAS)"

# Maintenance, after `make lock` (needs the network): does every pin admit Python SUPPORT_PYTHON, the oldest the
# README promises? Checks each pin's Requires-Python and yanked state on PyPI, records the answers in
# requirements/requires-python.json (the unit test reads that offline), then has pip resolve every pin for it.
SUPPORT_PYTHON ?= 3.11.2
check-python-support: install
	python tools/check_python_support.py $(SUPPORT_PYTHON) --record requirements/requires-python.json
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	python -m pip install --quiet --dry-run --ignore-installed --only-binary=:all: --python-version $(SUPPORT_PYTHON) \
	  --target "$$dir" -r requirements/constraints.txt && echo "pip resolves every pin for Python $(SUPPORT_PYTHON)"

lab: install
	jupyter lab --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) notebooks/00_start_here.ipynb $(LAB_ARGS)

# The whole suite, as CI runs it (.ci/run): lint, type check, then every test
# (unit, nbgrader, notebooks, browser; the markers are in tests/conftest.py).
test: install system-tools hub-tools lint typecheck
	python -m pytest $(PYTEST_ARGS)

# The quick loop while editing (under a minute): only the `unit` tests, on FAST_WORKERS
# processes (pytest-xdist), then lint. No nbgrader run, no notebook executed, no browser.
FAST_WORKERS ?= 2
test-fast: install
	python -m pytest -m unit -n $(FAST_WORKERS) $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory lint

# Ruff (rules and reasons in pyproject.toml [tool.ruff]); `ruff check --fix` fixes the easy ones.
LINT_PATHS := course tests bench tools deploy
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

# Speeds and accuracies (bench/results.md). Needs system-tools too: the browser row measures the explorer app
# in Chromium, and says why when it cannot.
bench: install system-tools
	python bench/run.py

# Regenerate the student release exercises/ from solutions/ (instructors).
exercises: install
	python -m course release

# What students receive: lessons, exercises, the package and seeds, no solutions/ (README, "For instructors").
STUDENT_DIR ?= dist/student-edition
student: install
	python -m course student-edition $(STUDENT_DIR)

# After a rule change, one command: re-run every solution notebook, rewrite each checks.expect_digest
# digest whose value changed, print old and new for a person to review (then `git diff solutions/`),
# and regenerate exercises/. DIGEST_ARGS="--check" only reports (exit 1 if any digest would change).
DIGEST_ARGS ?=
digests: install
	python tools/digests.py $(DIGEST_ARGS)
	@case "$(DIGEST_ARGS)" in *--check*) ;; *) python -m course release ;; esac

# The course hub on this machine (deploy/hub; README, "The instructor's day"), as root:
#   make hub ROSTER=class.csv     accounts from the roster, then JupyterHub on http://127.0.0.1:8000
# It runs every server from the shared install HUB_PREFIX (rebuilt when the course changes) and the
# proxy from deploy/hub/node_modules (npm ci, from package-lock.json); state lives in HUB_DIR.
# HUB_IP=0.0.0.0 opens it to the network: put TLS in front first.
HUB_PREFIX ?= /opt/wagner-course
HUB_DIR ?= /srv/wagner-hub
HUB_IP ?= 127.0.0.1
HUB_PORT ?= 8000
ROSTER ?=
HUB_STAMP := $(HUB_PREFIX)/.course-hub-installed
hub: hub-install
	@test "$$(id -u)" = 0 || { echo "error: make hub runs as root (its spawner starts each user's server as that user)" >&2; exit 2; }
	@if [ -n "$(ROSTER)" ]; then COURSE_HUB_DIR=$(HUB_DIR) $(HUB_PREFIX)/bin/python deploy/hub/roster.py $(ROSTER); fi
	@test -f $(HUB_DIR)/roster.csv || { echo "error: no roster yet: make hub ROSTER=class.csv (columns id,first_name,last_name,email,role)" >&2; exit 2; }
	COURSE_HUB_DIR=$(HUB_DIR) COURSE_HUB_PREFIX=$(HUB_PREFIX) COURSE_HUB_IP=$(HUB_IP) COURSE_HUB_PORT=$(HUB_PORT) \
	  $(HUB_PREFIX)/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

hub-install: $(HUB_STAMP) deploy/hub/node_modules/.package-lock.json
$(HUB_STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt $(shell find course seeds -type f -not -path '*/__pycache__/*' 2>/dev/null)
	@$(MAKE) --no-print-directory shared-install PREFIX=$(HUB_PREFIX) EXTRAS=hub
	touch $@
deploy/hub/node_modules/.package-lock.json: deploy/hub/package.json deploy/hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found: install Node.js 20 or later with npm" >&2; exit 2; }
	cd deploy/hub && npm ci --no-audit --no-fund --loglevel=error

# For `make test`: the hub test (tests/test_hub.py) needs root and npm; elsewhere it skips and says why.
hub-tools:
	@if [ "$$(id -u)" = 0 ] && command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory hub-install; \
	else echo "note: not root or no npm, so the hub test (tests/test_hub.py) will be skipped"; fi

# Re-pin every transitive dependency after changing pyproject.toml.
lock: install
	python -m pip freeze --exclude-editable | grep -v -i '^en.core.web.sm' > requirements/constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
