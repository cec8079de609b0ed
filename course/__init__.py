"""Media literacy and basic NLP on one translated news article.

Importing the package is cheap: spaCy and the model load only when a
function needs them, so `import course` never slows a notebook down.
"""

from __future__ import annotations

import os

from course.errors import CourseError, InputError

__all__ = ["CourseError", "InputError", "report"]
__version__ = "0.1.0"

# A string this short, on one line, with no spaces, may be a file's path rather than an article.
_PATH_LIKE_CHARS = 4096
_PATH_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


def report(source: str | os.PathLike[str] | bytes, name: str | None = None):
    """A source audit of an article; shows as HTML in a notebook, `.save(path)` writes the page.

    `source` is the article's text (plain text, Markdown or HTML) as a string, or a file to read
    as a `pathlib.Path`: ``course.report(Path("article.txt"))``. A string that is only a file's
    path is refused (InputError) with that advice, rather than audited as if it were the article.
    See `course.explore.report`; imported here lazily so that `import course` stays fast.
    """
    from course.core.textio import decode_text, read_text_file
    from course.explore.report import source_audit

    if isinstance(source, os.PathLike):
        label = name or os.fspath(source)
        return source_audit(read_text_file(source), str(label), kind="text", progress=True,
                            source_file=os.path.abspath(source))
    if isinstance(source, bytes):
        source = decode_text(source, name or "article")
    if not isinstance(source, str):
        raise InputError(f"course.report needs the article's text (a str) or a file (a pathlib.Path), "
                         f"not {type(source).__name__}")
    if _looks_like_a_path(source):
        candidate = source.strip()
        exists = "" if os.path.exists(candidate) else " (and there is no such file)"
        raise InputError(f"{candidate!r} is a file's path, not an article's text{exists}; to audit the file, "
                         f"call course.report(Path({candidate!r})) after `from pathlib import Path`")
    return source_audit(source, name or "article", progress=True)


def _looks_like_a_path(text: str) -> bool:
    """One short line naming an existing file, or shaped like a path to a text file (no spaces, a suffix)."""
    candidate = text.strip()
    if not candidate or len(candidate) > _PATH_LIKE_CHARS or "\n" in candidate:
        return False
    try:
        if os.path.isfile(candidate):
            return True
    except (OSError, ValueError):
        return False
    return " " not in candidate and candidate.lower().endswith(_PATH_SUFFIXES)
