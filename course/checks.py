"""Answer checks for exercise notebooks: clear messages, no answers given away.

Test cells call these instead of bare ``assert a == b`` because:
- an object whose ``__eq__`` always returns True passes any ``==``; the checks
  demand the exact built-in type first;
- the expected answer for the article must not appear in the released
  notebook, so it is compared as a salted SHA-256 digest;
- a failed check raises ``AssertionError`` with a message that says what was
  checked and how to look, so the student sees a hint, not a key.
"""

from __future__ import annotations

import hashlib
import json

_CANONICAL_SCALARS = (bool, int, float, type(None))


def _canonical(value):
    """A JSON-ready copy of `value` built only from exact built-in types."""
    kind = type(value)
    if kind is str:
        return value.strip()
    if kind in _CANONICAL_SCALARS:
        return value
    if kind in (list, tuple):
        return [_canonical(item) for item in value]
    if kind is dict:
        return {str(_canonical(k)): _canonical(v) for k, v in value.items()}
    raise TypeError(f"cannot check a value of type {kind.__name__}")


def answer_digest(question_id: str, value) -> str:
    """The digest a test cell stores instead of the answer itself.

    Strings are compared without surrounding spaces; lists and tuples alike.
    """
    payload = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{question_id}\n{payload}".encode()).hexdigest()


def _type_names(expected) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(kind.__name__ for kind in kinds)


def type_name(value) -> str:
    """The name of `value`'s type; a value the grader holds for the notebook's kernel names its own type."""
    return getattr(value, "__course_type_name__", None) or type(value).__name__


def expect_type(value, expected, what: str) -> None:
    """Fail unless `value` is exactly of the built-in type(s) `expected`."""
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if type(value) not in kinds:
        raise AssertionError(
            f"{what} should be of type {_type_names(expected)}, but it is of type {type_name(value)}."
        )


def expect_equal(actual, expected, message: str) -> None:
    """Fail with `message` unless `actual` has `expected`'s exact type and value."""
    expect_type(actual, type(expected), "The result")
    if actual != expected:
        raise AssertionError(message)


def expect_digest(question_id: str, value, digest: str, hint: str) -> None:
    """Fail with `hint` unless `value` hashes to `digest` (see `answer_digest`)."""
    try:
        actual = answer_digest(question_id, value)
    except TypeError as err:
        raise AssertionError(f"The answer has the wrong kind of value: {err}.") from None
    if actual != digest:
        raise AssertionError(hint)


def expect_function(obj, name: str) -> None:
    """Fail unless `obj` is a function the student defined."""
    if not callable(obj):
        raise AssertionError(f"{name} should be a function defined with `def {name}(...)`.")
