"""Every lesson and solution notebook runs top to bottom in a fresh kernel,
and every committed notebook is stored without outputs."""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parent.parent
KERNEL = "wagner-course"
RUNNABLE = sorted((REPO_ROOT / "notebooks").glob("*.ipynb")) + sorted((REPO_ROOT / "solutions").glob("*/*.ipynb"))
COMMITTED = RUNNABLE + sorted((REPO_ROOT / "exercises").glob("*/*.ipynb"))


def _id(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


@pytest.mark.unit  # reads files only; the rest of this module runs notebooks (conftest marks it `notebooks`)
def test_there_are_notebooks_to_check():
    assert any(p.parent.name == "notebooks" for p in RUNNABLE)
    assert any(p.parent.parent.name == "solutions" for p in RUNNABLE)


@pytest.mark.parametrize("path", RUNNABLE, ids=_id)
def test_notebook_runs_top_to_bottom(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name=KERNEL, resources={"metadata": {"path": str(path.parent)}}).execute()
    stderr = [
        (i, out.get("text", ""))
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert stderr == [], f"cells wrote to stderr (nbgrader would fail a test cell for it): {stderr}"
    if path.parent.name == "notebooks":
        assert counts_no_cell_prints(nb) == [], "prose states a count no nearby cell prints: print it, or drop it"


# A count of things the course's code finds in a text ("7 of 8", "12 quotes"), as prose states it.
COUNT_NOUNS = ("people|persons|quotes|quotations|sources|names|mentions|entities|sentences|paragraphs|spans|"
               "attributions|clusters|spellings|labels|metaphors|hedges|boosters|speakers|organisations|places")
PROSE_COUNT = re.compile(rf"(?<![\w.,/:(-])(\d+) (?:of|out of) (\d+)\b|(?<![\w.,/:(-])(\d+) (?:{COUNT_NOUNS})\b")
NEARBY = 2  # code cells before and after a markdown cell whose output may state its counts


def counts_no_cell_prints(nb) -> list[str]:
    """Counts in an executed lesson's prose that no code cell within NEARBY cells prints."""
    def printed(cell) -> str:
        return "\n".join(str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
                         + str(out.get("data", {}).get("text/html", "")) for out in cell.get("outputs", []))

    unprinted = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        near = [c for c in nb.cells[max(0, index - NEARBY): index + NEARBY + 1] if c.cell_type == "code"]
        output = "\n".join(printed(c) for c in near)
        for match in PROSE_COUNT.finditer(cell.source):
            numbers = [n for n in match.groups() if n]
            if any(not re.search(rf"(?<!\d){n}(?!\d)", output) for n in numbers):
                unprinted.append(f"cell {index}: {match.group(0)!r}")
    return unprinted


@pytest.mark.unit
@pytest.mark.parametrize("prose, output, found", [
    ("So 7 of 8 snippets get the right speaker.", "right speaker in 6 of 8 cases", ["cell 1: '7 of 8'"]),
    ("So 6 of 8 snippets get the right speaker.", "right speaker in 6 of 8 cases", []),
    ("The article names 12 people.", "12 people are named", []),
    ("The article names 12 people.", "11 people are named", ["cell 1: '12 people'"]),
    ("One metaphor per 1,000 words; 78% of 229 citations; lesson 05.", "", []),
])
def test_a_count_in_prose_must_be_printed_nearby(prose, output, found):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    cell = new_code_cell("print(...)", outputs=[new_output("stream", name="stdout", text=output)])
    nb = new_notebook(cells=[cell, new_markdown_cell(prose)])
    assert counts_no_cell_prints(nb) == found


@pytest.mark.unit  # reads files only
@pytest.mark.parametrize("path", COMMITTED, ids=_id)
def test_committed_notebook_is_stripped_and_uses_the_course_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{_id(path)} has outputs: strip them"
