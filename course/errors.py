"""Errors the course reports to people, each with a one-line message.

Everything a student or instructor can cause (a bad file, a missing model)
raises a `CourseError`; the CLI prints its message and exits with status 2
instead of showing a traceback.
"""


class CourseError(Exception):
    """A problem the user can fix; the message says how, on one line."""


class InputError(CourseError):
    """A text file or string that the course cannot analyse."""


class ModelNotFoundError(CourseError):
    """No English spaCy model is installed."""
