"""Small questions about a parse that several analyses ask."""

from __future__ import annotations

from spacy.tokens import Doc, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
RELATIVE_TAGS = frozenset({"WP", "WDT", "WP$"})
_TEXT_KEY = ("course", "text")  # a tuple key, as spaCy's own extensions use, cannot clash with a user's


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc and kept in `doc.user_data`: spaCy joins every token anew on each access to
    `Doc.text`, so an analysis that reads it once per mention or quotation takes time that grows with the square
    of the text's length. The doc cache stores none of it (`doccache.store_doc` keeps only the parse record)."""
    cache: dict = doc.user_data
    if _TEXT_KEY not in cache:
        cache[_TEXT_KEY] = doc.text
    return cache[_TEXT_KEY]


def in_relative_clause(verb: Token) -> bool:
    """True for a verb that describes a noun rather than carrying its sentence:
    'who initiated ...', 'which led ...', '..., who asked not to be named, told reporters'
    ('asked' describes the source; it does not attribute the quotation)."""
    clause = verb.head if verb.dep_ in {"aux", "auxpass"} else verb
    return clause.dep_ in {"relcl", "acl"} or any(
        c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS for c in clause.children)


def passive_agent(verb: Token) -> Token | None:
    """The agent of a passive verb, the noun after its 'by' ('the crews were told by the board'), or None."""
    return next((o for a in verb.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"), None)
