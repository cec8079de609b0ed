"""The nbgrader pipeline for every assignment, in a temporary course folder:
release in sync, solution full marks, blank release zero, feedback, no leaks."""

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.teach.release import (
    answer_key_lines,
    assignment_names,
    generate_release,
    marked_lines,
    new_course_dir,
    run_nbgrader,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = assignment_names(REPO_ROOT)


def test_every_assignment_has_a_release():
    assert ASSIGNMENTS, "no assignments in solutions/"
    released = sorted(p.name for p in (REPO_ROOT / "exercises").iterdir() if p.is_dir())
    assert released == ASSIGNMENTS


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_is_what_nbgrader_generates(assignment, tmp_path):
    fresh = _files(generate_release(assignment, tmp_path, REPO_ROOT))
    committed = _files(REPO_ROOT / "exercises" / assignment)
    assert sorted(fresh) == sorted(committed), "run `make exercises` and commit the result"
    for name, path in fresh.items():
        if name.endswith(".ipynb"):
            same = json.loads(path.read_text()) == json.loads(committed[name].read_text())
        else:
            same = path.read_bytes() == committed[name].read_bytes()
        assert same, f"exercises/{assignment}/{name} is out of date: run `make exercises`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_leaks_no_solutions_hidden_tests_or_mark_schemes(assignment):
    for source_path in (REPO_ROOT / "solutions" / assignment).glob("*.ipynb"):
        released_path = REPO_ROOT / "exercises" / assignment / source_path.name
        released_text = released_path.read_text()
        released = "\n".join(cell.source for cell in nbformat.read(released_path, 4).cells)
        assert "BEGIN SOLUTION" not in released_text and "BEGIN HIDDEN TESTS" not in released_text
        assert "BEGIN MARK SCHEME" not in released_text
        secret = answer_key_lines(source_path)
        assert secret, "expected solutions or hidden tests in the source"
        leaked = [line for line in secret if line in released]
        assert leaked == [], f"released notebook contains: {leaked}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Autograde each assignment for a 'solution' and a 'blank' student; cache per assignment."""
    results = {}

    def grade(assignment):
        if assignment not in results:
            course_dir = new_course_dir(tmp_path_factory.mktemp(assignment))
            shutil.copytree(REPO_ROOT / "solutions" / assignment, course_dir / "solutions" / assignment)
            run_nbgrader(["generate_assignment", assignment, "--force"], course_dir)
            for student, folder in [("solution", "solutions"), ("blank", "exercises")]:
                shutil.copytree(course_dir / folder / assignment, course_dir / "submitted" / student / assignment)
            run_nbgrader(["autograde", assignment, "--create", "--force"], course_dir)
            run_nbgrader(["generate_feedback", assignment, "--force"], course_dir)
            results[assignment] = course_dir
        return results[assignment]

    return grade


def _grades(course_dir: Path, assignment: str, student: str):
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return [
            (grade.name, grade.auto_score, grade.max_score, grade.needs_manual_grade)
            for notebook in submission.notebooks
            for grade in notebook.grades
        ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_gets_full_automatic_marks(assignment, graded):
    grades = _grades(graded(assignment), assignment, "solution")
    automatic = [g for g in grades if not g[3]]
    manual = [g for g in grades if g[3]]
    assert len(automatic) >= 4, "each assignment needs at least four auto-graded answers"
    assert len(manual) >= 1, "each assignment needs a manually graded answer"
    assert [(name, score) for name, score, top, _ in automatic] == [(name, top) for name, _, top, _ in automatic]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero_without_crashing(assignment, graded):
    grades = _grades(graded(assignment), assignment, "blank")
    automatic = [g for g in grades if not g[3]]
    assert automatic and all(score == 0 for _, score, _, _ in automatic)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_is_generated_for_every_student(assignment, graded):
    course_dir = graded(assignment)
    for student in ("solution", "blank"):
        pages = list((course_dir / "feedback" / student / assignment).glob("*.html"))
        assert pages, f"no feedback for {student}"
        assert re.search(r"Score: \d", pages[0].read_text()) or "score" in pages[0].read_text().lower()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_manual_answer_has_a_leveled_mark_scheme(assignment):
    for path in (REPO_ROOT / "solutions" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            meta = cell.metadata.get("nbgrader", {})
            manual = meta.get("task") or (meta.get("grade") and meta.get("solution"))
            if manual:
                scheme = "\n".join(marked_lines(cell.source, "mark scheme"))
                assert all(level in scheme for level in ("Basic", "Developing", "Proficient")), meta["grade_id"]
