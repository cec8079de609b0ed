"""Every lesson and solution notebook runs top to bottom in a fresh kernel,
and every committed notebook is stored without outputs."""

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


@pytest.mark.unit  # reads files only
@pytest.mark.parametrize("path", COMMITTED, ids=_id)
def test_committed_notebook_is_stripped_and_uses_the_course_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{_id(path)} has outputs: strip them"
