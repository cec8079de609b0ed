"""Autograde one student with nbgrader, in a private course folder.

Each student is graded in a folder of their own holding the assignment's
source, their repaired submission and a snapshot of the gradebook, so
students graded at the same time never share a gradebook and a broken
submission cannot damage the class's. The parent records the results
(`course.teach.grading.gradebook`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from course.teach.grading.batch import Assignment, Batch, GradeOptions, Result, Task

FAILURE_PATTERNS = [
    (r"DeadKernelError|Kernel died", "the kernel died while running the notebook (crash, os._exit or out of memory)"),
    (r"CellTimeoutError|Timeout waiting", "a cell ran past the time limit"),
    (r"NotJSONError|Notebook does not appear to be JSON", "the notebook file is not valid JSON"),
    (r"SchemaTooOld|SchemaTooNew", "the notebook's nbgrader metadata is damaged"),
]


def course_config(course_dir: Path, options: GradeOptions | None = None):
    """The course's nbgrader_config.py (which sets the judged, sandboxed pipeline), plus this run's options."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course_dir / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config())
    if options is not None and options.timeout is not None:
        config.Execute.timeout = options.timeout
    if options is not None and not options.isolation:
        config.SandboxedKernelManager.isolate = False
    for name, value in options.limits if options is not None else ():
        setattr(config.SandboxedKernelManager, name, value)
    return config


def grade_privately(api_class, batch: Batch, task: Task) -> Result:
    """Autograde `task` in a fresh private course folder and, if asked, make its feedback."""
    student = task.student
    private = _private_course(batch, task)
    config = course_config(batch.assignment.course_dir, batch.options)
    config.CourseDirectory.root = str(private.course_dir)
    # The notebook has run once its last cell has: its kernel is killed, not asked to wind down (1 s or more).
    config.Execute.shutdown_kernel = "immediate"
    # The next student's kernel starts while this one runs (each kernel still serves one student only).
    config.SandboxedKernelManager.prestart = batch.options.prestart
    api = api_class(config=config)
    graded = api.autograde(private.name, student, force=True, create=True)
    autograded = private.folder("autograded", student)
    feedback_error = ""
    if autograded.exists() and batch.options.feedback:
        made = api.generate_feedback(private.name, student, force=True)
        feedback_error = "" if made["success"] else explain_failure(made)
    return Result(success=bool(graded["success"]), error=explain_failure(graded),
                  gradebook=private.gradebook, autograded=autograded,
                  feedback=private.folder("feedback", student), feedback_error=feedback_error)


def _private_course(batch: Batch, task: Task) -> Assignment:
    """A course folder of `task`'s own: the gradebook snapshot, the source and the submission."""
    root = Path(tempfile.mkdtemp(prefix=f"grade-{task.student}-", dir=batch.scratch))
    private = Assignment(root, batch.assignment.name)
    shutil.copy(batch.snapshot, private.gradebook)
    shutil.copytree(batch.assignment.solutions, private.solutions)
    shutil.copytree(task.submission, private.folder("submitted", task.student))
    return private


def explain_failure(result: dict) -> str:
    """Why an nbgrader API call failed, in words an instructor can act on."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    for pattern, reason in FAILURE_PATTERNS:
        if re.search(pattern, text):
            return reason
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
