"""Grade a whole class with nbgrader, safely and in parallel.

Plain `nbgrader autograde` runs students one after another, aborts the whole
batch on one notebook with a duplicated test cell (nbgrader #1083), writes a
missing grade as 0 on export, and runs student code with the grader's rights.
`grade_class` wraps it:

1. pre-flight: every submission is read as notebook JSON and checked against
   the assignment's source; duplicated grade cells are dropped (the first is
   kept), deleted or retyped cells and a changed kernel are recorded, since
   nbgrader restores them (`OverwriteCells.add_missing_cells`), and the
   student's files are never modified: repairs happen on a copy;
2. autograde: worker processes, each importing nbgrader once, grade one
   student at a time in a private course folder holding a snapshot of the
   gradebook; a student whose grading overruns its time budget has its worker
   killed and replaced; the parent alone writes the real gradebook, one
   student at a time, so it stays consistent;
3. feedback (with hidden tests cut out of the page) and a grades CSV in which
   a grade that does not exist is left empty and explained, never written as 0.

Student kernels run in a bubblewrap sandbox (`course.teach.sandbox`) when the
system has one; otherwise grading runs unisolated and says so.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import queue
import re
import shutil
import signal
import tempfile
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from course.teach import sandbox
from course.teach.release import nbgrader_env
from course.core.paths import KERNEL_NAME
from course.errors import CourseError

GRADED, NEEDS_MANUAL, FAILED, SKIPPED = "graded", "needs manual grading", "failed", "already graded"
MAX_OUTPUT_CHARS = 100_000
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
MARK_SCHEME = re.compile(r"^[ \t]*=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===[^\n]*\n?", re.S | re.M)


@dataclass(frozen=True)
class Outcome:
    """What happened to one student's submission."""

    student: str
    status: str
    score: float | None
    max_score: float
    reason: str = ""
    manual_cells: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()


@dataclass
class _Task:
    student: str
    submission: str
    repairs: list[str] = field(default_factory=list)


# --- configuration --------------------------------------------------------------------------


def course_config(course_dir: Path, timeout: int | None = None):
    """The course's nbgrader_config.py, plus the grader's own settings."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course_dir / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config())
    if timeout is not None:
        config.Execute.timeout = timeout
    from nbgrader.converters.autograde import Autograde

    preprocessors = list(Autograde.class_traits()["autograde_preprocessors"].default())
    config.Autograde.autograde_preprocessors = preprocessors[:1] + [_truncate_outputs_class()] + preprocessors[1:]
    return config


def _truncate_outputs_class():
    from nbgrader.preprocessors import NbGraderPreprocessor

    class TruncateLargeOutputs(NbGraderPreprocessor):
        """Cut any single output over MAX_OUTPUT_CHARS (nbgrader only limits line counts)."""

        def preprocess_cell(self, cell, resources, index):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and len(output.get("text", "")) > MAX_OUTPUT_CHARS:
                    output["text"] = output["text"][:MAX_OUTPUT_CHARS] + "\n... [output truncated by the grader]\n"
                for mime, value in list(output.get("data", {}).items()):
                    if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
                        output["data"] = {"text/plain": "[output too large: removed by the grader]"}
                        break
            return cell, resources

    return TruncateLargeOutputs


# --- pre-flight -------------------------------------------------------------------------------


def _grade_cells(nb) -> dict[str, str]:
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") and (meta.get("grade") or meta.get("solution") or meta.get("task") or meta.get("locked")):
            cells.setdefault(meta["grade_id"], cell.cell_type)
    return cells


PROTECTED_NAMES = {"checks", "course", "builtins", "__builtins__", "AssertionError", "sys", "nbgrader"}


def tampering(source: str) -> list[str]:
    """Lines of student code that rebind the test helpers or what they rely on.

    Test cells call course.checks; a student cell that reassigns
    `checks.expect_equal`, rebinds `checks`, patches builtins or edits
    sys.modules could make every test pass. Such code is flagged for a
    person to look at rather than trusted.
    """
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []

    def root_name(node) -> str | None:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"setattr", "delattr"} and node.args:
            targets = [node.args[0]]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            targets = [ast.Name(id="checks") for alias in node.names
                       if (alias.asname or alias.name.split(".")[-1]) == "checks"
                       and (module or alias.name) not in {"course", "course.checks"}]
        for target in targets:
            if root_name(target) in PROTECTED_NAMES or (isinstance(target, ast.Name) and target.id.startswith("expect_")):
                found.append(ast.get_source_segment(source, node) or ast.dump(node)[:80])
                break
    return found


def _visible(source: str) -> str:
    """A locked cell's source as the student received it (hidden tests removed)."""
    return MARK_SCHEME.sub("", HIDDEN_TESTS.sub("", source)).strip()


def preflight(submission: Path, source: Path, staging: Path) -> tuple[list[str], str]:
    """Copy `submission` to `staging`, repairing what is safe; return (repairs, failure reason)."""
    shutil.copytree(submission, staging)
    repairs: list[str] = []
    for source_nb in sorted(source.glob("*.ipynb")):
        path = staging / source_nb.name
        if not path.exists():
            repairs.append(f"{source_nb.name}: missing notebook (scores 0)")
            continue
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except Exception as err:  # noqa: BLE001 - any unreadable file is the student's, not ours
            return repairs, f"{source_nb.name}: not a readable notebook ({type(err).__name__}: {str(err).splitlines()[0][:120]})"
        source_cells = nbformat.read(source_nb, as_version=4)
        expected = _grade_cells(source_cells)
        locked = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_cells.cells
                  if c.metadata.get("nbgrader", {}).get("locked") and c.metadata["nbgrader"].get("grade_id")}
        kept, seen = [], set()
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id and grade_id in seen:
                repairs.append(f"removed a copy of cell {grade_id}")
                continue
            if grade_id:
                seen.add(grade_id)
                if grade_id in expected and cell.cell_type != expected[grade_id]:
                    repairs.append(f"cell {grade_id} changed from {expected[grade_id]} to {cell.cell_type}; restored")
                elif grade_id in locked and _visible(cell.source) != _visible(locked[grade_id]):
                    repairs.append(f"read-only cell {grade_id} was edited; restored")
            kept.append(cell)
        for grade_id in expected:
            if grade_id not in seen:
                repairs.append(f"cell {grade_id} was deleted; restored")
        kernel = nb.metadata.get("kernelspec", {}).get("name")
        if kernel != KERNEL_NAME:
            repairs.append(f"kernel changed to {kernel!r}; restored")
        nb.cells = kept
        nbformat.write(nb, path)
        for cell in kept:
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("locked"):
                for line in tampering(cell.source):
                    repairs.append(f"suspected tampering with the test helpers: {line.splitlines()[0][:80]}")
    return repairs, ""


# --- workers ------------------------------------------------------------------------------------


def _sandbox_kernels(root: Path) -> Path:
    """A kernelspec folder whose course kernel starts through course.teach.sandbox."""
    import sys

    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, "-m", "course.teach.sandbox", sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    # interrupts travel as messages: a signal would stop bubblewrap, not the kernel inside it
    spec = {"argv": argv, "display_name": "sandboxed", "language": "python", "interrupt_mode": "message"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return root


def _worker(tasks, results, course_dir: str, assignment: str, snapshot: str, isolated: bool, timeout: int | None,
            scratch: str, feedback: bool) -> None:
    """Grade students from `tasks` until told to stop; report each result on `results`."""
    os.setsid()
    if isolated:
        os.environ["JUPYTER_PATH"] = str(_sandbox_kernels(Path(tempfile.mkdtemp(dir=scratch))))
        os.environ[sandbox.SANDBOX_ROOT_ENV] = scratch
    from nbgrader.apps.api import NbGraderAPI

    while True:
        task = tasks.get()
        if task is None:
            return
        results.put(("started", task.student, os.getpid()))
        results.put(("done", task.student, _grade_in_private_course(
            NbGraderAPI, Path(course_dir), assignment, Path(snapshot), task, timeout, Path(scratch), feedback)))


def _grade_in_private_course(api_class, course_dir: Path, assignment: str, snapshot: Path, task: _Task,
                             timeout: int | None, scratch: Path, feedback: bool) -> dict:
    private = Path(tempfile.mkdtemp(prefix=f"grade-{task.student}-", dir=scratch))
    shutil.copy(snapshot, private / "gradebook.db")
    shutil.copytree(course_dir / "solutions" / assignment, private / "solutions" / assignment)
    shutil.copytree(task.submission, private / "submitted" / task.student / assignment)
    config = course_config(course_dir, timeout)
    config.CourseDirectory.root = str(private)
    api = api_class(config=config)
    result = api.autograde(assignment, task.student, force=True, create=True)
    graded = private / "autograded" / task.student / assignment
    feedback_error = ""
    if graded.exists():
        shutil.copytree(graded, private / "full-autograded")
    if graded.exists() and feedback:
        for notebook in graded.glob("*.ipynb"):  # feedback must not show hidden tests (nbgrader #917)
            nb = nbformat.read(notebook, as_version=4)
            for cell in nb.cells:
                cell.source = HIDDEN_TESTS.sub("### (hidden tests)\n", cell.source)
            nbformat.write(nb, notebook)
        made = api.generate_feedback(assignment, task.student, force=True)
        feedback_error = "" if made["success"] else _last_error(made)
    return {"private": str(private), "success": bool(result["success"]), "error": _last_error(result),
            "feedback_error": feedback_error}


def _last_error(result: dict) -> str:
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    for pattern, reason in [
        (r"DeadKernelError|Kernel died", "the kernel died while running the notebook (crash, os._exit or out of memory)"),
        (r"CellTimeoutError|Timeout waiting", "a cell ran past the time limit"),
        (r"NotJSONError|Notebook does not appear to be JSON", "the notebook file is not valid JSON"),
        (r"SchemaTooOld|SchemaTooNew", "the notebook's nbgrader metadata is damaged"),
    ]:
        if re.search(pattern, text):
            return reason
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# --- gradebook ---------------------------------------------------------------------------------


def _db_url(course_dir: Path) -> str:
    return f"sqlite:///{course_dir / 'gradebook.db'}"


def ensure_assignment(course_dir: Path, assignment: str) -> None:
    """Record the assignment's cells in the gradebook (nbgrader generate_assignment) if needed."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.teach.release import run_nbgrader

    if not (course_dir / "solutions" / assignment).is_dir():
        raise CourseError(f"no assignment {assignment!r} in {course_dir / 'solutions'}")
    os.environ["PATH"] = nbgrader_env()["PATH"]  # a new gradebook makes nbgrader run `alembic`
    try:
        with Gradebook(_db_url(course_dir)) as gradebook:
            if gradebook.find_assignment(assignment).notebooks:
                return
    except MissingEntry:
        pass
    run_nbgrader(["generate_assignment", assignment, "--force"], course_dir)


def _already_graded(course_dir: Path, assignment: str, student: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry

    if not (course_dir / "autograded" / student / assignment).exists():
        return False
    with Gradebook(_db_url(course_dir)) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return False
        return all(g.auto_score is not None or g.needs_manual_grade for nb in submission.notebooks for g in nb.grades)


def merge_submission(course_dir: Path, private: Path, assignment: str, student: str) -> None:
    """Copy one student's grades from a private gradebook into the course gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    warnings.simplefilter("ignore", SAWarning)  # nbgrader's remove_submission warns about its own session
    with Gradebook(f"sqlite:///{private / 'gradebook.db'}") as source:
        graded = source.find_submission(assignment, student)
        grades = {(nb.name, g.name): (g.auto_score, g.manual_score, g.needs_manual_grade)
                  for nb in graded.notebooks for g in nb.grades}
        comments = {(nb.name, c.name): c.auto_comment for nb in graded.notebooks for c in nb.comments}
        timestamp = graded.timestamp
    with Gradebook(_db_url(course_dir)) as target:
        target.update_or_create_student(student)
        try:
            target.remove_submission(assignment, student)
        except MissingEntry:
            pass
    with Gradebook(_db_url(course_dir)) as target:
        target.add_submission(assignment, student, timestamp=timestamp)
        for (notebook, name), (auto, manual, needs_manual) in grades.items():
            grade = target.find_grade(name, notebook, assignment, student)
            grade.auto_score, grade.manual_score, grade.needs_manual_grade = auto, manual, needs_manual
        for (notebook, name), text in comments.items():
            target.find_comment(name, notebook, assignment, student).auto_comment = text
        target.db.commit()


def _outcome(course_dir: Path, assignment: str, student: str, repairs: list[str], failure: str) -> Outcome:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(_db_url(course_dir)) as gradebook:
        max_score = gradebook.find_assignment(assignment).max_score
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return Outcome(student, FAILED, None, max_score, failure or "not graded", repairs=tuple(repairs))
        grades = [g for nb in submission.notebooks for g in nb.grades]
        missing = [g.name for g in grades if g.auto_score is None and not g.needs_manual_grade]
        manual = tuple(g.name for g in grades if g.needs_manual_grade)
        score = submission.score
    if failure or missing:
        reason = failure or f"no automatic grade for {', '.join(missing)}"
        return Outcome(student, FAILED, None, max_score, reason, manual, tuple(repairs))
    suspicious = [r for r in repairs if r.startswith("suspected tampering")]
    status = NEEDS_MANUAL if manual or suspicious else GRADED
    reason = "check by hand: " + suspicious[0] if suspicious else ""
    return Outcome(student, status, score, max_score, reason, manual, tuple(repairs))


def _install_results(course_dir: Path, private: Path, assignment: str, student: str) -> None:
    for step, folder in (("autograded", private / "full-autograded"), ("feedback", private / "feedback" / student / assignment)):
        target = course_dir / step / student / assignment
        if folder.exists():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(folder, target)


# --- the batch ----------------------------------------------------------------------------------


def _budget(source: Path, timeout: int) -> float:
    cells = sum(len([c for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"])
                for p in source.glob("*.ipynb"))
    return 30 + 2 * timeout * max(cells, 1)


def grade_class(course_dir: Path, assignment: str, workers: int | None = None, isolation: bool = True,
                force: bool = False, timeout: int | None = None, budget: float | None = None,
                feedback: bool = True, log=print) -> list[Outcome]:
    """Autograde every submission of `assignment` under course_dir/submitted; never stops early."""
    course_dir = Path(course_dir).resolve()
    submitted = sorted(p.parent.name for p in (course_dir / "submitted").glob(f"*/{assignment}") if p.is_dir())
    if not submitted:
        raise CourseError(f"no submissions for {assignment!r} in {course_dir / 'submitted'}")
    ensure_assignment(course_dir, assignment)
    isolated = isolation and sandbox.bwrap_available()
    if isolation and not isolated:
        log("warning: bubblewrap is not available here, so student code runs UNISOLATED, with your rights")
    elif not isolation:
        log("note: --no-isolation: student code runs unisolated, with your rights")
    config = course_config(course_dir, timeout)
    budget = budget or _budget(course_dir / "solutions" / assignment, int(config.Execute.timeout))
    outcomes: dict[str, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="course-grading-") as scratch_name:
        scratch = Path(scratch_name)
        os.chmod(scratch, 0o711)
        snapshot = scratch / "snapshot.db"
        shutil.copy(course_dir / "gradebook.db", snapshot)
        tasks: list[_Task] = []
        for student in submitted:
            if not force and _already_graded(course_dir, assignment, student):
                kept = _outcome(course_dir, assignment, student, [], "")
                outcomes[student] = replace(kept, reason="kept from an earlier run (use --force to grade again)")
                continue
            staging = scratch / "staging" / student / assignment
            repairs, failure = preflight(course_dir / "submitted" / student / assignment,
                                         course_dir / "solutions" / assignment, staging)
            if failure:
                outcomes[student] = _outcome(course_dir, assignment, student, repairs, failure)
            else:
                tasks.append(_Task(student, str(staging), repairs))
        finished = _run_workers(course_dir, assignment, snapshot, tasks, workers or os.cpu_count() or 1,
                                isolated, timeout, scratch, budget, feedback, log)
        for task in tasks:
            result = finished.get(task.student, {"success": False, "error": "grading did not finish"})
            if result.get("private") and Path(result["private"], "gradebook.db").exists():
                try:
                    merge_submission(course_dir, Path(result["private"]), assignment, task.student)
                    _install_results(course_dir, Path(result["private"]), assignment, task.student)
                except Exception as err:  # noqa: BLE001 - one broken student never stops the batch
                    result = {"success": False, "error": f"could not record the grades ({type(err).__name__})"}
            failure = "" if result["success"] else (result.get("error") or "autograding failed")
            outcomes[task.student] = _outcome(course_dir, assignment, task.student, task.repairs, failure)
    return [outcomes[s] for s in submitted]


def _run_workers(course_dir, assignment, snapshot, tasks, count, isolated, timeout, scratch, budget, feedback, log) -> dict:
    """Feed `tasks` to `count` worker processes; kill and replace any worker that overruns."""
    if not tasks:
        return {}
    context = multiprocessing.get_context("fork")
    task_queue, results = context.Queue(), context.Queue()
    for task in tasks:
        task_queue.put(task)

    def start():
        process = context.Process(target=_worker, args=(task_queue, results, str(course_dir), assignment,
                                                        str(snapshot), isolated, timeout, str(scratch), feedback), daemon=True)
        process.start()
        return process

    pool = [start() for _ in range(min(count, len(tasks)))]
    running: dict[int, tuple[str, float]] = {}
    finished: dict[str, dict] = {}
    while len(finished) < len(tasks):
        try:
            kind, student, payload = results.get(timeout=1.0)
        except queue.Empty:
            kind = None
        if kind == "started":
            running[payload] = (student, time.monotonic())
        elif kind == "done":
            finished[student] = payload
            running = {pid: job for pid, job in running.items() if job[0] != student}
            log(f"graded {student} ({len(finished)}/{len(tasks)})")
        for process in list(pool):
            job = running.get(process.pid)
            overran = job is not None and time.monotonic() - job[1] > budget
            if overran or (not process.is_alive() and job is not None):
                student = job[0]
                _kill_group(process)
                pool.remove(process)
                running.pop(process.pid, None)
                reason = f"grading took longer than {budget:.0f} s and was stopped" if overran else "the grading worker crashed"
                finished[student] = {"success": False, "error": reason}
                log(f"failed {student}: {reason}")
                if len(finished) < len(tasks):
                    pool.append(start())
    for _ in pool:
        task_queue.put(None)
    for process in pool:
        process.join(timeout=10)
        if process.is_alive():
            _kill_group(process)
    return finished


def _kill_group(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.join(timeout=5)


# --- reports -------------------------------------------------------------------------------------


CSV_COLUMNS = ["student_id", "assignment", "status", "auto_score", "max_score", "manual_cells", "reason", "repairs"]


def write_grades_csv(outcomes: list[Outcome], assignment: str, path: Path) -> None:
    """One row per student; a grade that does not exist stays empty, with the reason."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for o in outcomes:
            writer.writerow([o.student, assignment, o.status, "" if o.score is None else f"{o.score:g}",
                             f"{o.max_score:g}", " ".join(o.manual_cells), o.reason, "; ".join(o.repairs)])


def summary_table(outcomes: list[Outcome]) -> str:
    width = max([len(o.student) for o in outcomes] + [7])
    lines = [f"{'student':<{width}}  {'score':>11}  status"]
    for o in outcomes:
        score = "-" if o.score is None else f"{o.score:g}/{o.max_score:g}"
        detail = o.reason or (f"cells: {', '.join(o.manual_cells)}" if o.status == NEEDS_MANUAL else "")
        lines.append(f"{o.student:<{width}}  {score:>11}  {o.status}{': ' + detail if detail else ''}")
    return "\n".join(lines)
