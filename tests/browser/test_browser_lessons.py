"""Every lesson notebook with a widget explorer, in JupyterLab in Chromium:
run all cells, see the explorer render, change a selection and see the view
change to what the pure functions in course.widgets compute for it.

JupyterLab serves the repository itself with autosave off, so nothing is
written to the notebooks; screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import pytest

from harness import REPO_ROOT
from ui import (
    cell, chart_colours, chart_src, check_accessibility, code_cell_indices, controls, execution_count,
    expectations, explorer_cells, explorer_root, lab_kernel_id, mark_colours, open_in_lab, run_all_cells,
    save_json, screenshot, select_by_label, wait_for_view,
)

from course.plots import OKABE_ITO

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
    open_in_lab(page, lab, rel)
    run_all_cells(page, code_cell_indices(path))
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
        expected = expectations(lab, kernel, explorer, execution_count(explorer_cell))
        if explorer == "EntityExplorer":
            check_entity_explorer(page, root, expected)
        elif explorer == "QuoteExplorer":
            check_quote_explorer(page, root, expected)
        else:
            pytest.fail(f"{rel}: no browser check for {explorer} yet: add one in tests/browser/ui.py")
        screenshot(root, f"{name}-2-changed")


def check_entity_explorer(page, root, expected: dict) -> None:
    """The first view matches the current entity type; picking another type shows that type's
    summary, entity list, first entity's mentions and a new chart, all as course.widgets computes them."""
    by_label = expected["by_label"]
    now = by_label[expected["current"]]
    wait_for_view(page, root, {"options": {"Entity": now["options"]}, "html": [now["mentions"]],
                               "text": [now["summary"]] if now["summary"] else []})
    before = chart_src(root)
    assert before and before.startswith("data:image/png"), "the entity chart did not render"
    assert chart_colours(before) <= set(OKABE_ITO), f"chart colours outside OKABE_ITO: {chart_colours(before)}"
    label = next(l for l in expected["labels"] if l != expected["current"] and by_label[l]["options"]
                 and by_label[l]["options"] != now["options"])
    new = by_label[label]
    select_by_label(root, "Entity type", label)
    wait_for_view(page, root, {"options": {"Entity": new["options"]}, "html": [new["mentions"]],
                               "text": [new["summary"]], "imgNot": before})
    assert chart_colours(chart_src(root)) <= set(OKABE_ITO)


def check_quote_explorer(page, root, expected: dict) -> None:
    """Picking the most-attributed speaker shows their attributions only: table, quote list,
    highlighted article and sentence as course.widgets computes them, marked in the speaker's colour."""
    assert expected["speaker"], "the explorer found no attributed speaker to select"
    chart = chart_src(root)
    assert chart and chart.startswith("data:image/png"), "the words-quoted chart did not render"
    assert chart_colours(chart) <= set(OKABE_ITO), f"chart colours outside OKABE_ITO: {chart_colours(chart)}"
    assert set(mark_colours(root)) <= set(OKABE_ITO)
    select_by_label(root, "Speaker", expected["speaker"])
    wait_for_view(page, root, {"html": [expected["table"], expected["highlighted"]],
                               "options": {"Quote": expected["quotes"]},
                               "textIncludes": [expected["sentence"][:80]]})
    marks = mark_colours(root)
    assert marks and set(marks) == {expected["colour"]}, f"highlights in {set(marks)}, expected {expected['colour']}"
    speaker = root.get_by_role("combobox", name="Speaker", exact=True)
    assert speaker.evaluate("s => s.selectedOptions[0].textContent") == expected["speaker"]
