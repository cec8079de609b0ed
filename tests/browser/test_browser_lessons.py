"""Every lesson notebook with a widget explorer, in JupyterLab in Chromium:
run all cells, see the explorer render, change a selection and see the view
change to what the pure functions in course.explore (views, html, plots) compute for it.

JupyterLab serves the repository itself with autosave off, so nothing is
written to the notebooks; screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import pytest

from harness import REPO_ROOT
from ui import (
    CHECKS,
    cell,
    check_accessibility,
    code_cell_indices,
    controls,
    execution_count,
    expectations,
    explorer_cells,
    explorer_root,
    lab_kernel_id,
    open_in_lab,
    run_all_cells,
    save_json,
    screenshot,
)

APP = "explorer_app.ipynb"  # the Voilà app: tests/browser/test_browser_explorer_app.py
LESSONS = sorted(p for p in (REPO_ROOT / "notebooks").glob("*.ipynb") if p.name != APP and explorer_cells(p))


def test_lessons_with_explorers_are_found():
    assert LESSONS, "no lesson notebook creates an explorer: is the 'Explorer(' detection still right?"


@pytest.fixture(scope="module")
def lab(start_server):
    return start_server("lab", REPO_ROOT, name="lab-lessons")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_explorer_in_jupyterlab(lab, page, path):
    rel = str(path.relative_to(REPO_ROOT))
    page.set_viewport_size({"width": 1280, "height": 2200})  # a whole explorer fits: clean screenshots
    open_in_lab(page, lab, rel)
    try:
        run_all_cells(page, code_cell_indices(path))
        check_explorers(page, lab, path, rel)
    finally:
        lab.end_sessions()


def check_explorers(page, lab, path, rel) -> None:
    kernel = lab_kernel_id(lab, rel)
    for index, explorer in explorer_cells(path):
        explorer_cell = cell(page, index)
        root = explorer_root(explorer_cell)
        root.wait_for(state="visible", timeout=30_000)
        root.scroll_into_view_if_needed()
        name = f"{path.stem}-cell{index}-{explorer}"
        screenshot(root, f"{name}-1-initial")
        found = controls(page, root)
        save_json(f"{name}-controls", found)
        check_accessibility(found)  # known ipywidgets gaps are reported by test_browser_explorer_app.py
        if explorer not in CHECKS:
            pytest.fail(f"{rel}: no browser check for {explorer} yet: add one to CHECKS in tests/browser/ui.py")
        expected = expectations(lab, kernel, explorer, execution_count(explorer_cell))
        CHECKS[explorer][1](page, root, expected)
        screenshot(root, f"{name}-2-changed")
