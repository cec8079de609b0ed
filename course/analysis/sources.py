"""One row per source: who speaks in a text, in what role, and how much.

Built from `course.analysis.quotes` attributions. Roles and affiliations are taken
as the article gives them (the words before a name, such as "Russian
political scientist", and appositions, such as "a spokesman for the city
council"); source types come from the keyword rules in
data/source_types.tsv, so students can see and argue with every decision.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from course.analysis.entities import PERSON, EntityCluster
from course.analysis.names import is_abbreviated_title, is_title
from course.analysis.quotes import DIRECT, INDIRECT, NAMED, PARTIAL, UNNAMED, Attribution, speech_layers
from course.analysis.roles import role_phrases, without_article, without_trailing_rank
from course.core.lexicons import table, word_set
from course.core.spans import SpanIndex
from course.core.syntax import doc_text

COLUMNS = ["source", "source_kind", "role", "affiliation", "source_type", "direct_quotes",
           "partial_quotes", "indirect_quotes", "words_quoted", "first_paragraph"]


@functools.lru_cache(maxsize=1)
def _type_rules() -> tuple[tuple[re.Pattern, str], ...]:
    # a keyword ending in a dot ('sen.') ends there: no word boundary follows a dot before a space
    return tuple((re.compile(rf"\b{re.escape(k)}" + (r"\b" if k[-1].isalnum() else "")), t)
                 for k, t in table("source_types.tsv"))


def source_type(description: str, source_kind: str) -> str:
    """The type of a source from its role, affiliation and name (first matching rule)."""
    lowered = description.lower()
    for pattern, kind in _type_rules():
        if pattern.search(lowered):
            return kind
    return "anonymous or vague" if source_kind != NAMED else "other"


def _called(doc: Doc, organisation: EntityCluster) -> str:
    """The nouns that say what an organisation is, each written right before one of its names in a noun phrase of
    their own ('the energy company Voltaris' -> 'company'); read from the words, since the parser may not link
    them to the name. Not a modifier ('the airline regulator TCAA' is a regulator), nor a bare plural from
    another phrase ('covers companies the Revenue Service fined')."""
    called = []
    for span in (_mention_span(doc, m.start, m.end) for m in organisation.mentions):
        if span is None or not span.start or doc[span.start - 1].pos_ != "NOUN" or not doc[span.start - 1].is_lower:
            continue
        i = span.start - 1
        while i > 0 and doc[i - 1].pos_ in {"NOUN", "ADJ"} and doc[i - 1].is_lower:
            i -= 1
        if i > 0 and doc[i - 1].tag_ in {"DT", "PRP$", "POS"}:
            called.append(doc[span.start - 1].text)
    return " ".join(called)


def _mention_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def describe(doc: Doc, cluster: EntityCluster, clusters: list[EntityCluster], speaker_text: str | None = None,
             quoted: SpanIndex | None = None) -> tuple[str, str]:
    """(role, affiliation) for an entity as the narrator gives them.

    Roles come from the speaker phrase of an attribution ('Kremlin spokesman'),
    then from every mention outside quotations: role words before the name and
    appositions after it. `quoted`: the direct and partial quotations, whose words are not the narrator's.
    """
    roles: list[str] = []

    def add(piece: str) -> None:
        words = without_trailing_rank(without_article(piece).split())  # 'military spokesman Maj.' before a name
        piece = " ".join(words)
        if piece and all(is_title(word) for word in words) and not _compound_rank(words):
            return  # "Dr." or "Mr" is a title, not a role; a rank written out ('Detective Inspector') is one
        if piece and not any(piece.lower() in r.lower() for r in roles):
            roles.append(piece)

    name_in_phrase = max((m.text for m in cluster.mentions if speaker_text and speaker_text.endswith(m.text)),
                         key=len, default="")
    if speaker_text and name_in_phrase:
        add(_described_before_name(speaker_text[: -len(name_in_phrase)]))
    for mention in cluster.mentions:
        if quoted is not None and quoted.containing(mention.start, mention.start + 1):
            continue
        span = _mention_span(doc, mention.start, mention.end)
        if span is not None:
            for phrase in role_phrases(span):
                if cluster.label == PERSON or not re.search(r"\bof( the)?$", phrase):
                    add(phrase)  # not 'former chief executive of the' before an organisation: a post in it
    role = "; ".join(roles)
    organisations = {c.name: c for c in clusters if c.label == "ORG"}
    # a whole-word match needs the name in the role: the cheap test first, for texts that name thousands
    affiliation = next((name for name, organisation in organisations.items()
                        if name in role and re.search(rf"\b{re.escape(name)}\b", role)
                        and not _rank_before_name(doc_text(doc), organisation, cluster)), "")
    return role, affiliation


# a comma that ends a piece of a role: not one inside brackets or quotation marks ('author of "Salt, Smoke and Stone"')
_PIECE_BREAK = re.compile(r""",(?![^()\[\]]*[)\]])(?=(?:[^"“”]*["“”][^"“”]*["“”])*[^"“”]*$)""")


def _described_before_name(piece: str) -> str:
    """What describes the person in a speaker phrase's words before the name, of its pieces set apart by commas:
    not a last piece that is one title, which titles the name ('my old supervisor, Professor'), nor opening pieces
    with no word for a person or organisation before one that has it ('Outside court, Detective Inspector' ->
    'Detective Inspector'). Never nothing where there was something."""
    pieces = [p.strip() for p in _PIECE_BREAK.split(piece) if p.strip()]
    if len(pieces) > 1 and len(pieces[-1].split()) == 1 and is_title(pieces[-1]):
        pieces.pop()  # 'Professor', 'Captain'; not 'former MP', a past office
    while len(pieces) > 1 and not any(_is_describing_word(w) for w in pieces[0].split()) and any(
            _describes(p) for p in pieces[1:]):
        pieces.pop(0)
    return ", ".join(pieces) or piece


def _rank_before_name(text: str, organisation: EntityCluster, person: EntityCluster) -> bool:
    """True for an 'organisation' the model made of the rank or office written right before the person's name
    ('Detective Inspector Gemma Rook', 'Vice Admiral Ana Lee'): a mention of it that ends in a role word or title
    and that the name follows after a space, or one of role words and titles only that the rest of the rank
    follows ('Justice Minister Kim Lee'). Not 'an editor at New Scientist, Clara Novak', nor 'CIA director Tom
    Lee'."""
    starts = {m.start for m in person.mentions}
    for mention in organisation.mentions:
        for start in (s for s in starts if 0 < s - mention.end <= 60):
            between = text[mention.end:start]
            words = between.split()
            ranks = mention.text.split()[-1:] if not words else mention.text.split() + words
            if between.startswith(" ") and between.endswith(" ") and all(_is_rank(w) for w in ranks):
                return True
    return False


def _is_rank(word: str) -> bool:
    return word.lower() in word_set("person_roles.txt") or is_title(word)


def _is_describing_word(word: str) -> bool:
    """A word for a person, a role or an organisation ('inspector', 'co-author', 'newspaper'), or a title."""
    word = re.sub(r"[’']s$", "", word.lower()).strip(".")
    return is_title(word) or any(w in word_set(name) for w in {word, word.replace("-", ""), word.split("-")[-1]}
                                 for name in ("person_roles.txt", "person_nouns.txt", "outlet_words.txt"))


def _describes(piece: str) -> bool:
    """True for a piece of a role with a word for a person or organisation that is not titles alone ('Detective
    Inspector'; not 'former MP', which a role before it may need)."""
    words = piece.split()
    return any(_is_describing_word(w) for w in words) and (_compound_rank(words) or not all(is_title(w) for w in words))


def _compound_rank(words: list[str]) -> bool:
    """True for a rank of two title words or more, written out: 'Detective Inspector', 'Lieutenant General'; not
    'Lt. Gen.' nor 'former MP', a past office."""
    return len(words) > 1 and all(is_title(w) and not is_abbreviated_title(w) and w.lower() not in {"former", "retired"}
                                  for w in words)


def _description_key(phrase: str) -> str:
    """One row's key for the sources the text only describes: 'The company' opening a sentence, 'the company' and
    the headline's 'Company' are one source; an indefinite description is kept as written ('A spokesman' and 'a
    spokesman' may be two airlines' spokesmen)."""
    phrase = " ".join(phrase.split())
    if re.match(r"(?i)(?:a|an|one|another|some)\s", phrase):
        return phrase
    return re.sub(r"^the\s+", "", phrase.casefold())


def _words(text: str) -> int:
    return len(re.findall(r"\b\w[\w'’-]*\b", text))


def sources_table(doc: Doc, attributions: list[Attribution] | None = None,
                  clusters: list[EntityCluster] | None = None):
    """A DataFrame with one row per source, in order of first appearance."""
    import pandas as pd

    clusters, attributions = speech_layers(doc, clusters, attributions)
    by_name = {c.name: c for c in clusters}
    quoted = SpanIndex((a.start, a.end, None) for a in attributions if a.kind in {DIRECT, PARTIAL})
    rows: dict[str, dict] = {}
    for a in attributions:
        if a.source is None:
            continue
        key = a.speaker or _description_key(a.source)
        if key not in rows:
            role, affiliation = ("", "")
            if a.speaker in by_name:
                role, affiliation = describe(doc, by_name[a.speaker], clusters, a.speaker_text, quoted)
            # the speaker phrase too: a rank such as "Lt. Gen." is a title, not a role, but it tells the type;
            # and what the text calls the organisation, the source's or the source itself ('a spokeswoman for
            # Voltaris' after 'the energy company Voltaris')
            called = " ".join(_called(doc, by_name[name]) for name in dict.fromkeys((affiliation, a.speaker))
                              if name in by_name and by_name[name].label == "ORG")
            described = f"{role} {affiliation} {called} {key} {a.speaker_text or ''}"
            rows[key] = {
                "source": a.source, "source_kind": a.source_kind, "role": role, "affiliation": affiliation,
                "source_type": source_type(described, a.source_kind)
                if a.source_kind != UNNAMED or "media" in described.lower() else "anonymous or vague",
                "direct_quotes": 0, "partial_quotes": 0, "indirect_quotes": 0, "words_quoted": 0,
                "first_paragraph": a.paragraph,
            }
        row = rows[key]
        if row["source"][:1].isupper() and a.source[:1].islower():
            row["source"] = a.source  # 'the airline' rather than a headline's or a sentence's capital
        row[{DIRECT: "direct_quotes", PARTIAL: "partial_quotes", INDIRECT: "indirect_quotes"}[a.kind]] += 1
        if a.kind in {DIRECT, PARTIAL}:
            row["words_quoted"] += _words(a.text)
    return pd.DataFrame(list(rows.values()), columns=COLUMNS)

