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

The rules live in one module per concern: `model` (the records), `cues` (reporting cues and their
subjects), `context` (the walk through one document), `speakers` (who a subject is), `turns`
(transcripts, tweets and block quotes), `direct`, `indirect`, `partial` and `nested` (a quotation
inside a quotation, flagged `nested`). Their helpers keep a leading underscore: they are shared inside
this package, and its public API is `__all__` below.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from course.analysis.entities import EntityCluster, clusters_of
from course.analysis.quotemarks import QuoteSpan, find_quotes
from course.analysis.quotes.context import _Context
from course.analysis.quotes.cues import cue_at, cue_lexicon, is_expletive_it
from course.analysis.quotes.direct import _direct, _is_partial, _runs_on_in_report
from course.analysis.quotes.indirect import (
    _announcement,
    _called_judgement,
    _indirect,
    _nested_report,
    _noun_complement,
)
from course.analysis.quotes.model import (
    DESCRIBED,
    DIRECT,
    INDIRECT,
    NAMED,
    NO_SPEAKER,
    PARTIAL,
    UNATTRIBUTED,
    UNNAMED,
    Attribution,
    Cue,
    Speaker,
    tidied,
)
from course.analysis.quotes.nested import nested_quotations
from course.analysis.quotes.partial import (
    _headline_unvouched,
    _is_gloss,
    _is_name_given,
    _is_nickname,
    _is_title,
    _is_word_mentioned,
    _is_word_named,
    _partial,
    _quoted_again,
    _single_marked_in_headline,
    _single_marked_in_reports,
)
from course.analysis.quotes.turns import _find_turns
from course.core.article import split_paragraphs
from course.core.syntax import doc_text

__all__ = [
    "DIRECT", "PARTIAL", "INDIRECT", "NAMED", "DESCRIBED", "UNNAMED", "UNATTRIBUTED", "NO_SPEAKER",
    "Attribution", "Cue", "Speaker", "cue_at", "cue_lexicon", "is_expletive_it",
    "extract_attributions", "attributions_of", "speech_layers", "attributions_table",
]


def extract_attributions(doc: Doc, clusters: list[EntityCluster] | None = None) -> list[Attribution]:
    """Every direct, partial and indirect attribution in `doc`, in text order."""
    text = doc_text(doc)
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
        # 'a programme called "Learning Together"', 'a method known as "cold lifting"', 'Ana "Nana" Voss':
        # names, not quotations
        titles = [q for q in partial if _is_title(q) or _is_name_given(ctx, q) or _is_nickname(ctx, q)
                  or _is_word_mentioned(ctx, q) or _is_gloss(ctx, q)]
        # '"Norla" is the name ...', 'a story headlined "Ferries leave the bay"'
        titles += [q for q in here if q not in partial and (_is_word_named(ctx, q) or _is_name_given(ctx, q)
                                                             or _is_title(q) and _title_as_subject(ctx, q))]
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
            if event.i in used_cues:
                continue
            if cue.stance == "labelling":  # 'called the delay unacceptable': what someone called it
                judged = _called_judgement(ctx, event, cue, paragraph)
                if judged is not None and not any(a.start <= event.idx < a.end for a in ctx.found[first_new:]):
                    ctx.found.append(judged)
                continue
            if any(a.start <= event.idx < a.end and not _nested_report(ctx, a, event)
                   for a in ctx.found[first_new:]):
                continue  # "X said the board had never asked ...": reported within X's report
            attribution = _indirect(ctx, event, cue, paragraph)
            if attribution is not None:
                ctx.found.append(attribution)
        ctx.found[first_new:] = sorted(ctx.found[first_new:], key=lambda a: a.start)
        reports = ctx.found[first_new:]
        ctx.found[first_new:] = [  # 'said the crew had been told to "stay below. We could not ..."': a partial
            replace(a, kind=PARTIAL, flags=a.flags + ("runs_on_in_report",))
            if a.kind == DIRECT and _runs_on_in_report(ctx, a, reports, paragraph) else a for a in reports]
        ctx.found += _single_marked_in_reports(ctx, ctx.found[first_new:], paragraph)  # 'expected a 'very prompt' ...'
        ctx.found += _single_marked_in_headline(ctx, paragraph)  # 'Port authority cites 'storm damage''
        for quote in partial:
            ctx.found.append(_partial(ctx, quote, paragraph))
        ctx.found[first_new:] = sorted(ctx.found[first_new:], key=lambda a: a.start)
    found = _headline_unvouched(_quoted_again(_between_same_speaker(_close_open_quotes(ctx))))
    nested = [inner for outer in found if outer.kind == DIRECT
              for inner in nested_quotations(ctx, outer, ctx.paragraphs[outer.paragraph - 1])]
    return sorted((tidied(text, a) for a in found + nested), key=lambda a: a.start)


def _title_as_subject(ctx: _Context, quote: QuoteSpan) -> bool:
    """True for quoted words that a verb right after the closing mark has as its subject ('"The Salt Orchard" is
    published by ...', '"Kitchen, 4am" hangs in the first room'): a work's title, where quoted speech ends with a
    comma or a stop before its cue; not words put first in a cleft ('"Never Again" is what she told MPs', '"Thank
    You" was all she told reporters')."""
    window = ctx.tokens(quote.end, min(len(ctx.text), quote.end + 40))
    after = next((t for t in window if not t.is_space and t.idx >= quote.end), None)
    if after is None or ctx.text[quote.end:after.idx].strip() or after.pos_ not in {"VERB", "AUX"}:
        return False
    # '"Never Again" is what she told MPs': the words someone said, put first
    cleft = after.lemma_ == "be" and after.i + 1 < len(after.doc) and after.nbor(1).lower_ in {"what", "how", "all"}
    return not cleft


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


def _between_same_speaker(found: list[Attribution]) -> list[Attribution]:
    """Quoted words with no cue and no named speaker, between two attributions to the same named speaker, are
    that speaker's: 'Lee said, "We will sail." // "The harbour is calm." Lee also said that the crew was ready.'
    A description the rules could not name ('The skipper has also found "a way ..."' after and before Lee's
    words) yields to the name. The one before may stand in the paragraph before; the one after must stand in
    the same paragraph, so that the quotation sits inside one person's turn."""
    result = list(found)
    for i, attribution in enumerate(result):
        if attribution.kind == INDIRECT or attribution.speaker or attribution.cue:
            continue
        before = next((a for a in reversed(result[:i]) if a.speaker_text), None)
        after = next((a for a in result[i + 1:] if a.speaker_text), None)
        if (before is None or after is None or before.speaker is None or before.speaker != after.speaker
                or after.paragraph != attribution.paragraph or before.paragraph < attribution.paragraph - 1):
            continue
        result[i] = replace(
            attribution, speaker=before.speaker, speaker_text=before.speaker_text,
            speaker_start=before.speaker_start, speaker_end=before.speaker_end, source_kind=before.source_kind,
            flags=attribution.flags + ("between_same_speaker",),
        )
    return result


def attributions_table(attributions: list[Attribution]):
    """The attributions as a DataFrame, one row each, for students to sort and filter."""
    import pandas as pd

    return pd.DataFrame([a.to_dict() for a in attributions],
                        columns=["paragraph", "kind", "speaker", "speaker_text", "cue", "cue_category", "source_kind",
                                 "text", "start", "end", "flags"])
