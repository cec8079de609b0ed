"""One row per source: who speaks in a text, in what role, and how much.

Built from `course.quotes` attributions. Roles and affiliations are taken
as the article gives them (the words before a name, such as "Russian
political scientist", and appositions, such as "a spokesman for the city
council"); source types come from the keyword rules in
data/source_types.tsv, so students can see and argue with every decision.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from .entities import EntityCluster, cluster_entities
from .lexicons import table, word_set
from .names import is_title
from .quotes import DIRECT, INDIRECT, NAMED, PARTIAL, UNNAMED, Attribution, extract_attributions

COLUMNS = ["source", "source_kind", "role", "affiliation", "source_type", "direct_quotes",
           "partial_quotes", "indirect_quotes", "words_quoted", "first_paragraph"]


@functools.lru_cache(maxsize=1)
def _type_rules() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(rf"\b{re.escape(k)}\b"), t) for k, t in table("source_types.tsv"))


def source_type(description: str, source_kind: str) -> str:
    """The type of a source from its role, affiliation and name (first matching rule)."""
    lowered = description.lower()
    for pattern, kind in _type_rules():
        if pattern.search(lowered):
            return kind
    return "anonymous or vague" if source_kind != NAMED else "other"


def _mention_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _is_role_word(token) -> bool:
    return token.lemma_.lower() in word_set("person_roles.txt") or is_title(token.text)


def _descriptor_before(name: Span) -> str:
    """Role words right before a name: 'Russian political scientist' Ilya Matveyev, or
    'the Russian president' Vladimir Putin when the parser makes the name an apposition."""
    doc = name.doc
    if name.root.dep_ == "appos" and name.root.head.i < name.start and _is_role_word(name.root.head):
        head = name.root.head
        return doc[head.left_edge.i: head.i + 1].text.removeprefix("the ").removeprefix("a ").strip()
    i = name.start
    while i > 0 and doc[i - 1].pos_ in {"NOUN", "PROPN", "ADJ"} and not doc[i - 1].ent_type_ == "PERSON":
        i -= 1
    words = doc[i:name.start]
    return words.text.strip() if any(_is_role_word(t) for t in words) else ""


def _apposition(name: Span) -> str:
    """', a former FSB officer who ...' after a name -> 'former FSB officer'.

    Read from the text (comma, words, up to the next comma, full stop or
    relative pronoun) because the parser often misattaches appositions; kept
    only if it contains a role word.
    """
    doc = name.doc
    if name.end >= len(doc) or doc[name.end].text != ",":
        return ""
    words = []
    for token in doc[name.end + 1: name.end + 30]:
        if token.text in {",", ".", ";", "(", "—", "–", '"', "“", "”"} or token.lower_ in {"who", "which", "that"}:
            break
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.pos_ in {"VERB", "AUX"} and not (following is not None and _is_role_word(following)):
            # a clause, not a role: "the only lawmaker to vote ...", "X was the ..."
            if words and words[-1].lower_ == "to":
                words.pop()
            break
        words.append(token)
    if not any(_is_role_word(t) for t in words):
        return ""
    return re.sub(r"^(a|an|the)\s+", "", doc[words[0].i: words[-1].i + 1].text) if words else ""


def describe(doc: Doc, cluster: EntityCluster, clusters: list[EntityCluster], speaker_text: str | None = None,
             quoted: list[tuple[int, int]] = ()) -> tuple[str, str]:
    """(role, affiliation) for an entity as the narrator gives them.

    Roles come from the speaker phrase of an attribution ('Kremlin spokesman'),
    then from every mention outside quotations: role words before the name and
    appositions after it.
    """
    roles: list[str] = []

    def add(piece: str) -> None:
        piece = re.sub(r"^(the|a|an)\b", "", piece.strip(" ,"), flags=re.IGNORECASE).strip(" ,")
        if piece and not any(piece.lower() in r.lower() for r in roles):
            roles.append(piece)

    name_in_phrase = max((m.text for m in cluster.mentions if speaker_text and speaker_text.endswith(m.text)), key=len, default="")
    if name_in_phrase:
        add(speaker_text[: -len(name_in_phrase)])
    for mention in cluster.mentions:
        if any(s <= mention.start < e for s, e in quoted):
            continue
        span = _mention_span(doc, mention.start, mention.end)
        if span is not None:
            add(_descriptor_before(span))
            add(_apposition(span))
    role = "; ".join(roles)
    organisations = [c.name for c in clusters if c.label == "ORG"]
    affiliation = next((name for name in organisations if re.search(rf"\b{re.escape(name)}\b", role)), "")
    return role, affiliation


def _words(text: str) -> int:
    return len(re.findall(r"\b\w[\w'’-]*\b", text))


def sources_table(doc: Doc, attributions: list[Attribution] | None = None,
                  clusters: list[EntityCluster] | None = None):
    """A DataFrame with one row per source, in order of first appearance."""
    import pandas as pd

    clusters = clusters if clusters is not None else cluster_entities(doc)
    attributions = attributions if attributions is not None else extract_attributions(doc, clusters)
    by_name = {c.name: c for c in clusters}
    quoted = [(a.start, a.end) for a in attributions if a.kind in {DIRECT, PARTIAL}]
    rows: dict[str, dict] = {}
    for a in attributions:
        if a.speaker is None and a.speaker_text is None:
            continue
        key = a.speaker or a.speaker_text
        if key not in rows:
            role, affiliation = ("", "")
            if a.speaker in by_name:
                role, affiliation = describe(doc, by_name[a.speaker], clusters, a.speaker_text, quoted)
            described = f"{role} {affiliation} {key}"
            rows[key] = {
                "source": key, "source_kind": a.source_kind, "role": role, "affiliation": affiliation,
                "source_type": source_type(described, a.source_kind) if a.source_kind != UNNAMED or "media" in described.lower()
                else "anonymous or vague",
                "direct_quotes": 0, "partial_quotes": 0, "indirect_quotes": 0, "words_quoted": 0,
                "first_paragraph": a.paragraph,
            }
        row = rows[key]
        row[{DIRECT: "direct_quotes", PARTIAL: "partial_quotes", INDIRECT: "indirect_quotes"}[a.kind]] += 1
        if a.kind in {DIRECT, PARTIAL}:
            row["words_quoted"] += _words(a.text)
    return pd.DataFrame(list(rows.values()), columns=COLUMNS)

