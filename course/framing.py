"""Framing devices in any English news text, and who uses them: the narrator or a quoted speaker.

A frame is built from small choices a reader can point at (Entman 1993): what the
event is called (a "coup", a "mutiny", "turmoil"), what its actors are called
("rebels", "mercenaries", a "regime"), which metaphors carry the story, how people
are described, and how firmly claims are made (hedges and boosters). The
checkable question for each choice is *whose* it is: the narrator's, or a quoted
party's. So every device found here carries a `voice`: "quoted" when it sits
inside a direct or partial quotation found by `course.quotes`, with that
quotation's speaker, and "narrator" otherwise (reported speech without quotation
marks is the narrator's wording).

Categories, each driven by an editable data file in course/data/ that cites its sources:

- "event_label", "actor_label": framing_labels.tsv, with the qualifiers of the same
  noun phrase ("failed", "so-called", "armed"), marking those in quotation marks;
- "metaphor": framing_metaphors.tsv, matched on lemmas with spaCy's PhraseMatcher. A hit is a
  candidate; `record_metaphor_decision` records a reader's MIP decision about it;
- "evaluative_description": how each person (from `course.entities`) is described by
  words before the name, appositions, and predicates ("X looks weak"); flagged
  evaluative when a word is in evaluative_words.tsv;
- "hedge", "booster": hedges_boosters.tsv (after Hyland 2005).

It also holds the Semetko & Valkenburg (2000) generic-frames coding sheet
(frames_semetko_valkenburg.tsv): empty sheets, answers with verbatim evidence,
frame scores and agreement between two coders.

Every function is pure: a parsed Doc (and optionally the clusters and attributions
already computed for it) in, frozen dataclasses out. Nothing here knows any article.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .entities import PERSON, EntityCluster, cluster_entities
from .errors import CourseError, InputError
from .lexicons import table, word_set
from .names import is_title
from .quotes import DIRECT, PARTIAL, Attribution, extract_attributions
from .spans import SpanIndex

NARRATOR, QUOTED = "narrator", "quoted"
VOICES = (NARRATOR, QUOTED)
EVENT_LABEL, ACTOR_LABEL = "event_label", "actor_label"
METAPHOR, EVALUATIVE_DESCRIPTION = "metaphor", "evaluative_description"
HEDGE, BOOSTER = "hedge", "booster"
LABEL_CATEGORIES = (EVENT_LABEL, ACTOR_LABEL)
CATEGORIES = (EVENT_LABEL, ACTOR_LABEL, METAPHOR, EVALUATIVE_DESCRIPTION, HEDGE, BOOSTER)


@dataclass(frozen=True)
class FramingDevice:
    """One framing choice in a text, and whose choice it is.

    `term` is the lexicon entry that matched (for descriptions: the kind of
    description, "descriptor", "adjective", "apposition" or "predicate").
    `qualifiers` are the words qualifying a label ("failed", "so-called"), or the
    evaluative words in a description; `quoted_qualifiers` are the qualifiers that
    stand in quotation marks of their own (a scare quote: the "treasonous" plot).
    `target` is the person a description is about; `domain` a metaphor's source
    domain; `evaluative` whether a description uses an evaluative word (None for
    the other categories, where the question does not apply).
    """

    category: str
    term: str
    text: str
    start: int
    end: int
    voice: str
    speaker: str | None
    qualifiers: tuple[str, ...] = ()
    quoted_qualifiers: tuple[str, ...] = ()
    target: str | None = None
    domain: str = ""
    evaluative: bool | None = None

    def to_dict(self) -> dict:
        return {
            "category": self.category, "term": self.term, "text": self.text, "start": self.start,
            "end": self.end, "voice": self.voice, "speaker": self.speaker,
            "qualifiers": list(self.qualifiers), "quoted_qualifiers": list(self.quoted_qualifiers),
            "target": self.target, "domain": self.domain, "evaluative": self.evaluative,
        }


# --- lexicons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    """One row of a framing lexicon: the term (lemmas), its category, a part-of-speech
    condition, a note (gloss or source domain) and where it comes from."""

    term: str
    category: str
    pos: str
    note: str
    source: str


def _rows(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """The rows of data/`name`, each checked to have `columns` fields, so a bad edit fails clearly."""
    rows = table(name)
    for row in rows:
        if len(row) != columns or not all(field.strip() for field in row):
            raise CourseError(f"course/data/{name}: the row {row!r} needs {columns} tab-separated, non-empty columns")
    return rows


@functools.lru_cache(maxsize=1)
def label_lexicon() -> tuple[LexiconEntry, ...]:
    """Event and actor labels from data/framing_labels.tsv."""
    return tuple(LexiconEntry(t.strip(), c, p, gloss, s) for t, c, p, gloss, s in _rows("framing_labels.tsv", 5))


@functools.lru_cache(maxsize=1)
def metaphor_lexicon() -> tuple[LexiconEntry, ...]:
    """Candidate metaphors from data/framing_metaphors.tsv; `category` holds the source domain."""
    return tuple(LexiconEntry(p.strip(), d, "any", note, s) for p, d, note, s in _rows("framing_metaphors.tsv", 4))


@functools.lru_cache(maxsize=1)
def hedge_booster_lexicon() -> tuple[LexiconEntry, ...]:
    """Hedges and boosters from data/hedges_boosters.tsv."""
    return tuple(LexiconEntry(t.strip(), c, p, "", s) for t, c, p, s in _rows("hedges_boosters.tsv", 4))


@functools.lru_cache(maxsize=1)
def evaluative_words() -> frozenset[str]:
    """Evaluative words from data/evaluative_words.tsv, lower case."""
    return frozenset(word.strip().lower() for word, _ in _rows("evaluative_words.tsv", 2))


# --- matching lexicon terms on lemmas --------------------------------------------------------


def _match_terms(doc: Doc, entries: tuple[LexiconEntry, ...]) -> list[tuple[Span, LexiconEntry]]:
    """Every non-overlapping occurrence of a lexicon term, in text order.

    Each term is matched with spaCy's PhraseMatcher twice: on lemmas ("feet" is
    "foot", "is" is "be") and on lower-case forms (for words the lemmatizer leaves
    capitalised, such as proper nouns). Overlaps keep the longest match, so "no
    doubt" wins over "doubt". The PhraseMatcher looks phrases up in a tree, so
    its time does not grow with the size of the lexicon as the token Matcher's does.
    """
    by_lemma = PhraseMatcher(doc.vocab, attr="LEMMA")
    by_lower = PhraseMatcher(doc.vocab, attr="LOWER")
    for i, entry in enumerate(entries):
        words = entry.term.split()
        by_lemma.add(str(i), [Doc(doc.vocab, words=words, lemmas=words)])
        by_lower.add(str(i), [Doc(doc.vocab, words=words)])
    spans = by_lemma(doc, as_spans=True) + by_lower(doc, as_spans=True)
    return [(span, entries[int(span.label_)]) for span in sorted(filter_spans(spans), key=lambda s: s.start)]


_MODIFIER_DEPS = {"det", "poss", "nummod", "amod", "compound"}
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "acomp", "attr", "oprd"}


def _pos_fits(span: Span, pos: str) -> bool:
    """Whether the match's head word has the part of speech the lexicon asks for."""
    head = span.root
    if pos == "any":
        return True
    if pos == "noun_with_det":  # "the march", "the army's march"; not "march on the capital"
        return head.pos_ == "NOUN" and any(c.dep_ in _MODIFIER_DEPS and c.i < head.i for c in head.children)
    if pos == "modifier_or_noun":  # "rebels", "rebel leader", "mercenary forces"; not the verb "to rebel"
        return head.pos_ in {"NOUN", "PROPN"} or (head.pos_ == "ADJ" and head.dep_ in {"amod", "compound"})
    if pos == "verb_with_complement":  # "appeared weak", "seems that", "appears to be"; not "appeared in public"
        return head.pos_ in {"VERB", "AUX"} and any(
            c.dep_ in _COMPLEMENT_DEPS and c.left_edge.i <= head.i + 2 for c in head.children)
    return head.pos_ in pos.split("|")


# --- voice: narrator or quoted -----------------------------------------------------------------


class Voices:
    """Answers "whose words are these?" for any stretch of the text.

    Words inside a direct or partial quotation are the quoted speaker's (the
    attribution's canonical speaker, or None if the text names nobody); all other
    words are the narrator's, including reported speech without quotation marks.
    """

    def __init__(self, attributions: Iterable[Attribution]):
        quoted = [a for a in attributions if a.kind in (DIRECT, PARTIAL)]
        self._index = SpanIndex((a.start, a.end, a) for a in quoted)

    def quotation_at(self, start: int, end: int) -> Attribution | None:
        """The direct or partial quotation holding all of [start, end), if any."""
        inside = self._index.containing(start, end)
        return inside[0][2] if inside else None

    def at(self, start: int, end: int) -> tuple[str, str | None]:
        """(voice, speaker) for the text between `start` and `end`."""
        quotation = self.quotation_at(start, end)
        return (QUOTED, quotation.speaker) if quotation is not None else (NARRATOR, None)


@dataclass
class _Context:
    """What every finder needs, computed once per document."""

    doc: Doc
    clusters: list[EntityCluster]
    attributions: list[Attribution]

    def __post_init__(self) -> None:
        self.voices = Voices(self.attributions)


def _context(doc: Doc, clusters: list[EntityCluster] | None, attributions: list[Attribution] | None) -> _Context:
    clusters = clusters if clusters is not None else cluster_entities(doc)
    attributions = attributions if attributions is not None else extract_attributions(doc, clusters)
    return _Context(doc, clusters, attributions)


# --- event and actor labels ----------------------------------------------------------------------


def _qualifier_spans(head: Token, first: int) -> list[Span]:
    """The adjective and noun modifiers of `head` before the label ("so-called", "heavily armed")."""
    doc = head.doc
    modifiers = [c for c in head.children if c.dep_ in {"amod", "compound"} and c.i < first]
    return [doc[m.left_edge.i: m.i + 1] for m in modifiers]


def _in_own_quotes(ctx: _Context, part: Span, label: Span) -> bool:
    """True if `part` stands inside quotation marks that do not also hold the label (a scare quote)."""
    quotation = ctx.voices.quotation_at(part.start_char, part.end_char)
    return quotation is not None and not (quotation.start <= label.start_char and label.end_char <= quotation.end)


def find_labels(doc: Doc, clusters: list[EntityCluster] | None = None,
                attributions: list[Attribution] | None = None, _ctx: _Context | None = None) -> list[FramingDevice]:
    """Event labels (coup, rebellion, turmoil) and actor labels (rebels, mercenaries) with their qualifiers."""
    ctx = _ctx or _context(doc, clusters, attributions)
    found = []
    for span, entry in _match_terms(doc, label_lexicon()):
        if not _pos_fits(span, entry.pos):
            continue
        qualifiers = _qualifier_spans(span.root, span.start)
        voice, speaker = ctx.voices.at(span.start_char, span.end_char)
        found.append(FramingDevice(
            entry.category, entry.term, span.text, span.start_char, span.end_char, voice, speaker,
            qualifiers=tuple(q.text for q in qualifiers),
            quoted_qualifiers=tuple(q.text for q in qualifiers if _in_own_quotes(ctx, q, span)),
        ))
    return found


# --- metaphors -------------------------------------------------------------------------------------


def find_metaphors(doc: Doc, clusters: list[EntityCluster] | None = None,
                   attributions: list[Attribution] | None = None, _ctx: _Context | None = None) -> list[FramingDevice]:
    """Candidate metaphors from the lexicon, each with its source domain (decide each with MIP)."""
    ctx = _ctx or _context(doc, clusters, attributions)
    found = []
    for span, entry in _match_terms(doc, metaphor_lexicon()):
        voice, speaker = ctx.voices.at(span.start_char, span.end_char)
        found.append(FramingDevice(METAPHOR, entry.term, span.text, span.start_char, span.end_char,
                                   voice, speaker, domain=entry.category))
    return found


METAPHOR_VERDICTS = ("metaphorical", "literal", "unclear")


@dataclass(frozen=True)
class MetaphorDecision:
    """A reader's MIP decision about one phrase: its basic and contextual meanings, and the verdict."""

    phrase: str
    start: int
    end: int
    basic_meaning: str
    contextual_meaning: str
    verdict: str


def record_metaphor_decision(text: str, phrase: str, basic_meaning: str, contextual_meaning: str,
                             verdict: str) -> MetaphorDecision:
    """Check and record one Metaphor Identification Procedure decision (Pragglejaz Group 2007).

    MIP asks, for a word or phrase in context: what is its basic (more concrete,
    bodily, older) meaning, what does it mean here, and does the contextual meaning
    contrast with the basic one yet make sense through it? The record is refused,
    with a one-line reason, unless the phrase occurs in the text, both meanings are
    written out, and the verdict is one of "metaphorical", "literal", "unclear".
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("text: give the text the phrase comes from")
    if not isinstance(phrase, str) or not phrase.strip():
        raise InputError("phrase: give the words you are deciding about, copied from the text")
    phrase = phrase.strip()
    start = text.find(phrase)
    if start < 0:
        raise InputError(f"phrase {phrase!r} is not in the text: copy it exactly, with the same spelling and marks")
    for name, meaning in (("basic_meaning", basic_meaning), ("contextual_meaning", contextual_meaning)):
        if not isinstance(meaning, str) or not meaning.strip():
            raise InputError(f"{name}: write the meaning in your own words; it cannot be empty")
    verdict_given = verdict.strip().lower() if isinstance(verdict, str) else verdict
    if verdict_given not in METAPHOR_VERDICTS:
        raise InputError(f"verdict {verdict!r} is not one of: {', '.join(METAPHOR_VERDICTS)}")
    if verdict_given == "metaphorical" and basic_meaning.strip().lower() == contextual_meaning.strip().lower():
        raise InputError("a metaphorical use needs a contextual meaning that differs from the basic meaning")
    return MetaphorDecision(phrase, start, start + len(phrase), basic_meaning.strip(), contextual_meaning.strip(),
                            verdict_given)


# --- hedges and boosters ----------------------------------------------------------------------------


def find_hedges_and_boosters(doc: Doc, clusters: list[EntityCluster] | None = None,
                             attributions: list[Attribution] | None = None,
                             _ctx: _Context | None = None) -> list[FramingDevice]:
    """Hedges ("may", "likely") and boosters ("clearly", "definitely"), narrator or quoted."""
    ctx = _ctx or _context(doc, clusters, attributions)
    found = []
    for span, entry in _match_terms(doc, hedge_booster_lexicon()):
        if entry.category not in (HEDGE, BOOSTER) or not _pos_fits(span, entry.pos):
            continue  # "none" rows are fixed phrases that only hide a word ("as soon as possible")
        voice, speaker = ctx.voices.at(span.start_char, span.end_char)
        found.append(FramingDevice(entry.category, entry.term, span.text, span.start_char, span.end_char, voice, speaker))
    return found


# --- how people are described --------------------------------------------------------------------------

_DESCRIPTOR_POS = {"ADJ", "NOUN", "PROPN", "NUM"}
_APPOSITION_STOPS = {",", ".", ";", "(", ")", "—", "–", '"', "“", "”", "«", "»", ":"}
_RELATIVE_WORDS = {"who", "whom", "whose", "which", "that"}
_LINKING_VERBS = {"be", "look", "seem", "appear", "become", "remain", "sound", "grow", "prove"}
_PREDICATE_DEPS = {"acomp", "attr", "xcomp", "oprd"}


def _is_descriptor_word(token: Token) -> bool:
    """A word that can sit in a description before a name: 'local strongman', 'retired Col.', '70-year-old'."""
    return token.pos_ in _DESCRIPTOR_POS or token.tag_ == "HYPH" or (token.pos_ == "VERB" and token.dep_ == "amod")


def _attached(token: Token, taken: set[int]) -> bool:
    """True if the parser links `token` to one of the `taken` words (as its head or its dependent)."""
    return token.head.i in taken or any(child.i in taken for child in token.children)


def _descriptor_before(name: Span, people: SpanIndex) -> Span | None:
    """The words right before a name that describe the person ('Rebel leader', 'Chief of the General Staff').

    Walks left from the name over adjectives, nouns and numbers that the parser
    links to the name or to words already taken (so "whose invitations Lee
    refused" gives nothing), and across "of the" after a role word inside a
    title; stops at the sentence start or another person's name.
    """
    doc = name.doc
    taken = set(range(name.start, name.end))
    i = name.start
    while i > name.sent.start:
        token = doc[i - 1]
        if people.overlapping(token.idx, token.idx + len(token)):
            break
        if _is_descriptor_word(token) and _attached(token, taken):
            taken.add(token.i)
            i -= 1
        elif (token.lower_ == "the" and i - 3 >= name.sent.start and doc[i - 2].lower_ == "of"
              and _is_role_word(doc[i - 3]) and _attached(token, taken)):
            taken.update({i - 1, i - 2})  # "Chief of the General Staff", "Member of the European Parliament"
            i -= 2
        else:
            break
    while i < name.start and (doc[i].tag_ == "HYPH" or doc[i].lower_ in {"of", "the"}):
        i += 1
    words = doc[i:name.start]
    return words if any(t.is_alpha for t in words) else None


def _is_role_word(token: Token) -> bool:
    return token.lemma_.lower() in word_set("person_roles.txt") or is_title(token.text)


def _apposition_after(name: Span) -> Span | None:
    """', a former police officer who ...' after a name -> 'a former police officer'.

    Read from the text (after the comma, up to the next comma, quotation mark,
    relative pronoun or verb) because the parser often misattaches appositions;
    kept if it names a role or the parser marks it as an apposition of the name.
    """
    doc = name.doc
    if name.end >= len(doc) or doc[name.end].text != ",":
        return None
    words: list[Token] = []
    for token in doc[name.end + 1: name.end + 30]:
        if token.text in _APPOSITION_STOPS or token.lower_ in _RELATIVE_WORDS or token.is_space:
            break
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        participle = token.pos_ == "VERB" and (token.dep_ == "amod" or (following is not None and _is_role_word(following)))
        if token.pos_ in {"VERB", "AUX", "PRON"} and not participle:  # "distinguished fellow" is a role
            if words and words[-1].lower_ == "to":
                words.pop()  # "the only lawmaker to vote ..."
            break
        words.append(token)
    if not words or words[0].ent_type_ == PERSON:
        return None
    parser_says = any(t.dep_ == "appos" and t.head.i == name.root.i for t in words)
    if not (parser_says or any(_is_role_word(t) for t in words)):
        return None
    return doc[words[0].i: words[-1].i + 1]


def _apposition_before(name: Span) -> Span | None:
    """'An impulsive former boxer, Petrov runs ...': a sentence that opens
    with an indefinite noun phrase and a comma right before its subject's name."""
    doc = name.doc
    sentence = name.sent
    root = name.root
    is_subject = root.dep_ in {"nsubj", "nsubjpass"} or (root.dep_ == "appos" and root.head.i < name.start)
    if name.start < 2 or doc[name.start - 1].text != "," or not is_subject:
        return None  # the parser makes the name either the subject or an apposition of the opening phrase
    first = next((t for t in sentence if not (t.is_space or t.is_punct)), None)
    if first is None or first.lower_ not in {"a", "an"} or first.i >= name.start - 1:
        return None
    return doc[first.i: name.start - 1]


def _predicate(name: Span) -> Span | None:
    """'X looks weak', 'X was the president's cook and confidant': what a linking verb says about its subject."""
    root = name.root
    if root.dep_ != "nsubj" or root.head.lemma_.lower() not in _LINKING_VERBS:
        return None
    verb = root.head
    parts = [c for c in verb.children if c.dep_ in _PREDICATE_DEPS and c.i >= name.end
             and (c.dep_ != "xcomp" or c.pos_ == "ADJ" or c.tag_ == "VBN")]  # "appeared paralyzed", not "to rally"
    if not parts:
        return None
    doc = name.doc
    start = min(p.left_edge.i for p in parts)
    end = max(p.right_edge.i for p in parts) + 1
    for token in doc[start + 1:end]:
        if token.text in {",", ";", "—", "–", "("}:  # keep the description, not the clause after it
            end = token.i
            break
    return doc[start:end]


def _part_of_hyphenated_word(token: Token) -> bool:
    """True for 'ex' and 'convict' in 'ex-convict' (checked as one word instead)."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return bool((before is not None and before.text == "-" and not before.whitespace_)
                or (after is not None and after.text == "-" and not token.whitespace_))


def _evaluative_words_in(span: Span) -> tuple[str, ...]:
    """The words of `span` found in the evaluative-word list, in text order ('impulsive', 'ex-convict')."""
    lexicon = evaluative_words()
    found = []
    for token in span:
        if not _part_of_hyphenated_word(token) and (token.lower_ in lexicon or token.lemma_.lower() in lexicon):
            found.append((token.idx, token.lower_))
    for match in re.finditer(r"[a-z]+(?:-[a-z]+)+", span.text.lower()):
        if match.group() in lexicon:  # "ex-convict", "fear-mongering": several tokens, one word
            found.append((span.start_char + match.start(), match.group()))
    return tuple(dict.fromkeys(word for _, word in sorted(found)))


def _person_names(doc: Doc, clusters: list[EntityCluster]) -> list[tuple[Span, EntityCluster]]:
    names = []
    for cluster in clusters:
        if cluster.label != PERSON:
            continue
        for mention in cluster.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span):
                names.append((span, cluster))
    return sorted(names, key=lambda pair: pair[0].start)


def find_descriptions(doc: Doc, clusters: list[EntityCluster] | None = None,
                      attributions: list[Attribution] | None = None,
                      _ctx: _Context | None = None) -> list[FramingDevice]:
    """Who is described how: words before a name, appositions and predicates about each person.

    Each description is returned with category "evaluative_description";
    `evaluative` is True and `qualifiers` lists the words when it uses a word from
    data/evaluative_words.tsv. Descriptions by pronoun ("he is weak") are not
    linked to a person.
    """
    ctx = _ctx or _context(doc, clusters, attributions)
    names = _person_names(doc, ctx.clusters)
    people = SpanIndex((span.start_char, span.end_char, cluster) for span, cluster in names)
    found: dict[tuple[int, int, str], FramingDevice] = {}
    for name, cluster in names:
        if name.root.dep_ == "compound" and name.root.head.i >= name.end:
            continue  # "the Lee government": the name describes something else
        descriptor = _descriptor_before(name, people)
        candidates = [
            ("adjective" if descriptor is not None and descriptor[-1].pos_ == "ADJ" else "descriptor", descriptor),
            ("apposition", _apposition_after(name)),
            ("apposition", _apposition_before(name)),
            ("predicate", _predicate(name)),
        ]
        for kind, span in candidates:
            if span is None:
                continue
            words = _evaluative_words_in(span)
            voice, speaker = ctx.voices.at(span.start_char, span.start_char + 1)
            found.setdefault((span.start_char, span.end_char, cluster.name), FramingDevice(
                EVALUATIVE_DESCRIPTION, kind, span.text, span.start_char, span.end_char, voice, speaker,
                qualifiers=words, target=cluster.name, evaluative=bool(words),
            ))
    return sorted(found.values(), key=lambda d: d.start)


# --- everything at once ------------------------------------------------------------------------------------


def find_framing(doc: Doc, clusters: list[EntityCluster] | None = None,
                 attributions: list[Attribution] | None = None,
                 categories: Iterable[str] = CATEGORIES) -> list[FramingDevice]:
    """Every framing device of the given categories in `doc`, in text order.

    Pass the clusters and attributions if they are already computed for this
    doc; otherwise they are computed once here and shared by every finder.
    """
    wanted = set(categories)
    unknown = wanted - set(CATEGORIES)
    if unknown:
        raise InputError(f"unknown framing categories {sorted(unknown)}; choose from {', '.join(CATEGORIES)}")
    ctx = _context(doc, clusters, attributions)
    found: list[FramingDevice] = []
    if wanted & set(LABEL_CATEGORIES):
        found += [d for d in find_labels(doc, _ctx=ctx) if d.category in wanted]
    if METAPHOR in wanted:
        found += find_metaphors(doc, _ctx=ctx)
    if EVALUATIVE_DESCRIPTION in wanted:
        found += find_descriptions(doc, _ctx=ctx)
    if wanted & {HEDGE, BOOSTER}:
        found += [d for d in find_hedges_and_boosters(doc, _ctx=ctx) if d.category in wanted]
    return sorted(found, key=lambda d: (d.start, CATEGORIES.index(d.category)))


def voice_counts(devices: Iterable[FramingDevice], category: str | None = None) -> dict[str, int]:
    """How many devices (of one category, or all) the narrator and quoted speakers use."""
    counts = {voice: 0 for voice in VOICES}
    for device in devices:
        if category is None or device.category == category:
            counts[device.voice] += 1
    return counts


def terms_by_voice(devices: Iterable[FramingDevice], categories: Iterable[str] = LABEL_CATEGORIES):
    """A DataFrame with one row per term: how often the narrator and quoted speakers use it.

    Sorted by total use, most used first; the basis of `course.plots.plot_label_voices`.
    """
    import pandas as pd

    wanted = set(categories)
    counts: dict[str, dict[str, int]] = {}
    for device in devices:
        if device.category in wanted:
            counts.setdefault(device.term, {voice: 0 for voice in VOICES})[device.voice] += 1
    rows = [{"term": term, **by_voice} for term, by_voice in counts.items()]
    table_ = pd.DataFrame(rows, columns=["term", NARRATOR, QUOTED])
    if table_.empty:
        return table_
    table_["total"] = table_[NARRATOR] + table_[QUOTED]
    return table_.sort_values(["total", "term"], ascending=[False, True]).drop(columns="total").reset_index(drop=True)


def framing_table(devices: Iterable[FramingDevice]):
    """The devices as a DataFrame, one row each, for students to sort and filter."""
    import pandas as pd

    columns = ["category", "term", "text", "voice", "speaker", "qualifiers", "target", "domain", "evaluative", "start", "end"]
    rows = []
    for d in devices:
        row = d.to_dict()
        row["qualifiers"] = ", ".join(d.qualifiers)
        rows.append({c: row[c] for c in columns})
    return pd.DataFrame(rows, columns=columns)


# --- scoring labels against a human annotation --------------------------------------------------------------


@dataclass(frozen=True)
class GoldLabel:
    """One label occurrence as a person annotated it."""

    category: str
    term: str
    text: str
    start: int
    end: int
    voice: str
    speaker: str | None


@dataclass(frozen=True)
class LabelScore:
    """Found labels against a gold list: matched by overlap and category, credited only with the right voice."""

    gold: int
    predicted: int
    found: int           # gold labels matched by a prediction, whatever its voice
    right_voice: int     # ... and given the right voice
    right_speaker: int   # ... and the right voice and speaker

    @property
    def precision(self) -> float:
        return self.right_voice / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.right_voice / self.gold if self.gold else 0.0


def load_gold_labels(path: str | Path) -> list[GoldLabel]:
    """The "labels" list of a label annotation file such as seeds/labels.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [GoldLabel(g["category"], g["term"], g["text"], g["start"], g["end"], g["voice"], g["speaker"])
            for g in data["labels"]]


def score_labels(devices: Iterable[FramingDevice], gold: list[GoldLabel]) -> LabelScore:
    """Score event and actor labels against `gold`; each gold label can be matched once."""
    predicted = [d for d in devices if d.category in LABEL_CATEGORIES]
    unmatched = list(gold)
    found = right_voice = right_speaker = 0
    for device in predicted:
        match = next((g for g in unmatched if g.category == device.category
                      and g.start < device.end and device.start < g.end), None)
        if match is None:
            continue
        unmatched.remove(match)
        found += 1
        if device.voice == match.voice:
            right_voice += 1
            right_speaker += device.speaker == match.speaker
    return LabelScore(len(gold), len(predicted), found, right_voice, right_speaker)


# --- the generic-frames coding sheet (Semetko & Valkenburg 2000) ---------------------------------------------

YES, NO, NA = "yes", "no", "NA"
ANSWERS = (YES, NO, NA)


@dataclass(frozen=True)
class FrameItem:
    """One of the twenty yes/no questions, with the frame it measures."""

    number: int
    frame: str
    question: str


@dataclass(frozen=True)
class FrameAnswer:
    """A coder's answer to one item: "yes", "no", "NA", or None while not yet coded.

    A "yes" carries `evidence`, words copied from the text, and where they start.
    """

    item: int
    answer: str | None = None
    evidence: str = ""
    evidence_start: int | None = None


@dataclass(frozen=True)
class CodingSheet:
    """One coder's answers to all twenty items, in item order."""

    coder: str
    answers: tuple[FrameAnswer, ...]

    def answer(self, item: int) -> FrameAnswer:
        for answer in self.answers:
            if answer.item == item:
                return answer
        raise InputError(f"item {item}: no such item (items are 1-{len(self.answers)})")


@dataclass(frozen=True)
class CoderAgreement:
    """How far two coders agree: percent agreement, Cohen's kappa, and the items they differ on.

    `kappa` is None when it is undefined: both coders gave one and the same
    answer to every item, so agreement expected by chance is already 100%.
    """

    items: int
    agreed: int
    percent_agreement: float
    kappa: float | None
    disagreements: tuple[int, ...]


@functools.lru_cache(maxsize=1)
def frame_items() -> tuple[FrameItem, ...]:
    """The twenty items from data/frames_semetko_valkenburg.tsv (a reconstruction: see the file)."""
    return tuple(FrameItem(int(n), frame, question) for n, frame, question in _rows("frames_semetko_valkenburg.tsv", 3))


def frames() -> tuple[str, ...]:
    """The five frames, in the order of their first item."""
    return tuple(dict.fromkeys(item.frame for item in frame_items()))


def empty_sheet(coder: str = "") -> CodingSheet:
    """A sheet with every item not yet coded."""
    return CodingSheet(coder, tuple(FrameAnswer(item.number) for item in frame_items()))


def _item_number(key) -> int:
    numbers = [item.number for item in frame_items()]
    try:
        number = int(key)
    except (TypeError, ValueError):
        raise InputError(f"item {key!r}: items are numbered {numbers[0]}-{numbers[-1]}") from None
    if number not in numbers:
        raise InputError(f"item {number}: no such item (items are {numbers[0]}-{numbers[-1]})")
    return number


def _normal_answer(item: int, value) -> str:
    if not isinstance(value, str) or value.strip().lower() not in {"yes", "no", "na", "n/a"}:
        raise InputError(f"item {item}: answer {value!r} is not one of yes, no, NA")
    value = value.strip().lower()
    return NA if value in {"na", "n/a"} else value


def _answer_from(item: int, value, text: str) -> FrameAnswer:
    """One answer from "no", "NA" or ("yes", "evidence copied from the text")."""
    evidence = ""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InputError(f"item {item}: give (answer, evidence), e.g. ('yes', 'words from the text')")
        value, evidence = value
        if not isinstance(evidence, str):
            raise InputError(f"item {item}: the evidence must be words copied from the text")
        evidence = evidence.strip()
    answer = _normal_answer(item, value)
    if answer == YES and not evidence:
        raise InputError(f"item {item}: a 'yes' needs evidence: give ('yes', 'words copied from the text')")
    start = None
    if evidence:
        start = text.find(evidence)
        if start < 0:
            raise InputError(f"item {item}: the evidence {evidence[:60]!r} is not in the text; copy it exactly")
    return FrameAnswer(item, answer, evidence, start)


def fill_sheet(sheet: CodingSheet, text: str, answers: Mapping) -> CodingSheet:
    """A copy of `sheet` with `answers` filled in: {item: "no" | "NA" | ("yes", "evidence")}.

    Every "yes" needs evidence, words copied exactly from `text`, so a second
    reader can check it; "NA" is for items the text cannot answer (item 10 asks
    about pictures or video a text-only copy lacks). Items not given keep their
    earlier answers.
    """
    _check_sheet(sheet, "sheet", complete=False)
    if not isinstance(text, str) or not text.strip():
        raise InputError("text: give the text the evidence comes from")
    if not isinstance(answers, Mapping):
        raise InputError("answers: give a dict such as {1: 'no', 6: ('yes', 'words from the text'), 10: 'NA'}")
    new = {number: _answer_from(number, value, text) for number, value in
           ((_item_number(key), value) for key, value in answers.items())}
    return CodingSheet(sheet.coder, tuple(new.get(a.item, a) for a in sheet.answers))


def _check_sheet(sheet, name: str, complete: bool = True) -> None:
    """Raise InputError unless `sheet` is a coding sheet with every item (and, if `complete`, every answer)."""
    if not isinstance(sheet, CodingSheet):
        raise InputError(f"{name}: expected a CodingSheet (make one with empty_sheet()), got {type(sheet).__name__}")
    expected = [item.number for item in frame_items()]
    if [a.item for a in sheet.answers] != expected:
        raise InputError(f"{name}: must hold items {expected[0]}-{expected[-1]} once each, in order")
    for a in sheet.answers:
        if a.answer is None:
            if complete:
                raise InputError(f"{name}: item {a.item} is not coded yet: answer yes, no or NA")
        elif a.answer not in ANSWERS:
            raise InputError(f"{name}: item {a.item} has answer {a.answer!r}, not one of yes, no, NA")
        elif a.answer == YES and not a.evidence:
            raise InputError(f"{name}: item {a.item} is 'yes' without evidence from the text")


def score_frames(sheet: CodingSheet) -> dict[str, float | None]:
    """Each frame's score: the share of its items answered "yes", NA items left out.

    A frame whose items are all NA scores None (it could not be coded).
    """
    _check_sheet(sheet, "sheet")
    items = {item.number: item for item in frame_items()}
    scores: dict[str, float | None] = {}
    for frame in frames():
        coded = [a.answer for a in sheet.answers if items[a.item].frame == frame and a.answer != NA]
        scores[frame] = sum(answer == YES for answer in coded) / len(coded) if coded else None
    return scores


def compare_coders(a: CodingSheet, b: CodingSheet) -> CoderAgreement:
    """Percent agreement and Cohen's kappa between two complete sheets.

    Kappa corrects agreement for chance: (p_o - p_e) / (1 - p_e), where p_o is the
    share of items with the same answer and p_e the share expected if each coder
    answered at random with their own yes/no/NA proportions (Cohen 1960).
    """
    _check_sheet(a, "first sheet")
    _check_sheet(b, "second sheet")
    pairs = [(x.answer, y.answer) for x, y in zip(a.answers, b.answers)]
    n = len(pairs)
    agreed = sum(x == y for x, y in pairs)
    observed = agreed / n
    expected = sum((sum(x == code for x, _ in pairs) / n) * (sum(y == code for _, y in pairs) / n) for code in ANSWERS)
    kappa = None if expected == 1 else (observed - expected) / (1 - expected)
    disagreements = tuple(x.item for x, y in zip(a.answers, b.answers) if x.answer != y.answer)
    return CoderAgreement(n, agreed, 100 * observed, kappa, disagreements)


def sheet_table(sheet: CodingSheet):
    """The sheet as a DataFrame: item, frame, question, answer, evidence."""
    import pandas as pd

    _check_sheet(sheet, "sheet", complete=False)
    items = {item.number: item for item in frame_items()}
    return pd.DataFrame([
        {"item": a.item, "frame": items[a.item].frame, "question": items[a.item].question,
         "answer": a.answer, "evidence": a.evidence}
        for a in sheet.answers
    ], columns=["item", "frame", "question", "answer", "evidence"])
