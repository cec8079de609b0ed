"""The one-line failure messages a student sees, in the notebook and in graded feedback.

A failed check is one line that says what went wrong and where to look: never a
traceback. The notebook side (`course.checks`, inside the student's kernel) and
the grader's judge (`course.teach.judge`, outside it) both word failures here,
so a student reads the same line whether they run the test cell or are graded.
"""

from __future__ import annotations

import reprlib

NOT_ANSWERED = "replace `raise NotImplementedError()` with your code."
MAX_MESSAGE = 300  # characters of an exception's own message that a line shows
_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxstring = _REPR.maxother = 200
_REPR.maxlist = _REPR.maxtuple = 12
_REPR.maxdict = _REPR.maxset = 8


def shown(value, width: int = 60) -> str:
    """`repr(value)` on one line (a table's repr has many), cut to `width` characters.

    Long lists and strings are abbreviated before they are built (reprlib); an object
    whose repr fails, or is interrupted, is shown by its type.
    """
    try:
        text = one_line(_REPR.repr(value))
    except BaseException:  # noqa: BLE001 - a student's repr may raise anything, even SystemExit
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 3] + "..."


def call_text(name: str, args=(), kwargs=None) -> str:
    """How a call looks in a message: `count_words('a b', limit=2)`."""
    parts = [shown(a) for a in args] + [f"{k}={shown(v)}" for k, v in (kwargs or {}).items()]
    return f"{name}({', '.join(parts)})"


def one_line(text: object) -> str:
    """`str(text)` with every run of white space (newlines included) made one space.

    A student's exception whose `__str__` fails (or returns no string) reads "(no message)".
    """
    try:
        string = text if isinstance(text, str) else str(text)
    except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
        string = ""
    if not isinstance(string, str):
        string = ""
    return " ".join(string.split()) or ("" if isinstance(text, str) else "(no message)")


def raised_line(what: str, kind: str, message: str) -> str:
    """The line for an exception raised by the student's code while `what` ran."""
    if kind == "NotImplementedError":
        return f"Not answered yet: {what} still raises NotImplementedError; {NOT_ANSWERED}"
    message = one_line(message)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    return f"{what} raised {kind}" + (f": {message}" if message else "")


def not_defined_line(name: object) -> str:
    """The line for a test cell that uses a name the notebook has not defined (yet)."""
    return f"{name} is not defined: run the cell that defines it, then this one."
