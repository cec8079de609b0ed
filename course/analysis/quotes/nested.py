"""A quotation inside a quotation: words a quoted speaker says someone said.

'"He told me, ‘If you do not move we will burn you alive.’"' quotes the victim, who quotes the attacker.
The inner words are direct speech of their own, flagged `nested` so a reader sees they come second-hand.
"""

from __future__ import annotations

import re

from course.analysis.quotemarks import QuoteSpan, _closes
from course.analysis.quotes.context import _Context
from course.analysis.quotes.cues import THINKING_CUES, _subject, cue_at
from course.analysis.quotes.model import (
    DIRECT,
    NO_SPEAKER,
    Attribution,
    Speaker,
    _quoted,
    _same_speaker,
)
from course.analysis.quotes.speakers import _resolve_speaker
from course.core.article import Paragraph

# a comma or colon, then a single quotation mark: 'I said, 'It is ...'', 'He told me, ‘If ...’'
_OPENING = re.compile(r"[,:]\s*(['‘])(?=\S)")
ANYONE = frozenset({"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "no-one"})


def nested_quotations(ctx: _Context, outer: Attribution, paragraph: Paragraph) -> list[Attribution]:
    """The quotations a direct quotation holds after a cue of its own ('Many people would ask me, 'Is he
    ...?''), or after 'is' ('The message is, 'Got to find a link''), each with its speaker."""
    found = []
    for match in _OPENING.finditer(ctx.text, outer.start, outer.end):
        opening = match.start(1)
        closing = _closing(ctx.text, opening + 1, outer.end)
        content = ctx.text[opening + 1:closing].strip()
        if len(content.split()) < 2:
            continue
        speaker = _inner_speaker(ctx, match.start(), outer, paragraph)
        if speaker is None:
            continue
        start = opening + 1 + ctx.text[opening + 1:closing].index(content)
        inner = QuoteSpan(opening, closing + 1, start, start + len(content), content, outer.paragraph, True)
        found.append(_quoted(DIRECT, inner, speaker, None, ("nested",)))
    return found


def _closing(text: str, start: int, end: int) -> int:
    """The single quotation mark that closes at or after `start`, by the rule every quotation mark follows
    (`quotemarks._closes`); an apostrophe inside a word ('It's', 'don't') does not. `end` if none does."""
    return next((i for i in range(start, end) if text[i] in "'’" and _closes(text, i, end)), end)


def _inner_speaker(ctx: _Context, comma: int, outer: Attribution, paragraph: Paragraph) -> Speaker | None:
    """Who speaks the inner words: the subject of the cue before the comma; the outer speaker for 'I' or
    'we' or after 'is'; nobody the text names for another pronoun. None when no cue or 'is' comes first,
    so quoted labels ('the left, 'unorganized'') are not speech."""
    tokens = ctx.tokens(comma, comma + 1)
    if not tokens:
        return None
    verb = tokens[0].head
    if verb.lemma_ == "be" and verb.i < tokens[0].i:
        return _same_speaker(outer)[0]
    cue = cue_at(verb)
    if cue is None or verb.i > tokens[0].i or cue.lemma in THINKING_CUES:
        return None  # "I did think, 'There's just not as many ...'": a thought, not words spoken
    subject = _subject(verb)
    if subject is None:
        return NO_SPEAKER
    if subject.lower_ in ANYONE:
        return None  # "the next time someone says, '...'": nobody's words
    if subject.lower_ in {"i", "we"}:
        return _same_speaker(outer)[0]  # 'and I said, ...': the outer speaker's own earlier words
    if subject.pos_ == "PRON":
        return NO_SPEAKER  # 'He told me, ...': a pronoun inside someone's words, which the narrator never resolves
    return _resolve_speaker(ctx, subject, paragraph)
