"""Answer checks for exercise notebooks: clear messages, no answers given away.

Test cells call these instead of bare ``assert a == b`` because:
- an object whose ``__eq__`` always returns True passes any ``==``; the checks
  demand the exact built-in type first;
- the expected answer for the article must not appear in the released
  notebook, so it is compared as a salted SHA-256 digest;
- a failed check raises ``AssertionError`` with a message that says what was
  checked and how to look, so the student sees a hint, not a key;
- in a notebook, a failed check cell shows that one line, not a traceback
  (`show_failures_in_one_line`, installed when this module is imported in a
  kernel); an exception inside the student's function is named with the call
  that raised it, in the same words the grader's judge uses
  (`course.core.feedback`).
"""

from __future__ import annotations

import ast
import hashlib
import json
import linecache
import re
import sys

from course.core import feedback

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


RETURNED_NONE = "{what} is None: does your function `return` its answer? (`print` only shows it.)"


def expect_type(value, expected, what: str) -> None:
    """Fail unless `value` is exactly of the built-in type(s) `expected`.

    None where something else is expected almost always means a missing
    `return` (or `print` in its place), so that is what the message says.
    """
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if value is None and type(None) not in kinds:
        raise AssertionError(RETURNED_NONE.format(what=what))
    if type(value) not in kinds:
        raise AssertionError(
            f"{what} should be of type {_type_names(expected)}, but it is of type {type_name(value)}."
        )


def expect_equal(actual, expected, message: str) -> None:
    """Fail with `message` unless `actual` has `expected`'s exact type and value.

    A value of the wrong type fails with the type line *and* `message`, so the
    question's own hint is never hidden behind "should be of type ..." (nor
    behind "is None", which a function may return on purpose where "" is due).
    """
    try:
        expect_type(actual, type(expected), "The result")
    except AssertionError as wrong_type:
        raise AssertionError(f"{wrong_type} {message}") from None
    if actual != expected:
        raise AssertionError(message)


def expect_digest(question_id: str, value, digest: str, hint: str) -> None:
    """Fail with `hint` unless `value` hashes to `digest` (see `answer_digest`)."""
    try:
        actual = answer_digest(question_id, value)
    except TypeError as err:
        raise AssertionError(f"The answer has the wrong kind of value: {err}. {hint}") from None
    if actual != digest:
        raise AssertionError(hint)


def call(function, *args, hint: str = "", kinds: tuple[str, ...] = ()):
    """`function(*args)`; an exception it raises becomes one AssertionError line ending with `hint`.

    The line names the call as the grader's judge does (`course.core.feedback`),
    so a known trap can be explained where it happens, e.g. `len(doc.sents)`:
    ``checks.call(count_sentences, doc, hint="doc.sents is a generator ...", kinds=("TypeError",))``.
    With `kinds`, the hint is added only for exceptions of those names. "Not answered
    yet" stays as it is, without the hint.
    """
    try:
        return function(*args)
    except Exception as err:  # noqa: BLE001 - whatever the student's code raises is reported
        if type(err).__name__ == "StudentCodeError":  # judged outside the kernel: already worded
            line = feedback.one_line(err)
            kind = next((k for k in kinds if f" raised {k}" in line), None)
        else:
            what = feedback.call_text(getattr(function, "__name__", "the function"), args)
            line = feedback.raised_line(what, type(err).__name__, feedback.one_line(err))
            kind = type(err).__name__
        if hint and not line.startswith("Not answered yet") and (not kinds or kind in kinds):
            line = f"{line} {hint}"
        raise AssertionError(line) from None


def expect_function(obj, name: str) -> None:
    """Fail unless `obj` is a function the student defined."""
    if not callable(obj):
        raise AssertionError(f"{name} should be a function defined with `def {name}(...)`.")


# --- one-line failures in the notebook -------------------------------------------------


_CHECK_CALL = re.compile(r"\bexpect_\w+\s*\(")


def _is_check_cell(code) -> bool:
    """A cell is a check cell when its own code calls an ``expect_*`` check.

    IPython compiles a cell statement by statement, so a failing `example = f(...)`
    line holds no check itself: the rest of the cell is read back from `linecache`.
    """
    if any(name.startswith("expect_") for name in code.co_names):
        return True
    return bool(_CHECK_CALL.search("".join(linecache.getlines(code.co_filename))))


def _failure_line(etype, value, tb) -> str:
    """The one line a check cell shows for `value` (see `course.core.feedback`)."""
    if isinstance(value, AssertionError):
        return f"AssertionError: {feedback.one_line(value)}"
    if isinstance(value, NameError) and tb is not None and tb.tb_next is None:
        return f"NameError: {feedback.not_defined_line(getattr(value, 'name', None) or value)}"
    cell_file = tb.tb_frame.f_code.co_filename if tb is not None else None
    inner = tb.tb_next if tb is not None else None
    if inner is not None and inner.tb_frame.f_code.co_filename != cell_file and _is_notebook_code(inner.tb_frame):
        what = _call_source(tb) or f"{inner.tb_frame.f_code.co_name}(...)"
        return f"AssertionError: {feedback.raised_line(what, etype.__name__, feedback.one_line(value))}"
    message = feedback.one_line(value)
    return f"{etype.__name__}: {message}" if message else etype.__name__


def _call_source(tb, width: int = 120) -> str | None:
    """The call in the check cell that raised, as the cell writes it: `last_line("")`.

    Read from the cell's source at the failing instruction's position, so it shows the
    input as the test gave it (the function's own variables may have changed since).
    """
    code = tb.tb_frame.f_code
    positions = list(code.co_positions())
    if not 0 <= tb.tb_lasti // 2 < len(positions):
        return None
    first, last, start, end = positions[tb.tb_lasti // 2]
    lines = [line.encode() for line in linecache.getlines(code.co_filename)]
    if None in (first, last, start, end) or not lines or last > len(lines):
        return None
    if first == last:
        segment = lines[first - 1][start:end]
    else:
        segment = lines[first - 1][start:] + b"".join(lines[first:last - 1]) + lines[last - 1][:end]
    text = feedback.one_line(segment.decode(errors="replace"))
    return _as_judged(text, tb.tb_frame) or (text if len(text) <= width else text[: width - 3] + "...")


def _as_judged(call: str, frame) -> str | None:
    """`call` worded as the grader's judge words it (`f('a', 2)`), when each argument is a literal or a
    plain name (read from the check cell's own variables, which the call cannot have changed)."""
    def value(node):
        if isinstance(node, ast.Name):
            for scope in (frame.f_locals, frame.f_globals):
                if node.id in scope:
                    return scope[node.id]
            raise ValueError(node.id)
        return ast.literal_eval(node)

    try:
        node = ast.parse(call, mode="eval").body
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            return None
        args = [value(arg) for arg in node.args]
        kwargs = {kw.arg: value(kw.value) for kw in node.keywords if kw.arg}
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return None
    return feedback.call_text(node.func.id, args, kwargs)


def _is_notebook_code(frame) -> bool:
    """Code the student wrote in a notebook cell (not a library's file)."""
    shell = _shell()
    name = frame.f_code.co_filename
    return shell is not None and (name.startswith("<") or name in getattr(shell.compile, "_filename_map", {}))


def _shell():
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _cell_traceback(tb):
    """The part of `tb` from the cell's own frame on (IPython's frames come first)."""
    while tb is not None and not _is_notebook_code(tb.tb_frame):
        tb = tb.tb_next
    return tb


def _one_line_handler(shell, etype, value, tb, tb_offset=None):
    try:
        cell_tb = _cell_traceback(tb)
        if cell_tb is None or not _is_check_cell(cell_tb.tb_frame.f_code):
            return shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        line = _failure_line(etype, value, cell_tb)
    except BaseException:  # noqa: BLE001 - the handler must never fail (IPython would drop it for good)
        line = f"{getattr(etype, '__name__', 'Exception')}: (its message could not be shown)"
    # the line's own text as evalue: ipykernel would call str(value), which a student's exception may break
    shell._showtraceback(etype, line.partition(": ")[2], [line])
    return None


def show_failures_in_one_line() -> bool:
    """In a Jupyter kernel, make every failed check cell show one line instead of a traceback.

    Other cells keep IPython's full traceback, so a student debugging their own
    code still sees where it broke. Returns whether it was installed.
    """
    shell = _shell()
    if shell is None or not hasattr(shell, "_showtraceback"):
        return False
    shell.set_custom_exc((Exception,), _one_line_handler)
    return True


show_failures_in_one_line()
