"""Traces that translation and republication leave in a text.

A translated, republished article often shows where it has been: a person's
name in two romanisations (a French-style spelling beside an English one),
place names in an older, Russian-derived form that current style guides have
replaced, and slips a careful editor would catch: a sentence with no main
verb, a quotation with a speaker but no "said", page furniture ("Bonus
video:", "Translation: ...") copied along with the text. None of these proves
anything on its own; each is a clue to trace (SIFT's "Trace" move).

Everything is driven by data: spelling families come from `course.analysis.names`,
place spellings from data/place_styles.tsv, page furniture from
data/page_furniture.tsv. Nothing here knows any article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from course.analysis.entities import PERSON, EntityCluster, Mention, byline_spans, dateline_end
from course.analysis.names import ascii_letters, first_and_last, same_spelling_family, strip_possessive
from course.analysis.quotemarks import find_quotes
from course.analysis.quotes import Attribution, attributions_of
from course.core.article import Paragraph, headline_end, split_paragraphs
from course.core.lexicons import checked_table
from course.core.spans import SpanIndex
from course.core.syntax import RELATIVE_TAGS, SUBJECT_DEPS, doc_text, in_relative_clause

# --- names in more than one spelling ---------------------------------------------------------


@dataclass(frozen=True)
class NameVariants:
    """One person whose surname is spelled more than one way in the text.

    `spellings` are in order of first appearance, with `counts` beside them;
    `mentions` are the person's mentions that carry a surname of the family.
    """

    person: str
    spellings: tuple[str, ...]
    counts: tuple[int, ...]
    mentions: tuple[Mention, ...]


def _surname(mention_text: str) -> str:
    return first_and_last(strip_possessive(mention_text))[1]


def name_variants(clusters: Iterable[EntityCluster]) -> list[NameVariants]:
    """People (PERSON clusters) whose surname appears in more than one spelling.

    Spellings are compared with `course.analysis.names.same_spelling_family`, so only
    true romanisation variants count (Zhukov / Joukov), not a nickname an
    alias file merged into the person; spellings that differ only in case or
    accents count as one.
    """
    found = []
    for cluster in clusters:
        if cluster.label != PERSON:
            continue
        surname = _surname(cluster.name)
        spellings: dict[str, list[Mention]] = {}
        written: dict[str, str] = {}
        for mention in sorted(cluster.mentions, key=lambda m: m.start):
            word = _surname(mention.text)
            if not word or not same_spelling_family(word, surname):
                continue
            key = ascii_letters(word)
            written.setdefault(key, word)
            spellings.setdefault(key, []).append(mention)
        if len(spellings) > 1:
            found.append(NameVariants(
                cluster.name,
                tuple(written[key] for key in spellings),
                tuple(len(ms) for ms in spellings.values()),
                tuple(sorted((m for ms in spellings.values() for m in ms), key=lambda m: m.start)),
            ))
    return found


# --- place-name style ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceStyle:
    """One row of data/place_styles.tsv: an older spelling, the preferred one, and exceptions."""

    form: str
    preferred: str
    exceptions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PlaceStyleCheck:
    """One occurrence of an older place-name spelling.

    `suggestion` is the preferred spelling of the same word ("Kiev-backed" ->
    "Kyiv-backed", "Kievan" -> "Kyivan"), or the text unchanged when it is an
    exception that style guides keep ("chicken Kiev").
    """

    form: str
    preferred: str
    text: str
    start: int
    end: int
    is_exception: bool
    suggestion: str
    source: str


@functools.lru_cache(maxsize=1)
def place_styles() -> tuple[PlaceStyle, ...]:
    """The rows of data/place_styles.tsv."""
    styles = []
    for form, preferred, exceptions, source in checked_table("place_styles.tsv", 4):
        listed = () if exceptions == "-" else tuple(e.strip() for e in exceptions.split(";") if e.strip())
        styles.append(PlaceStyle(form, preferred, listed, source))
    return tuple(styles)


def _exception_spans(text: str, style: PlaceStyle) -> list[tuple[int, int]]:
    spans = []
    for phrase in style.exceptions:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text, flags=re.IGNORECASE):
            spans.append(match.span())
    return spans


def place_style_checks(text: str) -> list[PlaceStyleCheck]:
    """Every older place-name spelling in `text`, with offsets, a suggestion, and whether it is an exception.

    A form counts on its own, in compounds ("Kiev-backed") and with the
    adjective endings -an/-ans ("Kievan"), in any letter case; exceptions are
    the phrases the style guide keeps ("chicken Kiev", "Kievan Rus").
    """
    checks = []
    for style in place_styles():
        exceptions = _exception_spans(text, style)
        for match in re.finditer(rf"\b{re.escape(style.form)}(?:ans?)?\b", text, flags=re.IGNORECASE):
            start, end = match.span()
            is_exception = any(s <= start and end <= e for s, e in exceptions)
            written = match.group()
            suggestion = written if is_exception else style.preferred + written[len(style.form):]
            checks.append(PlaceStyleCheck(style.form, style.preferred, written, start, end, is_exception,
                                          suggestion, style.source))
    return sorted(checks, key=lambda c: c.start)


# --- translation artefacts ------------------------------------------------------------------------

NO_MAIN_VERB, PAGE_FURNITURE, NO_REPORTING_VERB = "no_main_verb", "page_furniture", "no_reporting_verb"
MAX_FURNITURE_WORDS = 12
_FINITE_TAGS = {"VBD", "VBP", "VBZ", "MD"}


@dataclass(frozen=True)
class Artefact:
    """A trace of careless translation or copying: what kind, where, and what to make of it."""

    kind: str
    text: str
    start: int
    end: int
    note: str


@functools.lru_cache(maxsize=1)
def furniture_patterns() -> tuple[tuple[re.Pattern, str, str], ...]:
    """(pattern, kind, note) from data/page_furniture.tsv, patterns compiled case-insensitively."""
    patterns = []
    for pattern, kind, note in checked_table("page_furniture.tsv", 3):
        patterns.append((re.compile(pattern, re.IGNORECASE), kind, note))
    return tuple(patterns)


def _furniture(paragraph: Paragraph) -> tuple[str, str] | None:
    """(kind, note) if the line is page furniture, else None."""
    if len(paragraph.text.split()) > MAX_FURNITURE_WORDS:
        return None
    for pattern, kind, note in furniture_patterns():
        if pattern.fullmatch(paragraph.text.strip()):
            return kind, note
    return None


def page_furniture(text: str) -> list[Artefact]:
    """Furniture lines at the end of `text`, read upwards until a line is ordinary text.

    Only the end is checked: a credit in the middle of an article is part of it,
    while a trailing "Bonus video:" is a label for something the copy left out.
    """
    found = []
    for paragraph in reversed(split_paragraphs(text)):
        furniture = _furniture(paragraph)
        if furniture is None:
            break
        kind, note = furniture
        found.append(Artefact(PAGE_FURNITURE, paragraph.text, paragraph.start, paragraph.end, f"{kind}: {note}"))
    return list(reversed(found))


def _is_main_verb(token: Token) -> bool:
    finite = token.tag_ in _FINITE_TAGS or (token.tag_ == "VB" and token.dep_ == "ROOT")
    return finite and not in_relative_clause(token)


def _finite_in_own_clause(token: Token) -> bool:
    """A finite verb that no relative pronoun ties to a noun: 'ordered' in 'THE HAGUE — A court ordered ...', which
    the model hangs on the dateline; not 'lost' in 'KELVO — A town that lost its mill.'"""
    return token.tag_ in _FINITE_TAGS and token.dep_ != "relcl" and not any(
        c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS for c in token.children)


def sentences_without_main_verb(doc: Doc, skip: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """Sentences whose words outside quotation marks have no main verb.

    Quoted words are left out: a speaker may talk in fragments, and a sentence
    made only of a quotation is fine. What remains, such as
    '"...," Ana Lee, a former officer who ran the unit.', has a name but no
    verb saying what she did: typically an attribution whose "said" was lost.
    Sentences overlapping `skip` (e.g. page furniture) are not checked.
    """
    quotes = SpanIndex((q.start, q.end, q) for q in find_quotes(doc_text(doc)))
    skipped = SpanIndex((s, e, None) for s, e in skip)
    found = []
    for sentence in doc.sents:
        if skipped.overlapping(sentence.start_char, sentence.end_char):
            continue
        outside = [t for t in sentence
                   if not (t.is_space or t.is_punct) and not quotes.containing(t.idx, t.idx + len(t))]
        if outside and not any(_is_main_verb(t) for t in outside):
            found.append(sentence)
    return found


def translation_artefacts(doc: Doc, attributions: list[Attribution] | None = None) -> list[Artefact]:
    """Sentences with no main verb, trailing page furniture, and quotations with no reporting verb, in text order."""
    attributions = attributions if attributions is not None else attributions_of(doc)
    whole = doc_text(doc)
    furniture = page_furniture(whole)
    found = list(furniture)
    # no verb by design: "By Ana Lee", and a headline ('Fire at Halcott mill')
    by_design = [(a.start, a.end) for a in furniture] + byline_spans(whole) + [(0, headline_end(whole))]
    for sentence in sentences_without_main_verb(doc, skip=by_design):
        dateline = dateline_end(whole, sentence.start_char)
        if dateline >= sentence.end_char:
            continue  # 'ROTTERDAM —' that the model made a sentence of its own: a wire dateline
        if dateline > sentence.start_char and any(_finite_in_own_clause(t) for t in sentence if t.idx >= dateline):
            continue  # "THE HAGUE — A court ... ordered": the model made the verb a modifier of the dateline
        text = sentence.text.strip()
        start = sentence.start_char + sentence.text.find(text)
        found.append(Artefact(NO_MAIN_VERB, text, start, start + len(text),
                              "no main verb outside quotation marks: check the original sentence"))
    for a in attributions:
        if "no_reporting_verb" not in a.flags:
            continue
        start = min(a.start, a.speaker_start if a.speaker_start is not None else a.start)
        end = max(a.end, a.speaker_end if a.speaker_end is not None else a.end)
        who = a.source or "a speaker"
        found.append(Artefact(NO_REPORTING_VERB, whole[start:end], start, end,
                              f"quotation given to {who} with no reporting verb (said, told): was a word lost?"))
    return sorted(found, key=lambda f: (f.start, f.kind))
