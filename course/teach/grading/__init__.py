"""Grade a whole class with nbgrader, safely and in parallel.

Plain `nbgrader autograde` runs students one after another, aborts the whole
batch on one notebook with a duplicated test cell (nbgrader #1083), writes a
missing grade as 0 on export, and runs student code with the grader's rights.
`grade_class` composes one module per concern, as nbgrader composes its
preprocessors:

- `preflight`: check each submission against the source, repair a copy, flag tampering;
- `workers`: worker processes, sandboxed kernels, a time budget per student;
- `autograde`: nbgrader autograde for one student in a private course folder;
- `gradebook`: everything that reads or writes the class's gradebook;
- `report`: one Outcome per student, the summary table and the grades CSV;
- `batch`: the options, folders, tasks and results passed between them.

Student kernels run in a bubblewrap sandbox (`course.teach.sandbox`) when the
system has one, otherwise unisolated with a one-line warning; test cells are
judged outside the kernel (`course.teach.judge`) and feedback pages hold no
hidden test, on every route (`course.teach.nbgrader_setup`, via nbgrader_config.py). Grading
changes no process-wide state: subprocesses and workers get environments
built for them.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from course.errors import CourseError
from course.teach import sandbox
from course.teach.grading.autograde import course_config
from course.teach.grading.batch import Assignment, Batch, GradeOptions, Log, Result, Task
from course.teach.grading.gradebook import already_graded, ensure_assignment, merge_submission, record, stored_grades
from course.teach.grading.preflight import preflight, tampering
from course.teach.grading.report import (
    AWAITING,
    COMPLETE,
    CSV_COLUMNS,
    FAILED,
    FLAGGED,
    KEPT,
    Outcome,
    outcome,
    summary_table,
    write_grades_csv,
)
from course.teach.grading.workers import run_workers, time_budget

__all__ = [
    "AWAITING", "COMPLETE", "CSV_COLUMNS", "FAILED", "FLAGGED", "Assignment",
    "GradeOptions", "Outcome",
    "course_config", "ensure_assignment", "grade_class", "merge_submission", "preflight", "summary_table",
    "tampering", "write_grades_csv",
]


def grade_class(course_dir: Path, assignment: str, options: GradeOptions | None = None, *,
                log: Log = print, **settings: Any) -> list[Outcome]:
    """Autograde every submission of `assignment` under course_dir/submitted; never stops early.

    How is said by `options`, or by GradeOptions fields as keywords
    (`grade_class(course_dir, "00_warmup", workers=2, force=True)`).
    """
    options = replace(options or GradeOptions(), **settings)
    folder = Assignment(Path(course_dir).resolve(), assignment)
    students = folder.students()
    if not students:
        raise CourseError(f"no submissions for {assignment!r} in {folder.course_dir / 'submitted'}")
    ensure_assignment(folder)
    isolated = _isolation(options, log)
    timeout = int(course_config(folder.course_dir, options).Execute.timeout)
    budget = options.budget or time_budget(folder.solutions, timeout)
    remove_stale_scratch()
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        batch = Batch(folder, options, Path(scratch), isolated, budget)
        batch.prepare()
        outcomes, tasks = _preflight_all(batch, students)
        by_student = {task.student: task for task in tasks}
        progress = tqdm(total=len(tasks), desc=f"Grading {assignment}", unit="student", file=sys.stderr,
                        disable=not tasks or not sys.stderr.isatty())

        def done(student: str, result: Result) -> None:  # each student is recorded as soon as they finish
            outcomes[student] = _record(batch, by_student[student], result)
            progress.update()
            log(f"{student}: {outcomes[student].status}")

        with progress:
            run_workers(batch, tasks, log, done)
        for task in tasks:  # a worker pool that ended early leaves its students failed, never missing
            if task.student not in outcomes:
                outcomes[task.student] = _record(batch, task, None)
    return [outcomes[s] for s in students]


SCRATCH_PREFIX = "course-grading-"


def remove_stale_scratch() -> None:
    """End what a grader that was killed left (its pid no longer runs): kernels still running from its
    scratch folder, the folder, and empty kernel cgroups."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-")[0]
        if pid.isdigit() and folder.is_dir() and folder.stat().st_uid == os.getuid() and not _running(int(pid)):
            sandbox.end_processes(folder)
            shutil.rmtree(folder, ignore_errors=True)
    sandbox.remove_empty_cgroups()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _isolation(options: GradeOptions, log: Log) -> bool:
    """Whether student kernels will be sandboxed; say so when they will not."""
    isolated = options.isolation and sandbox.bwrap_available()
    if options.isolation and not isolated:
        log(f"warning: {sandbox.sandbox_unavailable()}, so student code runs UNISOLATED, with your rights")
    elif not options.isolation:
        log("note: --no-isolation: student code runs unisolated, with your rights")
    return isolated


def _preflight_all(batch: Batch, students: list[str]) -> tuple[dict[str, Outcome], list[Task]]:
    """Keep earlier grades (unless forced), fail unreadable submissions, and queue the rest."""
    folder = batch.assignment
    outcomes: dict[str, Outcome] = {}
    tasks: list[Task] = []
    for student in students:
        if not (batch.options.force or batch.options.force_manual) and already_graded(folder, student):
            outcomes[student] = replace(outcome(student, stored_grades(folder, student)), reason=KEPT)
            continue
        staging = batch.scratch / "staging" / student / folder.name
        try:
            repairs, failure = preflight(folder.folder("submitted", student), folder.solutions, staging)
        except OSError as err:  # one unreadable folder never stops the class
            repairs, failure = [], f"the submission could not be read ({type(err).__name__}: {err.strerror or err})"
        if failure:
            outcomes[student] = outcome(student, stored_grades(folder, student), repairs=repairs, failure=failure)
        else:
            tasks.append(Task(student, staging, tuple(repairs)))
    return outcomes, tasks


def _record(batch: Batch, task: Task, result: Result | None) -> Outcome:
    """Record a worker's result in the course; one broken student never stops the batch."""
    result = result or Result(success=False, error="grading did not finish")
    if result.gradebook is not None and result.gradebook.exists():
        try:
            record(batch.assignment, task.student, result, keep_hand_grading=not batch.options.force_manual)
        except Exception as err:  # noqa: BLE001 - one broken student never stops the batch
            result = Result(success=False, error=f"could not record the grades ({type(err).__name__})")
    failure = "" if result.success else (result.error or "autograding failed")
    stored = stored_grades(batch.assignment, task.student)
    notes = limits_hit(result.autograded) if result.autograded is not None else []
    return outcome(task.student, stored, repairs=(*task.repairs, *notes), failure=failure)


LIMIT_ERRORS = {"MemoryError": "a cell ran out of memory (the sandbox's memory limit)",
                "File too large": "a cell wrote a file over the size limit"}


def limits_hit(autograded: Path) -> list[str]:
    """One note per sandbox limit a student's cells ran into, read from their autograded notebooks."""
    notes = []
    for notebook in sorted(autograded.glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8", errors="replace")
        notes += [note for error, note in LIMIT_ERRORS.items() if error in text and note not in notes]
    return notes
