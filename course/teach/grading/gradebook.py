"""The course gradebook: the one module that reads and writes the class's grades.

Workers grade against private copies of the gradebook; the parent records
each student's results here, one student at a time, so the class's gradebook
stays consistent whatever happened in a worker.
"""

from __future__ import annotations

import shutil
import sqlite3
import warnings
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from course.errors import CourseError
from course.teach.grading.batch import Assignment, Result
from course.teach.release import run_nbgrader


@dataclass(frozen=True)
class StoredGrades:
    """One student's grades for an assignment, as the course gradebook holds them."""

    max_score: float
    score: float | None  # None: the gradebook has no submission from this student
    ungraded: tuple[str, ...] = ()  # cells with neither an automatic grade nor a request for a person
    manual: tuple[str, ...] = ()  # cells waiting for a person


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def ensure_assignment(assignment: Assignment) -> None:
    """Record the assignment's cells in the gradebook (nbgrader generate_assignment) if needed."""
    from nbgrader.api import Gradebook, MissingEntry

    if not assignment.solutions.is_dir():
        raise CourseError(f"no assignment {assignment.name!r} in {assignment.solutions.parent}")
    if _exists(assignment.gradebook):
        try:
            with Gradebook(_url(assignment.gradebook)) as gradebook:
                if gradebook.find_assignment(assignment.name).notebooks:
                    return
        except MissingEntry:
            pass
    run_nbgrader(["generate_assignment", assignment.name, "--force"], assignment.course_dir)


def _exists(db: Path) -> bool:
    """Whether `db` is a gradebook already.

    Opening a new one in this process would make nbgrader run `alembic`,
    which is on PATH only in the environment `run_nbgrader` builds, so a new
    gradebook is left to the nbgrader subprocess.
    """
    if not db.exists():
        return False
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None


def already_graded(assignment: Assignment, student: str) -> bool:
    """Whether `student` has an autograded copy and every cell has a grade or awaits a person."""
    from nbgrader.api import Gradebook, MissingEntry

    if not assignment.folder("autograded", student).exists():
        return False
    with Gradebook(_url(assignment.gradebook)) as gradebook:
        try:
            submission = gradebook.find_submission(assignment.name, student)
        except MissingEntry:
            return False
        return not any(_ungraded(g) for nb in submission.notebooks for g in nb.grades)


def _ungraded(grade) -> bool:
    """A cell with no score from the autograder or a person, and nobody asked to grade it."""
    return grade.auto_score is None and grade.manual_score is None and not grade.needs_manual_grade


def stored_grades(assignment: Assignment, student: str) -> StoredGrades:
    """What the course gradebook holds for `student`."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(_url(assignment.gradebook)) as gradebook:
        max_score = gradebook.find_assignment(assignment.name).max_score
        try:
            submission = gradebook.find_submission(assignment.name, student)
        except MissingEntry:
            return StoredGrades(max_score, None)
        grades = [g for nb in submission.notebooks for g in nb.grades]
        return StoredGrades(max_score, submission.score,
                            ungraded=tuple(g.name for g in grades if _ungraded(g)),
                            manual=tuple(g.name for g in grades if g.needs_manual_grade))


def record(assignment: Assignment, student: str, result: Result, *, keep_hand_grading: bool = True) -> None:
    """Write one student's results into the course: their autograded and feedback folders, then grades.

    Folders first: a student counts as graded only once the gradebook says so, so a crash after
    the folders but before the grades just grades them again on the next run.
    """
    if result.gradebook is None:
        raise ValueError(f"no gradebook to record for {student}")
    for step, made in (("autograded", result.autograded), ("feedback", result.feedback)):
        if made is not None and made.exists():
            replace_folder(made, assignment.folder(step, student))
    merge_submission(assignment, student, result.gradebook, keep_hand_grading=keep_hand_grading)


def replace_folder(made: Path, target: Path) -> None:
    """Put a copy of `made` at `target` in one rename; an interrupted copy never sits at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    outgoing = target.with_name(f".{target.name}.outgoing")
    for leftover in (incoming, outgoing):  # from a run that was killed here
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(made, incoming)
    if target.exists():
        target.rename(outgoing)
    incoming.rename(target)
    shutil.rmtree(outgoing, ignore_errors=True)


def merge_submission(assignment: Assignment, student: str, source: Path, *, keep_hand_grading: bool = True) -> None:
    """Copy one student's *automatic* grades from the gradebook `source` into the course gradebook.

    One transaction, which re-reads the student's current row: a person's work (manual scores,
    manual comments, extra credit, the decision that a cell needs no more hand grading) is never
    touched, whether it was entered before this run or while it went on. A crash before the
    commit leaves the student exactly as before; after it, exactly as graded.
    With `keep_hand_grading=False` (`course grade --force-manual`) the person's work is cleared too.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    with Gradebook(_url(source)) as private:
        graded = private.find_submission(assignment.name, student)
        grades = {(nb.name, g.name): (g.auto_score, g.needs_manual_grade) for nb in graded.notebooks for g in nb.grades}
        comments = {(nb.name, c.name): c.auto_comment for nb in graded.notebooks for c in nb.comments}
        timestamp = graded.timestamp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's relationships warn about their own session
        with Gradebook(_url(assignment.gradebook)) as target:
            target.update_or_create_student(student)
            try:
                submission = target.find_submission(assignment.name, student)
            except MissingEntry:
                submission = _new_submission(target, assignment.name, student)
            submission.timestamp = timestamp
            cells = {(nb.name, g.name): g for nb in submission.notebooks for g in nb.grades}
            for key, (auto, needs_manual) in grades.items():
                grade = cells[key]
                grade.auto_score = auto
                if not keep_hand_grading:
                    grade.manual_score = grade.extra_credit = None
                if grade.manual_score is None:  # nobody has graded it by hand: the autograder decides
                    grade.needs_manual_grade = needs_manual
            notes = {(nb.name, c.name): c for nb in submission.notebooks for c in nb.comments}
            for key, text in comments.items():
                notes[key].auto_comment = text
                if not keep_hand_grading:
                    notes[key].manual_comment = None
            target.db.commit()


def _new_submission(gradebook, assignment: str, student: str):
    """An empty submission with every grade and comment row, added to the session but not committed
    (nbgrader's own `add_submission` commits at once, which would split the write in two)."""
    from nbgrader.api import Comment, Grade, SubmittedAssignment, SubmittedNotebook

    submission = SubmittedAssignment(assignment=gradebook.find_assignment(assignment),
                                     student=gradebook.find_student(student))
    for notebook in submission.assignment.notebooks:
        nb = SubmittedNotebook(notebook=notebook, assignment=submission)
        for cell in notebook.grade_cells:
            Grade(cell_id=cell.id, notebook=nb)
        for cell in [*notebook.solution_cells, *notebook.task_cells]:
            Comment(cell_id=cell.id, notebook=nb)
        for cell in notebook.task_cells:
            Grade(cell_id=cell.id, notebook=nb)
    gradebook.db.add(submission)
    gradebook.db.flush()  # written inside the transaction, so its rows have names; committed with the grades
    return submission
