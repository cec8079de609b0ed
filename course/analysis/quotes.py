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
import re
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

SINGULAR_PRONOUNS = {"he", "she", "him", "her", "his"}
MALE_PRONOUNS = {"he", "him", "his"}
PLURAL_PRONOUNS = {"they", "them"}
FIRST_SECOND_PERSON = {"i", "we", "you", "me", "us"}
SPEAKER_LABELS = {PERSON, "ORG", "GPE"}
QUOTE_CHARACTERS = set('"“”„«»‘’')
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "king": "m", "father": "m", "brother": "m",
                    "ms": "f", "mrs": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "sister": "f"}
PRONOUN_GENDER = {"he": "m", "his": "m", "himself": "m", "she": "f", "hers": "f",
                  "herself": "f"}
NOUN_GENDER = {**HONORIFIC_GENDER, "man": "m", "spokesman": "m", "husband": "m", "son": "m", "boy": "m",
               "woman": "f", "spokeswoman": "f", "mother": "f", "wife": "f", "daughter": "f", "girl": "f"}


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
        self.turns: dict[int, tuple[Speaker, Cue, str]] = {}
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
        """'m' or 'f' when an honorific before any mention says so (Mr Haddad, Ms Lee), else the
        pronouns the text uses right after the person's mentions (his, she), else None."""
        if cluster.name not in self.genders:
            found = None
            for mention in cluster.mentions:
                before = self.text[max(0, mention.start - 12):mention.start].split()
                word = (mention.title.split() or [""])[0] if mention.title else (before[-1] if before else "")
                word = word.lower().rstrip(".")
                found = found or HONORIFIC_GENDER.get(word)
            self.genders[cluster.name] = found or self._pronoun_gender(cluster)
        return self.genders[cluster.name]

    def _pronoun_gender(self, cluster: EntityCluster) -> str | None:
        """The gender of the first singular pronoun after each mention, before any other person is
        named, by majority ('Ana Lee ... her ...' -> 'f'); None on a tie or no evidence."""
        votes = {"m": 0, "f": 0}
        for mention in cluster.mentions:
            if self.in_quote(mention.start):
                continue
            for token in self.tokens(mention.end, min(len(self.text), mention.end + 150))[:25]:
                if token.idx < mention.end:
                    continue
                if token.is_sent_start:
                    break  # only the mention's own sentence: "Lee said she ..."
                other = self.cluster_at(token.idx, token.idx + len(token), {PERSON})
                if other is not None and other.name != cluster.name:
                    break
                gender = PRONOUN_GENDER.get(token.lower_)
                if gender and not self.in_quote(token.idx):
                    votes[gender] += 1
                    break
        if votes["m"] == votes["f"]:
            return None
        return "m" if votes["m"] > votes["f"] else "f"

    def cluster_named(self, name: str | None) -> EntityCluster | None:
        return next((c for c in self.clusters if c.name == name), None) if name else None

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
    if head.tag_ in {"WP", "WDT"} and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
        head = _antecedent(head, head.head.head)  # "Balaguer, who adds that ...": the relative's antecedent
    head = _past_hyphen(ctx, head)
    owners = [c for c in head.children if c.dep_ == "poss"]
    if head.lemma_.lower() in _speech_nouns() and owners:
        head = owners[0]  # "his responses described it as ...": the words are his
    if head.pos_ == "PRON":
        return _resolve_pronoun(ctx, head, paragraph)
    left = head.left_edge.i
    named_end = _phrase_end(head)
    named = doc[left:named_end]
    # the head word's own name first: in "Ferry captain Ahmed Haddad" the descriptor "Ferry" may be
    # part of another entity's mention, but the speaker is the person the head word names
    possessors = [t for c in head.children if c.dep_ == "poss" for t in c.subtree]
    # "Thomas' sister said": the sister speaks, not Thomas
    owned = doc[max(left, possessors[-1].i + 1):named_end] if possessors else named
    cluster = ctx.cluster_at(head.idx, head.idx + len(head), {PERSON}) or ctx.cluster_at(
        owned.start_char, owned.end_char, {PERSON}) or ctx.cluster_at(
        head.idx, head.idx + len(head), SPEAKER_LABELS - {PERSON}
    )
    if cluster is not None:
        return Speaker(cluster.name, cluster.label, named.text, named.start_char, named.end_char, NAMED)
    whole = doc[left: head.right_edge.i + 1]
    relatives = [c.left_edge.i for c in head.children
                 if c.dep_ == "relcl" and c.left_edge.i > left and c.left_edge.text.islower()]
    if relatives and head.pos_ in {"NOUN", "PROPN"}:  # "a homeless man who goes by the name Tiny"
        whole = doc[left: min(relatives)]
    while len(whole) and (whole[-1].is_punct or whole[-1].is_space):
        whole = whole[:-1]
    phrase = whole.text.strip("\"“”' ")
    referent = _described_person(ctx, head)
    if referent is not None:
        return Speaker(referent.name, PERSON, named.text, named.start_char, named.end_char, NAMED)
    return Speaker(None, None, phrase, whole.start_char, whole.end_char, _source_kind_of(phrase))


def _antecedent(relative: Token, attached: Token) -> Token:
    """The noun a relative pronoun refers to: the one right before it when that noun is coordinated
    with or in apposition to the parser's antecedent ('X and the minister Y who adds ...' is Y)."""
    before = relative.i - 1
    while before > attached.i and relative.doc[before].is_punct:
        before -= 1
    node = relative.doc[before]
    if node.i == attached.i or node.pos_ != "PROPN":
        return attached
    path = node
    while path.i != attached.i and path.dep_ in {"conj", "appos", "compound"} and path.head.i != path.i:
        path = path.head
    return node if path.i == attached.i else attached


def _past_hyphen(ctx: _Context, head: Token) -> Token:
    """'vice-premier Carlos Lage', 'co-founder Ana Lee': the tokenizer splits the hyphenated title and the
    parser may take its first piece as the head; the speaker is the name that follows the title."""
    doc = head.doc
    if head.whitespace_ or head.i + 2 >= len(doc) or doc[head.i + 1].text not in {"-", "‐"}:
        return head
    for token in doc[head.i + 2: head.i + 8]:
        if token.is_punct and token.text not in {"-", "‐"}:
            break
        found = ctx.mention_at(token.idx, token.idx + len(token), {PERSON})
        if found is not None:
            span = doc.char_span(found[0], found[1], alignment_mode="expand")
            return span[-1] if span is not None else token
    return head


def _described_person(ctx: _Context, head: Token) -> EntityCluster | None:
    """The one person the text introduces with this role word ('Rebel leader Ana Voss'
    makes 'the group's leader' Voss); None when no person or several fit."""
    role = head.lemma_.lower()
    if role not in word_set("person_roles.txt") or head.tag_ in {"NNS", "NNPS"}:
        return None  # "both officers" is not the one officer the text introduced
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
        unknown: EntityCluster | None = None  # a subject of unknown gender, if none of the right one comes
        for i in range(pronoun.i - 1, -1, -1):
            token = ctx.doc[i]
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx):
                cluster = ctx.cluster_at(token.idx, token.idx + len(token), {PERSON})
                wanted = "m" if pronoun.lower_ in MALE_PRONOUNS else "f"
                if cluster is not None and ctx.gender(cluster) == wanted:
                    return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
                if cluster is not None and ctx.gender(cluster) is None:
                    unknown = unknown or cluster
                # 'The head of the inquiry told the court ... She also said'
                described = _described_speaker_at(ctx, token, paragraph)
                if described is not None and NOUN_GENDER.get(token.lemma_.lower(), wanted) == wanted:
                    return replace(described, start=pronoun.idx, end=pronoun.idx + len(pronoun))
        wanted = "m" if pronoun.lower_ in MALE_PRONOUNS else "f"
        for genders in ({wanted}, {wanted, None}):  # a speaker of the pronoun's gender first
            if genders == {wanted, None} and unknown is not None:
                return Speaker(unknown.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
            for earlier in reversed(_recent(ctx, paragraph.number)):
                described = _described_speaker(ctx, earlier, wanted)
                if described is not None:  # "The head of the inquiry told the court ... \n She also said"
                    return replace(described, start=pronoun.idx, end=pronoun.idx + len(pronoun))
                cluster = ctx.cluster_named(earlier.speaker)
                if cluster is not None and cluster.label == PERSON and ctx.gender(cluster) in genders:
                    return Speaker(earlier.speaker, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        window_start = ctx.paragraphs[max(0, paragraph.number - 3)].start
        wanted = "m" if pronoun.lower_ in MALE_PRONOUNS else "f"
        recent = [
            (start, c) for start, _, c in ctx.mention_index.starting_in(window_start, pronoun.idx)
            if c.label == PERSON and not ctx.in_quote(start) and ctx.gender(c) in {wanted, None}
        ]
        if recent:
            cluster = recent[-1][1]
            return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
    elif pronoun.lower_ in PLURAL_PRONOUNS:
        for i in range(pronoun.i - 1, max(0, pronoun.i - 60) - 1, -1):
            token = ctx.doc[i]  # "Officials went to the station, where they claimed ...": the plural subject
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and token.tag_ in {"NNS", "NNPS"} and not ctx.in_quote(token.idx):
                return _resolve_speaker(ctx, token, paragraph)
        for earlier in reversed(_recent(ctx, paragraph.number)):
            if earlier.source_kind in {DESCRIBED, UNNAMED}:
                return Speaker(None, None, earlier.speaker_text, pronoun.idx, pronoun.idx + len(pronoun),
                               earlier.source_kind)
    return Speaker(None, None, text, pronoun.idx, pronoun.idx + len(pronoun), UNATTRIBUTED)


def _described_speaker_at(ctx: _Context, token: Token, paragraph: Paragraph) -> Speaker | None:
    """The speaker of an earlier attribution whose phrase (a description of a person, not a name)
    has `token` as its head word, so that a pronoun can refer back to it."""
    if token.lemma_.lower() not in word_set("person_roles.txt"):
        return None
    for earlier in reversed(_recent(ctx, paragraph.number)):
        if (earlier.speaker is None and earlier.speaker_start is not None and earlier.speaker_end is not None
                and earlier.speaker_start <= token.idx < earlier.speaker_end):
            return Speaker(None, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end,
                           earlier.source_kind)
    return None


def _described_speaker(ctx: _Context, earlier: Attribution, wanted: str) -> Speaker | None:
    """An earlier attribution's described source ('the head of the inquiry') that a singular pronoun
    of gender `wanted` can refer to: its head word names a person's role of no other gender."""
    if earlier.speaker is not None or earlier.source_kind != DESCRIBED or earlier.speaker_start is None:
        return None
    span = ctx.doc.char_span(earlier.speaker_start, earlier.speaker_end or earlier.speaker_start,
                             alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    if head.lemma_.lower() not in word_set("person_roles.txt") or head.tag_ in {"NNS", "NNPS"}:
        return None
    if NOUN_GENDER.get(head.lemma_.lower(), wanted) != wanted:
        return None
    return Speaker(None, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end, DESCRIBED)


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
        if _negated_or_hypothetical(token):
            continue  # 'She didn't say "perhaps never"': not her words
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


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBORDINATORS = frozenset({"that", "whether"})


def _is_full_clause(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if the quoted words hold a clause of their own: a finite verb whose subject is
    quoted too ("We will not sail"), not a fragment ("remains in stable condition") or a
    clause that hangs on the narrator's words ("that she had no plans", "everything he did")."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end)
              if t.idx >= quote.content_start and not t.is_space]
    words = [t for t in tokens if t.is_alpha]
    if not words or words[0].lower_ in SUBORDINATORS:
        return False
    inside = {t.i for t in tokens}
    for root in (t for t in tokens if t.head.i not in inside or t.head.i == t.i):
        for verb in [root, *(c for c in root.children if c.dep_ == "conj" and c.i in inside)]:
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            finite = verb.tag_ in FINITE_TAGS or any(
                c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE_TAGS for c in verb.children)
            if finite and any(c.dep_ in SUBJECT_DEPS | {"expl"} and c.i in inside for c in verb.children):
                return True
    return False


def _is_partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> bool:
    """A quote embedded in the narrator's sentence rather than standing as speech of its own.

    A quote that opens its sentence, or follows a colon after a cue, is direct. One that follows a
    comma after a cue is direct unless it is a lower-case fragment ('arguing it would, "cause real
    damage"'). Inside the narrator's sentence, a quote is direct when it is a full clause of its
    own and a cue introduces it, with or without a comma ('She said "I support you."'), or follows
    it ('..., according to the ministry'); otherwise it is partial.
    """
    before = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
    words = [t for t in before if t.is_alpha]
    if not words:
        return False
    if before[-1].text == ":" and _cue_with_speaker(ctx, before, paragraph):
        return False
    if paragraph.number in ctx.turns and quote.start - paragraph.start <= _label_length(ctx, paragraph):
        return False  # 'Mayor Ana Lopez: "..."': a transcript label
    full = _is_full_clause(ctx, quote)
    if before[-1].text == "," and _cue_with_speaker(ctx, before, paragraph):
        return not full and quote.text[:1].islower()
    if not full:
        return True
    if _cue_with_speaker(ctx, before, paragraph) or _speech_noun_owner(ctx, before, paragraph):
        return False
    return _cue_with_speaker(ctx, _tail(ctx, quote, paragraph), paragraph) is None


def _tail(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> list[Token]:
    """The words after a quote up to the end of its sentence or the next quote in its paragraph;
    none after a quote that ends its sentence with a full stop ('"We are ready." She said ...')."""
    ending = quote.text.rstrip("]")  # '"... incurable[.]" He went on to say ...': an edited full stop
    if ending.endswith(".") and not ending.endswith(".."):
        return []
    later = [q.start for q in ctx.quotes if q.start > quote.start and q.paragraph == quote.paragraph]
    return _sentence_tokens(ctx, quote.end, min(later + [paragraph.end]))


def _speech_noun_owner(ctx: _Context, tokens: list[Token], paragraph: Paragraph) -> Speaker | None:
    """The owner of a speech noun among the last words before a quote ('in the words of X, "..."')."""
    for noun in reversed(tokens[-12:]):
        if noun.lemma_.lower() in _speech_nouns() and not ctx.in_quote(noun.idx):
            owners = [c for c in noun.children if c.dep_ == "poss"]
            owners += [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                       for o in p.children if o.dep_ == "pobj"]
            if owners:
                speaker = _resolve_speaker(ctx, owners[0], paragraph)
                if speaker.text:
                    return speaker
    return None


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
    tail = _tail(ctx, quote, paragraph)
    head = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
    found = None
    if any(t.is_alpha for t in head) and head[-1].text not in {":", ","}:
        found = _cue_with_speaker(ctx, head[::-1], paragraph)  # 'She said "I support you."': the nearest cue
    found = found or _cue_with_speaker(ctx, tail, paragraph)
    if found is None:
        found = _cue_with_speaker(ctx, head, paragraph) if head and head[-1].text in {":", ","} else None
    if found is None and any(t.is_alpha for t in head):
        owner = _speech_noun_owner(ctx, head, paragraph)  # 'in the words of X, "..."'
        if owner is not None:
            return _quoted(DIRECT, quote, owner, None)
    if found is not None:
        cue, cue_token, speaker = found
        used_cues.add(cue_token.i)
        return _quoted(DIRECT, quote, speaker, cue)

    if paragraph.number in ctx.turns and quote.start - paragraph.start <= _label_length(ctx, paragraph):
        speaker, cue, flag = ctx.turns[paragraph.number]  # 'Ana Lee: "..."' or a quote after 'X wrote:'
        return _quoted(DIRECT, quote, speaker, cue, (flag,))

    broken = _broken_attribution(ctx, tail)
    if broken is not None:
        return _quoted(DIRECT, quote, broken, None, ("no_reporting_verb",))

    previous = _previous_speaker(ctx, quote, paragraph)
    if previous is not None:
        earlier, flag = previous
        speaker, earlier_cue = _same_speaker(earlier)
        return _quoted(DIRECT, quote, speaker, earlier_cue, (flag,))
    return _quoted(DIRECT, quote, NO_SPEAKER, None)


# --- transcripts and block quotes ----------------------------------------------------------

_COLON_LABEL = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*)\s*:\s+(?=\S)")
_BRACKET_LABEL = re.compile(r"\(\(\s*([^()\n]{1,40}?)\s*\)\)\s*(?=\S)")
FIRST_SECOND_WORDS = frozenset({"i", "we", "me", "us", "my", "our", "you", "your"})
COLON_CUE = Cue(":", ":", "neutral", "neutral")


def _label_length(ctx: _Context, paragraph: Paragraph) -> int:
    """How many characters a transcript label ('Ana Lee: ', '((Interviewer)) ') takes at the paragraph's start."""
    text = ctx.text[paragraph.start:paragraph.end]
    match = _BRACKET_LABEL.match(text) or _COLON_LABEL.match(text)
    return match.end() if match else 0


def _transcript_label(ctx: _Context, paragraph: Paragraph) -> tuple[Speaker, int] | None:
    """The speaker a transcript paragraph opens with ('Ana Lee: ...', 'Dr. Ana Lee: "..."',
    '((Interviewer)) ...'), and where the speech starts; a colon label must name an entity."""
    text = ctx.text[paragraph.start:paragraph.end]
    bracket = _BRACKET_LABEL.match(text)
    colon = _COLON_LABEL.match(text)
    match = bracket or colon
    if match is None:
        return None
    start, end = paragraph.start + match.start(1), paragraph.start + match.end(1)
    label = ctx.text[start:end]
    found = ctx.mention_at(start, end)
    if found is not None:
        cluster = found[2]
        return Speaker(cluster.name, cluster.label, label, start, end, NAMED), paragraph.start + match.end()
    if bracket is None:
        return None
    return Speaker(None, None, label, start, end, DESCRIBED), paragraph.start + match.end()


def _lead_in(ctx: _Context, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """'Blogger Ana Lee writes:' or 'Lee reflected:' ending a paragraph: who the next paragraph quotes.
    The verb must be a speech cue, or its subject a named person."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    if not text.endswith(":"):
        return None
    colon = ctx.tokens(paragraph.start + len(text) - 1, paragraph.start + len(text))
    if not colon:
        return None
    for token in colon[-1].sent:
        if token.pos_ != "VERB" or ctx.in_quote(token.idx) or in_relative_clause(token):
            continue
        cue = cue_at(token)
        head = _subject(token) if cue is None or cue.lemma != "according to" else _speaker_token(token, cue)
        if head is None:
            continue
        speaker = _resolve_speaker(ctx, head, paragraph)
        if cue is not None and speaker.text:
            return speaker, cue
        if speaker.kind == NAMED and _label_of(ctx, speaker.name or "") == PERSON:
            return speaker, Cue(token.text, token.lemma_.lower(), "descriptive", "descriptive")
    return None


def _find_turns(ctx: _Context) -> list[Attribution]:
    """Speech that stands as paragraphs of its own: transcript turns ('Ana Lee: ...'), their
    first-person continuations, and block quotes after a lead-in that ends with a colon.

    Fills `ctx.turns` (paragraph -> speaker, cue, flag), which quotation marks inside such
    paragraphs fall back on, and returns the attributions of paragraphs without quotation marks.
    """
    labels = {p.number: _transcript_label(ctx, p) for p in ctx.paragraphs}
    is_transcript = sum(label is not None for label in labels.values()) >= 2
    found = []
    current: tuple[Speaker, Cue, str] | None = None
    for i, paragraph in enumerate(ctx.paragraphs):
        label = labels[paragraph.number] if is_transcript or _starts_with_quote(ctx, paragraph, labels) else None
        lead = _lead_in(ctx, ctx.paragraphs[i - 1]) if i else None
        start = paragraph.start
        if label is not None:
            current = (label[0], COLON_CUE, "transcript")
            start = label[1]
        elif lead is not None:
            current = (lead[0], lead[1], "block_quote")
        elif current is not None and current[2] == "transcript" and _is_continuation(ctx, paragraph):
            current = (current[0], current[1], "transcript")
        else:
            current = None
            continue
        ctx.turns[paragraph.number] = current
        if lead is not None and label is None and _starts_with_quote(ctx, paragraph, {}):
            current = None  # a quotation after a lead-in: attributed through its marks
            continue
        if label is not None and _starts_with_quote(ctx, paragraph, labels):
            continue
        end = paragraph.start + len(ctx.text[paragraph.start:paragraph.end].rstrip())
        speaker, cue, flag = current
        found.append(_attribution(DIRECT, start, end, ctx.text[start:end], paragraph.number, speaker, cue, (flag,)))
        if flag == "block_quote":
            current = None
    return found


def _starts_with_quote(ctx: _Context, paragraph: Paragraph, labels: dict) -> bool:
    """True if the paragraph's speech (after any transcript label) opens with a quotation mark."""
    label = labels.get(paragraph.number)
    start = label[1] if label else paragraph.start
    return ctx.text[start:start + 1] in QUOTE_CHARACTERS


def _is_continuation(ctx: _Context, paragraph: Paragraph) -> bool:
    """A transcript answer that goes on for another paragraph: no quotation marks, spoken in the first person."""
    if any(q.paragraph == paragraph.number for q in ctx.quotes):
        return False
    return any(t.lower_ in FIRST_SECOND_WORDS for t in ctx.tokens(paragraph.start, paragraph.end))


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
        if any(_has_verb_cue(t, ctx) and not in_relative_clause(t) for t in token.ancestors):
            return None  # "X insisted that ..., according to a statement": the verb attributes it
        phrase = set(t.i for t in token.subtree)
        clause = [t for t in token.sent if t.i not in phrase and not (t.i in {token.i - 1} and t.text == ",")]
    else:
        complements = [c for c in token.children if c.dep_ == "ccomp"]
        # "Y claimed ...; X claimed sex was consensual": the clause after the cue, not one the parser hung on it
        complements = [c for c in complements if c.i > token.i] or complements
        complements = complements or _statement_clauses(token)
        directives = [c for c in token.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"
                      and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if complements:
            clause = list(complements[0].subtree)
        elif directives and cue.lemma in _directive_cues() and not (in_relative_clause(token) and token.dep_ != "acl"):
            # "urged the embassy to reconsider"; not "a teacher, who asked not to be named, said ..."
            clause = list(directives[0].subtree)
        elif token.dep_ == "parataxis":  # "The Legion, he said, has ..."
            inner = set(t.i for t in token.subtree)
            clause = [t for t in token.head.subtree if t.i not in inner]
        else:
            return None
    if _negated_or_hypothetical(token):
        return None  # "she did not say that ...", "he would say that ...": not her words
    content = _content_span(ctx, clause)
    if content is None:
        return None
    start, end, text = content
    quotes = [q for _, _, q in ctx.quote_index.overlapping(start, end)]
    if _words_outside_quotes(ctx, start, end) < 2 or any(
            q.end - q.start > (end - start) / 2 and _is_full_clause(ctx, q) for q in quotes):
        return None  # the clause is a direct quotation; handled there
    head = _speaker_token(token, cue)
    if head is None and token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"}:
        head = token.head  # "officials asking the US to waive immunity"
    head = head or _named_after(ctx, token)
    speaker = _resolve_speaker(ctx, head, paragraph) if head is not None else NO_SPEAKER
    if not speaker.text:
        return None
    refused = any(t.lemma_.lower() in {"decline", "refuse"} or t.dep_ == "neg" for t in [token.head, *token.children])
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ("declined",) if refused else ())


def _announcement(ctx: _Context, noun: Token, paragraph: Paragraph) -> Attribution | None:
    """'The agency made two announcements: the minister has resigned ...': a speech noun, object of the
    sentence's verb, then a colon; the words after the colon are the subject's."""
    doc = noun.doc
    if (noun.lemma_.lower() not in _speech_nouns() or noun.dep_ != "dobj" or noun.i + 1 >= len(doc)
            or doc[noun.i + 1].text != ":" or noun.head.pos_ != "VERB"):
        return None
    subject = _subject(noun.head)
    if subject is None or ctx.in_quote(subject.idx):
        return None
    content = _content_span(ctx, list(doc[noun.i + 2: noun.sent.end]))
    if content is None or _words_outside_quotes(ctx, content[0], content[1]) < 2:
        return None
    speaker = _resolve_speaker(ctx, subject, paragraph)
    if not speaker.text:
        return None
    start, end, text = content
    lemma = noun.lemma_.lower()
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker,
                        Cue(noun.text, lemma, "neutral", "neutral"), ("speech_noun:" + lemma,))


def _statement_clauses(cue: Token) -> list[Token]:
    """'told the paper in a statement that ...': the parser hangs the that-clause on the speech noun."""
    nouns = [o for p in cue.children if p.dep_ == "prep" for o in p.children
             if o.dep_ == "pobj" and o.lemma_.lower() in _speech_nouns()]
    return [c for n in nouns for c in n.children if c.dep_ in {"acl", "ccomp"} and c.i > n.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]


@functools.lru_cache(maxsize=1)
def _directive_cues() -> frozenset[str]:
    return frozenset(word_list("directive_cues.txt"))


HYPOTHETICAL_MODALS = frozenset({"would", "could", "might", "may", "should"})


def _negated_or_hypothetical(cue: Token) -> bool:
    """'did not say', 'never said', 'would say', 'might claim': speech that the text does not report as made."""
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS) for c in cue.children)


def _words_outside_quotes(ctx: _Context, start: int, end: int) -> int:
    """Words in [start, end) that no quotation covers."""
    quoted = [(q.start, q.end) for _, _, q in ctx.quote_index.overlapping(start, end)]
    return sum(1 for t in ctx.tokens(start, end)
               if t.is_alpha and start <= t.idx < end and not any(s <= t.idx < e for s, e in quoted))


@functools.lru_cache(maxsize=1)
def _speech_nouns() -> frozenset[str]:
    return frozenset(word_list("speech_nouns.txt"))


def _partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Attribution:
    """Speaker of quoted words inside a narrator's sentence, where the text gives one."""
    for earlier in _recent(ctx, paragraph.number):
        inside = earlier.start <= quote.start and quote.end <= earlier.end + 1
        if earlier.kind != PARTIAL and inside and earlier.speaker_text and not _own_named_cue(ctx, quote, earlier):
            speaker, cue = _same_speaker(earlier)
            return _quoted(PARTIAL, quote, speaker, cue, ("inside_" + earlier.kind,))
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        node = node.head
        cue = cue_at(node)
        if cue is not None and not ctx.in_quote(node.idx) and _negated_or_hypothetical(node):
            return _quoted(PARTIAL, quote, NO_SPEAKER, None, ("negated_cue",))
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


def _own_named_cue(ctx: _Context, quote: QuoteSpan, earlier: Attribution) -> bool:
    """True if the cue governing a quote inside an earlier report has a named subject of its own inside that
    report ('X reported that ..., while Y called it "unexpected"'): the words are Y's, not X's."""
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        node = node.head
        if cue_at(node) is not None and not ctx.in_quote(node.idx):
            subject = _subject(node)
            return (subject is not None and subject.pos_ == "PROPN" and earlier.start <= subject.idx < quote.start
                    and ctx.cluster_at(subject.idx, subject.idx + len(subject)) is not None)
    return False


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
    turns = {a.paragraph: a for a in _find_turns(ctx)}
    for paragraph in paragraphs:
        here = quotes_by_paragraph.get(paragraph.number, [])
        if paragraph.number in turns:
            ctx.found.append(turns[paragraph.number])  # speech of its own: no narrator's cues inside
            here = [q for q in here if not _is_partial(ctx, q, paragraph)]
            first_new = len(ctx.found)
            for quote in here:
                ctx.found.append(_direct(ctx, quote, paragraph, set()))
            ctx.found[first_new - 1:] = sorted(ctx.found[first_new - 1:], key=lambda a: a.start)
            continue
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
            if cue is None:
                announced = _announcement(ctx, event, paragraph)
                if announced is not None:
                    ctx.found.append(announced)
                continue
            if cue.stance == "labelling" or event.i in used_cues:
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
