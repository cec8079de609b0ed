"""The article: its text, numbered paragraphs with offsets, and the parsed Doc.

`load_article()` gives the seed article; `parse_article(text)` does the same
for any text a student brings. Parsing goes through an on-disk cache
(`course.core.doccache`), so a fresh kernel gets the parsed seed article without
loading the model at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from course.core.seeds import seed_text
from course.core.textio import check_text, read_text_file, strip_invisible

if TYPE_CHECKING:  # spaCy is imported only when a Doc is needed.
    from spacy.tokens import Doc

@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its number (from 1) and where it sits in the text."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Context:
    """A match with the text on either side of it, and its paragraph number."""

    paragraph: int
    left: str
    match: str
    right: str


@dataclass(frozen=True)
class Article:
    """A text ready for analysis."""

    name: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    doc: Doc

    def context(self, start: int, end: int, width: int = 40) -> Context:
        """The words around `text[start:end]`, within its paragraph (keyword in context)."""
        paragraph = self.paragraph_at(start)
        left = self.text[max(paragraph.start, start - width):start]
        right = self.text[end:min(paragraph.end, end + width)]
        return Context(paragraph.number, left, self.text[start:end], right)

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph containing character `offset` (or the next one after it)."""
        for paragraph in self.paragraphs:
            if offset < paragraph.end:
                return paragraph
        raise ValueError(f"offset {offset} is past the last paragraph")


_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")  # a line with text on it


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Number the paragraphs of `text`: each line with text on it is one paragraph.

    Offsets point into `text` and exclude the spaces around each line, so
    ``text[p.start:p.end] == p.text``.
    """
    paragraphs: list[Paragraph] = []
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.end() - (len(line) - len(line.rstrip()))
        paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, text[start:end]))
    return tuple(paragraphs)


def headline_end(text: str) -> int:
    """Where the headline ends: the end of the first paragraph when no full stop, '!', '?' or colon ends it
    (closing quotation marks aside) and a body follows it; 0 when the text opens with no headline."""
    first = _PARAGRAPH.search(text)
    if first is None or _PARAGRAPH.search(text, first.end()) is None:
        return 0
    line = first.group().rstrip()
    return 0 if line.rstrip(" '\"’”»").endswith((".", "!", "?", ":")) else first.start() + len(line)


def parse_article(text: str, name: str = "text", use_cache: bool = True, progress: bool = False) -> Article:
    """Parse any text into an `Article`, reusing a cached parse when one is valid.

    Invisible control and formatting characters (bidi overrides, zero-width spaces, ...) are
    removed first, as `course.core.textio` does for files, so no name can carry them; the
    Article's `text` is the text parsed, and every offset points into it. Text longer than
    `textio.MAX_TEXT_CHARS` is refused; long text is parsed in bounded memory (`nlp.parse`).
    """
    from course.core import doccache, nlp

    text, _ = strip_invisible(text)
    check_text(text, name)
    model = nlp.find_model()
    key = doccache.cache_key(text, model)
    doc = doccache.load_doc(key, text, nlp.english_vocab(), model) if use_cache else None
    if doc is None:
        doc = nlp.parse(text, progress=progress)
        if use_cache:
            doccache.store_doc(key, doc, model)
    return Article(name, text, split_paragraphs(text), doc)


def load_article(path: str | Path | None = None, use_cache: bool = True, progress: bool = False) -> Article:
    """The seed article (or the text file at `path`), parsed."""
    if path is None:
        return parse_article(seed_text(), "seed article", use_cache, progress)
    return parse_article(read_text_file(path), str(path), use_cache, progress)
