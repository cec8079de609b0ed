"""Pre-flight: check a submission against the assignment's source before nbgrader sees it.

Only regular files are taken from a submission: never a link (it could point at
the gradebook or a root-only file), a FIFO, a device or a socket, and nothing
past a size cap; what is left out is recorded in the student's row.
A notebook with two copies of a test cell aborts plain `nbgrader autograde`
for the whole class (nbgrader #1083), so duplicated grade cells are dropped
(the first is kept). Deleted or retyped cells, edited read-only cells and a
changed kernel are only recorded: nbgrader restores them
(`OverwriteCells.add_missing_cells`). Changed grading metadata (a renamed or
extra graded cell, a test cell turned into an answer cell) is put back as the
source has it and flagged for a person, as is student code that rebinds the
test helpers. Repairs happen on a copy; the student's own files are never modified.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
from pathlib import Path

import nbformat

from course.core.paths import KERNEL_NAME
from course.teach.nbgrader_setup import HIDDEN_TESTS

MARK_SCHEME = re.compile(r"^[ \t]*=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===[^\n]*\n?", re.S | re.M)
TAMPERING_NOTE = "suspected tampering with the test helpers"
METADATA_NOTE = "graded cells were changed"
FLAGGED_NOTES = (TAMPERING_NOTE, METADATA_NOTE)  # repairs that make a person look at the submission
GRADING_KEYS = ("grade", "solution", "locked", "task", "points")
MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20
MAX_ENTRIES = 2000
MAX_DEPTH = 4
PROTECTED_NAMES = {"checks", "course", "builtins", "__builtins__", "AssertionError", "sys", "nbgrader"}


def preflight(submission: Path, source: Path, staging: Path) -> tuple[list[str], str]:
    """Copy `submission` to `staging`, repairing what is safe; return (repairs, failure reason)."""
    repairs: list[str] = copy_regular_files(submission, staging)
    for source_nb in sorted(source.glob("*.ipynb")):
        path = staging / source_nb.name
        if not path.exists():
            repairs.append(f"{source_nb.name}: missing notebook (scores 0)")
            continue
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except Exception as err:  # noqa: BLE001 - any unreadable file is the student's, not ours
            return repairs, f"{source_nb.name}: not a readable notebook ({_first_line(err)})"
        repairs += _repair(nb, nbformat.read(source_nb, as_version=4))
        nbformat.write(nb, path)
        repairs += _tampering_notes(nb)
    return repairs, ""


def copy_regular_files(source: Path, target: Path) -> list[str]:
    """Copy the regular files and folders under `source` to `target`, never following a link;
    return one note per entry left out (links, special files, oversized files, too much of anything)."""
    skipped: list[str] = []
    budget = {"bytes": MAX_TOTAL_BYTES, "entries": MAX_ENTRIES}
    target.mkdir(parents=True)
    _copy_folder(source, target, source, 0, skipped, budget)
    return [f"left out {note}" for note in skipped]


def _copy_folder(folder: Path, target: Path, top: Path, depth: int, skipped: list[str], budget: dict) -> None:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = str(Path(entry.path).relative_to(top))
            budget["entries"] -= 1
            info = entry.stat(follow_symlinks=False)
            if budget["entries"] < 0:
                skipped.append(f"{name} (too many files)")
            elif stat.S_ISDIR(info.st_mode) and depth < MAX_DEPTH:
                (target / entry.name).mkdir()
                _copy_folder(Path(entry.path), target / entry.name, top, depth + 1, skipped, budget)
            elif not stat.S_ISREG(info.st_mode):
                kind = "a link" if stat.S_ISLNK(info.st_mode) else "a folder too deep" if stat.S_ISDIR(info.st_mode) \
                    else "not a regular file"
                skipped.append(f"{name} ({kind})")
            elif info.st_size > min(MAX_FILE_BYTES, budget["bytes"]):
                skipped.append(f"{name} (too large: {info.st_size // 2**20} MiB)")
            else:
                budget["bytes"] -= info.st_size
                _copy_file(entry.path, target / entry.name)


def _copy_file(source: str, target: Path) -> None:
    """Copy one regular file without following a link, even one swapped in after the check."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{source}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    finally:
        os.close(fd)


def _first_line(err: Exception) -> str:
    return f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"


def _repair(nb, source) -> list[str]:
    """Drop duplicated grade cells from `nb` and list every difference from `source`."""
    expected = _grade_cells(source)
    locked = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
              if c.metadata.get("nbgrader", {}).get("locked") and c.metadata["nbgrader"].get("grade_id")}
    source_meta = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"] for c in source.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id")}
    repairs: list[str] = []
    kept, seen = [], set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id in seen:
            repairs.append(f"removed a copy of cell {grade_id}")
            continue
        if grade_id:
            seen.add(grade_id)
            note = _restore_metadata(cell, source_meta.get(grade_id))
            if note:
                repairs.append(f"{METADATA_NOTE}: {note}")
            if grade_id in expected and cell.cell_type != expected[grade_id]:
                repairs.append(f"cell {grade_id} changed from {expected[grade_id]} to {cell.cell_type}; restored")
            elif grade_id in locked and _visible(cell.source) != _visible(locked[grade_id]):
                repairs.append(f"read-only cell {grade_id} was edited; restored")
        kept.append(cell)
    repairs += [f"cell {grade_id} was deleted; restored" for grade_id in expected if grade_id not in seen]
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != KERNEL_NAME:
        repairs.append(f"kernel changed to {kernel!r}; restored")
    nb.cells = kept
    return repairs


def _restore_metadata(cell, original: dict | None) -> str:
    """Put back the source's grading metadata on `cell`; say what had changed, or ''."""
    meta = cell.metadata["nbgrader"]
    grade_id = meta.get("grade_id")
    if original is None:
        if not any(meta.get(key) for key in GRADING_KEYS):
            return ""
        del cell.metadata["nbgrader"]  # graded by nobody: the source has no such cell
        return f"{grade_id} is not a cell of the assignment; it was left ungraded"
    changed = [key for key in GRADING_KEYS if meta.get(key) != original.get(key)]
    if not changed:
        return ""
    cell.metadata["nbgrader"] = dict(original)
    return f"{grade_id} ({', '.join(changed)} changed; restored)"


def _grade_cells(nb) -> dict[str, str]:
    """The cell type of every cell nbgrader tracks, by grade id."""
    cells: dict[str, str] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        tracked = meta.get("grade") or meta.get("solution") or meta.get("task") or meta.get("locked")
        if meta.get("grade_id") and tracked:
            cells.setdefault(meta["grade_id"], cell.cell_type)
    return cells


def _visible(source: str) -> str:
    """A locked cell's source as the student received it (hidden tests removed)."""
    return MARK_SCHEME.sub("", HIDDEN_TESTS.sub("", source)).strip()


def _tampering_notes(nb) -> list[str]:
    """One repair note per suspicious line in the student's own code cells."""
    return [f"{TAMPERING_NOTE}: {line.splitlines()[0][:80]}"
            for cell in nb.cells
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("locked")
            for line in tampering(cell.source)]


def tampering(source: str) -> list[str]:
    """Lines of student code that rebind the test helpers or what they rely on.

    Test cells call course.checks; a student cell that reassigns
    `checks.expect_equal`, rebinds `checks`, patches builtins or edits
    sys.modules could make every test pass. Such code is flagged for a
    person to look at rather than trusted.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if any(_is_protected(target) for target in _rebound(node)):
            found.append(ast.get_source_segment(source, node) or ast.dump(node)[:80])
    return found


def _rebound(node: ast.AST) -> list[ast.expr]:
    """What `node` assigns, deletes, setattr()s or imports a name over."""
    if isinstance(node, (ast.Assign, ast.Delete)):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"setattr", "delattr"}:
        return node.args[:1]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        module = node.module if isinstance(node, ast.ImportFrom) else None
        return [ast.Name(id="checks") for alias in node.names
                if (alias.asname or alias.name.split(".")[-1]) == "checks"
                and (module or alias.name) not in {"course", "course.checks"}]
    return []


def _is_protected(target: ast.expr) -> bool:
    """Whether `target` is, or is part of, a name the tests rely on."""
    root: ast.expr = target
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    if isinstance(root, ast.Name) and root.id in PROTECTED_NAMES:
        return True
    return isinstance(target, ast.Name) and target.id.startswith("expect_")
