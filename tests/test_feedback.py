"""The one-line failure wording shared by notebooks (course.checks) and the grader's judge."""

import pytest

from course.core import feedback


class Table:
    def __repr__(self):
        return "   a\n0  1\n1  2"


class Broken:
    def __repr__(self):
        raise RuntimeError("no repr")


@pytest.mark.parametrize("value, shown", [
    ("a\nb", "'a\\nb'"),
    (Table(), "a 0 1 1 2"),
    (Broken(), "<Broken"),
])
def test_a_value_is_shown_on_one_short_line(value, shown):
    assert feedback.shown(value).startswith(shown)  # a broken repr is shown with its address


def test_a_long_value_is_cut_without_building_all_of_it():
    text = feedback.shown(list(range(10**6)))
    assert len(text) <= 60 and text.startswith("[0, 1, 2")
    assert len(feedback.shown("x" * 10**6)) == 60


class NoStr(Exception):
    def __str__(self):
        raise SystemExit


def test_a_message_that_cannot_be_made_is_named_not_raised():
    assert feedback.one_line(NoStr()) == "(no message)"
    assert feedback.raised_line("f(1)", "ValueError", "y" * 10_000).endswith("y...")
    assert len(feedback.raised_line("f(1)", "ValueError", "y" * 10_000)) < feedback.MAX_MESSAGE + 40


def test_a_call_names_its_arguments():
    assert feedback.call_text("f", (1, "a"), {"limit": 2}) == "f(1, 'a', limit=2)"


@pytest.mark.parametrize("kind, message, line", [
    ("NotImplementedError", "", "Not answered yet: f(1) still raises NotImplementedError; "
                                "replace `raise NotImplementedError()` with your code."),
    ("ZeroDivisionError", "division\nby zero", "f(1) raised ZeroDivisionError: division by zero"),
    ("KeyError", "", "f(1) raised KeyError"),
])
def test_what_the_student_code_raised_is_one_line(kind, message, line):
    assert feedback.raised_line("f(1)", kind, message) == line
