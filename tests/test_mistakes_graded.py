"""The catalogued wrong answers through the real grader (`course grade`: judged, sandboxed).

tests/test_mistakes.py runs every catalogued wrong answer in the notebook's own kernel, as a
student checking their work sees it. Here the grader sees them: for each auto-graded question,
one student hands in the solution with that question's first catalogued wrong answer in place.
That student must lose that question's points, keep every question that does not use the wrong
answer, and the graded notebook must show the catalogued line, as one line, under the question's
test cell.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbgrader.api import Gradebook

import hostile_class
import mistakes
from course.teach.grading import grade_class

ASSIGNMENTS = mistakes.assignments()
# Honest students only: cells may load the model and parse the article (the hostile class's 5 s is for attacks).
GRADE_SETTINGS = {"workers": 2, "timeout": 120, "budget": 900}


def _student(question: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", question.lower())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results = {}

    def grade(assignment: str):
        if assignment in results:
            return results[assignment]
        course_dir = hostile_class.new_graded_course(tmp_path_factory.mktemp(assignment), assignment)
        release, answers = hostile_class._load(assignment)
        picked = {}
        for mistake in mistakes.load_catalogue(assignment):
            if mistake.visible and mistake.question not in picked:
                picked[mistake.question] = mistake
        for question, mistake in picked.items():
            nb = hostile_class._answered(release, {**answers, question: mistake.code})
            hostile_class.write_submission(course_dir, assignment, _student(question), nb)
        outcomes = grade_class(course_dir, assignment, **GRADE_SETTINGS)
        results[assignment] = (course_dir, picked, {o.student: o for o in outcomes})
        return results[assignment]

    return grade


def _scores(course_dir, assignment: str, student: str) -> dict[str, tuple[float, float]]:
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: (grade.auto_score, grade.max_score) for notebook in submission.notebooks
                for grade in notebook.grades if not grade.needs_manual_grade}


def _users(source, questions: dict, question: str) -> set[str]:
    """The test cells of other questions whose code (solution or test) uses a name `question` defines."""
    names = mistakes.defined_names(source.cells[questions[question].solution].source)
    users = set()
    for other in questions.values():
        code = "\n".join(source.cells[i].source for i in [other.solution, *other.tests])
        if other.grade_id != question and any(re.search(rf"\b{re.escape(n)}\b", code) for n in names):
            users |= {source.cells[i].metadata["nbgrader"]["grade_id"] for i in other.tests}
    return users


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_wrong_answer_loses_its_own_points_and_no_unrelated_ones(assignment, graded):
    course_dir, picked, outcomes = graded(assignment)
    source = nbformat.read(mistakes.notebook_path(assignment), 4)
    questions = mistakes.questions_of(source)
    wrong = []
    for question in picked:
        failing = {source.cells[i].metadata["nbgrader"]["grade_id"] for i in questions[question].tests}
        users = _users(source, questions, question)
        scores = _scores(course_dir, assignment, _student(question))
        expected = {name: (0.0 if name in failing else top) for name, (_, top) in scores.items() if name not in users}
        got = {name: score for name, (score, _) in scores.items() if name not in users}
        if got != expected:
            wrong.append(f"{question}: {got} != {expected} ({outcomes[_student(question)].status})")
    assert wrong == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_graded_notebook_shows_the_catalogued_line(assignment, graded):
    course_dir, picked, _ = graded(assignment)
    questions = mistakes.questions_of(nbformat.read(mistakes.notebook_path(assignment), 4))
    wrong = []
    for question, mistake in picked.items():
        path = course_dir / "autograded" / _student(question) / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, 4)
        errors = [out for i in questions[question].tests for out in nb.cells[i].outputs
                  if out.output_type == "error"]
        lines = [line for out in errors for line in out.traceback]
        if not errors or any(len(out.traceback) != 1 for out in errors) \
                or not any(mistake.visible in line for line in lines):
            wrong.append(f"{question} ({mistake.name}): {lines}")
    assert wrong == []
