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
        return all(g.auto_score is not None or g.needs_manual_grade for nb in submission.notebooks for g in nb.grades)


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
                            ungraded=tuple(g.name for g in grades if g.auto_score is None and not g.needs_manual_grade),
                            manual=tuple(g.name for g in grades if g.needs_manual_grade))


def record(assignment: Assignment, student: str, result: Result) -> None:
    """Write one student's results into the course: grades first, then their autograded and feedback folders."""
    if result.gradebook is None:
        raise ValueError(f"no gradebook to record for {student}")
    merge_submission(assignment, student, result.gradebook)
    for step, made in (("autograded", result.autograded), ("feedback", result.feedback)):
        target = assignment.folder(step, student)
        if made is not None and made.exists():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(made, target)


def merge_submission(assignment: Assignment, student: str, source: Path) -> None:
    """Copy one student's grades from the gradebook `source` into the course gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    with Gradebook(_url(source)) as private:
        graded = private.find_submission(assignment.name, student)
        grades = {(nb.name, g.name): (g.auto_score, g.manual_score, g.needs_manual_grade)
                  for nb in graded.notebooks for g in nb.grades}
        comments = {(nb.name, c.name): c.auto_comment for nb in graded.notebooks for c in nb.comments}
        timestamp = graded.timestamp
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's remove_submission warns about its own session
        with Gradebook(_url(assignment.gradebook)) as target:
            target.update_or_create_student(student)
            try:
                target.remove_submission(assignment.name, student)
            except MissingEntry:
                pass
        with Gradebook(_url(assignment.gradebook)) as target:
            target.add_submission(assignment.name, student, timestamp=timestamp)
            for (notebook, name), (auto, manual, needs_manual) in grades.items():
                grade = target.find_grade(name, notebook, assignment.name, student)
                grade.auto_score, grade.manual_score, grade.needs_manual_grade = auto, manual, needs_manual
            for (notebook, name), text in comments.items():
                target.find_comment(name, notebook, assignment.name, student).auto_comment = text
            target.db.commit()
