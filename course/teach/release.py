"""Instructor side of the exercises: regenerate the student release with nbgrader.

`solutions/` holds the nbgrader source notebooks and is the single source of
truth; `exercises/` is what `nbgrader generate_assignment` makes of it. The
release is generated in a throw-away course folder, so no gradebook or
other nbgrader state is left in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from course.core.paths import REPO_ROOT
from course.errors import CourseError


def assignment_names(root: Path = REPO_ROOT) -> list[str]:
    """The assignments in `root`/solutions, in course order."""
    return sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir() and not p.name.startswith("."))


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: this Python's bin first on PATH.

    nbgrader runs the `alembic` executable when it creates a gradebook, so
    it fails unless the virtual environment's bin folder is on PATH.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(args: list[str], course_dir: Path) -> subprocess.CompletedProcess:
    """Run one nbgrader command in `course_dir`; raise CourseError if it fails."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course_dir}"]
    result = subprocess.run(command, cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise CourseError(f"nbgrader {args[0]} failed: {last}")
    return result


def new_course_dir(parent: Path, root: Path = REPO_ROOT) -> Path:
    """An empty nbgrader course folder under `parent` with the course's config."""
    course_dir = Path(parent) / "course"
    course_dir.mkdir()
    shutil.copy(root / "nbgrader_config.py", course_dir)
    return course_dir


def generate_release(assignment: str, out_dir: Path, root: Path = REPO_ROOT) -> Path:
    """Generate the student version of `assignment` into `out_dir`/`assignment`."""
    source = root / "solutions" / assignment
    if not source.is_dir():
        raise CourseError(f"no assignment {assignment!r} in {root / 'solutions'}")
    with tempfile.TemporaryDirectory() as tmp:
        course_dir = new_course_dir(Path(tmp), root)
        shutil.copytree(source, course_dir / "solutions" / assignment)
        run_nbgrader(["generate_assignment", assignment, "--force"], course_dir)
        target = Path(out_dir) / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(course_dir / "exercises" / assignment, target)
    return target


ANSWER_KEY_MARKERS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
    "mark scheme": ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ==="),
}


def marked_regions(source: str, kind: str) -> list[str]:
    """The text of each `kind` region of `source` (a key of ANSWER_KEY_MARKERS), marker lines left out;
    a region left open runs to the end."""
    begin, end = ANSWER_KEY_MARKERS[kind]
    regions: list[str] = []
    region: list[str] | None = None
    for line in source.splitlines():
        if begin in line:
            region = [] if region is None else region
        elif end in line:
            if region is not None:
                regions.append("\n".join(region))
            region = None
        elif region is not None:
            region.append(line)
    if region is not None:
        regions.append("\n".join(region))
    return regions


def marked_lines(source: str, kind: str) -> list[str]:
    """The stripped lines (longer than 3 characters) of `source` inside its `kind` regions
    (a key of ANSWER_KEY_MARKERS)."""
    return [line.strip() for region in marked_regions(source, kind) for line in region.splitlines()
            if len(line.strip()) > 3]


def answer_key_lines(notebook: Path) -> list[str]:
    """Every solution, hidden-test and mark-scheme line of a source notebook: what no student may receive."""
    import nbformat

    return [line for cell in nbformat.read(notebook, 4).cells for kind in ANSWER_KEY_MARKERS
            for line in marked_lines(cell.source, kind)]
