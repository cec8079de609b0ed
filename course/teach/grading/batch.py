"""The values one grading batch hands from step to step.

`GradeOptions` is what the instructor chose; `Assignment` says where an
assignment's files live in an nbgrader course folder (the class's, or a
worker's private copy); `Batch` is one run of `grade_class`; `Task` and
`Result` are what the parent sends a worker and what comes back. Passing
these instead of long argument lists keeps every step's signature short.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Log = Callable[[str], None]  # where progress lines go: print, stderr, or nowhere


@dataclass(frozen=True)
class GradeOptions:
    """How to grade a class; the defaults are those of `python -m course grade`."""

    workers: int | None = None  # students graded at once; None: one per core
    isolation: bool = True  # run student kernels in the bubblewrap sandbox when the system has one
    force: bool = False  # grade again students who were already graded (the automatic part only)
    force_manual: bool = False  # ... and clear hand grading too (manual scores, comments, extra credit)
    timeout: int | None = None  # seconds per cell; None: nbgrader_config.py
    budget: float | None = None  # seconds one student may take; None: from the cell time limit
    feedback: bool = True  # write feedback pages
    limits: tuple[tuple[str, int], ...] = ()  # sandbox limits to override, e.g. (("memory_mb", 2048),)
    prestart: bool = True  # start each worker's next sandboxed kernel while the current student runs


@dataclass(frozen=True)
class Assignment:
    """One assignment in an nbgrader course folder, laid out as nbgrader expects."""

    course_dir: Path
    name: str

    @property
    def solutions(self) -> Path:
        return self.course_dir / "solutions" / self.name

    @property
    def gradebook(self) -> Path:
        return self.course_dir / "gradebook.db"

    def folder(self, step: str, student: str) -> Path:
        """`step`/`student`/`name`, for step "submitted", "autograded" or "feedback"."""
        return self.course_dir / step / student / self.name

    def students(self) -> list[str]:
        """Everyone with a submission, sorted."""
        return sorted(p.parent.name for p in (self.course_dir / "submitted").glob(f"*/{self.name}") if p.is_dir())


@dataclass(frozen=True)
class Batch:
    """One run of `grade_class`: what to grade, how, and its scratch folder (deleted afterwards)."""

    assignment: Assignment
    options: GradeOptions
    scratch: Path
    isolated: bool
    budget: float  # seconds one student may take before their worker is killed

    @property
    def snapshot(self) -> Path:
        """The gradebook as it was before the batch; every worker grades against a copy."""
        return self.scratch / "snapshot.db"

    def prepare(self) -> None:
        """Make the scratch folder traversable by the sandbox's user and take the snapshot."""
        os.chmod(self.scratch, 0o711)
        shutil.copy(self.assignment.gradebook, self.snapshot)


@dataclass(frozen=True)
class Task:
    """One student's repaired copy of their submission, waiting for a worker."""

    student: str
    submission: Path
    repairs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """What grading one student produced, in a private course folder the parent records from."""

    success: bool
    error: str = ""
    gradebook: Path | None = None  # the private gradebook holding this student's grades
    autograded: Path | None = None  # the instructor's autograded copy (hidden tests kept)
    feedback: Path | None = None  # the student's feedback pages
    feedback_error: str = ""
    kernel_memory: int | None = None  # bytes the student's sandbox held at most (None: no cgroup to tell)
    worker_memory: int | None = None  # the worker's peak resident memory so far, in bytes
