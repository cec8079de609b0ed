"""Who is quoted, and how: every attribution in an English news text.

An attribution links content to a source through a cue:

- **direct**: a quotation with its speaker ("...," said Ana Lee / Ana Lee said: "...");
- **partial**: quoted words inside the narrator's sentence (a "treasonous" coup), with the
  speaker where the text gives one;
- **indirect**: reported speech without quotation marks ("Lee said that...", "..., Lee said",
  "according to Lee", "Lee claimed that...").

The rules follow the published rule systems (GenderGapTracker's syntactic quotes,
BBC Citron's speaker linking, textacy's quote pairing) with fixes for what they
miss: quotation marks of any style, speakers after inverted cues, pronoun
speakers, quotes that continue into the next paragraph, and attributions broken
by careless translation (a name with no verb), which are kept and flagged.
Speakers are resolved to the canonical names of `course.analysis.entities`.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from course.analysis.entities import PERSON, EntityCluster, clusters_of
from course.analysis.quotemarks import QuoteSpan, find_quotes
from course.core.article import Paragraph, split_paragraphs
from course.core.lexicons import table, word_list, word_set
from course.core.spans import SpanIndex
from course.core.syntax import SUBJECT_DEPS, in_relative_clause

DIRECT, PARTIAL, INDIRECT = "direct", "partial", "indirect"
NAMED, DESCRIBED, UNNAMED, UNATTRIBUTED = "named", "described", "unnamed", "unattributed"

SINGULAR_PRONOUNS = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them"}
FIRST_SECOND_PERSON = {"i", "we", "you", "me", "us"}
SPEAKER_LABELS = {PERSON, "ORG", "GPE"}
QUOTE_CHARACTERS = set('"“”„«»‘’')
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "king": "m", "father": "m", "brother": "m",
                    "ms": "f", "mrs": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "sister": "f"}


@dataclass(frozen=True)
class Cue:
    """The words that mark an attribution, and what their choice implies."""

    text: str
    lemma: str
    category: str
    stance: str


@dataclass(frozen=True)
class Attribution:
    """One attribution: what is attributed, to whom, and with which cue."""

    kind: str
    text: str
    start: int
    end: int
    paragraph: int
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    cue_category: str | None
    source_kind: str
    flags: tuple[str, ...] = ()

    @property
    def source(self) -> str | None:
        """Who the content is attributed to: the canonical speaker, else the speaker phrase, else None."""
        return self.speaker or self.speaker_text

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
            "speaker": self.speaker, "speaker_text": self.speaker_text, "cue": self.cue,
            "cue_category": self.cue_category, "source_kind": self.source_kind,
            "paragraph": self.paragraph, "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Speaker:
    """A resolved source: canonical name (or None), the phrase as written, and its kind."""

    name: str | None
    label: str | None
    text: str | None
    start: int | None
    end: int | None
    kind: str


NO_SPEAKER = Speaker(None, None, None, None, None, UNATTRIBUTED)


# --- cues -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, tuple[str, str]]:
    """Cue lemma or phrase -> (category, stance), from data/reporting_verbs.tsv."""
    return {row[0]: (row[1], row[2]) for row in table("reporting_verbs.tsv")}


def cue_at(token: Token) -> Cue | None:
    """The reporting cue that `token` starts, if any ('said', 'summed up', 'according to')."""
    lexicon = cue_lexicon()
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
        return Cue("according to", "according to", *lexicon["according to"])
    if token.pos_ != "VERB":
        return None
    particles = [c for c in token.children if c.dep_ == "prt"]
    for lemma in _lemma_candidates(token):
        if particles and f"{lemma} {particles[0].lower_}" in lexicon:
            phrase = f"{lemma} {particles[0].lower_}"
            return Cue(f"{token.text} {particles[0].text}", phrase, *lexicon[phrase])
        if lemma in lexicon:
            return Cue(token.text, lemma, *lexicon[lemma])
    return None


def _lemma_candidates(token: Token) -> list[str]:
    """The model's lemma first, then plain English un-inflections of the word.

    The small model's lemmatizer slips on some forms ('raging' -> 'rag'), so
    the word itself is un-inflected too before looking it up.
    """
    word = token.lower_
    forms = [token.lemma_.lower(), word]
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
    return list(dict.fromkeys(forms))


# --- the extractor ------------------------------------------------------------------------


@dataclass
class _Context:
    """What the rules need to see while walking through one document."""

    doc: Doc
    paragraphs: tuple[Paragraph, ...]
    quotes: list[QuoteSpan]
    clusters: list[EntityCluster]
    found: list[Attribution] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.doc.text  # Doc.text rebuilds the string on every access
        self.quote_index = SpanIndex((q.content_start, q.content_end, q) for q in self.quotes)
        self.mention_index = SpanIndex((m.start, m.end, c) for c in self.clusters for m in c.mentions)
        self.labels = {c.name: c.label for c in self.clusters}
        self.introduced_as: dict[str, EntityCluster | None] = {}
        self.genders: dict[str, str | None] = {}

    def in_quote(self, start: int, end: int | None = None) -> QuoteSpan | None:
        end = start + 1 if end is None else end
        inside = self.quote_index.containing(start, end)
        return inside[0][2] if inside else None

    def cluster_at(self, start: int, end: int, labels=SPEAKER_LABELS) -> EntityCluster | None:
        for _, _, cluster in self.mention_index.overlapping(start, end):
            if cluster.label in labels:
                return cluster
        return None

    def mention_at(self, start: int, end: int, labels=SPEAKER_LABELS):
        """(mention start, mention end, cluster) of the first mention overlapping [start, end)."""
        return next((s for s in self.mention_index.overlapping(start, end) if s[2].label in labels), None)

    def gender(self, cluster: EntityCluster) -> str | None:
        """'m' or 'f' when an honorific before any mention says so (Mr Haddad, Ms Lee), else None."""
        if cluster.name not in self.genders:
            found = None
            for mention in cluster.mentions:
                before = self.text[max(0, mention.start - 12):mention.start].split()
                word = (mention.title.split() or [""])[0] if mention.title else (before[-1] if before else "")
                word = word.lower().rstrip(".")
                found = found or HONORIFIC_GENDER.get(word)
            self.genders[cluster.name] = found
        return self.genders[cluster.name]

    def tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []


def _subject(cue: Token) -> Token | None:
    """The cue's subject, or its governing verb's when the cue is a participle or complement.

    In "the agency cited Omar Haddad as saying ..." the speaker is the object
    of the verb that governs "as saying", not its subject.
    """
    if cue.tag_ == "VBG" and cue.head.lower_ == "as" and cue.head.head.pos_ == "VERB":
        objects = [c for c in cue.head.head.children if c.dep_ == "dobj"]
        if objects:
            return objects[0]
    for child in cue.children:
        if child.dep_ not in SUBJECT_DEPS:
            continue
        if child.text in QUOTE_CHARACTERS:
            # the parser sometimes makes a « or » the subject and hangs the real one on it
            nouns = [c for c in child.children if c.dep_ in {"appos", "compound", "nmod"}]
            if nouns:
                return nouns[0]
            continue
        if not child.is_punct:
            return child
    if cue.dep_ in {"xcomp", "conj", "advcl", "acl"} and cue.head.i != cue.i:
        return _subject(cue.head)
    return None


def _speaker_token(cue: Token, cue_info: Cue) -> Token | None:
    if cue_info.lemma == "according to":
        to = cue.nbor(1)
        objects = [c for c in to.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    return _subject(cue)


def _phrase_end(head: Token) -> int:
    """Index after the last token of `head`'s name phrase (before commas and clauses)."""
    end = head.i + 1
    for token in head.doc[head.i + 1: head.right_edge.i + 1]:
        if token.text in {",", "(", "—", "–", ";"} or (
                token.head.i == head.i and token.dep_ in {"relcl", "appos", "acl"}):
            break
        end = token.i + 1
    return end


def _source_kind_of(phrase: str) -> str:
    lowered = f" {phrase.lower()} "
    return UNNAMED if any(f" {marker} " in lowered for marker in word_list("unnamed_sources.txt")) else DESCRIBED


def _resolve_speaker(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker:
    """Turn a subject token into a Speaker: a named entity, a pronoun's referent, or a description."""
    doc = ctx.doc
    if head.lower_ in FIRST_SECOND_PERSON:
        return NO_SPEAKER
    if head.pos_ == "PRON":
        return _resolve_pronoun(ctx, head, paragraph)
    left = head.left_edge.i
    named_end = _phrase_end(head)
    named = doc[left:named_end]
    cluster = ctx.cluster_at(named.start_char, named.end_char, {PERSON}) or ctx.cluster_at(
        head.idx, head.idx + len(head), SPEAKER_LABELS - {PERSON}
    )
    if cluster is not None:
        return Speaker(cluster.name, cluster.label, named.text, named.start_char, named.end_char, NAMED)
    whole = doc[left: head.right_edge.i + 1]
    while len(whole) and (whole[-1].is_punct or whole[-1].is_space):
        whole = whole[:-1]
    phrase = whole.text.strip("\"“”' ")
    referent = _described_person(ctx, head)
    if referent is not None:
        return Speaker(referent.name, PERSON, named.text, named.start_char, named.end_char, NAMED)
    return Speaker(None, None, phrase, whole.start_char, whole.end_char, _source_kind_of(phrase))


def _described_person(ctx: _Context, head: Token) -> EntityCluster | None:
    """The one person the text introduces with this role word ('Rebel leader Ana Voss'
    makes 'the group's leader' Voss); None when no person or several fit."""
    role = head.lemma_.lower()
    if role not in word_set("person_roles.txt"):
        return None
    if role not in ctx.introduced_as:
        fits = {}
        for start, end, cluster in ctx.mention_index.starting_in(0, len(ctx.text)):
            span = ctx.doc.char_span(start, end, alignment_mode="expand") if cluster.label == PERSON else None
            if span is not None and any(t.lemma_.lower() == role for t in ctx.doc[max(0, span.start - 3): span.start]):
                fits[cluster.name] = cluster
        ctx.introduced_as[role] = next(iter(fits.values())) if len(fits) == 1 else None
    return ctx.introduced_as[role]


def _resolve_pronoun(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Speaker:
    """Citron-style: a nearby subject in the same paragraph, else the last speaker, else the last person."""
    text = pronoun.text
    if pronoun.lower_ in SINGULAR_PRONOUNS:
        for i in range(pronoun.i - 1, -1, -1):
            token = ctx.doc[i]
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx):
                cluster = ctx.cluster_at(token.idx, token.idx + len(token), {PERSON})
                wanted = "m" if pronoun.lower_ in {"he", "him"} else "f"
                if cluster is not None and ctx.gender(cluster) in {wanted, None}:
                    return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        for earlier in reversed(_recent(ctx, paragraph.number)):
            if earlier.speaker and _label_of(ctx, earlier.speaker) == PERSON:
                return Speaker(earlier.speaker, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        window_start = ctx.paragraphs[max(0, paragraph.number - 3)].start
        wanted = "m" if pronoun.lower_ in {"he", "him"} else "f"
        recent = [
            (start, c) for start, _, c in ctx.mention_index.starting_in(window_start, pronoun.idx)
            if c.label == PERSON and not ctx.in_quote(start) and ctx.gender(c) in {wanted, None}
        ]
        if recent:
            cluster = recent[-1][1]
            return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
    elif pronoun.lower_ in PLURAL_PRONOUNS:
        for earlier in reversed(_recent(ctx, paragraph.number)):
            if earlier.source_kind in {DESCRIBED, UNNAMED}:
                return Speaker(None, None, earlier.speaker_text, pronoun.idx, pronoun.idx + len(pronoun),
                               earlier.source_kind)
    return Speaker(None, None, text, pronoun.idx, pronoun.idx + len(pronoun), UNATTRIBUTED)


def _label_of(ctx: _Context, name: str) -> str | None:
    return ctx.labels.get(name)


def _sentence_tokens(ctx: _Context, start: int, end: int) -> list[Token]:
    """Tokens in [start, end) up to the first sentence-ending punctuation."""
    tokens = []
    for token in ctx.tokens(start, end):
        if token.idx < start:
            continue
        if token.pos_ == "PUNCT" and token.text in {".", "!", "?"}:
            break
        tokens.append(token)
    return tokens


def _named_after(ctx: _Context, cue: Token) -> Token | None:
    """The last word of a name that follows the cue ('said retired Col. Ana Lee'), if the
    parser gave the cue no subject."""
    for token in cue.doc[cue.i + 1: cue.i + 7]:
        if token.text in {",", ".", ";", '"', "“", "”"}:
            return None
        found = ctx.mention_at(token.idx, token.idx + len(token))
        if found is not None:
            span = ctx.doc.char_span(found[0], found[1], alignment_mode="expand")
            return span[-1] if span is not None else token
    return None


def _cue_with_speaker(ctx: _Context, tokens: list[Token], paragraph: Paragraph) -> tuple[Cue, Token, Speaker] | None:
    for token in tokens:
        cue = cue_at(token)
        if cue is None or cue.stance == "labelling" or ctx.in_quote(token.idx) or in_relative_clause(token):
            continue
        head = _speaker_token(token, cue) or _named_after(ctx, token)
        if head is not None and not ctx.in_quote(head.idx):
            speaker = _resolve_speaker(ctx, head, paragraph)
            if speaker.text:
                return cue, token, speaker
    return None


def _broken_attribution(ctx: _Context, tokens: list[Token]) -> Speaker | None:
    """A name right after a quotation with no reporting verb: '"...," Oleg Sidorov, a former officer.'"""
    words = [t for t in tokens if not (t.is_punct or t.is_space)][:4]
    for token in words:
        found = ctx.mention_at(token.idx, token.idx + len(token), {PERSON})
        if found is not None:
            start, end, cluster = found
            after = [t for t in tokens if t.idx >= end and not t.is_space]
            if after and after[0].pos_ in {"VERB", "AUX"}:
                return None  # '"..." Bob nodded.': a sentence of its own, not a broken attribution
            return Speaker(cluster.name, PERSON, ctx.text[start:end], start, end, NAMED)
    return None


def _is_partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> bool:
    """A quote embedded in the narrator's sentence rather than standing as speech of its own."""
    before = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
    words = [t for t in before if t.is_alpha]
    if not words:
        return False
    if before and before[-1].text in {":", ","} and _cue_with_speaker(ctx, before, paragraph):
        return False
    return True


def _sentence_tokens_backwards(ctx: _Context, start: int, end: int) -> list[Token]:
    """Tokens in [start, end) after the last sentence-ending punctuation or quotation."""
    tokens = [t for t in ctx.tokens(start, end) if t.idx + len(t) <= end]
    kept: list[Token] = []
    for token in reversed(tokens):
        if (token.pos_ == "PUNCT" and token.text in {".", "!", "?"}) or ctx.in_quote(token.idx):
            break
        kept.append(token)
    return list(reversed(kept))


def _attribution(kind: str, start: int, end: int, text: str, paragraph: int, speaker: Speaker,
                 cue: Cue | None, flags: tuple[str, ...] = ()) -> Attribution:
    return Attribution(
        kind, text, start, end, paragraph, speaker.name, speaker.text, speaker.start, speaker.end,
        cue.text if cue else None, cue.category if cue else None, speaker.kind, flags,
    )


def _quoted(kind: str, quote: QuoteSpan, speaker: Speaker, cue: Cue | None, flags: tuple[str, ...] = ()) -> Attribution:
    """The attribution of the words inside `quote`."""
    return _attribution(kind, quote.content_start, quote.content_end, quote.text, quote.paragraph, speaker, cue, flags)


def _same_speaker(earlier: Attribution) -> tuple[Speaker, Cue | None]:
    """The speaker and cue of an earlier attribution, for words that continue it."""
    speaker = Speaker(earlier.speaker, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end,
                      earlier.source_kind)
    return speaker, Cue(earlier.cue, earlier.cue, earlier.cue_category or "", "") if earlier.cue else None


def _direct(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph, used_cues: set[int]) -> Attribution:
    later = [q.start for q in ctx.quotes if q.start > quote.start and q.paragraph == quote.paragraph]
    tail = _sentence_tokens(ctx, quote.end, min(later + [paragraph.end]))
    found = _cue_with_speaker(ctx, tail, paragraph)
    if found is None:
        head = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
        found = _cue_with_speaker(ctx, head, paragraph) if head and head[-1].text in {":", ","} else None
    if found is not None:
        cue, cue_token, speaker = found
        used_cues.add(cue_token.i)
        return _quoted(DIRECT, quote, speaker, cue)

    broken = _broken_attribution(ctx, tail)
    if broken is not None:
        return _quoted(DIRECT, quote, broken, None, ("no_reporting_verb",))

    previous = _previous_speaker(ctx, quote, paragraph)
    if previous is not None:
        earlier, flag = previous
        speaker, earlier_cue = _same_speaker(earlier)
        return _quoted(DIRECT, quote, speaker, earlier_cue, (flag,))
    return _quoted(DIRECT, quote, NO_SPEAKER, None)


def _recent(ctx: _Context, paragraph_number: int) -> list[Attribution]:
    """Attributions found so far in this paragraph and the one before (found is in text order)."""
    recent = []
    for a in reversed(ctx.found):
        if a.paragraph < paragraph_number - 1:
            break
        recent.append(a)
    return list(reversed(recent))


def _previous_speaker(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> tuple[Attribution, str] | None:
    """Who a quote with no cue of its own continues: the last speaker in this paragraph, or,
    for a paragraph that is all quotation, the last speaker of the paragraph before."""
    recent = _recent(ctx, paragraph.number)
    same = [a for a in recent if a.paragraph == paragraph.number and a.end <= quote.start and a.speaker_text]
    if same:
        return same[-1], "same_paragraph_speaker"
    is_all_quote = quote.start == paragraph.start and quote.end >= paragraph.end - 1
    before = [a for a in recent if a.paragraph == paragraph.number - 1 and a.speaker_text]
    if is_all_quote and before:
        return before[-1], "continues_previous_paragraph"
    return None


def _opens_inside(tokens: list[Token]) -> bool:
    """True if the tokens before the last hold more quotation marks than it closes."""
    marks = sum(1 for t in tokens[:-1] if t.text in QUOTE_CHARACTERS)
    return marks % 2 == 1


def _content_span(ctx: _Context, tokens: list[Token]) -> tuple[int, int, str] | None:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].lower_ == "that" or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and not (tokens[-1].text in QUOTE_CHARACTERS and _opens_inside(tokens)):
        tokens = tokens[:-1]
    if len([t for t in tokens if t.is_alpha]) < 3:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    pieces = [tokens[0].text]
    for before, token in itertools.pairwise(tokens):
        gap = token.idx != before.idx + len(before.text_with_ws)
        pieces.append((" " if gap or before.whitespace_ else "") + token.text)
    return start, end, "".join(pieces)


def _has_verb_cue(token: Token, ctx: _Context) -> bool:
    cue = cue_at(token)
    return (cue is not None and cue.lemma != "according to" and cue.stance != "labelling"
            and not ctx.in_quote(token.idx) and _subject(token) is not None)


def _indirect(ctx: _Context, token: Token, cue: Cue, paragraph: Paragraph) -> Attribution | None:
    """Reported speech around a cue outside quotation marks, or None if the cue reports nothing."""
    if cue.lemma == "according to":
        if any(_has_verb_cue(t, ctx) for t in token.sent if t.i != token.i):
            return None  # "X insisted that ..., according to a statement": the verb attributes it
        phrase = set(t.i for t in token.subtree)
        clause = [t for t in token.sent if t.i not in phrase and not (t.i in {token.i - 1} and t.text == ",")]
    else:
        complements = [c for c in token.children if c.dep_ == "ccomp"]
        if complements:
            clause = list(complements[0].subtree)
        elif token.dep_ == "parataxis":  # "The Legion, he said, has ..."
            inner = set(t.i for t in token.subtree)
            clause = [t for t in token.head.subtree if t.i not in inner]
        else:
            return None
    content = _content_span(ctx, clause)
    if content is None:
        return None
    start, end, text = content
    if any(q.end - q.start > (end - start) / 2 for _, _, q in ctx.quote_index.overlapping(start, end)):
        return None  # the clause is a direct quotation; handled there
    head = _speaker_token(token, cue) or _named_after(ctx, token)
    speaker = _resolve_speaker(ctx, head, paragraph) if head is not None else NO_SPEAKER
    if not speaker.text:
        return None
    refused = any(t.lemma_.lower() in {"decline", "refuse"} or t.dep_ == "neg" for t in [token.head, *token.children])
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ("declined",) if refused else ())


@functools.lru_cache(maxsize=1)
def _speech_nouns() -> frozenset[str]:
    return frozenset(word_list("speech_nouns.txt"))


def _partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Attribution:
    """Speaker of quoted words inside a narrator's sentence, where the text gives one."""
    for earlier in _recent(ctx, paragraph.number):
        inside = earlier.start <= quote.start and quote.end <= earlier.end + 1
        if earlier.kind != PARTIAL and inside and earlier.speaker_text:
            speaker, cue = _same_speaker(earlier)
            return _quoted(PARTIAL, quote, speaker, cue, ("inside_" + earlier.kind,))
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        node = node.head
        cue = cue_at(node)
        if cue is not None and not ctx.in_quote(node.idx):
            subject = _subject(node)
            # "once hailed as ..." / "praised, called ...": the subject is labelled, not labelling
            participle = (node.tag_ == "VBN" and not any(c.dep_ == "aux" for c in node.children)) or (
                cue.stance == "labelling" and any(c.lower_ == "as" for c in node.children))
            if subject is not None and subject.dep_ != "nsubjpass" and not participle:
                speaker = _resolve_speaker(ctx, subject, paragraph)
            else:
                agents = [c for c in node.children if c.dep_ == "agent"]
                objects = [c for a in agents for c in a.children if c.dep_ == "pobj"]
                speaker = _resolve_speaker(ctx, objects[0], paragraph) if objects else NO_SPEAKER
            return _quoted(PARTIAL, quote, speaker, cue)
        if node.lemma_.lower() in _speech_nouns():
            owners = [c for c in node.children if c.dep_ == "poss"]
            owner = owners[0] if owners else _governing_subject(node)
            speaker = _resolve_speaker(ctx, owner, paragraph) if owner is not None else NO_SPEAKER
            return _quoted(PARTIAL, quote, speaker, None, ("speech_noun:" + node.lemma_.lower(),))
    for noun in reversed(_sentence_tokens_backwards(ctx, paragraph.start, quote.start)[-6:]):
        if noun.lemma_.lower() in _speech_nouns():
            owners = [c for c in noun.children if c.dep_ == "poss"]
            owner = owners[0] if owners else _governing_subject(noun)
            if owner is not None:
                speaker = _resolve_speaker(ctx, owner, paragraph)
                return _quoted(PARTIAL, quote, speaker, None, ("speech_noun:" + noun.lemma_.lower(),))
    return _quoted(PARTIAL, quote, NO_SPEAKER, None)


def _governing_subject(token: Token) -> Token | None:
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return _subject(node)
    return None


def extract_attributions(doc: Doc, clusters: list[EntityCluster] | None = None) -> list[Attribution]:
    """Every direct, partial and indirect attribution in `doc`, in text order."""
    text = doc.text
    paragraphs = split_paragraphs(text)
    clusters = clusters if clusters is not None else clusters_of(doc)
    ctx = _Context(doc, paragraphs, find_quotes(text, paragraphs), clusters)
    quotes_by_paragraph: dict[int, list[QuoteSpan]] = {}
    for quote in ctx.quotes:
        quotes_by_paragraph.setdefault(quote.paragraph, []).append(quote)
    for paragraph in paragraphs:
        here = quotes_by_paragraph.get(paragraph.number, [])
        partial = [q for q in here if _is_partial(ctx, q, paragraph)]
        used_cues: set[int] = set()
        events: list[tuple[int, QuoteSpan | Token]] = [(q.start, q) for q in here if q not in partial]
        events += [(t.idx, t) for t in ctx.tokens(paragraph.start, paragraph.end) if not ctx.in_quote(t.idx)]
        first_new = len(ctx.found)
        for _, event in sorted(events, key=lambda e: e[0]):
            if isinstance(event, QuoteSpan):
                ctx.found.append(_direct(ctx, event, paragraph, used_cues))
                continue
            cue = cue_at(event)
            if cue is None or cue.stance == "labelling" or event.i in used_cues:
                continue
            if any(a.start <= event.idx < a.end for a in ctx.found[first_new:]):
                continue  # "X said the board had never asked ...": reported within X's report
            attribution = _indirect(ctx, event, cue, paragraph)
            if attribution is not None:
                ctx.found.append(attribution)
        ctx.found[first_new:] = sorted(ctx.found[first_new:], key=lambda a: a.start)
        for quote in partial:
            ctx.found.append(_partial(ctx, quote, paragraph))
        ctx.found[first_new:] = sorted(ctx.found[first_new:], key=lambda a: a.start)
    return _close_open_quotes(ctx)


def attributions_of(doc: Doc) -> list[Attribution]:
    """`extract_attributions(doc)` computed once per Doc and kept on it (in `doc.user_data`),
    so the sources table, framing and translation checks share one set of attributions."""
    key = ("course", "attributions")
    cache: dict = doc.user_data  # typed dict[str, Any] by spaCy, which itself stores tuple keys there
    if key not in cache:
        cache[key] = tuple(extract_attributions(doc, clusters_of(doc)))
    return list(cache[key])


def speech_layers(doc: Doc, clusters: list[EntityCluster] | None = None,
                  attributions: list[Attribution] | None = None) -> tuple[list[EntityCluster], list[Attribution]]:
    """(clusters, attributions) for `doc`: the ones given, else those computed once per Doc.

    Attributions depend on clusters, so given clusters without attributions are used to extract them.
    """
    if attributions is None:
        attributions = attributions_of(doc) if clusters is None else extract_attributions(doc, clusters)
    return (clusters if clusters is not None else clusters_of(doc)), attributions


def _close_open_quotes(ctx: _Context) -> list[Attribution]:
    """A quotation left open at a paragraph's end continues in the next paragraph, where
    its attribution usually comes: give an unattributed open quote that speaker."""
    open_starts = {q.content_start for q in ctx.quotes if not q.closed}
    result = list(ctx.found)
    for i, attribution in enumerate(result):
        if attribution.kind != DIRECT or attribution.speaker_text or attribution.start not in open_starts:
            continue
        following = next((a for a in result[i + 1:] if a.kind == DIRECT and a.paragraph == attribution.paragraph + 1),
                         None)
        if following is not None and following.speaker_text:
            result[i] = replace(
                attribution, speaker=following.speaker, speaker_text=following.speaker_text,
                speaker_start=following.speaker_start, speaker_end=following.speaker_end, cue=following.cue,
                cue_category=following.cue_category, source_kind=following.source_kind,
                flags=attribution.flags + ("continues_into_next_paragraph",),
            )
    return result


def attributions_table(attributions: list[Attribution]):
    """The attributions as a DataFrame, one row each, for students to sort and filter."""
    import pandas as pd

    return pd.DataFrame([a.to_dict() for a in attributions],
                        columns=["paragraph", "kind", "speaker", "speaker_text", "cue", "cue_category", "source_kind",
                                 "text", "start", "end", "flags"])
