"""Build a class of submissions from a released assignment: correct, partial, blank and hostile.

Used by tests/test_grading.py and bench/run.py. Every student starts from the
real release in exercises/ and the real solutions in solutions/.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n", re.M)


def _load(assignment: str):
    name = f"{assignment}.ipynb"
    release = nbformat.read(REPO_ROOT / "exercises" / assignment / name, as_version=4)
    source = nbformat.read(REPO_ROOT / "solutions" / assignment / name, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: MARKERS.sub("", c.source) for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    return release, answers


def _solution_ids(nb) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]


def _answered(release, answers, how_many: int | None = None):
    nb = copy.deepcopy(release)
    ids = _solution_ids(nb)[:how_many]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ids:
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def _with_extra_cell(nb, code: str, after_first_answer: bool = True):
    nb = copy.deepcopy(nb)
    position = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution")) + 1
    nb.cells.insert(position if after_first_answer else len(nb.cells), nbformat.v4.new_code_cell(code))
    return nb


def _move_before_tests(nb):
    """Put the last cell (the patch) right after the setup cell, before any test runs."""
    nb = copy.deepcopy(nb)
    patch = nb.cells.pop()
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(setup + 1, patch)
    return nb


def _test_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]


def build_class(assignment: str, course_dir: Path, hostile: bool = True, extra_correct: int = 0) -> dict[str, str]:
    """Write submissions under course_dir/submitted; return {student: what they did}."""
    release, answers = _load(assignment)
    correct = _answered(release, answers)
    students: dict[str, object] = {
        "correct": correct,
        "partial": _answered(release, answers, 2),
        "blank": copy.deepcopy(release),
    }
    for i in range(extra_correct):
        students[f"student{i:02d}"] = correct if i % 3 else _answered(release, answers, 2)
    if hostile:
        gradebook = course_dir / "gradebook.db"
        other = course_dir / "submitted" / "correct" / assignment / f"{assignment}.ipynb"
        first_test = _test_cells(correct)[0]
        deleted = copy.deepcopy(correct)
        del deleted.cells[first_test]
        edited = copy.deepcopy(correct)
        edited.cells[first_test].source = "pass"
        duplicated = copy.deepcopy(correct)
        twin = copy.deepcopy(correct.cells[first_test])
        twin["id"] = "copied-test-cell"
        duplicated.cells.insert(first_test + 1, twin)
        kernel = copy.deepcopy(correct)
        kernel.metadata["kernelspec"]["name"] = "python3"
        first_answer = _solution_ids(correct)[0]
        cheat = copy.deepcopy(correct)
        for cell in cheat.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == first_answer:
                cell.source = ("class Anything:\n    def __eq__(self, other):\n        return True\n\n"
                               f"def {first_answer}(*args, **kwargs):\n    return Anything()\n")
        monkeypatch = _with_extra_cell(copy.deepcopy(release), (
            "from course import checks\n"
            "checks.expect_equal = lambda *args, **kwargs: None\n"
            "checks.expect_digest = lambda *args, **kwargs: None\n"
            "checks.expect_function = lambda *args, **kwargs: None"), after_first_answer=False)
        fake = copy.deepcopy(release)
        for cell in fake.cells:
            if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
                cell.source += "\nprint('passes the visible checks.')"
        students.update({
            "monkeypatches_checks": _move_before_tests(monkeypatch),
            "prints_fake_success": fake,
            "infinite_loop": _with_extra_cell(correct, "while True:\n    pass"),
            "bare_except_loop": _with_extra_cell(correct, "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except:\n        pass"),
            "os_exit": _with_extra_cell(correct, "import os\nos._exit(1)"),
            "sys_exit": _with_extra_cell(correct, "import sys\nsys.exit(1)"),
            "kernel_crash": _with_extra_cell(correct, "import ctypes\nctypes.string_at(0)"),
            "huge_output": _with_extra_cell(correct, "print('x' * 20_000_000)"),
            "deleted_test_cell": deleted,
            "edited_test_cell": edited,
            "duplicated_test_cell": duplicated,
            "changed_kernel": kernel,
            "eq_cheat": cheat,
            "reads_hidden_tests": _with_extra_cell(correct, (
                "import glob, os\nfound = []\n"
                f"candidates = glob.glob('*.ipynb') + glob.glob('../*/*.ipynb') + glob.glob('../../*/*/*.ipynb') + glob.glob({str(course_dir)!r} + '/**/*.ipynb', recursive=True)\n"
                "for path in candidates:\n"
                "    try:\n        found += [path] if 'BEGIN HIDDEN TESTS' in open(path).read() else []\n"
                "    except OSError:\n        pass\n"
                "print('LEAKED' if found else 'NO-LEAK', found[:3])")),
            "writes_gradebook": _with_extra_cell(correct, (
                "import os\nresult = 'BLOCKED'\n"
                f"for path in [{str(gradebook)!r}, '../../../gradebook.db', '../../gradebook.db']:\n"
                "    try:\n        open(path, 'ab').write(b'tampered')\n        result = 'WROTE ' + path\n"
                "    except OSError:\n        pass\nprint(result)")),
            "reads_other_student": _with_extra_cell(correct, (
                "result = 'BLOCKED'\n"
                f"for path in [{str(other)!r}, '../../correct/{assignment}/{assignment}.ipynb']:\n"
                "    try:\n        open(path).read()\n        result = 'READ ' + path\n"
                "    except OSError:\n        pass\nprint(result)")),
        })
    behaviour = {}
    for student, nb in students.items():
        folder = course_dir / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        behaviour[student] = student
    if hostile:
        folder = course_dir / "submitted" / "malformed_json" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.ipynb").write_text('{"cells": [', encoding="utf-8")
        behaviour["malformed_json"] = "malformed_json"
    return behaviour


def new_course(parent: Path) -> Path:
    course_dir = parent / "course"
    course_dir.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course_dir)
    shutil.copytree(REPO_ROOT / "solutions", course_dir / "solutions")
    return course_dir


def outputs(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "\n".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
