"""Every catalogued wrong answer (solutions/*/mistakes.yaml) gets the feedback the catalogue promises.

For each assignment, tools/mistakes.py runs the solution notebook in the course kernel,
swaps each wrong answer in for its solution cell and runs the question's test cells.
A wrong answer must fail the visible test with one line holding the catalogued words
(no traceback, no type line alone), and fail the hidden tests too; one that passes the
visible test on purpose is marked `accepted` with a reason. The blank release fails
every test cell with one "Not answered yet" line.
"""

from __future__ import annotations

import functools

import nbformat
import pytest

import mistakes

ASSIGNMENTS = mistakes.assignments()
MIN_PER_QUESTION = 6
MAX_ACCEPTED_SHARE = 0.05
ONE_LINE_KINDS = ("AssertionError: ", "NameError: ")


@functools.cache
def outcomes(assignment: str) -> list[mistakes.Outcome]:
    return mistakes.run_catalogue(assignment)


def _ids(outcome: mistakes.Outcome) -> str:
    return f"{outcome.mistake.question}: {outcome.mistake.name}"


def test_every_assignment_has_a_catalogue():
    with_notebooks = sorted(p.name for p in mistakes.SOLUTIONS.iterdir() if list(p.glob("*.ipynb")))
    assert ASSIGNMENTS == with_notebooks


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_auto_graded_question_has_enough_wrong_answers(assignment):
    questions = mistakes.questions_of(nbformat.read(mistakes.notebook_path(assignment), 4))
    counts = {q: 0 for q in questions}
    for mistake in mistakes.load_catalogue(assignment):
        counts[mistake.question] += 1
    assert {q: n for q, n in counts.items() if n < MIN_PER_QUESTION} == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_wrong_answer_is_told_the_catalogued_line(assignment):
    wrong = []
    for outcome in outcomes(assignment):
        expected = outcome.mistake.visible
        if expected is None:
            continue
        if not outcome.visible_failed:
            wrong.append(f"{_ids(outcome)}: passes the visible test")
        elif not any(expected in line for line in outcome.lines):
            wrong.append(f"{_ids(outcome)}: told {outcome.lines[-1]!r}, catalogue says {expected!r}")
    assert wrong == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_is_one_line_never_a_traceback(assignment):
    long = [f"{_ids(o)}: {len(error)} lines, ends {error[-1][:80]!r}"
            for o in outcomes(assignment) for error in o.visible_errors
            if len(error) != 1 or not error[0].startswith(ONE_LINE_KINDS)]
    assert long == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_catch_every_wrong_answer(assignment):
    missed = [_ids(o) for o in outcomes(assignment) if not o.hidden_failed]
    assert missed == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_accepted_wrong_answers_really_pass_the_visible_test(assignment):
    stale = [_ids(o) for o in outcomes(assignment) if o.mistake.accepted and o.visible_failed]
    assert stale == [], "caught by the visible test now: replace `accepted` with `visible`"


def test_at_most_one_in_twenty_wrong_answers_is_accepted():
    catalogue = [m for a in ASSIGNMENTS for m in mistakes.load_catalogue(a)]
    accepted = [m for m in catalogue if m.accepted]
    assert len(accepted) <= MAX_ACCEPTED_SHARE * len(catalogue)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_says_not_answered_in_one_line(assignment):
    lines = mistakes.release_lines(assignment)
    assert lines, "no test cells in the release"
    bad = {grade_id: error for grade_id, error in lines.items()
           if error is None or len(error) != 1 or "Not answered yet" not in error[0]
           and "is not defined" not in error[0]}
    assert bad == {}
