"""Run each assignment's catalogue of wrong answers and report what every one is told.

Each assignment's source folder holds `mistakes.yaml` beside its notebook (nbgrader
does not release it: nbgrader_config.py ignores the name). Its keys are the grade_ids
of the notebook's solution cells; each lists the wrong answers students typically
give to that question:

    count_paragraphs:                 # the solution cell this replaces
      - mistake: counts blank lines too
        code: |
          def count_paragraphs(text):
              return len(text.splitlines())
        visible: are empty lines counted too   # a fragment of the one line the student must see

An entry that passes the visible checks on purpose says why in `accepted:` instead of
`visible:`; the hidden tests must still catch it.

`run_catalogue(assignment)` executes the solution notebook once in the course kernel
(as a student would, top to bottom), then for each wrong answer: runs it in place of
the solution cell, re-runs the cells up to the question's test cells, runs each test
cell's visible part and its hidden part separately, records the error lines, and puts
the solution back. The result is a list of `Outcome`s; tests/test_mistakes.py asserts
on them and bench/run.py prints their summary.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

REPO_ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO_ROOT / "solutions"
KERNEL = "wagner-course"
HIDDEN = re.compile(r"^### BEGIN HIDDEN TESTS\n(.*?)^### END HIDDEN TESTS\n?", re.S | re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ENTRY_KEYS = {"mistake", "code", "visible", "accepted"}


@dataclass(frozen=True)
class Mistake:
    question: str  # the grade_id of the solution cell it replaces
    name: str
    code: str
    visible: str | None  # fragment of the visible failure line
    accepted: str | None  # why it passes the visible checks on purpose


@dataclass
class Question:
    """A solution cell, the plain cells after it, and its test cells (indices into the notebook)."""

    grade_id: str
    solution: int
    cells: list[int] = field(default_factory=list)  # everything to re-run after the solution, in order
    tests: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    mistake: Mistake
    visible_errors: tuple[tuple[str, ...], ...]  # per visible part that failed: its traceback lines
    hidden_failed: bool

    @property
    def visible_failed(self) -> bool:
        return bool(self.visible_errors)

    @property
    def lines(self) -> list[str]:
        return [line for error in self.visible_errors for line in error]


def catalogue_path(assignment: str, root: Path = SOLUTIONS) -> Path:
    return root / assignment / "mistakes.yaml"


def notebook_path(assignment: str, root: Path = SOLUTIONS) -> Path:
    (path,) = sorted((root / assignment).glob("*.ipynb"))
    return path


def load_catalogue(assignment: str, root: Path = SOLUTIONS) -> list[Mistake]:
    """The wrong answers for `assignment`, checked for shape (ValueError names the bad entry)."""
    data = yaml.safe_load(catalogue_path(assignment, root).read_text(encoding="utf-8")) or {}
    mistakes = []
    for question, entries in data.items():
        for entry in entries or []:
            where = f"{assignment} {question} {entry.get('mistake', '?')!r}" if isinstance(entry, dict) else question
            if not isinstance(entry, dict) or set(entry) - ENTRY_KEYS or not {"mistake", "code"} <= set(entry):
                raise ValueError(f"{where}: an entry has mistake, code and one of visible/accepted")
            if (entry.get("visible") is None) == (entry.get("accepted") is None):
                raise ValueError(f"{where}: give exactly one of visible and accepted")
            mistakes.append(Mistake(question, entry["mistake"], entry["code"], entry.get("visible"),
                                    entry.get("accepted")))
    return mistakes


def questions_of(nb) -> dict[str, Question]:
    """The auto-graded questions of a source notebook, by solution grade_id."""
    questions: dict[str, Question] = {}
    current: Question | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            current = questions[meta["grade_id"]] = Question(meta["grade_id"], index)
        elif current is not None:
            current.cells.append(index)
            if meta.get("grade"):
                current.tests.append(index)
    for question in questions.values():  # stop after the last test cell of each question
        if question.tests:
            question.cells = [i for i in question.cells if i <= question.tests[-1]]
    return questions


def split_test(source: str) -> tuple[str, str]:
    """A test cell's visible part (hidden block removed) and its hidden part."""
    hidden = "\n".join(match.group(1) for match in HIDDEN.finditer(source))
    return HIDDEN.sub("", source), hidden


class Kernel:
    """One course kernel running a notebook's cells; `run(code)` gives the error lines, if any."""

    def __init__(self, nb, cwd: Path):
        self.nb = nb
        self.client = NotebookClient(nb, kernel_name=KERNEL, timeout=120, allow_errors=True,
                                     resources={"metadata": {"path": str(cwd)}})

    def __enter__(self):
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)

    def run(self, code: str) -> tuple[str, ...] | None:
        """Execute `code`; the traceback lines of its error (ANSI colours removed), or None."""
        cell = new_code_cell(code)
        self.client.execute_cell(cell, 0, store_history=True)
        for output in cell.outputs:
            if output.output_type == "error":
                return tuple(ANSI.sub("", line) for line in output.traceback)
        return None


def run_catalogue(assignment: str, root: Path = SOLUTIONS) -> list[Outcome]:
    """Every catalogued wrong answer of `assignment`, run as described in the module docstring."""
    path = notebook_path(assignment, root)
    nb = nbformat.read(path, 4)
    questions = questions_of(nb)
    mistakes = load_catalogue(assignment, root)
    unknown = sorted({m.question for m in mistakes} - set(questions))
    if unknown:
        raise ValueError(f"{assignment}: mistakes.yaml names no solution cell {unknown}")
    outcomes = []
    with Kernel(nb, path.parent) as kernel:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (error := kernel.run(cell.source)):
                raise RuntimeError(f"{assignment}: the solution fails in cell {index}: {error[-1]}")
        for mistake in mistakes:
            question = questions[mistake.question]
            outcomes.append(_try(kernel, nb, question, mistake))
            for index in [question.solution, *question.cells]:  # put the solution back
                if kernel.run(nb.cells[index].source):
                    raise RuntimeError(f"{assignment}: cell {index} fails after restoring the solution")
    return outcomes


def defined_names(source: str) -> list[str]:
    """The names a cell binds at its top level (functions, classes, assignments, imports)."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return names


def _try(kernel: Kernel, nb, question: Question, mistake: Mistake) -> Outcome:
    """Replace the solution cell with `mistake` (its names forgotten first, as in a fresh cell
    that failed), re-run the question's cells, and record what its test cells say."""
    errors, hidden_failed = [], False
    forget = defined_names(nb.cells[question.solution].source)
    kernel.run(f"for _name in {forget!r}:\n    globals().pop(_name, None)")
    kernel.run(mistake.code)
    for index in question.cells:
        source = nb.cells[index].source
        if index not in question.tests:
            kernel.run(source)
            continue
        visible, hidden = split_test(source)
        error = kernel.run(visible)
        if error:
            errors.append(error)
        if hidden.strip() and kernel.run(hidden):
            hidden_failed = True
    return Outcome(mistake, tuple(errors), hidden_failed)


def release_lines(assignment: str, release_root: Path = REPO_ROOT / "exercises") -> dict[str, tuple[str, ...] | None]:
    """Run the blank student release top to bottom: each test cell's error lines, by grade_id."""
    path = notebook_path(assignment, release_root)
    nb = nbformat.read(path, 4)
    lines = {}
    with Kernel(nb, path.parent) as kernel:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            error = kernel.run(cell.source)
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                lines[meta["grade_id"]] = error
    return lines


def summary(assignment: str, outcomes: list[Outcome]) -> dict[str, object]:
    """Counts for one assignment: tried, caught by a visible test with the catalogued line,
    caught only by hidden tests, and wrongly told (a visible failure without the catalogued line)."""
    right = sum(1 for o in outcomes if o.mistake.visible and o.visible_failed
                and any(o.mistake.visible in line for line in o.lines))
    hidden_only = sum(1 for o in outcomes if not o.visible_failed and o.hidden_failed)
    passes_everything = sum(1 for o in outcomes if not o.visible_failed and not o.hidden_failed)
    wrong_message = sum(1 for o in outcomes if o.mistake.visible and o.visible_failed
                        and not any(o.mistake.visible in line for line in o.lines))
    return {"assignment": assignment, "tried": len(outcomes), "visible_right_message": right,
            "hidden_only": hidden_only, "accepted": sum(1 for o in outcomes if o.mistake.accepted),
            "wrong_message": wrong_message, "passes_everything": passes_everything}


def assignments(root: Path = SOLUTIONS) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/mistakes.yaml"))


if __name__ == "__main__":  # python tools/mistakes.py [ASSIGNMENT ...]: print every outcome
    import sys

    for name in sys.argv[1:] or assignments():
        results = run_catalogue(name)
        for o in results:
            state = "visible" if o.visible_failed else ("HIDDEN ONLY" if o.hidden_failed else "PASSES ALL")
            told = o.lines[-1] if o.lines else ""
            print(f"{name} {o.mistake.question} | {o.mistake.name} | {state} | hidden={o.hidden_failed} | {told[:200]}")
        print(summary(name, results))
