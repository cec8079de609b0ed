"""Fixtures for the browser tests: Debian's Chromium through Playwright, and a
Jupyter server per test module, always stopped at the end even when a test fails.

Without Chromium (or Playwright) the tests skip and say how to install it;
under CI (CI=true) a missing browser is an error instead, so CI never passes
by skipping them.

`harness` is tools/harness.py, shared with bench/run.py (pytest puts tools/ on
sys.path: `pythonpath` in pyproject.toml).
"""

from __future__ import annotations

import os
import tempfile

import pytest

from harness import JupyterServer, browser_problem, launch_chromium


def _browser_or_skip() -> None:
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def browser():
    """A Chromium context on a fresh profile for one test module."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as playwright:
        context = launch_chromium(playwright, profile)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    """A new tab, closed after the test."""
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def start_server():
    """start_server(kind, root_dir, ...) -> a running JupyterServer, stopped after the module."""
    _browser_or_skip()
    started: list[JupyterServer] = []

    def start(*args, **kwargs) -> JupyterServer:
        server = JupyterServer(*args, **kwargs)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()
