"""Find quotations in raw text by their quotation marks, in any common style.

Translated and copy-edited news mixes styles: straight "…", curly “…”,
German „…“, French «…», and sometimes a straight opening mark closed by a
curly one. Marks are therefore classified by what surrounds them (a mark
after a space opens, a mark before a space or punctuation closes) rather
than paired strictly by type. By news convention a quotation that is still
open at the end of a paragraph ends there; the next paragraph reopens it.
Curly single quotes ‘…’ count only when a ‘ opens them, so apostrophes
(it’s, Wagners’) never start a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.core.article import Paragraph, split_paragraphs

DOUBLE_OPENING = set("“„«")
DOUBLE_CLOSING = set("”»")
AMBIGUOUS = {'"'}
SINGLE_OPENING, SINGLE_CLOSING = "‘", "’"
_BEFORE_OPENING = set(" \t\n([{—–-/") | DOUBLE_OPENING
_AFTER_CLOSING = set(" \t\n.,;:!?)]}—–-/") | DOUBLE_CLOSING | {SINGLE_CLOSING}


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: `start`/`end` include the marks, `text` is what is inside them."""

    start: int
    end: int
    content_start: int
    content_end: int
    text: str
    paragraph: int
    closed: bool


def _opens(text: str, i: int, lo: int) -> bool:
    return (i == lo or text[i - 1] in _BEFORE_OPENING) and i + 1 < len(text) and not text[i + 1].isspace()


def _closes(text: str, i: int, hi: int) -> bool:
    """A mark closes if punctuation or a space follows it and a word or punctuation precedes it;
    '"We will not sail , " the minister said': a space between the comma and the mark is a typo,
    not a new quotation."""
    if not (i + 1 >= hi or text[i + 1] in _AFTER_CLOSING) or i == 0:
        return False
    before = text[:i].rstrip(" \t")
    return not text[i - 1].isspace() or (len(before) < i and before[-1:] in {",", ".", "!", "?", ";", ":"}
                                         and before[-1:] != "\n")


def _double_quotes(text: str, paragraph: Paragraph) -> list[tuple[int, int, bool]]:
    """(opening mark, closing mark or paragraph end, closed?) for each double-quoted stretch."""
    found, opened = [], None
    for i in range(paragraph.start, paragraph.end):
        ch = text[i]
        if ch not in DOUBLE_OPENING | DOUBLE_CLOSING | AMBIGUOUS:
            continue
        if opened is None:
            if ch in DOUBLE_OPENING or (ch in AMBIGUOUS and _opens(text, i, paragraph.start)):
                opened = i
            elif ch == "“" and _closes(text, i, paragraph.end):  # German „…“ closing with no opener seen
                continue
        elif ch in DOUBLE_CLOSING or ch == "“" or (ch in AMBIGUOUS and (_closes(text, i, paragraph.end)
                                                                         or not _opens(text, i, paragraph.start))):
            found.append((opened, i, True))
            opened = None
    if opened is not None:
        found.append((opened, paragraph.end, False))
    return found


def _single_quotes(text: str, paragraph: Paragraph, taken: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """‘…’ stretches that are not inside a double-quoted stretch."""
    found, opened = [], None
    for i in range(paragraph.start, paragraph.end):
        if any(s <= i <= e for s, e, _ in taken):
            continue
        if text[i] == SINGLE_OPENING and _opens(text, i, paragraph.start):
            opened = i
        elif text[i] == SINGLE_CLOSING and opened is not None and _closes(text, i, paragraph.end):
            found.append((opened, i, True))
            opened = None
    return found


def _straight_single_style(text: str) -> bool:
    """True for a text that quotes in straight single marks only, as some British copy does ('I am not here to
    pretend,' she said): no double mark and no opening curly single one anywhere, and a stretch in straight single
    marks of several words that ends in its own punctuation, as spoken words do. A text with apostrophes only is
    none, nor one whose straight marks hold scare quotes and names ('ghost' ferries, the 'Harbour Watch' quay)."""
    if any(mark in text for mark in DOUBLE_OPENING | DOUBLE_CLOSING | AMBIGUOUS | {SINGLE_OPENING}):
        return False
    return any(" " in m.group(1) and m.group(1)[-1] in ",.?!" for m in STRAIGHT_SINGLE.finditer(text))


# words an apostrophe opens by eliding letters, not a quotation: 'Tis, 'em, rock 'n' roll, 'cause
_ELISION = re.compile(r"(?i)'(?:n|em|tis|twas|til|till|cause|cos|round|bout|nuff|s)\b")


def _straight_singles(text: str, paragraph: Paragraph) -> list[tuple[int, int, bool]]:
    """(opening mark, closing mark or paragraph end, closed?) for each stretch in straight single marks, in a text
    whose style they are: a mark opens after a space or a bracket and before a letter, not an elision ('em,
    'Tis), and closes as a double mark does but never between letters ('don't'), nor after a dropped g inside a
    title ('Rollin' Home'). A plural's apostrophe inside a quotation closes it ('The players' union will strike,'
    she said): it cannot be told from the end of words quoted before another word ('called it 'hopeless' and
    left')."""
    found, opened = [], None
    for i in range(paragraph.start, paragraph.end):
        if text[i] != "'":
            continue
        if opened is None:
            if ((i == paragraph.start or text[i - 1] in _BEFORE_OPENING) and text[i + 1:i + 2].isalpha()
                    and not _ELISION.match(text, i)):
                opened = i
        elif _closes(text, i, paragraph.end) and not (
                text[i - 2:i] == "in" and re.match(r" [A-Z]", text[i + 1:i + 3]) and "'" in text[i + 1:paragraph.end]):
            found.append((opened, i, True))
            opened = None
    if opened is not None:
        found.append((opened, paragraph.end, False))
    return found


def find_quotes(text: str, paragraphs: tuple[Paragraph, ...] | None = None) -> list[QuoteSpan]:
    """Every quotation in `text`, in order, with character offsets."""
    quotes = []
    single_style = _straight_single_style(text)
    for paragraph in paragraphs or split_paragraphs(text):
        doubles = _double_quotes(text, paragraph)
        singles = _straight_singles(text, paragraph) if single_style else _single_quotes(text, paragraph, doubles)
        for opening, closing, closed in doubles + singles:
            content_start, content_end = opening + 1, closing
            inner = text[content_start:content_end]
            stripped = inner.strip().rstrip(",").rstrip()  # the comma before "she said" is not the speaker's
            if not stripped:
                continue
            content_start += len(inner) - len(inner.lstrip())
            content_end = content_start + len(stripped)
            end = closing + 1 if closed else paragraph.end
            quotes.append(QuoteSpan(opening, end, content_start, content_end, stripped, paragraph.number, closed))
    return sorted(quotes, key=lambda q: q.start)


# A straight single quotation mark opens after a space or a bracket and before a letter (not '90s), and closes
# after a non-space and before a space or punctuation; an apostrophe between letters ('Saudi's') stays inside.
STRAIGHT_SINGLE = re.compile(r"(?<![^\s(\[])'(?=[^\W\d_])((?:[^'\n]|(?<=\w)'(?=\w))*?[^\s'])'(?=[\s.,;:!?)\]]|$)")


def straight_single_quotes(text: str, start: int, end: int, paragraph: int) -> list[QuoteSpan]:
    """Stretches in straight single quotation marks ('a 'very prompt' withdrawal') between `start` and `end`.
    `find_quotes` leaves these out, since a straight mark is as often an apostrophe ('the players' union'):
    callers use them only where the context says someone's words are quoted."""
    return [QuoteSpan(m.start(), m.end(), m.start(1), m.end(1), m.group(1), paragraph, True)
            for m in STRAIGHT_SINGLE.finditer(text, start, end)]
