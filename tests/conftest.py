"""Shared fixtures, and the one marker each test gets.

Every test run parses into its own cache folder, so tests never read or
pollute a user's cache, and subprocesses inherit it.

Markers (registered in pyproject.toml), given here from what a test runs:

    browser    tests/browser/: JupyterLab or Voila in headless Chromium
    notebooks  tests/test_notebooks.py: every lesson and solution notebook run in a kernel;
               tests/test_mistakes.py: each assignment's catalogue of wrong answers
    nbgrader   tests/test_assignments.py, tests/test_grading.py, and any test module that
               imports nbgrader or hostile_class: release, autograde, grading a class
    packaging  set in its test file: builds the wheel with pip (tests/test_packaging.py)
    hub        tests/test_hub.py: a class on the course hub (deploy/hub), as root, with Chromium
    unit       everything else; `make test-fast` runs only these

A test that already carries one of these markers keeps it.
"""

from __future__ import annotations

import ast
import functools
import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "nbgrader", "notebooks", "browser", "packaging", "hub")
BY_FILE = {
    "test_notebooks.py": "notebooks",
    "test_mistakes.py": "notebooks",
    "test_assignments.py": "nbgrader",
    "test_grading.py": "nbgrader",
    "test_hub.py": "hub",
}
NBGRADER_MODULES = {"nbgrader", "hostile_class"}

_CACHE = tempfile.TemporaryDirectory(prefix="course-test-cache-")
os.environ["COURSE_CACHE_DIR"] = _CACHE.name


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A fresh, empty doc cache for one test."""
    path = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(path))
    return path


@functools.cache
def _imports(path: Path) -> frozenset[str]:
    """Top-level names of the modules `path` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def _kind(path: Path) -> str:
    """The marker for the tests in the file at `path`."""
    relative = path.relative_to(TESTS)
    if relative.parts[0] == "browser":
        return "browser"
    if relative.name in BY_FILE:
        return BY_FILE[relative.name]
    return "nbgrader" if _imports(path) & NBGRADER_MODULES else "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not any(item.get_closest_marker(kind) for kind in KINDS):
            item.add_marker(_kind(Path(str(item.path))))
