"""Read the word lists in course/data/.

Lexicons are data, not code: each file says where its words come from in
its header comments, and maintainers edit the file, not the program.
"""

from __future__ import annotations

import csv
import functools

from course.core.paths import DATA_DIR
from course.errors import CourseError


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of data/`name`: one per line, '#' comments and blank lines skipped."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@functools.cache
def word_set(name: str, lower: bool = True) -> frozenset[str]:
    """The entries of data/`name` as a set, lower-cased unless `lower` is False."""
    return frozenset(w.lower() if lower else w for w in word_list(name))


@functools.cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the tab-separated file data/`name`, comments skipped."""
    return tuple(tuple(row) for row in csv.reader(word_list(name), delimiter="\t"))


def checked_table(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """The rows of data/`name`, stripped, each checked to have `columns` non-empty fields,
    so that a bad edit to a data file fails with one clear line instead of a wrong answer."""
    rows = tuple(tuple(field.strip() for field in row) for row in table(name))
    for row in rows:
        if len(row) != columns or not all(row):
            raise CourseError(f"course/data/{name}: the row {row!r} needs {columns} tab-separated, non-empty columns")
    return rows
