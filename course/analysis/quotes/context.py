"""What the rules need to see while walking through one document, and small look-ups on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from course.analysis.entities import PERSON, EntityCluster
from course.analysis.names import given_name_genders
from course.analysis.quotemarks import QuoteSpan
from course.analysis.quotes.model import (
    HONORIFIC_GENDER,
    NOUN_GENDER,
    PRONOUN_GENDER,
    SPEAKER_LABELS,
    Attribution,
    Cue,
    Speaker,
)
from course.core.article import Paragraph
from course.core.lexicons import word_set
from course.core.spans import SpanIndex
from course.core.syntax import doc_text


@dataclass
class _Context:
    """What the rules need to see while walking through one document."""

    doc: Doc
    paragraphs: tuple[Paragraph, ...]
    quotes: list[QuoteSpan]
    clusters: list[EntityCluster]
    found: list[Attribution] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = doc_text(self.doc)
        self.quote_index = SpanIndex((q.content_start, q.content_end, q) for q in self.quotes)
        self.mention_index = SpanIndex((m.start, m.end, c) for c in self.clusters for m in c.mentions)
        self.labels = {c.name: c.label for c in self.clusters}
        self._by_name: dict[str, EntityCluster] = {}
        for cluster in reversed(self.clusters):  # the first of two clusters with one name, as a scan finds it
            self._by_name[cluster.name] = cluster
        self._by_paragraph: dict[int, list[QuoteSpan]] = {}
        for quote in self.quotes:
            self._by_paragraph.setdefault(quote.paragraph, []).append(quote)
        self.introduced_as: dict[tuple[str, ...], EntityCluster | None] = {}  # title words -> the one person
        # title size -> title words -> the people named right after them (speakers._people_after_words)
        self.people_after_words: dict[int, dict[tuple[str, ...], dict[str, EntityCluster]]] = {}
        # role lemma -> the starts and people of the mentions the role titles (speakers._titled_people)
        self.titled_people: dict[str, tuple[list[int], list[EntityCluster]]] | None = None
        # word -> the role phrases holding it that the narrator gives people: (mention start, words, person)
        self.role_phrases: dict[str, list[tuple[int, list[str], EntityCluster]]] | None = None  # speakers._role_phrases
        self.turns: dict[int, tuple[Speaker, Cue, str]] = {}
        self.genders: dict[str, str | None] = {}
        self.guessed_genders: set[str] = set()  # genders from the given-name lists alone
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
        """'m' or 'f' when an honorific or a relative's noun before any mention says so (Mr Haddad, Ms Lee, her
        husband Zhou Bin) or a gendered noun in apposition (Ana Lee, the mother of ...), else the gender every
        given-name list agrees on (Priya Nair: f, data/given_name_genders.tsv), else the pronouns the text uses
        right after the person's mentions (his, she; they mislead more often: 'When King was shot, she sang'), else
        None."""
        if cluster.name not in self.genders:
            found = None
            for mention in cluster.mentions:
                before = self.text[max(0, mention.start - 12):mention.start].split()
                word = (mention.title.split() or [""])[0] if mention.title else (before[-1] if before else "")
                word = word.lower().rstrip(".")
                # 'whose husband Zhou Bin', 'his daughter Amna': a relative's noun right before the name says so too;
                # not 'spokesman Ana Lee' nor 'the man Ana Lee married' (review)
                kin = NOUN_GENDER.get(word) if word in word_set("kinship_nouns.txt") else None
                found = found or HONORIFIC_GENDER.get(word) or kin or self._apposition_gender(mention.end)
            listed, told = _given_name_gender(cluster), self._pronoun_gender(cluster)
            self.genders[cluster.name] = found or listed or told
            if not found and listed and told != listed:
                self.guessed_genders.add(cluster.name)
        return self.genders[cluster.name]

    def gender_guessed(self, cluster: EntityCluster) -> bool:
        """True when the person's gender comes from the given-name lists alone: no honorific, gendered
        apposition or pronoun right after a mention agrees ('Akira Tanabe' is listed as f, the text says 'he')."""
        self.gender(cluster)
        return cluster.name in self.guessed_genders

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
                    # 'Peter Lang thanked Sharon Boateng for what he called ...': the pronoun is Lang's
                    if not self._named_before_with_gender(cluster, mention.start, gender):
                        votes[gender] += 1
                    break
        if votes["m"] == votes["f"]:
            return None
        return "m" if votes["m"] > votes["f"] else "f"

    def _named_before_with_gender(self, cluster: EntityCluster, start: int, gender: str) -> bool:
        """True if another person whose given name has `gender` (`_given_name_gender`) is named before `start` in
        its sentence, outside quotation marks: a pronoun after the mention may be that person's."""
        token = self.tokens(start, start + 1)
        if not token:
            return False
        return any(c.label == PERSON and c.name != cluster.name and not self.in_quote(at)
                   and _given_name_gender(c) == gender
                   for at, _, c in self.mention_index.starting_in(token[0].sent.start_char, start))

    def cluster_named(self, name: str | None) -> EntityCluster | None:
        return self._by_name.get(name) if name else None

    def quotes_in(self, paragraph: int) -> list[QuoteSpan]:
        """The quotations of paragraph number `paragraph`, in order."""
        return self._by_paragraph.get(paragraph, [])

    def tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []




def _given_name_gender(cluster: EntityCluster) -> str | None:
    """The gender of the first word of a person's full name, if the given-name lists agree on one ('Andrée' f,
    'Andree' m)."""
    words = cluster.name.split()
    return given_name_genders().get(words[0]) if len(words) > 1 else None


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


def _sentence_tokens_backwards(ctx: _Context, start: int, end: int) -> list[Token]:
    """Tokens in [start, end) after the last sentence-ending punctuation or quotation: a full stop, or an
    abbreviation that ends its sentence ('who retired as a Lt. "She never ...')."""
    tokens = [t for t in ctx.tokens(start, end) if t.idx + len(t) <= end]
    kept: list[Token] = []
    for token in reversed(tokens):
        if (token.pos_ == "PUNCT" and token.text in {".", "!", "?"}) or ctx.in_quote(token.idx) or (
                token.text.endswith(".") and token.i + 1 < len(token.doc) and token.doc[token.i + 1].is_sent_start):
            break
        kept.append(token)
    return list(reversed(kept))


def _recent(ctx: _Context, paragraph_number: int) -> list[Attribution]:
    """Attributions found so far in this paragraph and the one before (found is in text order)."""
    recent = []
    for a in reversed(ctx.found):
        if a.paragraph < paragraph_number - 1:
            break
        recent.append(a)
    return list(reversed(recent))


def _words_outside_quotes(ctx: _Context, start: int, end: int) -> int:
    """Words in [start, end) that no quotation covers."""
    quoted = [(q.start, q.end) for _, _, q in ctx.quote_index.overlapping(start, end)]
    return sum(1 for t in ctx.tokens(start, end)
               if t.is_alpha and start <= t.idx < end and not any(s <= t.idx < e for s, e in quoted))


def _across_semicolon(ctx: _Context, a: Token, b: Token) -> bool:
    """True if a semicolon outside quotation marks stands between two tokens: the small model often
    parses two clauses joined by a semicolon as one."""
    lo, hi = sorted((a.i, b.i))
    return any(t.text == ";" and not ctx.in_quote(t.idx) for t in a.doc[lo + 1: hi])
