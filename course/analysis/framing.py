"""Framing devices in any English news text, and who uses them: the narrator or a quoted speaker.

A frame is built from small choices a reader can point at (Entman 1993): what the
event is called (a "coup", a "mutiny", "turmoil"), what its actors are called
("rebels", "mercenaries", a "regime"), which metaphors carry the story, how people
are described, and how firmly claims are made (hedges and boosters). The
checkable question for each choice is *whose* it is: the narrator's, or a quoted
party's. So every device found here carries a `voice`: "quoted" when it sits
inside a direct or partial quotation found by `course.analysis.quotes`, with that
quotation's speaker, and "narrator" otherwise (reported speech without quotation
marks is the narrator's wording).

Categories, each driven by an editable data file in course/data/ that cites its sources:

- "event_label", "actor_label": framing_labels.tsv, with the qualifiers of the same
  noun phrase ("failed", "so-called", "armed"), marking those in quotation marks;
- "metaphor": framing_metaphors.tsv, matched on lemmas with spaCy's PhraseMatcher. A hit is a
  candidate; `record_metaphor_decision` records a reader's MIP decision about it;
- "evaluative_description": how each person (from `course.analysis.entities`) is described by
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
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from course.analysis.entities import PERSON, EntityCluster
from course.analysis.quotes import DIRECT, PARTIAL, Attribution, speech_layers
from course.analysis.roles import apposition_after, descriptor_before
from course.core.lexicons import checked_table
from course.core.spans import SpanIndex
from course.errors import InputError

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


@functools.lru_cache(maxsize=1)
def label_lexicon() -> tuple[LexiconEntry, ...]:
    """Event and actor labels from data/framing_labels.tsv."""
    rows = checked_table("framing_labels.tsv", 5)
    return tuple(LexiconEntry(t.strip(), c, p, gloss, s) for t, c, p, gloss, s in rows)


@functools.lru_cache(maxsize=1)
def metaphor_lexicon() -> tuple[LexiconEntry, ...]:
    """Candidate metaphors from data/framing_metaphors.tsv; `category` holds the source domain."""
    rows = checked_table("framing_metaphors.tsv", 4)
    return tuple(LexiconEntry(p.strip(), d, "any", note, s) for p, d, note, s in rows)


@functools.lru_cache(maxsize=1)
def hedge_booster_lexicon() -> tuple[LexiconEntry, ...]:
    """Hedges and boosters from data/hedges_boosters.tsv."""
    return tuple(LexiconEntry(t.strip(), c, p, "", s) for t, c, p, s in checked_table("hedges_boosters.tsv", 4))


@functools.lru_cache(maxsize=1)
def evaluative_words() -> frozenset[str]:
    """Evaluative words from data/evaluative_words.tsv, lower case."""
    return frozenset(word.strip().lower() for word, _ in checked_table("evaluative_words.tsv", 2))


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
    clusters, attributions = speech_layers(doc, clusters, attributions)
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
        found.append(FramingDevice(entry.category, entry.term, span.text, span.start_char, span.end_char, voice,
                                   speaker))
    return found


# --- how people are described --------------------------------------------------------------------------

_LINKING_VERBS = {"be", "look", "seem", "appear", "become", "remain", "sound", "grow", "prove"}
_PREDICATE_DEPS = {"acomp", "attr", "xcomp", "oprd"}


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
        descriptor = descriptor_before(name, people)
        candidates = [
            ("adjective" if descriptor is not None and descriptor[-1].pos_ == "ADJ" else "descriptor", descriptor),
            ("apposition", apposition_after(name)),
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

    Sorted by total use, most used first; the basis of `course.explore.plots.plot_label_voices`.
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

    columns = ["category", "term", "text", "voice", "speaker", "qualifiers", "target", "domain", "evaluative",
               "start", "end"]
    rows = []
    for d in devices:
        row = d.to_dict()
        row["qualifiers"] = ", ".join(d.qualifiers)
        rows.append({c: row[c] for c in columns})
    return pd.DataFrame(rows, columns=columns)
