"""A released exercise in JupyterLab, as a student hands it in: nbgrader's
Validate button is in the notebook toolbar, and with correct answers
(the solutions, markers stripped) pressing it reports success.

The answers go into a temporary copy of the course folder, which a JupyterLab
of its own serves: Validate saves the notebook first, and the repository's
release must stay blank.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from harness import REPO_ROOT, copy_course
from ui import open_in_lab, screenshot

ASSIGNMENT = "00_warmup"
NOTEBOOK = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
BLANK = f"exercises/{ASSIGNMENT}/unanswered/{ASSIGNMENT}.ipynb"  # the release as students get it
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
SUCCESS = "Success! Your notebook passes all the tests."


def fill_in_answers(release: str, solution: str) -> int:
    """Put each solution cell's code, without the ### BEGIN/END SOLUTION lines, into the release; count them."""
    answers = {
        cell.metadata["nbgrader"]["grade_id"]:
            "\n".join(line for line in cell.source.splitlines() if not MARKER.match(line))
        for cell in nbformat.read(solution, as_version=4).cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }
    nb = nbformat.read(release, as_version=4)
    filled = 0
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in answers:
            cell.source = answers[grade_id]
            filled += 1
    nbformat.write(nb, release)
    return filled


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("course") / "course", f"exercises/{ASSIGNMENT}")
    (root / BLANK).parent.mkdir()
    (root / BLANK).write_bytes((root / NOTEBOOK).read_bytes())
    filled = fill_in_answers(str(root / NOTEBOOK), str(REPO_ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    assert filled >= 1, "no solution cells found to fill in"
    return root


@pytest.fixture(scope="module")
def lab(start_server, course_copy):
    return start_server("lab", course_copy, name="lab-exercise")


def validate(page, lab, path: str, name: str) -> str:
    """Open `path`, check the Validate button is in its toolbar, press it; the result dialog's text."""
    open_in_lab(page, lab, path)
    toolbar = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar")
    button = toolbar.get_by_role("button", name="Validate")
    button.wait_for(state="visible", timeout=30_000)
    screenshot(page, f"{name}-1-opened")
    try:
        button.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("heading").or_(dialog.locator(".jp-Dialog-header")).first.wait_for(timeout=120_000)
        # nbgrader runs the whole notebook before it answers
        dialog.get_by_text(re.compile(r"passes all the tests|failed|error", re.I)).first.wait_for(timeout=120_000)
        screenshot(page, f"{name}-2-validated")
        return dialog.inner_text()
    finally:
        lab.end_sessions()


def test_validate_reports_success_for_correct_answers(lab, page):
    text = validate(page, lab, NOTEBOOK, "exercise-answered")
    assert SUCCESS in text, f"Validate did not report success:\n{text[:2000]}"


def test_validate_reports_failure_for_the_unanswered_release(lab, page):
    text = validate(page, lab, BLANK, "exercise-unanswered")
    assert SUCCESS not in text and "NotImplementedError" in text, f"unexpected validation result:\n{text[:2000]}"
