"""How a text describes a person: role words, descriptors before a name, appositions after it.

One set of rules, shared by `course.analysis.sources` (a source's role and
affiliation) and `course.analysis.framing` (how people are described). Role
words come from data/person_roles.txt and data/titles.txt.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from course.analysis.entities import PERSON, dateline_end
from course.analysis.names import is_abbreviated_title, is_title
from course.core.lexicons import word_set
from course.core.spans import SpanIndex
from course.core.syntax import doc_text

_DESCRIPTOR_POS = {"ADJ", "NOUN", "PROPN", "NUM"}
_APPOSITION_STOPS = {",", ".", ";", "(", ")", "—", "–", '"', "“", "”", "«", "»", ":"}
_RELATIVE_WORDS = {"who", "whom", "whose", "which", "that"}


def _is_descriptor_word(token: Token) -> bool:
    """A word that can sit in a description before a name: 'local strongman', 'retired Col.', '70-year-old', and a
    noun the tagger took for a verb but the parser put in the noun phrase ('shadow housing secretary')."""
    return token.pos_ in _DESCRIPTOR_POS or token.tag_ == "HYPH" or (
        token.pos_ == "VERB" and token.dep_ in {"amod", "compound"})


def _attached(token: Token, taken: set[int]) -> bool:
    """True if the parser links `token` to one of the `taken` words (as its head or its dependent)."""
    return token.head.i in taken or any(child.i in taken for child in token.children)


def descriptor_before(name: Span, people: SpanIndex | None = None) -> Span | None:
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
        if people is not None and people.overlapping(token.idx, token.idx + len(token)):
            break
        if _is_descriptor_word(token) and _attached(token, taken):
            taken.add(token.i)
            i -= 1
        elif (token.lower_ == "the" and i - 3 >= name.sent.start and doc[i - 2].lower_ == "of"
              and is_role_word(doc[i - 3]) and _attached(token, taken)):
            taken.update({i - 1, i - 2})  # "Chief of the General Staff", "Member of the European Parliament"
            i -= 2
        else:
            break
    while i < name.start and (doc[i].tag_ == "HYPH" or doc[i].lower_ in {"of", "the"}):
        i += 1
    words = doc[i:i + len(without_trailing_rank([t.text for t in doc[i:name.start]]))]
    return words if any(t.is_alpha for t in words) else None


def is_role_word(token: Token) -> bool:
    return token.lemma_.lower() in word_set("person_roles.txt") or is_title(token.text)


def apposition_after(name: Span) -> Span | None:
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
        participle = token.pos_ == "VERB" and (
            token.dep_ == "amod" or (following is not None and is_role_word(following)))
        if token.pos_ in {"VERB", "AUX", "PRON"} and not participle:  # "distinguished fellow" is a role
            if words and words[-1].lower_ == "to":
                words.pop()  # "the only lawmaker to vote ..."
            break
        words.append(token)
    if not words or words[0].ent_type_ == PERSON:
        return None
    parser_says = any(t.dep_ == "appos" and t.head.i == name.root.i for t in words)
    if not (parser_says or any(is_role_word(t) for t in words)):
        return None
    return doc[words[0].i: words[-1].i + 1]


def without_article(text: str) -> str:
    """'a former FSB officer' -> 'former FSB officer'."""
    return re.sub(r"^(a|an|the)\b", "", text.strip(" ,"), flags=re.IGNORECASE).strip(" ,")


def role_head_before(name: Span) -> Span | None:
    """'His spokesman, Oleg Titov, said': the parser makes the name an apposition of a role noun before it."""
    head = name.root.head
    if name.root.dep_ == "appos" and head.i < name.start and is_role_word(head):
        return name.doc[head.left_edge.i: head.i + 1]
    return None


def role_phrases(name: Span, people: SpanIndex | None = None) -> list[str]:
    """The role phrases around one mention of a person: the role noun the name is in apposition to,
    the descriptor before the name and the apposition after it, each kept only if it holds a role
    word ('Russian political scientist')."""
    phrases = []
    for span in (role_head_before(name), descriptor_before(name, people), apposition_after(name)):
        span = _after_dateline(span) if span is not None else None
        if span is not None and any(is_role_word(t) for t in span):
            phrases.append(without_article(span.text))
    return phrases


def without_trailing_rank(words: list[str]) -> list[str]:
    """A role's words less an abbreviated rank that ends them after a lower-case word: that rank titles the name after
    it ('military spokesman Maj.' before 'Tom Holloway'); one after a capitalised word is part of the title ('State
    Sen.', 'Rear Adm.')."""
    end = len(words)
    while end > 1 and is_abbreviated_title(words[end - 1]) and words[end - 2].islower():
        end -= 1
    return words[:end]


def _after_dateline(span: Span) -> Span | None:
    """The span less a wire dateline it starts in ('HALCOTT - Fire chief' -> 'Fire chief')."""
    cut = dateline_end(doc_text(span.doc), span.start_char)
    return span if cut == span.start_char else span.doc.char_span(cut, span.end_char)
