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
from course.analysis.names import is_title
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
    if token.lower_ == "per" and _per_source(token) is not None:
        return Cue(token.text, "according to", *lexicon["according to"])
    if token.pos_ != "VERB":
        return None
    if token.lemma_.lower() == "read" and any(
            c.dep_ in SUBJECT_DEPS and c.lemma_.lower() in word_set("written_texts.txt") for c in token.children):
        return Cue(token.text, "read", "neutral", "neutral")  # 'The decree read "..."': the text's own words
    particles = [c for c in token.children if c.dep_ == "prt"]
    for lemma in _lemma_candidates(token):
        if particles and f"{lemma} {particles[0].lower_}" in lexicon:
            phrase = f"{lemma} {particles[0].lower_}"
            return Cue(f"{token.text} {particles[0].text}", phrase, *lexicon[phrase])
        if lemma in lexicon:
            return Cue(token.text, lemma, *lexicon[lemma])
    return None


def _per_source(token: Token) -> Token | None:
    """The object of a 'per' that means 'according to': 'Per the decree, priests must ...', 'Per numbers
    reported by the agency, ...' opening a sentence or clause, its phrase closed by a comma; not '$5 per hour'."""
    doc = token.doc
    if not (token.is_sent_start or (token.i and doc[token.i - 1].text in {",", ";", "—", "–"})):
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}]
    if not objects:
        return None
    after = objects[0].right_edge.i + 1
    return objects[0] if after < len(doc) and doc[after].text == "," else None


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
        self.shared_speakers: dict[int, Speaker] = {}  # a cue conjoined to an earlier one: its speaker

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
                found = found or HONORIFIC_GENDER.get(word) or self._apposition_gender(mention.end)
            self.genders[cluster.name] = found or self._pronoun_gender(cluster)
        return self.genders[cluster.name]

    def _apposition_gender(self, end: int) -> str | None:
        """'Jim Swire, father of a victim', 'Ana Lee, the mother of ...': a gendered noun in apposition."""
        after = self.text[end:end + 40]
        match = re.match(r",\s+(?:(?:the|a|an|his|her)\s+)?([a-z]+)\b", after)
        return NOUN_GENDER.get(match.group(1)) if match else None

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
        # "Ana Lee was quoted as saying ...": the passive subject of the governing verb
        objects = objects or [c for c in cue.head.head.children if c.dep_ == "nsubjpass"]
        if objects:
            return objects[0]
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and not c.is_punct]
    if (len(subjects) > 1 and subjects[-2].pos_ == "NOUN" and subjects[-2].right_edge.i == subjects[-2].i
            and subjects[-1].pos_ == "PROPN"
            and subjects[-1].left_edge.i == subjects[-2].right_edge.i + 1):
        return subjects[-1]  # "The secular magazine MicroVista described": the parser made two subjects
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
            return _past_according_to(child)
    inside = _according_appos(cue)
    if inside is not None:
        return inside
    if (cue.dep_ == "acl" and cue.head.dep_ == "ROOT" and cue.head.pos_ in {"PROPN", "NOUN"}
            and cue.head.i < cue.i and any(t.text == "," for t in cue.doc[cue.head.i:cue.i])):
        return cue.head  # "Ana Lee, the mother of a victim, thought ...": the parser made the name the root
    if cue.dep_ in {"xcomp", "conj", "advcl", "acl"} and cue.head.i != cue.i:
        return _subject(cue.head)
    return None


def _past_according_to(subject: Token) -> Token:
    """'According to the agency ISNA, the prosecutor, Ana Lee, said ...': the small model may make the
    agency the subject and hang the real one on it in apposition; the speaker is the apposition."""
    doc = subject.doc
    left = subject.left_edge.i
    if left >= 2 and doc[left - 1].lower_ == "to" and doc[left - 2].lower_ == "according":
        appositions = [c for c in subject.children if c.dep_ == "appos" and c.i > subject.i]
        if appositions:
            return appositions[0]
    return subject


def _according_appos(verb: Token) -> Token | None:
    """'According to the Herald, the prosecutor, Omar Quist, said ...' parsed with no subject for 'said' and
    the prosecutor in apposition to the Herald: the apposition is the verb's subject."""
    for according in (c for c in verb.children if c.lower_ == "according" and c.i < verb.i):
        objects = [o for to in according.children if to.lower_ == "to" for o in to.children if o.dep_ == "pobj"]
        appositions = [a for o in objects for a in o.children if a.dep_ == "appos" and a.i > o.i]
        if appositions:
            return appositions[0]
    return None


def _speaker_token(cue: Token, cue_info: Cue) -> Token | None:
    if cue_info.lemma == "according to" and cue.lower_ == "per":
        return _per_source(cue)
    if cue_info.lemma == "according to":
        to = cue.nbor(1)
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:  # 'According to ISNA, the prosecutor said': the model may make ISNA the subject
            objects = [t for t in cue.doc[to.i + 1: to.i + 10] if t.dep_ in SUBJECT_DEPS
                       and t.left_edge.i == to.i + 1 and _past_according_to(t).i != t.i]
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
        issuer = _issuer(ctx, head)
        if issuer is not None:  # "They released a statement which said ...": theirs
            head = issuer
        if (head.dep_ == "appos" and head.head.pos_ == "PROPN" and head.head.i < head.i
                and head.lemma_.lower() in word_set("person_roles.txt")
                and ctx.cluster_at(head.head.idx, head.head.idx + len(head.head))):
            head = head.head  # "Ana Lee, an aviation expert, who said ...": the name the description stands beside
    head = _past_hyphen(ctx, head)
    if head.pos_ in {"VERB", "AUX"}:
        return NO_SPEAKER  # 'not only implying approval, but also recommending ...': a clause is no speaker
    owners = [c for c in head.children if c.dep_ == "poss"]
    if head.lemma_.lower() in _speech_nouns() and owners:
        head = owners[0]  # "his responses described it as ...": the words are his
    exemplar = _exemplar(ctx, head)
    if exemplar is not None:  # "Some, like Ana Lee, called ...": the one person the text names
        return exemplar
    if head.pos_ == "PRON":
        return _resolve_pronoun(ctx, head, paragraph)
    same = _same_source(ctx, head, paragraph)
    if same is not None:
        return same
    left = head.left_edge.i
    named_end = _phrase_end(head)
    named = doc[left:named_end]
    # the head word's own name first: in "Ferry captain Ahmed Haddad" the descriptor "Ferry" may be
    # part of another entity's mention, but the speaker is the person the head word names
    possessors = [t for c in head.children if c.dep_ == "poss" for t in c.subtree]
    # "Thomas' sister said": the sister speaks, not Thomas
    owned = doc[max(left, possessors[-1].i + 1):named_end] if possessors else named
    if head.pos_ == "NOUN" and not ctx.cluster_at(head.idx, head.idx + len(head)):
        # "Lady Gaga fans", "the Trump campaign", "a statement on Weibo": a name that only modifies a common
        # noun is not the speaker, but the author of a post or statement ('a post by Ana Lee') is
        if head.lemma_.lower() in _speech_nouns():
            authors = [o for p in head.children if p.dep_ in {"prep", "agent"} and p.lower_ in {"by", "from"}
                       for o in p.children if o.dep_ == "pobj" and not ctx.in_quote(o.idx)]
            author = _resolve_speaker(ctx, authors[0], paragraph) if authors else None
            if author is not None and author.kind == NAMED:
                return author
        # 'The text in which Ana Lee described her colleague was posted': the text is the writer's
        for clause in (c for c in head.children if c.dep_ == "relcl" and cue_at(c) is not None):
            writer = _subject(clause)
            if writer is not None and writer.i != head.i and writer.pos_ in {"PROPN", "NOUN"}:
                found = _resolve_speaker(ctx, writer, paragraph)
                if found.kind == NAMED and found.label == PERSON:
                    return found
        # a name after the noun still names the speaker ('academic and professor Ana Lee' parsed with the
        # noun as head), but not after a speech noun ('a statement on Weibo')
        owned = doc[head.i:head.i + 1] if head.lemma_.lower() in _speech_nouns() else doc[head.i:named_end]
    cluster = ctx.cluster_at(head.idx, head.idx + len(head), {PERSON}) or ctx.cluster_at(
        owned.start_char, owned.end_char, {PERSON}) or ctx.cluster_at(
        head.idx, head.idx + len(head), SPEAKER_LABELS - {PERSON}
    )
    if cluster is not None:
        return Speaker(cluster.name, cluster.label, named.text, named.start_char, named.end_char, NAMED)
    given = _given_name_alone(ctx, head)
    if given is not None:  # "Hardeep also stated": the one person whose full name starts with it
        return Speaker(given.name, PERSON, head.text, head.idx, head.idx + len(head), NAMED)
    # the parser may hang the name on the last noun of the role ("The mayor of Tarvik, Omar Quist")
    of_nouns = [o for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
                if o.dep_ == "pobj"]
    appositions = list(head.children) + [c for o in of_nouns for c in o.children
                                         if c.dep_ == "appos" and ctx.cluster_at(c.idx, c.idx + len(c), {PERSON})]
    for child in appositions:  # "The secretary general of the council, Ana Lee, said": Lee
        if child.dep_ == "appos" and child.i > head.i and not ctx.in_quote(child.idx):
            # the name itself, not what follows it ('Bong Young-shik from the Asan Institute')
            name_end = min(_phrase_end(child), next(
                (c.i for c in child.children if c.dep_ == "prep" and c.i > child.i), len(doc)))
            name = doc[child.left_edge.i: name_end]
            person = ctx.cluster_at(name.start_char, name.end_char, {PERSON}) or ctx.cluster_at(
                name.start_char, name.end_char) if len(name) <= 6 else None
            if person is not None:  # or "The state news agency, KCNA, said": KCNA
                return Speaker(person.name, person.label, doc[left:name_end].text, named.start_char,
                               name.end_char, NAMED)
    whole = doc[left: head.right_edge.i + 1]
    relatives = [c.left_edge.i for c in head.children
                 if c.dep_ == "relcl" and c.left_edge.i > left and c.left_edge.text.islower()]
    if relatives and head.pos_ in {"NOUN", "PROPN"}:  # "a homeless man who goes by the name Tiny"
        whole = doc[left: min(relatives)]
    commas = [t.i for t in whole if t.i > head.i and t.text in {",", "(", "—", "–", ";"}]
    if commas:  # "The mayor, speaking at a press conference, said": the mayor
        whole = doc[left: commas[0]]
    while len(whole) and (whole[-1].is_punct or whole[-1].is_space):
        whole = whole[:-1]
    phrase = whole.text.strip("\"“”' ")
    referent = _described_person(ctx, head)
    if referent is not None:
        return Speaker(referent.name, PERSON, named.text, named.start_char, named.end_char, NAMED)
    organisation = _described_organisation(ctx, head)
    if organisation is not None:  # 'Amnesty International ... the organisation said': Amnesty International
        return Speaker(organisation.name, organisation.label, named.text, named.start_char, named.end_char, NAMED)
    # the kind from the whole phrase: "a senior official, who asked not to be named," is unnamed
    return Speaker(None, None, phrase, whole.start_char, whole.end_char,
                   _source_kind_of(doc[left: head.right_edge.i + 1].text))


EXEMPLAR_HEADS = frozenset({"some", "others", "many", "several", "one", "few", "most", "all"})


def _exemplar(ctx: _Context, head: Token) -> Speaker | None:
    """'Some, like Ana Lee, called for ...', 'others such as Ana Lee noted ...', 'critics including Ana Lee say':
    a group subject illustrated by one named person, who is the one whose words follow. Only for a single
    person right after 'like' / 'such as' / 'including' (with 'A and B' the group keeps the words)."""
    if not (head.lower_ in EXEMPLAR_HEADS or head.tag_ in {"NNS", "NNPS"}) or ctx.in_quote(head.idx):
        return None
    doc = head.doc
    i = head.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ == "such" and doc[i + 1].lower_ == "as":
        i += 2
    elif i < len(doc) and doc[i].lower_ in {"like", "including"}:
        i += 1
    else:
        return None
    if i >= len(doc):
        return None
    found = ctx.mention_at(doc[i].idx, doc[i].idx + len(doc[i]), {PERSON})
    if found is None or found[0] > doc[i].idx:
        return None
    start, end, cluster = found
    after = [t for t in doc[i: min(len(doc), i + 12)] if t.idx >= end]
    if not after or after[0].lower_ in {"and", "or", "&"} or (
            after[0].text == "," and len(after) > 1 and after[1].lower_ in {"and", "or"}):
        return None
    return Speaker(cluster.name, PERSON, ctx.text[start:end], start, end, NAMED)


def _same_source(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker | None:
    """'The same report states ...': the source of the last report (statement, study ...) quoted
    before, in this paragraph or the one before; its head noun or its cue names the same thing."""
    if head.pos_ != "NOUN" or not any(c.lower_ == "same" and c.i < head.i for c in head.children):
        return None
    noun = head.lemma_.lower()
    phrase = ctx.doc[head.left_edge.i: head.i + 1]
    for earlier in reversed(_recent(ctx, paragraph.number)):
        if earlier.start >= head.idx or not earlier.speaker_text:
            continue
        cue_word = (earlier.cue or "").split()[0].lower() if earlier.cue else ""
        if noun in earlier.speaker_text.lower() or cue_word.startswith(noun[:5]):
            if earlier.speaker is not None:
                return Speaker(earlier.speaker, ctx.labels.get(earlier.speaker), phrase.text, phrase.start_char,
                               phrase.end_char, NAMED)
            return Speaker(None, None, earlier.speaker_text, phrase.start_char, phrase.end_char, earlier.source_kind)
    return None


ISSUING_VERBS = frozenset({"release", "issue", "publish", "post", "send", "put", "share", "sign", "deliver"})


def _issuer(ctx: _Context, noun: Token) -> Token | None:
    """The subject of 'released', 'issued', 'published' ... whose object is a statement, letter or post:
    'The commission released a statement which said ...' quotes the commission."""
    if (noun.lemma_.lower() not in _speech_nouns() or noun.dep_ != "dobj"
            or noun.head.lemma_.lower() not in ISSUING_VERBS):
        return None
    subject = _subject(noun.head)
    return subject if subject is not None and not ctx.in_quote(subject.idx) else None


def _issues_statement(verb: Token) -> bool:
    """'The governor issued a statement ...:', 'The ministry released a letter:': a verb of issuing whose
    object is a statement, letter or post, so the words that follow are its subject's."""
    return verb.lemma_.lower() in ISSUING_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _speech_nouns() | word_set("written_texts.txt") for c in verb.children)


def _given_name_alone(ctx: _Context, head: Token) -> EntityCluster | None:
    """A one-word name the model left untagged that is the first name of exactly one person named in full
    ('Ana Lee ... Ana also said'); None for anything else or when two people share the first name."""
    if head.pos_ != "PROPN" or not head.is_title or head.left_edge.i != head.i or head.right_edge.i != head.i:
        return None
    people = [c for c in ctx.clusters if c.label == PERSON and len(c.name.split()) > 1
              and c.name.split()[0] == head.text]
    return people[0] if len(people) == 1 else None


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
    if any(c.lower_ in {"another", "other", "a", "an"} for c in head.children if c.dep_ in {"det", "amod"}):
        return None  # "another expert", "a spokesman": not the one the text introduced
    if role not in ctx.introduced_as:
        fits = {}
        for start, end, cluster in ctx.mention_index.starting_in(0, len(ctx.text)):
            span = ctx.doc.char_span(start, end, alignment_mode="expand") if cluster.label == PERSON else None
            if span is not None and any(t.lemma_.lower() == role for t in ctx.doc[max(0, span.start - 3): span.start]):
                fits[cluster.name] = cluster
        ctx.introduced_as[role] = next(iter(fits.values())) if len(fits) == 1 else None
    if ctx.introduced_as[role] is None and any(c.lower_ == "the" for c in head.children) and not any(
            c.dep_ in {"amod", "compound", "poss"} for c in head.children):
        return _last_titled(ctx, head, role)
    return ctx.introduced_as[role]


def _organisation_nouns() -> dict[str, str]:
    return dict(table("organisation_nouns.tsv"))


def _described_organisation(ctx: _Context, head: Token) -> EntityCluster | None:
    """The organisation a definite description refers back to ('the organisation', 'the court',
    'the publication'): the last one named before it outside quotation marks whose name fits the
    noun (organisation_nouns.tsv); None when no organisation fits."""
    how = _organisation_nouns().get(head.lemma_.lower())
    if how is None or head.pos_ != "NOUN" or head.tag_ != "NN" or not any(
            c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children):
        return None
    found = None
    for start, _, cluster in ctx.mention_index.starting_in(0, head.idx):
        words = cluster.name.lower().split()
        if cluster.label != "ORG" or ctx.in_quote(start):
            continue
        if how == "any" or (how == "named" and head.lemma_.lower() in words) or (
                how == "outlet" and words[-1] in word_set("outlet_words.txt")):
            found = cluster
    return found


RANK_MODIFIERS = frozenset({"vice", "deputy", "former", "ex", "assistant", "acting", "late"})


def _last_titled(ctx: _Context, head: Token, role: str) -> EntityCluster | None:
    """'The president said': when several people carry the role word, the one last named with it as a title
    before these words ('President Ana Lee'), not a 'Vice President Tom Baker' or a 'former president'."""
    found = None
    for start, _, cluster in ctx.mention_index.starting_in(0, head.idx):
        span = ctx.doc.char_span(start, start + 1, alignment_mode="expand") if cluster.label == PERSON else None
        if span is None or ctx.in_quote(start):
            continue
        before = ctx.doc[max(0, span.start - 3): span.start]
        titled = [t for t in before if t.lemma_.lower() == role]
        if titled and titled[-1].i and ctx.doc[titled[-1].i - 1].lower_.rstrip("-") not in RANK_MODIFIERS:
            found = cluster
    return found


def _resolve_pronoun(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Speaker:
    """Citron-style: a nearby subject in the same paragraph, else the last speaker, else the last person."""
    text = pronoun.text
    if pronoun.lower_ in SINGULAR_PRONOUNS:
        unknown: EntityCluster | None = None  # a subject of unknown gender, if none of the right one comes
        for i in range(pronoun.i - 1, -1, -1):
            token = ctx.doc[i]
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx) and not _reported_subject(token):
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
                # a gendered description ('the spokeswoman') first; 'a spokesperson' only after a person of
                # unknown gender who is the subject in this paragraph ('Brian Hook said ... He added')
                described = _described_speaker(ctx, earlier, wanted, strict=genders == {wanted})
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
    elif pronoun.lower_ == "it":
        found = _it_referent(ctx, pronoun, paragraph)
        if found is not None:
            return found
    elif pronoun.lower_ in PLURAL_PRONOUNS:
        for i in range(pronoun.i - 1, max(0, pronoun.i - 60) - 1, -1):
            token = ctx.doc[i]  # "Officials went to the station, where they claimed ...": the plural subject
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx) and (
                    token.tag_ in {"NNS", "NNPS"} or ctx.cluster_at(token.idx, token.idx + len(token), {"ORG"})):
                # 'The commission criticised the move. They released ...': an organisation may be 'they'
                return _resolve_speaker(ctx, token, paragraph)
        for earlier in reversed(_recent(ctx, paragraph.number)):
            if earlier.source_kind in {DESCRIBED, UNNAMED}:
                return Speaker(None, None, earlier.speaker_text, pronoun.idx, pronoun.idx + len(pronoun),
                               earlier.source_kind)
    return Speaker(None, None, text, pronoun.idx, pronoun.idx + len(pronoun), UNATTRIBUTED)


def _reported_subject(token: Token) -> bool:
    """True for the subject of a clause that a speech verb reports ('Swire believes al-Megrahi was not
    guilty'): the one who speaks next is the reporting subject, Swire, not the one talked about."""
    clause = token.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    return clause.dep_ == "ccomp" and cue_at(clause.head) is not None


def is_expletive_it(pronoun: Token) -> bool:
    """'It has been argued that ...', 'it was reported that ...': an 'it' that stands for nobody."""
    return pronoun.lower_ == "it" and pronoun.dep_ in {"expl", "nsubjpass"}


def _it_referent(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Speaker | None:
    """What a speaking 'it' refers to: never a person. The nearest earlier subject in the paragraph
    that is an organisation, a place or a singular source already quoted ('The city administration
    said ... It added that ...'), else the last such source quoted in this or the previous paragraph."""
    if is_expletive_it(pronoun):
        return None

    def at_pronoun(speaker: Speaker) -> Speaker:
        if speaker.name:
            return Speaker(speaker.name, speaker.label, pronoun.text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        return Speaker(None, None, speaker.text, pronoun.idx, pronoun.idx + len(pronoun), speaker.kind)

    def singular_source(a: Attribution) -> bool:
        if a.speaker is not None:
            return ctx.labels.get(a.speaker) in SPEAKER_LABELS - {PERSON}
        span = ctx.doc.char_span(a.speaker_start or 0, a.speaker_end or 0, alignment_mode="expand")
        return (a.source_kind in {DESCRIBED, UNNAMED} and span is not None and len(span) > 0
                and span.root.pos_ in {"NOUN", "PROPN"} and span.root.tag_ not in {"NNS", "NNPS"}
                and span.root.lemma_.lower() not in word_set("person_roles.txt"))

    recent = [a for a in _recent(ctx, paragraph.number) if a.start < pronoun.idx and a.speaker_text]
    for i in range(pronoun.i - 1, max(0, pronoun.i - 80) - 1, -1):
        token = ctx.doc[i]
        if token.idx < paragraph.start:
            break
        if token.dep_ not in SUBJECT_DEPS or ctx.in_quote(token.idx) or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        for a in reversed(recent):
            if a.speaker_start is not None and a.speaker_end is not None and (
                    a.speaker_start <= token.idx < a.speaker_end) and singular_source(a):
                return at_pronoun(Speaker(a.speaker, ctx.labels.get(a.speaker or ""), a.speaker_text,
                                          a.speaker_start, a.speaker_end, a.source_kind))
        if token.lemma_.lower() in _speech_nouns() and token.tag_ == "NN":
            # 'A statement by the campaign was posted online. It said ...': the statement, so its author
            found = _resolve_speaker(ctx, token, paragraph)
            if found.text and found.kind != UNATTRIBUTED:
                return at_pronoun(found)
        cluster = ctx.cluster_at(token.idx, token.idx + len(token))
        if cluster is not None and cluster.label != PERSON:
            return at_pronoun(Speaker(cluster.name, cluster.label, token.text, token.idx, token.idx + len(token),
                                      NAMED))
    for a in reversed(recent):
        if singular_source(a):
            return at_pronoun(Speaker(a.speaker, ctx.labels.get(a.speaker or ""), a.speaker_text,
                                      a.speaker_start, a.speaker_end, a.source_kind))
    return None


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


def _described_speaker(ctx: _Context, earlier: Attribution, wanted: str, strict: bool = False) -> Speaker | None:
    """An earlier attribution's described source ('the head of the inquiry') that a singular pronoun
    of gender `wanted` can refer to: its head word names a person's role of no other gender
    (`strict`: a role word of that gender, 'spokeswoman')."""
    if earlier.speaker is not None or earlier.source_kind != DESCRIBED or earlier.speaker_start is None:
        return None
    span = ctx.doc.char_span(earlier.speaker_start, earlier.speaker_end or earlier.speaker_start,
                             alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    if head.lemma_.lower() not in word_set("person_roles.txt") or head.tag_ in {"NNS", "NNPS"}:
        return None
    if NOUN_GENDER.get(head.lemma_.lower(), None if strict else wanted) != wanted:
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
    first = None
    for token in cue.doc[cue.i + 1: cue.i + 7]:
        if token.text in {",", ".", ";", '"', "“", "”", "("}:
            break
        found = ctx.mention_at(token.idx, token.idx + len(token))
        if found is not None:
            span = ctx.doc.char_span(found[0], found[1], alignment_mode="expand")
            last = span[-1] if span is not None else token
            if found[2].label == PERSON:  # 'tweeted Mayor of London Sadiq Khan': the person, not the city
                return last
            first = first or last
    return first


def _cue_with_speaker(ctx: _Context, tokens: list[Token], paragraph: Paragraph,
                      relative: bool = False) -> tuple[Cue, Token, Speaker] | None:
    """The first cue among `tokens` with a speaker; a cue in a relative clause only if `relative`."""
    for token in tokens:
        cue = cue_at(token)
        if (cue is None or cue.stance == "labelling" or ctx.in_quote(token.idx)
                or (in_relative_clause(token) and not relative)):
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
    return _holds_clause(tokens)


def _holds_clause(tokens: list[Token]) -> bool:
    """True if `tokens` hold a finite verb whose subject is among them too (see `_is_full_clause`)."""
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


def _holds_later_sentence(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if a quotation that opens as a fragment of the narrator's sentence goes on, after a full stop
    inside its marks, with a sentence of its own: 'Lee "had been kept awake for days. The effects were
    observed carefully."' quotes a text, not a phrase."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end)
              if t.idx >= quote.content_start and not t.is_space]
    for i, token in enumerate(tokens[1:], start=1):
        if tokens[i - 1].text in {".", "!", "?", ";", "...", "…"} and token.is_alpha and token.text[:1].isupper():
            rest = tokens[i:]
            stop = next((j for j, t in enumerate(rest) if t.text in {".", "!", "?", ";"}), len(rest))
            if _holds_clause(rest[:stop]):
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
    full = _is_full_clause(ctx, quote) or _holds_later_sentence(ctx, quote)
    if before[-1].text == "," and _cue_with_speaker(ctx, before, paragraph):
        return not full and quote.text[:1].islower()
    if full and quote.text[:1].islower() and before[-1].is_alpha and cue_at(before[-1]) is None:
        # 'Lee studies "the amazing adaptations insects have evolved"': the quotation goes on with the
        # narrator's clause (lower case, no comma, not after a cue); the small model may misparse it as a clause
        return not _holds_later_sentence(ctx, quote)
    if not full and _reads_as_sentence(ctx, quote) and _cue_with_speaker(ctx, before, paragraph):
        return False  # 'Lee said to AFP "Several rules were not applied."': the parser may miss the clause
    # a full clause is someone's speech of its own, with or without a cue ('...; "[i]t was clear ..."')
    return not full


def _reads_as_sentence(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if the quoted words are written as a sentence of their own: four words or more, opening with
    a capital letter, closing with a full stop, '!' or '?', and holding a finite verb."""
    text = quote.text.strip()
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    return (len(text.split()) >= 4 and text[:1].isupper() and text.endswith((".", "!", "?"))
            and any(t.tag_ in FINITE_TAGS and t.idx >= quote.content_start for t in tokens))


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
        # 'She said "I support you."': the nearest cue; '... Ana Lee, who said "..."': the relative's, right before it
        found = _cue_with_speaker(ctx, head[-1:], paragraph, relative=True) or _cue_with_speaker(
            ctx, head[::-1], paragraph)
    introduced = bool(head) and head[-1].text in {":", ","}
    if found is None and introduced and quote.text.rstrip().endswith((".", "!", "?")):
        # 'Lee said, "Why not?" Vatican official Ana Cruz said, ...': a quotation closed by its own full stop
        # belongs to the cue before it, not to one the parser ran on into the next sentence
        found = _cue_with_speaker(ctx, head, paragraph)
    found = found or _cue_with_speaker(ctx, tail, paragraph)
    if found is None and introduced:
        found = _cue_with_speaker(ctx, head, paragraph)
    if found is None and introduced and len(head) > 1:
        # 'Thomas Gray, who cited his rugby: "..."', 'a statement which said, "..."': the relative clause's
        # cue right before the quotation introduces it
        found = _cue_with_speaker(ctx, [t for t in head[::-1] if t.pos_ == "VERB"][:1], paragraph, relative=True)
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
# '@handle: words' opening a paragraph: a post copied from a social network with its author's handle
_TWEET_LABEL = re.compile(r"(@\w{1,30}):\s+(?=\S)")
_RETWEET = re.compile(r"\s+RT\s+(@\w{1,30}):\s+(?=\S)")
FIRST_SECOND_WORDS = frozenset({"i", "we", "me", "us", "my", "our", "you", "your"})
COLON_CUE = Cue(":", ":", "neutral", "neutral")


def _label_length(ctx: _Context, paragraph: Paragraph) -> int:
    """How many characters a transcript label ('Ana Lee: ', '((Interviewer)) ') takes at the paragraph's start."""
    text = ctx.text[paragraph.start:paragraph.end]
    match = _BRACKET_LABEL.match(text) or _COLON_LABEL.match(text) or _TWEET_LABEL.match(text)
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
    The verb must be a speech cue, or its subject a named person (a named organisation or place when
    the verb is the sentence's main verb: 'While X wonders ..., The Daily Blog sees fit to predict:').
    A paragraph that ends with a bare speech verb ('The Observer blog comments.') is a lead-in too."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    if not text.endswith((":", ",", ".")):  # 'Rathbun stated,' ending a paragraph is a lead-in too
        return None
    colon = ctx.tokens(paragraph.start + len(text) - 1, paragraph.start + len(text))
    if not colon:
        return None
    sentence = colon[-1].sent
    if text.endswith("."):
        if sentence.start_char > paragraph.start or any(c in QUOTE_CHARACTERS for c in text):
            return None  # only a paragraph that is nothing but 'The Observer blog comments.'
        return _bare_cue(ctx, sentence, paragraph)
    for token in sorted(sentence, key=lambda t: t.i != sentence.root.i):  # the main verb first
        if token.pos_ != "VERB" or ctx.in_quote(token.idx) or in_relative_clause(token):
            continue
        cue = cue_at(token)
        head = _subject(token) if cue is None or cue.lemma != "according to" else _speaker_token(token, cue)
        if head is None:
            continue
        speaker = _author_of_object(ctx, token, paragraph) or _resolve_speaker(ctx, head, paragraph)
        if cue is not None and speaker.text:
            return speaker, cue
        if _issues_statement(token) and speaker.text and speaker.kind != UNATTRIBUTED:
            return speaker, Cue(token.text, token.lemma_.lower(), "neutral", "neutral")
        label = _label_of(ctx, speaker.name or "")
        if speaker.kind == NAMED and (label == PERSON or (label in SPEAKER_LABELS and token.i == sentence.root.i)):
            return speaker, Cue(token.text, token.lemma_.lower(), "descriptive", "descriptive")
    return None


def _bare_cue(ctx: _Context, sentence, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """'The Observer blog comments.', 'Lee writes.': a paragraph of one short sentence that is only a subject
    and a speech verb with nothing reported, so what it reports is the next paragraph."""
    root = sentence.root
    cue = cue_at(root)
    if (cue is None or cue.lemma == "according to" or cue.stance == "labelling" or len(sentence) > 10
            or ctx.in_quote(root.idx) or _negated_or_hypothetical(root)
            or any(c.dep_ in {"ccomp", "dobj", "xcomp", "prep", "dative", "advcl"} for c in root.children)):
        return None
    head = _subject(root)
    if head is None or head.pos_ == "PRON" and head.lower_ not in {"he", "she", "it", "they"}:
        return None
    speaker = _resolve_speaker(ctx, head, paragraph)
    return (speaker, cue) if speaker.text and speaker.kind != UNATTRIBUTED else None


def _author_of_object(ctx: _Context, verb: Token, paragraph: Paragraph) -> Speaker | None:
    """'X posted a comment from Ana Lee:', 'X shared a statement by the ministry:': the words that follow
    are the author's, named by 'from'/'by' after a speech noun that is the verb's object."""
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _speech_nouns()):
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}):
            authors = [o for o in prep.children if o.dep_ == "pobj" and not ctx.in_quote(o.idx)]
            if authors:
                speaker = _resolve_speaker(ctx, authors[0], paragraph)
                if speaker.kind == NAMED:
                    return speaker
    return None


def _tweet(ctx: _Context, paragraph: Paragraph, lead: tuple[Speaker, Cue] | None) -> list[Attribution]:
    """A paragraph that opens with '@handle: ' is that account's post (one attribution per post; a
    retweet inside it, ' RT @other: ...', is the other account's). A lead-in that names someone
    ('On Twitter, Ana Lee agrees:') names the author better than the handle does; one that describes
    a group ('Fans have criticised the decision:') does not."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    match = _TWEET_LABEL.match(text)
    if match is None:
        return []
    found = []
    pieces = [(match.start(1), match.end(1), match.end())]
    pieces += [(m.start(1), m.end(1), m.end()) for m in _RETWEET.finditer(text, match.end())]
    cut_at = [m.start() for m in _RETWEET.finditer(text, match.end())] + [len(text)]
    for n, (handle_start, handle_end, start) in enumerate(pieces):
        handle = Speaker(None, None, text[handle_start:handle_end], paragraph.start + handle_start,
                         paragraph.start + handle_end, NAMED)
        if n == 0 and lead is not None and lead[0].kind == NAMED:
            speaker, cue = lead
        else:
            speaker, cue = handle, COLON_CUE
        end = cut_at[n]
        found.append(_attribution(DIRECT, paragraph.start + start, paragraph.start + end, text[start:end],
                                  paragraph.number, speaker, cue, ("tweet",)))
    return found


ELISIONS = frozenset({"...", "…", "[...]", "[…]", "(...)", "(…)"})


def _speaks_in_person(ctx: _Context, paragraph: Paragraph) -> bool:
    """True if the paragraph's own words (outside quotation marks) say I, we, my, our, us or you."""
    return any(t.lower_ in FIRST_SECOND_WORDS and t.text != "US" and not ctx.in_quote(t.idx)
               for t in ctx.tokens(paragraph.start, paragraph.end))


def _narrator_report(ctx: _Context, paragraph: Paragraph) -> bool:
    """True if the paragraph reports someone's words the narrator's way: a cue whose subject is a
    name or a third-person pronoun ('Meanwhile, the Blog reports that ...', 'She added ...')."""
    for token in ctx.tokens(paragraph.start, paragraph.end):
        cue = cue_at(token)
        if cue is None or ctx.in_quote(token.idx):
            continue
        if cue.lemma == "according to":
            return True
        subject = _subject(token)
        if subject is not None and (subject.lower_ in {"he", "she", "they", "it"} or (
                subject.pos_ == "PROPN" and ctx.cluster_at(subject.idx, subject.idx + len(subject)) is not None)):
            return True
    return False


def _block_continues(ctx: _Context, first: int, labelled: set[int]) -> list[Paragraph]:
    """The paragraphs after a block quote's first paragraph (index `first`) that go on quoting it.

    A blog post or statement quoted as a block over several paragraphs, with no quotation marks, loses its
    indentation in plain text. Its later paragraphs are taken as the same speaker's only up to the last one,
    within four, that speaks in the first or second person (the narrator of news does not), and only while
    none of them ends with a lead-in of its own, holds quotation marks, opens with a label, or reports
    someone's words the narrator's way. An elision line ('...') in between is skipped."""
    run: list[tuple[Paragraph, bool]] = []
    for paragraph in ctx.paragraphs[first + 1: first + 5]:
        text = ctx.text[paragraph.start:paragraph.end].strip()
        if text in ELISIONS:
            run.append((paragraph, False))
            continue
        if (not text or text.endswith((":", ",")) or paragraph.number in labelled
                or any(q.paragraph == paragraph.number for q in ctx.quotes) or _narrator_report(ctx, paragraph)):
            break
        run.append((paragraph, _speaks_in_person(ctx, paragraph)))
    last = max((n for n, (_, personal) in enumerate(run) if personal), default=-1)
    return [p for p, _ in run[: last + 1] if ctx.text[p.start:p.end].strip() not in ELISIONS]


def _find_turns(ctx: _Context) -> list[Attribution]:
    """Speech that stands as paragraphs of its own: transcript turns ('Ana Lee: ...'), their
    first-person continuations, and block quotes after a lead-in that ends with a colon.

    Fills `ctx.turns` (paragraph -> speaker, cue, flag), which quotation marks inside such
    paragraphs fall back on, and returns the attributions of paragraphs without quotation marks.
    """
    labels = {p.number: _transcript_label(ctx, p) for p in ctx.paragraphs}
    is_transcript = sum(label is not None for label in labels.values()) >= 2
    tweets = {p.number for p in ctx.paragraphs if _TWEET_LABEL.match(ctx.text[p.start:p.end])}
    found = []
    current: tuple[Speaker, Cue, str] | None = None
    continued: dict[int, tuple[Speaker, Cue, str]] = {}
    for i, paragraph in enumerate(ctx.paragraphs):
        label = labels[paragraph.number] if is_transcript or _starts_with_quote(ctx, paragraph, labels) else None
        lead = _lead_in(ctx, ctx.paragraphs[i - 1]) if i else None
        start = paragraph.start
        if label is None and paragraph.number in tweets:
            posts = _tweet(ctx, paragraph, lead)
            ctx.turns[paragraph.number] = (_same_speaker(posts[0])[0], COLON_CUE, "tweet")
            found += posts
            current = None
            continue
        if label is not None:
            current = (label[0], COLON_CUE, "transcript")
            start = label[1]
        elif lead is not None:
            current = (lead[0], lead[1], "block_quote")
        elif current is not None and current[2] == "transcript" and _is_continuation(ctx, paragraph):
            current = (current[0], current[1], "transcript")
        elif paragraph.number in continued:
            current = continued[paragraph.number]
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
            for later in _block_continues(ctx, i, {n for n, v in labels.items() if v is not None} | tweets):
                continued[later.number] = (speaker, cue, "block_quote_continued")
        if flag in {"block_quote", "block_quote_continued"}:
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
    if is_all_quote and paragraph.number > 1 and not any(a.paragraph == paragraph.number - 1 for a in recent):
        introduced = _introduced_person(ctx, ctx.paragraphs[paragraph.number - 2])  # numbered from 1
        if introduced is not None:
            return introduced, "introduced_in_previous_paragraph"
    return None


def _introduced_person(ctx: _Context, paragraph: Paragraph) -> Attribution | None:
    """'Another expert, Bong Young-shik from the Asan Institute, doubts the commitment.' followed by a
    paragraph that is all quotation: the person the paragraph before is about (the named subject of its
    last sentence), who is then quoted. A pseudo-attribution carrying only the speaker."""
    tokens = ctx.tokens(paragraph.start, paragraph.end)
    if not tokens or ctx.in_quote(tokens[-1].idx):
        return None
    root = tokens[-1].sent.root
    subjects = [c for c in root.children if c.dep_ == "nsubj" and not ctx.in_quote(c.idx)]
    if not subjects or root.pos_ != "VERB":
        return None
    speaker = _resolve_speaker(ctx, subjects[0], paragraph)
    person = ctx.labels.get(speaker.name or "") == PERSON or subjects[0].lemma_.lower() in word_set("person_roles.txt")
    if speaker.kind != NAMED or not person:  # 'Another expert, <a name the model calls an ORG>,': a person
        return None
    return _attribution(DIRECT, paragraph.start, paragraph.start, "", paragraph.number, speaker, None)


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
    if len([t for t in tokens if t.is_alpha or t.like_num]) < 3:  # '18 people died' is a report
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    pieces = [tokens[0].text]
    for before, token in itertools.pairwise(tokens):
        gap = token.idx != before.idx + len(before.text_with_ws)
        pieces.append((" " if gap or before.whitespace_ else "") + token.text)
    return start, end, "".join(pieces)


def _reported_by(according: Token, verb: Token) -> bool:
    """True if an 'according to X' that opens the sentence before the verb's subject reports the whole
    report: 'According to ISNA, the prosecutor said ...' is ISNA's report of what the prosecutor said
    (two attributions), while 'Lee said ..., according to a statement' is one."""
    subject = _subject(verb)
    return subject is not None and according.i < subject.left_edge.i and subject.pos_ in {"PROPN", "NOUN"}


def _has_verb_cue(token: Token, ctx: _Context) -> bool:
    """True if `token` is a speech verb that reports something of its own: a clause ('insisted that ...'),
    or an object for the verbs whose object is the report ('denied any wrongdoing'); not 'her body showed signs'."""
    cue = cue_at(token)
    reports = any(c.dep_ == "ccomp" for c in token.children) or (
        cue is not None and cue.lemma in NOUN_PHRASE_CUES and any(c.dep_ == "dobj" for c in token.children))
    return (cue is not None and cue.lemma != "according to" and cue.stance != "labelling" and reports
            and cue.lemma not in THINKING_CUES  # "According to ABC, Lee believes ...": ABC's report
            and not ctx.in_quote(token.idx) and _subject(token) is not None)


def _indirect(ctx: _Context, token: Token, cue: Cue, paragraph: Paragraph) -> Attribution | None:
    """Reported speech around a cue outside quotation marks, or None if the cue reports nothing."""
    complements: list[Token] = []
    if cue.lemma in THINKING_CUES:
        return None  # "a teacher thought it resembled a bomb": a thought, not speech (Bender et al.)
    if cue.lemma == "according to":
        if any(_has_verb_cue(t, ctx) and not in_relative_clause(t) and not _reported_by(token, t)
               for t in token.ancestors):
            return None  # "X insisted that ..., according to a statement": the verb attributes it
        phrase = set(t.i for t in token.subtree)
        reporter = _according_appos(token.head) if token.head.i != token.i else None
        if reporter is not None and not any(c.dep_ in SUBJECT_DEPS for c in token.head.children):
            phrase -= {t.i for t in reporter.subtree}  # the inner speaker is no source
            phrase -= {t.i for t in token.subtree if t.i > reporter.i}
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
            # 'said it would be "a condition of travel" and "masks [...] we must keep" so the public should
            # use ...': the small model hangs each coordinated part on the cue as a clause of its own
            for later in complements[1:]:
                between = token.doc[clause[-1].i: later.left_edge.i]
                if later.i > clause[-1].i and not any(t.text == "." for t in between):
                    clause += list(token.doc[clause[-1].i + 1: later.right_edge.i + 1])
            if not any(t.pos_ in {"VERB", "AUX"} for t in clause):
                return None  # "found it hilariously ironic": a judgement, not a report
        elif directives and cue.lemma in _directive_cues() and not (in_relative_clause(token) and token.dep_ != "acl"):
            # "urged the embassy to reconsider"; not "a teacher, who asked not to be named, said ..."
            clause = list(directives[0].subtree)
        elif token.dep_ == "parataxis":  # "The Legion, he said, has ..."
            inner = set(t.i for t in token.subtree)
            clause = [t for t in token.head.subtree if t.i not in inner]
        elif cue.lemma in NOUN_PHRASE_CUES and _reported_object(ctx, token):
            clause = _reported_object(ctx, token)  # "Scientists report two new treatments for Ebola"
        else:
            return None
    if _negated_or_hypothetical(token):
        return None  # "she did not say that ...", "he would say that ...": not her words
    second = _conjoined_cue(ctx, token, clause)
    if second is not None:  # "said the bridge would reopen but warned that ...": two reports
        clause = [t for t in clause if t.i < second[0]]
    content = _content_span(ctx, clause)
    if content is None:
        return None
    start, end, text = content
    quotes = [q for _, _, q in ctx.quote_index.overlapping(start, end)]
    if any(q.end - q.start > (end - start) / 2 and not _is_partial(ctx, q, paragraph) for q in quotes):
        return None  # the clause is a direct quotation; handled there
    if _words_outside_quotes(ctx, start, end) < (1 if quotes else 2):
        return None  # 'added they "would not consider it"': the narrator's "they" and quoted words
    if token.i in ctx.shared_speakers:
        speaker = ctx.shared_speakers[token.i]
        return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ())
    head = _speaker_token(token, cue)
    if head is not None and head.dep_ == "nsubjpass" and head.head.i == token.i and not is_expletive_it(head):
        # "the parents were advised to ...", "he was told that ...": the one spoken to, not the speaker
        agents = [o for a in token.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
        if not agents:
            return None
        head = agents[0]
    if head is None and token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"} and token.tag_ != "VBN":
        head = token.head  # "officials asking the US to waive immunity"; not "the taxes requested ..."
    head = head or _named_after(ctx, token)
    speaker = _resolve_speaker(ctx, head, paragraph) if head is not None else NO_SPEAKER
    if head is not None and is_expletive_it(head) and complements:
        return _attribution(INDIRECT, start, end, text, paragraph.number, NO_SPEAKER, cue, ("no_source",))
    if not speaker.text:
        return None
    if second is not None:
        ctx.shared_speakers[second[1].i] = speaker
    refused = any(t.lemma_.lower() in {"decline", "refuse"} or t.dep_ == "neg" for t in [token.head, *token.children])
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ("declined",) if refused else ())


# Cues whose object is itself what was reported when no clause follows: "denied any wrongdoing",
# "described the ruling as historic", "reported sellers offering free toilet paper".
NOUN_PHRASE_CUES = frozenset({"report", "describe", "deny", "announce", "reveal", "predict", "estimate"})


def _reported_object(ctx: _Context, cue: Token) -> list[Token]:
    """The object of a cue and what completes it ('X as Y', a participle or small clause after it), or []
    when the object is a pronoun, a quotation, a speech noun or anything without a noun of its own."""
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i]
    if not objects:
        return []
    obj = objects[0]
    if (obj.pos_ not in {"NOUN", "PROPN", "NUM"} or ctx.in_quote(obj.idx) or obj.lemma_.lower() in _speech_nouns()
            or obj.lemma_.lower() in COMPLEMENT_NOUNS):
        return []
    tokens = list(obj.subtree)
    completions = [c for c in cue.children if c.i > obj.i and (
        c.dep_ in {"oprd", "xcomp", "ccomp"} or (c.dep_ == "prep" and c.lower_ == "as"))]
    for sibling in completions:
        if any(t.text in QUOTE_CHARACTERS for t in sibling.subtree):
            return []  # 'described the cuts as "a painful step"': the quoted words are the attribution
        tokens += list(sibling.subtree)
    if cue.lemma_.lower() == "describe" and not completions and not any(
            c.dep_ == "acl" and c.tag_ == "VBG" for c in obj.children):
        return []  # "described the night of the storm": a topic, not what was said about it
    return sorted(tokens, key=lambda t: t.i)


# Nouns that carry someone's words in a that-clause: "Kim's assertion that ...", "reports that ...".
COMPLEMENT_NOUNS = frozenset({"assertion", "claim", "report", "allegation", "statement", "announcement",
                              "warning", "suggestion", "insistence", "admission", "accusation", "rumour",
                              "rumor", "promise", "pledge", "threat", "remark", "comment", "argument"})


def _noun_complement(ctx: _Context, noun: Token, paragraph: Paragraph) -> Attribution | None:
    """'rejected Kim's assertion that the North is a nuclear power', 'denied reports that ...': the clause
    is the words of the noun's owner, or of the reports themselves when they have no owner."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in COMPLEMENT_NOUNS or ctx.in_quote(noun.idx):
        return None
    clauses = [c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.i > noun.i
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
               and any(d.dep_ in SUBJECT_DEPS | {"expl"} for d in c.children)]
    if not clauses:
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if owners:
        speaker = _resolve_speaker(ctx, owners[0], paragraph)
    elif noun.tag_ == "NNS" and not any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
        phrase = ctx.doc[noun.left_edge.i: noun.i + 1]
        speaker = Speaker(None, None, phrase.text, phrase.start_char, phrase.end_char, _source_kind_of(phrase.text))
    else:
        return None
    content = _content_span(ctx, list(clauses[0].subtree))
    if not speaker.text or content is None or _words_outside_quotes(ctx, content[0], content[1]) < 2:
        return None
    start, end, text = content
    lemma = noun.lemma_.lower()
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker,
                        Cue(noun.text, lemma, "neutral", "neutral"), ("speech_noun:" + lemma,))


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


def _conjoined_cue(ctx: _Context, cue: Token, clause: list[Token]) -> tuple[int, Token] | None:
    """(where to cut, second cue) when the reported clause runs on into a second cue of the same
    speaker: 'said the bridge would reopen but warned that repairs could take months'. The small model
    often hangs 'warned' on 'reopen'; a cue verb with no subject of its own after 'and'/'but', with a
    clause of its own, starts a second report."""
    inside = {t.i for t in clause}
    for token in clause:
        # ', adding that ...', ', insisting she was ...': a participle after a comma is a second report too
        participle = (token.dep_ == "advcl" and token.tag_ == "VBG" and token.i > 0
                      and cue.doc[token.i - 1].text == ",")
        if ((token.dep_ != "conj" and not participle) or token.pos_ != "VERB" or ctx.in_quote(token.idx)
                or token.i <= cue.i or any(c.dep_ in SUBJECT_DEPS | {"expl"} for c in token.children)):
            continue
        second = cue_at(token)
        if second is None or second.stance == "labelling" or second.lemma == "according to":
            continue
        if not any(c.dep_ == "ccomp" and c.i > token.i for c in token.children):
            continue
        joints = [c for c in token.head.children if c.dep_ == "cc" and c.i < token.i and c.i in inside]
        cut = joints[-1].i if joints else token.i
        while cut - 1 in inside and (cue.doc[cut - 1].is_punct or cue.doc[cut - 1].dep_ == "advmod"):
            cut -= 1
        return cut, token
    return None


def _nested_report(ctx: _Context, outer: Attribution, cue: Token) -> bool:
    """True if a cue inside an earlier report starts a report of its own: 'According to the agency, the
    prosecutor, Ana Lee, said the suspects must face trial' reports the agency's report of what Lee said.
    Only for an outer 'according to' and an inner cue whose subject names someone."""
    if outer.cue is None or outer.cue.lower() not in {"according to", "per"} or ctx.in_quote(cue.idx):
        return False
    subject = _subject(cue)
    return subject is not None and subject.pos_ in {"PROPN", "NOUN"} and (
        ctx.cluster_at(subject.idx, subject.idx + len(subject)) is not None
        or any(c.dep_ == "appos" for c in subject.children)
        or _resolve_speaker(ctx, subject, ctx.paragraphs[outer.paragraph - 1]).kind == NAMED)


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
# verbs of thinking report no speech of their own (Bender et al., "verbs to avoid for attribution")
THINKING_CUES = frozenset({"think", "believe", "hope", "fear"})


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


TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "for", "and", "or", "in", "on", "to", "at", "by", "with",
                               "from", "as", "de", "la", "le", "von"})


def _is_title(quote: QuoteSpan) -> bool:
    """Quoted words in title case ('"A Tribute For a King"', '"Best Hero"') name a work, an event or a
    prize rather than quote anyone: textacy drops all-title-case quotations for the same reason. One
    capitalised word ('"Doomsday"') may be someone's word, so it takes two or more."""
    words = re.findall(r"[^\W\d_][\w'’-]*", quote.text)
    if len(words) < 2 or len(words) > 10 or not words[0][:1].isupper() or is_title(words[0]):
        return False  # a rank or title first ('"General Mayhem"') makes a person's nickname: someone's label
    return all(w[:1].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words) and any(
        w[:1].isupper() and w.lower() not in TITLE_SMALL_WORDS for w in words[1:])


def _partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Attribution:
    """Speaker of quoted words inside a narrator's sentence, where the text gives one."""
    # the innermost report first: in "According to ISNA, the prosecutor said ... "murder charges"" the words
    # are the prosecutor's
    for earlier in sorted(_recent(ctx, paragraph.number), key=lambda a: a.end - a.start):
        inside = earlier.start <= quote.start and quote.end <= earlier.end + 1
        if earlier.kind != PARTIAL and inside and earlier.speaker_text and not _own_named_cue(ctx, quote, earlier):
            speaker, cue = _same_speaker(earlier)
            return _quoted(PARTIAL, quote, speaker, cue, ("inside_" + earlier.kind,))
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        node = node.head
        if _across_semicolon(ctx, node, tokens[0]):
            break  # 'they "would not consider it"; Interpol didn't disclose ...': another clause's verb
        owned = _quoted_owner(ctx, node, quote, paragraph)
        if owned is not None:  # 'The ministry gave its "deepest sympathies"', 'Lee's "reckless" plan'
            return _quoted(PARTIAL, quote, owned, None, ("owner",))
        cue = cue_at(node)
        if cue is not None and not ctx.in_quote(node.idx) and _negated_or_hypothetical(node):
            if any(cue_at(a) is not None and not _negated_or_hypothetical(a) for a in node.ancestors):
                continue  # "X claimed that Y would agree if someone 'came down ...'": X's report
            return _quoted(PARTIAL, quote, NO_SPEAKER, None, ("negated_cue",))
        if cue is not None and not ctx.in_quote(node.idx):
            subject = _subject(node)
            # "once hailed as ..." / "praised, called ...": the subject is labelled, not labelling; but in
            # "X referred to the plane as ..." or "X hailed him as ..." the object is labelled, by X
            participle = (node.tag_ == "VBN" and not any(c.dep_ == "aux" for c in node.children)) or (
                cue.stance == "labelling" and any(c.lower_ == "as" for c in node.children)
                and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "to") for c in node.children))
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
    found = _sentence_cue(ctx, quote, paragraph)
    if found is not None:  # 'X went on to say he ... because they had "accepted responsibility"'
        cue, _, speaker = found
        return _quoted(PARTIAL, quote, speaker, cue, ("sentence_cue",))
    subject = _complement_subject(ctx, quote)
    if subject is not None:
        speaker = _resolve_speaker(ctx, subject, paragraph)  # 'The mayor thanked "the police for ..."'
        if speaker.text and speaker.kind != UNATTRIBUTED:
            return _quoted(PARTIAL, quote, speaker, None, ("sentence_subject",))
    return _quoted(PARTIAL, quote, NO_SPEAKER, None)


COMPLEMENT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "acomp"})


def _complement_subject(ctx: _Context, quote: QuoteSpan) -> Token | None:
    """The subject of the verb whose object or complement the quoted words are, with no cue in between:
    'The mayor thanked "the police for their response"', 'Boeing referred to it as a "cargo plane"'.
    Quoted words deeper in a noun phrase ('lost an appeal on the "cruel" treatment') get no speaker."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end) if t.idx >= quote.content_start]
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside and not t.is_punct]
    if len(roots) != 1:
        return None
    root = roots[0]
    verb = root.head
    if root.dep_ == "pobj" and verb.lower_ in {"as", "to"} and verb.dep_ == "prep":
        verb = verb.head  # 'referred to it as a "cargo plane"'
    elif root.dep_ not in COMPLEMENT_DEPS:
        return None
    if verb.pos_ != "VERB" or ctx.in_quote(verb.idx) or _negated_or_hypothetical(verb):
        return None
    subject = _subject(verb)
    if subject is None or ctx.in_quote(subject.idx) or subject.i > verb.i or is_expletive_it(subject):
        return None
    return subject


def _across_semicolon(ctx: _Context, a: Token, b: Token) -> bool:
    """True if a semicolon outside quotation marks stands between two tokens: the small model often
    parses two clauses joined by a semicolon as one."""
    lo, hi = sorted((a.i, b.i))
    return any(t.text == ";" and not ctx.in_quote(t.idx) for t in a.doc[lo + 1: hi])


def _sentence_cue(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> tuple[Cue, Token, Speaker] | None:
    """The nearest speech cue with a speaker in the clause (up to a semicolon) that holds a quotation,
    before it first."""
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    if not tokens:
        return None
    sentence = [t for t in tokens[0].sent if not ctx.in_quote(t.idx) and t.idx >= paragraph.start
                and not _across_semicolon(ctx, t, tokens[0])]
    # not a cue inside another cue's report ('X denied that Y threatened to ...; "..."': X's, not Y's)
    sentence = [t for t in sentence if not any(cue_at(a) is not None and not ctx.in_quote(a.idx)
                                               for a in t.ancestors)]
    before = [t for t in sentence if t.idx < quote.start][::-1]
    after = [t for t in sentence if t.idx >= quote.end]
    return _cue_with_speaker(ctx, before, paragraph) or _cue_with_speaker(ctx, after, paragraph)


def _quoted_owner(ctx: _Context, noun: Token, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """The owner of a noun phrase whose words are quoted: a possessive outside the quotation
    ('its "deepest sympathies"' is the subject's, 'Lee's "reckless" plan' is Lee's)."""
    if noun.pos_ not in {"NOUN", "PROPN"} or not (quote.content_start <= noun.idx < quote.content_end + 1):
        return None
    owners = [c for c in noun.children if c.dep_ == "poss" and not ctx.in_quote(c.idx)]
    if not owners:
        return None
    owner = owners[0]
    if owner.pos_ == "PRON":
        if owner.lower_ in {"my", "our", "your"}:
            return None
        subject = _governing_subject(noun)
        if subject is not None and subject.pos_ != "PRON" and not ctx.in_quote(subject.idx) and (
                owner.lower_ in {"its", "their"} or ctx.cluster_at(subject.idx, subject.idx + len(subject), {PERSON})):
            owner = subject  # "The ministry gave its ...": the subject; "Lee said his ...": Lee
        elif owner.lower_ not in {"his", "her"}:
            return None  # 'his'/'her' with no named subject: resolved as 'he'/'she' are
    speaker = _resolve_speaker(ctx, owner, paragraph) if owner.pos_ != "PRON" else _resolve_pronoun(
        ctx, owner, paragraph)
    return speaker if speaker.text and speaker.kind != UNATTRIBUTED else None


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
    turns: dict[int, list[Attribution]] = {}
    for turn in _find_turns(ctx):
        turns.setdefault(turn.paragraph, []).append(turn)
    for paragraph in paragraphs:
        here = quotes_by_paragraph.get(paragraph.number, [])
        if paragraph.number in turns:
            first_new = len(ctx.found)
            ctx.found += turns[paragraph.number]  # speech of its own: no narrator's cues inside
            here = [q for q in here if not _is_partial(ctx, q, paragraph)]
            for quote in here:
                ctx.found.append(_direct(ctx, quote, paragraph, set()))
            ctx.found[first_new:] = sorted(ctx.found[first_new:], key=lambda a: a.start)
            continue
        partial = [q for q in here if _is_partial(ctx, q, paragraph)]
        titles = [q for q in partial if _is_title(q)]  # 'a programme called "Learning Together"'
        here = [q for q in here if q not in titles]
        partial = [q for q in partial if q not in titles]
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
                if announced is None and not any(a.start <= event.idx < a.end for a in ctx.found[first_new:]):
                    announced = _noun_complement(ctx, event, paragraph)
                if announced is not None:
                    ctx.found.append(announced)
                continue
            if cue.stance == "labelling" or event.i in used_cues:
                continue
            if any(a.start <= event.idx < a.end and not _nested_report(ctx, a, event)
                   for a in ctx.found[first_new:]):
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
