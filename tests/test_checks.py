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


def test_a_cell_is_a_check_cell_when_any_of_its_statements_calls_a_check():
    import linecache

    source = "example = f(3)\nchecks.expect_equal(example, 1, 'hint')\n"
    linecache.cache["<cell-check-test>"] = (len(source), None, source.splitlines(True), "<cell-check-test>")
    first_statement = compile("example = f(3)\n", "<cell-check-test>", "exec")  # IPython compiles one statement
    assert checks._is_check_cell(first_statement)
    assert not checks._is_check_cell(compile("x = f(3)\n", "<plain-cell-test>", "exec"))


def test_expect_equal_keeps_the_hint_when_the_result_is_none():
    with pytest.raises(AssertionError, match=r"is None: does your function `return` its answer\?.* '' when none"):
        checks.expect_equal(None, "", "model_label should give '' when none overlaps.")


def test_call_names_the_call_and_adds_the_hint_in_one_line():
    def count(items):
        return len(iter(items))

    assert checks.call(len, [1, 2]) == 2
    with pytest.raises(AssertionError, match=r"^count\(\[1\]\) raised TypeError: .* has no len\(\) Count in a loop\.$"):
        checks.call(count, [1], hint="Count in a loop.")


def test_call_keeps_not_answered_and_judge_lines_as_they_are():
    def blank(x):
        raise NotImplementedError()

    not_answered = r"^Not answered yet: blank\(3\) still raises NotImplementedError; [^.]*\.$"
    with pytest.raises(AssertionError, match=not_answered):
        checks.call(blank, 3, hint="never shown")

    class StudentCodeError(AssertionError):
        pass

    def judged(x):
        raise StudentCodeError("f(<Doc from the notebook>) raised TypeError: no len()")

    with pytest.raises(AssertionError, match=r"^f\(<Doc from the notebook>\) raised TypeError: no len\(\) hint$"):
        checks.call(judged, 3, hint="hint")


def test_call_adds_the_hint_only_for_the_kinds_named():
    def broken(x):
        raise KeyError("name")

    with pytest.raises(AssertionError, match=r"^broken\(1\) raised KeyError: 'name'$"):
        checks.call(broken, 1, hint="a hint for TypeError", kinds=("TypeError",))
    with pytest.raises(AssertionError, match=r"raised KeyError: 'name' a hint$"):
        checks.call(broken, 1, hint="a hint", kinds=("KeyError",))
