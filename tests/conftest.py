"""Shared fixtures. Every test run parses into its own cache folder, so tests
never read or pollute a user's cache, and subprocesses inherit it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

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
