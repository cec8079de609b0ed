"""The answer checks reject look-alike answers and never need the answer in plain text."""

import pytest

from course import checks


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class SneakyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def test_digest_is_stable_and_depends_on_question_and_value():
    digest = checks.answer_digest("q1", 54)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert checks.answer_digest("q1", 54) == digest
    assert checks.answer_digest("q2", 54) != digest
    assert checks.answer_digest("q1", 55) != digest


def test_digest_ignores_spaces_around_strings_and_list_vs_tuple():
    assert checks.answer_digest("q", " SK\n") == checks.answer_digest("q", "SK")
    assert checks.answer_digest("q", ("a", 1)) == checks.answer_digest("q", ["a", 1])
    assert checks.answer_digest("q", {"b": 1, "a": 2}) == checks.answer_digest("q", {"a": 2, "b": 1})
    assert checks.answer_digest("q", True) != checks.answer_digest("q", 1)


def test_expect_digest_passes_right_and_fails_wrong_with_the_hint():
    digest = checks.answer_digest("q", 3)
    checks.expect_digest("q", 3, digest, "hint")
    with pytest.raises(AssertionError, match="^look again$"):
        checks.expect_digest("q", 4, digest, "look again")


@pytest.mark.parametrize("cheat", [AlwaysEqual(), SneakyStr("x")])
def test_always_equal_objects_are_rejected(cheat):
    with pytest.raises(AssertionError, match="should be of type"):
        checks.expect_equal(cheat, "SK", "wrong")
    with pytest.raises(AssertionError):
        checks.expect_digest("q", cheat, checks.answer_digest("q", "SK"), "wrong")


def test_expect_equal_needs_exact_type_and_value():
    checks.expect_equal(2, 2, "unused")
    checks.expect_equal(None, None, "unused")
    with pytest.raises(AssertionError, match="should be of type int, but it is of type float"):
        checks.expect_equal(2.0, 2, "unused")
    with pytest.raises(AssertionError, match="should be of type int, but it is of type bool"):
        checks.expect_equal(True, 1, "unused")
    with pytest.raises(AssertionError, match="^off by one$"):
        checks.expect_equal(3, 2, "off by one")


def test_expect_type_accepts_alternatives_and_names_them():
    checks.expect_type([1], (list, tuple), "x")
    with pytest.raises(AssertionError, match="x should be of type list or tuple, but it is of type set"):
        checks.expect_type({1}, (list, tuple), "x")


def test_expect_function():
    checks.expect_function(len, "len")
    with pytest.raises(AssertionError, match="def f"):
        checks.expect_function(3, "f")
