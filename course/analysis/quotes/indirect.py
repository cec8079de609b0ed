"""Reported speech without quotation marks: the reported clause around a cue, and its speaker."""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Token

from course.analysis.entities import PERSON, report_start
from course.analysis.quotemarks import QuoteSpan
from course.analysis.quotes.context import _Context, _words_outside_quotes
from course.analysis.quotes.cues import (
    THINKING_CUES,
    _according_appos,
    _could_speak,
    _directive_cues,
    _negated_or_hypothetical,
    _person_nouns,
    _speaker_token,
    _speech_nouns,
    _subject,
    according_to_which,
    cue_at,
    is_expletive_it,
    speaking_agent,
)
from course.analysis.quotes.direct import _is_partial
from course.analysis.quotes.model import (
    FINITE_TAGS,
    INDIRECT,
    NAMED,
    NO_SPEAKER,
    QUOTE_CHARACTERS,
    Attribution,
    Cue,
    Speaker,
    _attribution,
)
from course.analysis.quotes.speakers import (
    _cue_speaker,
    _issuer,
    _named_after,
    _passive_subject_of,
    _resolve_speaker,
    _source_kind_of,
    _subject_across_tag,
)
from course.core.article import Paragraph
from course.core.lexicons import word_set
from course.core.syntax import RELATIVE_TAGS, SUBJECT_DEPS, in_relative_clause, passive_agent


def _opens_inside(tokens: list[Token]) -> bool:
    """True if the tokens before the last hold more quotation marks than it closes."""
    marks = sum(1 for t in tokens[:-1] if t.text in QUOTE_CHARACTERS)
    return marks % 2 == 1


# A link's language tag, as Global Voices writes it after a link's words: '[es]', '[fr]'. Narrower than
# `_LINK_TAGS` below: at a report's end an editor's bracketed word ('lost the [boat]') is the report's own
_LANGUAGE_TAG = re.compile(r"\[[a-z]{2}\]")
_OPENERS = {")": "(", "]": "["}


def _closes_inside(tokens: list[Token]) -> bool:
    """True if the last token is a closing quotation mark or bracket whose opening one stands among the tokens
    and is still open there (a list's 'a)' before it closes nothing)."""
    last = tokens[-1].text
    if last in QUOTE_CHARACTERS:
        return _opens_inside(tokens)
    if last not in _OPENERS:
        return False
    still_open = 0
    for token in tokens[:-1]:
        if token.text == _OPENERS[last]:
            still_open += 1
        elif token.text == last and still_open:
            still_open -= 1
    return still_open > 0


def _content_span(ctx: _Context, tokens: list[Token]) -> tuple[int, int, str] | None:
    """(start, end, text) of the reported clause's tokens, read in text order: a subtree the parser built across
    another branch comes out of spaCy in tree order ('..., which she says would ...' as 'she says which would').
    An opening 'that', or 'only that', is the narrator's, and so is a wire dateline.
    A link's language tag that ends the clause ('... have been closed down [bn].') is the post's markup, not the
    report's words, and goes whole; a closing bracket whose opening one the clause holds stays ('(by ten percent)',
    'lost the [boat]')."""
    tokens = sorted({t.i: t for t in tokens if not t.is_space}.values(), key=lambda t: t.i)
    if tokens:  # 'LAGOS (Reuters) - Nigeria expects ..., the minister said': the dateline is no part of it
        start = report_start(ctx.text, tokens[0].idx)
        tokens = [t for t in tokens if t.idx >= start]
    while tokens and (tokens[0].lower_ == "that" or tokens[0].is_punct or _only_that(tokens)):
        tokens = tokens[1:]
    while tokens:
        if len(tokens) >= 3 and _LANGUAGE_TAG.fullmatch("".join(t.text for t in tokens[-3:])):
            tokens = tokens[:-3]
        elif tokens[-1].is_punct and not _closes_inside(tokens) or tokens[-1].dep_ == "cc":
            tokens = tokens[:-1]  # '... with prosecutors but [stressed]': a joint the parser left on the clause
        else:
            break
    after = tokens[-1].nbor() if tokens and tokens[-1].i + 1 < len(tokens[-1].doc) else None
    if after is not None and after.text in _OPENERS and _closes_inside([*tokens, after]):
        tokens.append(after)  # 'lost the [boat]': the parser may hang the closing bracket on the cue
    if len([t for t in tokens if t.is_alpha or t.like_num]) < 3 and not _noun_and_verb(tokens):
        return None  # '18 people died' is a report, and so is 'prices rose'; 'he would' and 'so' are not
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    pieces = [tokens[0].text]
    for before, token in itertools.pairwise(tokens):
        gap = token.idx != before.idx + len(before.text_with_ws)
        pieces.append((" " if gap or before.whitespace_ else "") + token.text)
    return start, end, "".join(pieces)


def _only_that(tokens: list[Token]) -> bool:
    """True for 'only that' opening a reported clause ('said only that ...'); not 'only that bridge'."""
    return tokens[0].lower_ == "only" and len(tokens) > 1 and tokens[1].lower_ == "that" and tokens[1].dep_ == "mark"


def _through_open_quote(ctx: _Context, start: int, end: int, text: str,
                        paragraph: Paragraph) -> tuple[int, int, str]:
    """The report run on to the closing mark of quoted words that open inside it and are still open where it
    ends: the parser may end a sentence at a bracket or a full stop inside them ('said the board "must act
    [at once] and pay the crews."'), but the quoted words belong to the reported clause. Not for a quotation
    the rules take as direct (one after a colon, or whole sentences of someone's own)."""
    quote = ctx.in_quote(end - 1)
    if (quote is None or quote.content_start <= start or quote.end <= end or not quote.closed
            or not _is_partial(ctx, quote, paragraph)):
        return start, end, text
    return start, quote.end, " ".join(ctx.text[start:quote.end].split())


def _subject_before(ctx: _Context, clause: list[Token], start: int) -> bool:
    """True if the reported clause names its subject in the narrator's words before a quotation that starts
    at `start`: 'said his Labour Party "[are] eager ..."', not 'said of the process "In the end I ..."'."""
    return any(t.dep_ in SUBJECT_DEPS and t.idx < start and not ctx.in_quote(t.idx) and t.is_alpha
               for t in clause)


def _opens_with(ctx: _Context, quote: QuoteSpan, start: int, clause: list[Token]) -> bool:
    """True if a reported clause opens with a quotation and no 'that' clause of the narrator's follows it, so
    the words after it only say when or how it was said: 'said, "We will not sail", while visiting the port' is
    the quotation alone; 'said, "the port is closed" and that ships would wait' reports the narrator's clause
    too."""
    if not quote.content_start <= start <= quote.content_start + 1:
        return False
    return not any(t.dep_ == "mark" and t.lower_ == "that" and t.idx > quote.end and not ctx.in_quote(t.idx)
                   for t in clause)


def _completed_after(cue: Token) -> bool:
    """True if the cue has an object or a clause of its own after it, so a clause the parser hung on it before
    it is no report: 'On the day the ferry went missing, fishermen claimed to have seen a light', 'In a statement
    issued the next morning, the union rejected the offer'; not 'The bridge will reopen, Lee said on Monday',
    where only the time follows the cue."""
    return any(c.i > cue.i and (c.dep_ in {"dobj", "xcomp", "oprd"} or (c.dep_ == "prep" and c.lower_ == "as"))
               for c in cue.children)


# Tags of the words of a plain noun phrase ('the 2020 election', 'local media') and of a finite verb
NOUN_PHRASE_TAGS = frozenset({"DT", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "PRP$", "HYPH", "POS"})


def _participle_clause(ctx: _Context, cue: Token) -> list[Token]:
    """The reported clause after a speech participle that the parser did not read as one, or []: in 'fishermen
    claiming the nets were cut' and 'with local radio reporting the fleet was still moored' the small model makes
    the clause's subject the participle's object or hangs the clause elsewhere. A plain noun phrase (or a
    pronoun) right after the participle and then a finite verb are that clause. Not a relative clause ('saying
    something she regretted'), nor a finite verb whose subject holds the participle ('A letter announcing the
    closure was sent'), nor a participle inside a word ('Spanish-speaking')."""
    doc = cue.doc
    if (cue.tag_ != "VBG" or any(c.dep_ == "ccomp" for c in cue.children)
            or (cue.i and doc[cue.i - 1].tag_ == "HYPH")):
        return []
    end = cue.i + 1
    if end < len(doc) and doc[end].tag_ == "PRP":
        end += 1
    else:
        while end < len(doc) and doc[end].tag_ in NOUN_PHRASE_TAGS:
            end += 1
    if end == cue.i + 1 or end >= len(doc) or doc[end].tag_ not in FINITE_TAGS or ctx.in_quote(doc[end].idx):
        return []
    if not doc[end - 1].tag_.startswith(("NN", "PRP", "CD")):
        return []
    verb = doc[end].head if doc[end].dep_ in {"aux", "auxpass"} else doc[end]
    if verb.dep_ == "relcl" or any(a.dep_ in SUBJECT_DEPS and cue in a.subtree for a in verb.children):
        return []
    clause = list(doc[cue.i + 1: max(verb.right_edge.i, end) + 1])
    # the speaker must stand outside the clause: 'Alleging Iran has ...', hung on 'has', is not Iran's
    speaker = cue.head if cue.dep_ == "acl" and cue.head.pos_ in {"NOUN", "PROPN"} else _subject(cue)
    return clause if speaker is not None and speaker not in clause else []


def _clause_after_cue_comma(ctx: _Context, cue: Token) -> list[Token]:
    """The clause after a comma that closes an opening cue the parser made that clause's complement, or []: in
    'The harbour master explained to the Gazette, two trawlers had run aground' and 'Her brother told the local
    radio, the crew had been warned' the small model hangs the cue, with its subject and the one spoken to,
    on the reported verb. The cue's own words open the sentence, have a subject and no clause or quotation of
    their own, and a comma ends them; the clause after it has a subject and does not open with a quotation mark
    (a quotation there is direct)."""
    doc = cue.doc
    verb = cue.head
    subject = _subject(cue)
    if (cue.dep_ != "ccomp" or verb.i < cue.i or verb.left_edge.i != cue.left_edge.i or ctx.in_quote(verb.idx)
            or subject is None or subject.pos_ not in {"NOUN", "PROPN", "PRON"} or cue.tag_ not in FINITE_TAGS
            or cue.right_edge.i == cue.i):  # 'Talks resume, ferries stay idle': no one spoken to
        return []
    if any(c.dep_ in {"ccomp", "xcomp", "advcl", "conj"} for c in cue.children):
        return []
    if any(c.dep_ == "dobj" for c in cue.children) and cue.lemma_.lower() not in word_set("addressee_cues.txt"):
        return []  # 'reported new incidents, ...': the object is what was reported
    comma = cue.right_edge.i + 1
    if comma >= len(doc) or doc[comma].text != "," or comma + 1 >= verb.i:
        return []
    opener = doc[comma + 1]
    if opener.text in QUOTE_CHARACTERS or ctx.in_quote(opener.idx):
        return []
    if not any(c.dep_ in SUBJECT_DEPS | {"expl"} and comma < c.i < verb.i for c in verb.children):
        return []
    return list(doc[comma + 1: verb.right_edge.i + 1])


def _finite(verb: Token) -> bool:
    """True for a finite verb, or one with a finite auxiliary ('is', 'might render'); a bare past form only with an
    object or complement ('violated the charter'), since without one it may be a participle ('the withdrawal
    first announced in May')."""
    if any(c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE_TAGS for c in verb.children):
        return True
    if verb.tag_ == "VBD":
        return any(c.dep_ in {"dobj", "attr", "acomp", "ccomp", "xcomp", "oprd"} for c in verb.children)
    return verb.tag_ in FINITE_TAGS


def _object_as_subject(ctx: _Context, cue: Token) -> list[Token]:
    """The reported clause whose subject the parser made the cue's object, or []: in 'Harbour officials have
    indicated a fraud inquiry is ongoing' the small model reads 'a fraud inquiry' as the object and hangs 'is
    ongoing' on the cue without a subject, and at times does the same with 'ruled the levy violated the charter'
    (the verb as an adverbial clause). The object right after a finite cue, then (after at most a comma) a finite
    verb with no subject of its own and no conjunction before it, are that clause; not 'announced the plan and
    left', nor 'asked the court to rule'."""
    doc = cue.doc
    if cue.tag_ == "VBG" or ctx.in_quote(cue.idx):
        return []
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i == cue.i + 1]
    if not objects or objects[0].pos_ not in {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}:
        return []
    obj = objects[0]
    if obj.lemma_.lower() in _speech_nouns() or ctx.in_quote(obj.idx):
        return []
    after = obj.right_edge.i + 1
    for verb in cue.children:
        if verb.left_edge.i < after or verb.dep_ not in {"ccomp", "advcl", "conj"} or verb.pos_ not in {"VERB", "AUX"}:
            continue
        gap = list(doc[after: verb.left_edge.i])
        if len(gap) > 1 or (gap and gap[0].text != ","):
            continue
        if (not _finite(verb) or ctx.in_quote(verb.idx) or not any(not c.is_punct for c in verb.children)
                or any(t.i < verb.i and (t.dep_ in SUBJECT_DEPS | {"expl", "mark", "cc"} or t.lower_ == "as")
                       for t in verb.subtree)
                or any(c.dep_ == "cc" and obj.i < c.i < verb.i for c in cue.children)):
            continue
        return list(doc[obj.left_edge.i: verb.right_edge.i + 1])
    return []


def _object_before_quote(ctx: _Context, cue: Token, clause: list[Token]) -> list[Token]:
    """The reported clause with its subject put back when the parser made that subject the cue's object and the
    clause's verb stands inside quotation marks: in 'Voss added the fleet "[has] too few pilots"' and 'Voss said
    the board, "wrote to every skipper"' the report is 'the fleet "[has] too few pilots"', not the quoted
    words alone (which get a partial entry of their own). The object ends right before the opening mark (or a
    comma before it) and is not the one spoken to ('told reporters "..."'). Returns `clause` unchanged otherwise.
    With no clause, quoted words that open with a verb right after the object are the rest of it ('tweeted the
    order "kept every ferry in port"')."""
    doc = cue.doc
    first = next((t for t in clause if not t.is_space), None)
    quote = ctx.in_quote(first.idx) if first is not None else None
    if first is not None and quote is None and first.text in QUOTE_CHARACTERS:
        quote = ctx.in_quote(first.idx + len(first.text))
    if clause and quote is None:
        return clause
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and c.pos_ in {"NOUN", "PROPN", "PRON"}]
    if not objects or cue.lemma_.lower() in word_set("addressee_cues.txt") or ctx.in_quote(objects[0].idx):
        return clause
    obj = objects[0]
    # the opening mark right after the object's own words (a relative clause on it may come first; words the
    # parser hung on the object from inside the quotation do not count), or after a comma
    mark = next((t for t in doc[obj.i + 1: obj.i + 12] if t.text in QUOTE_CHARACTERS), None)
    if mark is None or any(t not in obj.subtree and t.text != "," for t in doc[obj.i + 1: mark.i] if not t.is_space):
        return clause
    if any(t.text == "," for t in doc[obj.i + 1: mark.i - 1]):
        return clause
    if quote is None:  # no clause: the quoted words must open with a verb ('"kept ..."', '"freely shares ..."')
        quote = ctx.in_quote(mark.idx + len(mark.text))
        words = [t for t in doc[mark.i + 1: mark.i + 3] if t.is_alpha]
        if quote is None or not words or not (words[0].tag_ in FINITE_TAGS or (
                words[0].tag_ == "RB" and len(words) > 1 and words[1].tag_ in FINITE_TAGS)):
            return clause
        return [t for t in doc[obj.left_edge.i:] if t.idx < quote.end]
    if first is None or mark.idx != quote.start:
        return clause
    return list(doc[obj.left_edge.i: first.i]) + clause


def _as_source(cue: Token) -> Token | None:
    """The source of a passive cue that 'as' opens before the clause it reports, or None: 'As explained by the
    harbour master, the tides ...' and 'As reported in the local press, the ferry ...' are the harbour master's
    and the press's reports, with the source after 'by' or 'in' (not a date: 'As announced in May, ...'). Not
    when an 'according to' hangs on the same clause, which names its source already, nor for a request
    ('As requested by the family, the funeral was private' reports no words of theirs)."""
    spoken = cue_at(cue)
    if (cue.tag_ != "VBN" or cue.dep_ != "advcl" or cue.head.i < cue.i
            or spoken is None or spoken.lemma in _directive_cues()
            or not any(c.dep_ == "mark" and c.lower_ == "as" and c.i == cue.i - 1 for c in cue.children)
            or any(c.lower_ == "according" for c in cue.head.children)):
        return None
    for phrase in (c for c in cue.children if c.i > cue.i and (c.dep_ == "agent" or (
            c.dep_ == "prep" and c.lower_ == "in"))):
        sources = [o for o in phrase.children if o.dep_ == "pobj" and o.pos_ in {"NOUN", "PROPN"}
                   and o.ent_type_ not in {"DATE", "TIME"}]
        if sources:
            return sources[0]
    return None


def _put_to_the_subject(cue: Token) -> bool:
    """True for a past participle that opens an adverbial clause of its own ('Asked whether the port would close,
    the mayor said the timetable was under review'): what it reports was put to the main clause's subject, whose
    own words the main clause reports, or who answers without words ('he shrugged', 'she did not hesitate';
    data/wordless_answers.txt; the tagger may call such an 'Asked' a past tense). Not when the main clause reports
    nothing of its own: an answer ('said yes', 'smiled, then said no', 'nodded: yes'), a refusal ('declined to
    comment', 'would not be drawn') or a stance ('did not rule it out') keeps the question as the subject's, the one
    record of what was answered."""
    if cue.dep_ != "advcl" or any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in cue.children):
        return False
    answer = cue.head
    looked_over = any(c.lower_ in {"ahead", "back", "forward"} for c in answer.children)  # 'looked back on ...' talks
    if answer.lemma_.lower() in word_set("wordless_answers.txt") and not looked_over and (
            cue.tag_ == "VBN" or (cue.tag_ == "VBD" and cue.i == cue.sent.start)):
        after = [t for t in answer.subtree if t.i > answer.i]
        return not (after[:1] and after[0].text == ":") and not any(cue_at(t) is not None for t in after)
    reports = [c for c in answer.children if c.dep_ == "ccomp" and c.i > cue.i and len(list(c.subtree)) >= 3]
    # the tagger may call an opening 'Asked' a past tense: it is a participle when a quotation answers it
    quoted_answer = cue.i == cue.sent.start and any(t.is_quote for t in answer.doc[answer.i + 1:answer.i + 3])
    return (cue.tag_ == "VBN" or quoted_answer) and cue_at(answer) is not None and bool(reports) and not any(
        c.dep_ == "neg" for c in answer.children)


def _asker(cue: Token) -> Token | None:
    """Who asked, when 'by' names someone: 'Asked by reporters', 'Asked by the Herald'; not 'Asked by phone'."""
    agent = passive_agent(cue)
    if agent is None or not (agent.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or agent.pos_ == "PROPN"
                             or agent.lemma_.lower() in _person_nouns()):
        return None
    return agent


def _directive_clauses(cue: Token) -> list[Token]:
    """The infinitive clauses a cue governs: 'urged the embassy to reconsider', 'promised to stay'."""
    return [c for c in cue.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]


def _after_semicolon(cue: Token, clause: list[Token]) -> list[Token]:
    """The part of a reported clause after the last semicolon before its cue: 'The first bomb went off
    during Mass; video footage shows pews broken' reports nothing before the semicolon, which ends a
    sentence of the narrator's, and '...; around 50 gallons of fuel, officials said, spilled' reports only
    what follows it."""
    semicolons = [t.i for t in cue.sent if t.text == ";" and t.i < cue.i]
    return [t for t in clause if t.i > semicolons[-1]] if semicolons else clause


def _past_source_comma(according: Token) -> set[int]:
    """The words the parser hung on an 'according to X' phrase after the comma that closes it, which belong
    to the reported clause: 'One ferry was, according to the coastguard, among the missing', 'The bridge
    is old and, according to engineers, unsafe for lorries', and 'According to the survey, fishing and
    shipping were the main trades' with the clause's subject parsed as more of the source. A noun in
    apposition or a relative clause stays with the source ('according to the mayor, Ana Lee, ...', 'according
    to police, who ...'), and so does a list of sources when the clause has a subject of its own."""
    objects = [o for to in according.children if to.lower_ == "to" for o in to.children if o.dep_ == "pobj"]
    if not objects:
        return set()
    source = objects[0]
    commas = [t for t in according.doc[source.i + 1: according.right_edge.i + 1]
              if t.text == "," and t.head.i in {according.i, source.i}]
    if not commas:
        return set()
    comma = commas[0]
    headless = not any(c.dep_ in SUBJECT_DEPS for c in according.head.children)
    moved: set[int] = set()
    for child in [*according.children, *source.children]:
        if child.i <= comma.i or child.dep_ in {"punct", "advmod", "npadvmod"} or (
                child.head.i == according.i and child.dep_ in {"cc", "conj"}):
            continue  # '..., and as confirmed by ...': a second source; '..., hours later, ...': the narrator's
        stays = (child.head.i == source.i and (
            (child.dep_ == "appos" and child.pos_ in {"NOUN", "PROPN", "PRON"})
            or child.dep_ in {"relcl", "acl"} or (child.dep_ in {"conj", "cc"} and not headless)))
        if not stays:
            moved |= {t.i for t in child.subtree}
    return moved


def _reported_by(according: Token, verb: Token) -> bool:
    """True if an 'according to X' that opens the sentence before the verb's subject reports the whole
    report: 'According to ISNA, the prosecutor said ...' is ISNA's report of what the prosecutor said
    (two attributions), while 'Lee said ..., according to a statement' is one."""
    subject = _subject(verb)
    return subject is not None and according.i < subject.left_edge.i and subject.pos_ in {"PROPN", "NOUN"}


def _unnamed_source_report(ctx: _Context, verb: Token) -> bool:
    """True if the verb an 'according to' hangs on is a speech verb whose subject is a source with no
    person's name, which reports a clause: in 'According to the Tarvia News Agency, port officials said the
    ferry would not sail' the agency passes on what the officials said, and those words are theirs. A named
    person's report stays two ('According to the agency, the prosecutor, Ana Lee, said ...'), and so does a
    belief ('According to the paper, officials believe ...')."""
    inner = cue_at(verb)
    subject = _subject(verb)
    return (inner is not None and inner.lemma != "according to" and inner.stance != "labelling"
            and inner.lemma not in THINKING_CUES and subject is not None and subject.pos_ == "NOUN"
            and not ctx.in_quote(verb.idx) and any(c.dep_ == "ccomp" for c in verb.children)
            and not any(t.ent_type_ == "PERSON" for t in subject.subtree))


def _has_verb_cue(token: Token, ctx: _Context) -> bool:
    """True if `token` is a speech verb that reports something of its own: a clause ('insisted that ...'),
    or an object for the verbs whose object is the report ('denied any wrongdoing'); not 'her body showed signs'."""
    cue = cue_at(token)
    reports = any(c.dep_ == "ccomp" for c in token.children) or (
        cue is not None and cue.lemma in NOUN_PHRASE_CUES and any(c.dep_ == "dobj" for c in token.children))
    return (cue is not None and cue.lemma != "according to" and cue.stance != "labelling" and reports
            and cue.lemma not in THINKING_CUES  # "According to ABC, Lee believes ...": ABC's report
            and not ctx.in_quote(token.idx) and _subject(token) is not None)


def _describes_the_object(cue: Token, clause: Token) -> bool:
    """True for a clause set off by a comma after the object of a cue whose subject cannot speak: 'Footage showed
    miners wrapped in blankets, their eyes covered to protect them' describes the miners, and reports nothing."""
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.i < clause.i]
    subject = _subject(cue)
    first = clause.left_edge
    set_off = first.text == "," or first.i > 0 and cue.doc[first.i - 1].text == ","
    speechless = subject is not None and not _could_speak(subject)
    return bool(objects) and speechless and set_off and not _opens_with_that(clause)


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _told_by_no_one(verb: Token) -> bool:
    """True for a passive speech verb with no agent: 'Staff have been told their jobs are safe, according to the
    union' names no one who told them, so an 'according to' on it gives the source (not one inside what they were
    told: 'were told the trains would run according to plan', review)."""
    return _passive(verb) and not any(c.dep_ == "agent" for c in verb.children)


def _names_a_source(according: Token) -> bool:
    """True if 'according to' names someone or something with words: a name, a plural or a noun with its article ('the
    union', 'police', 'officials'); not a bare noun, an idiom ('according to plan', 'according to schedule')."""
    objects = [o for p in according.children if p.lower_ == "to" for o in p.children if o.dep_ == "pobj"]
    return any(o.pos_ == "PROPN" or o.tag_ == "NNS" or any(c.dep_ in {"det", "poss"} for c in o.children)
               for o in objects)


def _held_belief(verb: Token) -> bool:
    """True for a belief the text says someone holds now, with its content as a clause ('Lee believes the
    ferry was overloaded', 'investigators believe ...'): a news text attributes a position that way, and PolNeAR
    annotates such beliefs as attributions. Bender et al. advise writers against these verbs because a
    reporter cannot know a belief, which is what a reader should notice about them. A past belief in a
    narrative ('a guard thought the parcel held a bomb') or one held by nobody in particular ('the quake,
    first believed to be ...', 'it is believed') is no one's position."""
    return (verb.tag_ in {"VBZ", "VBP"} and any(c.dep_ == "ccomp" for c in verb.children)
            and not any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children))


# Tags of a question word that opens a clause: 'what', 'which', 'whose' and 'why', 'how'
QUESTION_WORD_TAGS = RELATIVE_TAGS | {"WRB"}


# '[fr] ', '[video] [nl] ': links' languages or media, as `speakers._in_tag` reads them
_LINK_TAGS = re.compile(r"(?:\[[^\W\d_]{1,5}\]\s*)+")


def _topic_before_colon(ctx: _Context, clause: list[Token], cue: Cue, end: int, paragraph: Paragraph) -> bool:
    """True for a reported clause that opens with a question word after a cue that asks nothing and that a colon
    ends, before a quotation or at the paragraph's end: in 'Harbour master Omar Lind explains why the quay was
    closed:' and 'Ana Voss reveals how the crews are paid: "..."' the clause names what the quoted words after the
    colon are about, and those words are the report. A cue that asks reports the question ('Lind asks why the quay
    was closed:'; `question_cues.txt`), and prose after the colon goes on with the report ('Lind explained why the
    quay was closed: the wall was cracked'). A link's tag may stand before the colon ('explains what it is all
    about [fr]:')."""
    words = sorted((t for t in clause if not (t.is_punct or t.is_space)), key=lambda t: t.i)  # in text order
    if not words or cue.lemma in word_set("question_cues.txt"):
        return False
    opens = words[0].tag_ in QUESTION_WORD_TAGS or words[0].lower_ == "whether"
    after = ctx.text[end:paragraph.end].strip()
    after = after[tag.end():] if (tag := _LINK_TAGS.match(after)) else after
    return opens and after.startswith(":") and after[1:].lstrip(" —–-")[:1] in {"", "'", *QUOTE_CHARACTERS}


def _subject_hung_before(ctx: _Context, cue: Token) -> Token | None:
    """The subject of a finite cue that the parser hung on the phrase before it, or None: in 'Recovering from a
    long illness, Omar Lind in a radio interview said ...' and 'In a paper out on Monday in the journal Tide
    Notes, a team of divers report ...' the small model makes the name or the team an apposition of the
    phrase before, and the cue has no subject. The nearest noun set off so (an apposition or a loose noun
    phrase) that can speak and ends right before the cue, or before the cue's own time words, is its subject;
    for a role set off after a person's name ('Omar Lind, QC, said'), the name."""
    doc = cue.doc
    if cue.tag_ not in FINITE_TAGS or not any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children):
        return None
    end = cue.i - 1
    timed = {t.i for c in cue.children if c.dep_ in {"npadvmod", "advmod"} and c.i < cue.i for t in c.subtree}
    while end >= cue.sent.start and (end in timed or doc[end].is_punct):
        end -= 1
    for token in reversed(doc[cue.sent.start: end + 1]):
        if (token.pos_ in {"VERB", "AUX"} and token.dep_ != "amod") or ctx.in_quote(token.idx):
            return None  # 'a televised address' is no clause of its own
        if (token.dep_ in {"appos", "npadvmod"} and token.pos_ in {"NOUN", "PROPN"} and token.head.i < token.i
                and token.right_edge.i == end):
            members = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
                       if o.dep_ == "pobj"]  # 'a team of divers' speaks as the divers can
            if not (_could_speak(token) or any(_could_speak(m) and m.pos_ == "NOUN" for m in members)):
                return None
            head = token.head
            if (token.dep_ == "appos" and head.dep_ in {"appos", "npadvmod"}
                    and ctx.mention_at(head.idx, head.idx + len(head), {PERSON}) is not None):
                return head
            return token
    return None


def _noun_and_verb(tokens: list[Token]) -> bool:
    """'prices rose', 'talks failed': a clause of two words, a noun subject and its finite verb; not an answer that
    stands for a verb phrase ('said Smith did')."""
    if len(tokens) != 2:
        return False
    subject, verb = tokens
    return (subject.pos_ in {"NOUN", "PROPN"} and subject.dep_ in SUBJECT_DEPS and subject.head.i == verb.i
            and verb.pos_ == "VERB" and verb.tag_ in {"VBD", "VBZ", "VBP"} and verb.lemma_ not in {"do", "be", "have"})


def _after_according_to_which(according: Token) -> list[Token]:
    """'..., according to which a section would cross the zone': the relative clause after 'which', up to its verb's
    last word, or to a main verb after a comma ('The law, according to which citizens can vote at 16, takes
    effect')."""
    doc = according.doc
    verb = doc[according.i + 3]  # the relative clause's verb: the first one up from its first word
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i > according.i and verb.head.i != verb.i:
        verb = verb.head
    clause = list(doc[according.i + 3: verb.right_edge.i + 1])
    ends = [t.i for t in clause if t.text == "," and t.i + 1 < len(doc) and t.nbor().pos_ in {"VERB", "AUX"}]
    return [t for t in clause if not ends or t.i < ends[0]]


def _agents_relative(cue: Token, clause: Token) -> bool:
    """'He was criticised by prosecutor Ana Lee who sought a life sentence': the parser may hang the agent's
    relative clause on the passive cue as if it were the report."""
    agent = passive_agent(cue)
    if agent is None or clause.left_edge.lower_ not in {"who", "which"} or cue.lemma_.lower() in word_set(
            "question_cues.txt"):
        return False  # 'was asked by the committee which documents she had shredded': the question
    between = cue.doc[agent.right_edge.i + 1:clause.left_edge.i]
    return all(t.text == "," for t in between)


def _indirect(ctx: _Context, token: Token, cue: Cue, paragraph: Paragraph) -> Attribution | None:
    """Reported speech around a cue outside quotation marks, or None if the cue reports nothing."""
    complements: list[Token] = []
    if cue.lemma in THINKING_CUES and not _held_belief(token):
        return None  # "a guard thought it was a bomb", "the quake, first believed to be ...": no one's position
    if cue.lemma == "according to":
        if any(_has_verb_cue(t, ctx) and not in_relative_clause(t) and not _reported_by(token, t)
               and not (t.i == token.head.i and _told_by_no_one(t) and _names_a_source(token))
               for t in token.ancestors):
            return None  # "X insisted that ..., according to a statement": the verb attributes it
        if token.head.i != token.i and _unnamed_source_report(ctx, token.head):
            return None  # "According to the agency, officials said ...": the officials' words
        if according_to_which(token) is not None:
            clause = _after_according_to_which(token)
        else:
            phrase = set(t.i for t in token.subtree) - _past_source_comma(token)
            reporter = _according_appos(token.head) if token.head.i != token.i else None
            if reporter is not None and not any(c.dep_ in SUBJECT_DEPS for c in token.head.children):
                phrase -= {t.i for t in reporter.subtree}  # the inner speaker is no source
                phrase -= {t.i for t in token.subtree if t.i > reporter.i}
            clause = [t for t in token.sent if t.i not in phrase and not (t.i in {token.i - 1} and t.text == ",")]
    else:
        complements = [c for c in token.children if c.dep_ == "ccomp" and not _agents_relative(token, c)]
        # "Y claimed ...; X claimed sex was consensual": the clause after the cue, not one the parser hung on it
        complements = [c for c in complements if c.i > token.i] or complements
        if complements and complements[0].i < token.i and _completed_after(token):
            complements = []  # 'On the day the ferry went missing, fishermen claimed to have seen ...'
        complements = complements or _statement_clauses(token)
        if token.dep_ == "ccomp" and _under_a_closing_report(token.head, token) is not None:
            return None  # 'Lee said ..., the paper reported': Lee's words, which the annotators give her alone
        if complements and (reported := _under_a_closing_report(token, complements[0])) is not None:
            complements = [reported]  # 'said the result was deserved, the paper reported': not 'the paper reported'
        if complements and _describes_the_object(token, complements[0]):
            complements = []
        directives = _directive_clauses(token)
        if subjectless := _object_as_subject(ctx, token):
            clause = subjectless  # "indicated a second body is missing", parsed with 'a second body' as the object
        elif complements:
            that = _that_after_comma(complements[0])
            clause = [t for t in complements[0].subtree if that is None or t.i >= that.i]
            # 'said it would be "a condition of travel" and "masks [...] we must keep" so the public should
            # use ...': the small model hangs each coordinated part on the cue as a clause of its own, and a
            # that-clause after 'but' or 'and' on the cue as a verb of its own ('said it would not, but that ...')
            coordinated = [c for c in token.children
                           if c.dep_ == "conj" and c.i > complements[0].i and _opens_with_that(c)]
            for later in sorted(complements[1:] + coordinated, key=lambda c: c.i):
                between = token.doc[clause[-1].i: later.left_edge.i]
                if later.i > clause[-1].i and not any(t.text in {".", ":"} for t in between):
                    clause += list(token.doc[clause[-1].i + 1: later.right_edge.i + 1])
            if not any(t.pos_ in {"VERB", "AUX"} for t in clause):
                return None  # "found it hilariously ironic": a judgement, not a report
        elif directives and cue.lemma in _directive_cues() and not (in_relative_clause(token) and token.dep_ != "acl"):
            # "urged the embassy to reconsider"; not "a teacher, who asked not to be named, said ..."
            clause = list(directives[0].subtree)
        elif after_comma := _clause_after_cue_comma(ctx, token):
            clause = after_comma  # 'explained to the Gazette, two trawlers had run aground'
        elif participle := _participle_clause(ctx, token):
            clause = participle  # "fishermen claiming the nets were cut", parsed with 'the nets' as the object
        elif token.dep_ == "parataxis":  # "The Legion, he said, has ..."
            inner = set(t.i for t in token.subtree)
            clause = [t for t in token.head.subtree if t.i not in inner]
        elif cue.lemma in NOUN_PHRASE_CUES and not _names_a_topic(token, cue) and _reported_object(ctx, token):
            clause = _reported_object(ctx, token)  # "Scientists report two new treatments for Ebola"
        elif gerund := _gerund_clause(ctx, token, cue):
            clause = gerund  # "The army has denied using live ammunition"
        elif quoted := _object_before_quote(ctx, token, []):
            clause = quoted  # 'tweeted the order "kept every ferry in port"'
        elif _as_source(token) is not None:
            inner = {t.i for t in token.subtree}  # 'As reported by the Tarvik Herald, the ferry sank'
            clause = [t for t in token.head.subtree if t.i not in inner]
        else:
            return None
        if complements:
            clause = _object_before_quote(ctx, token, clause)  # 'added the fleet "[has] too few pilots"'
    clause = _after_semicolon(token, clause)
    if _negated_or_hypothetical(token):
        return None  # "she did not say that ...", "he would say that ...": not her words
    second = _conjoined_cue(ctx, token, clause)
    if second is not None:  # "said the bridge would reopen but warned that ...": two reports
        clause = [t for t in clause if t.i < second[0]]
    content = _content_span(ctx, clause)
    if content is None:
        return None
    start, end, text = content
    if complements and _topic_before_colon(ctx, clause, cue, end, paragraph):
        return None  # 'explains why the quay was closed:' introduces the quoted words after the colon
    quotes = [q for _, _, q in ctx.quote_index.overlapping(start, end)]
    if any((q.end - q.start > (end - start) / 2 or _opens_with(ctx, q, start, clause))
           and not _is_partial(ctx, q, paragraph)
           and not _subject_before(ctx, clause, q.start) for q in quotes):
        return None  # the clause is a direct quotation; handled there ('said his party "[is] eager ..."' is both)
    start, end, text = _through_open_quote(ctx, start, end, text, paragraph)
    if _words_outside_quotes(ctx, start, end) < (1 if quotes else 2):
        return None  # 'added they "would not consider it"': the narrator's "they" and quoted words
    if token.i in ctx.shared_speakers:
        speaker = ctx.shared_speakers[token.i]
        return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ())
    head = _as_source(token)
    if head is None and _put_to_the_subject(token):
        # 'Asked by reporters whether the port would close, the mayor said ...': the reporters' question, not
        # her words; with no 'by', nobody's the text names
        head = _asker(token)
        if head is None:
            return None
    head = head or _speaker_token(token, cue)
    if _passive_subject_of(head, token):
        # "the parents were advised to ...", "he was told that ...": the one spoken to, not the speaker
        head = speaking_agent(token)
        if head is None:
            return None
    if head is None and token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"} and token.tag_ != "VBN":
        head = token.head  # "officials asking the US to waive immunity"; not "the taxes requested ..."
    if complements:  # 'Ana Lee (@analee) [fr] argued that ...': not the tag, nor a name inside the clause
        head = _subject_across_tag(ctx, token, head, paragraph) or head
    head = head or _subject_hung_before(ctx, token) or _named_after(ctx, token)
    speaker = _cue_speaker(ctx, token, head, paragraph)
    if head is not None and is_expletive_it(head) and complements:
        return _attribution(INDIRECT, start, end, text, paragraph.number, NO_SPEAKER, cue, ("no_source",))
    if not speaker.text:
        return None
    # '... and warned', '... and she warned'; not '... and critics say', nor a passive, whose agent speaks ('... and
    # was told by the manager that ...'), nor a verb that goes on with the reported clause's subject
    if second is not None and all(c.pos_ == "PRON" for c in second[1].children if c.dep_ in SUBJECT_DEPS) and not (
            _goes_on_with_its_subject(second[1]) or _passive(second[1])):
        ctx.shared_speakers[second[1].i] = speaker
    refused = according_to_which(token) is None and any(  # not 'The mayor, according to whom ..., declined'
        t.lemma_.lower() in {"decline", "refuse"} or t.dep_ == "neg" for t in [token.head, *token.children])
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ("declined",) if refused else ())


# Labelling cues whose object and what the object is called make a judgement someone voiced: 'the minister
# called the delay unacceptable', 'critics branded the toll a tax on the poor'.
JUDGING_CUES = frozenset({"call", "brand"})


def _called_judgement(ctx: _Context, token: Token, cue: Cue, paragraph: Paragraph) -> Attribution | None:
    """What a speaker called something, without quotation marks ('The harbour master called the new quay a
    waste of money', 'Ana Voss branded the plan unfair'): the object and its predicate are the report. Not
    a name given ('a virus they called Tarvik-2', 'the rebels call themselves the Free Legion'), not quoted
    words (a partial quotation: 'called it "reckless"'), not the one called ('called him by phone')."""
    if appeal := _called_for(ctx, token, cue):
        content = _content_span(ctx, appeal)  # 'called for the vote to be postponed': an appeal
        if content is None:
            return None
        speaker = _cue_speaker(ctx, token, _speaker_token(token, cue), paragraph)
        if not speaker.text:
            return None
        appealed = Cue(f"{token.text} {token.nbor(1).text}", "call for", "evaluative", "insistence_or_emotion")
        return _attribution(INDIRECT, *content, paragraph.number, speaker, appealed, ())
    if cue.lemma not in JUDGING_CUES or ctx.in_quote(token.idx) or _negated_or_hypothetical(token):
        return None
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children):
        return None  # 'the plan was called a failure': no one said to call it so
    objects = [c for c in token.children if c.dep_ == "dobj" and c.i > token.i]
    if not objects or objects[0].tag_ in {"WDT", "WP"} or objects[0].lower_.endswith(("self", "selves")):
        return None
    obj = objects[0]
    predicates = [c for c in token.children if c.dep_ in {"oprd", "xcomp", "ccomp"} and c.i > obj.i] or [
        c for c in obj.children if c.dep_ in {"amod", "acl"} and c.tag_ == "JJ" and c.i > obj.i]
    if not predicates or predicates[0].pos_ == "PROPN":
        return None
    tokens = list(ctx.doc[obj.left_edge.i: predicates[0].right_edge.i + 1])
    if any(t.text in QUOTE_CHARACTERS for t in tokens):
        return None
    content = _content_span(ctx, tokens)
    if content is None:
        return None
    speaker = _cue_speaker(ctx, token, _speaker_token(token, cue), paragraph)
    if not speaker.text:
        return None
    start, end, text = content
    return _attribution(INDIRECT, start, end, text, paragraph.number, speaker, cue, ())


def _called_for(ctx: _Context, cue: Token, spoken: Cue) -> list[Token]:
    """The clause of an appeal made with 'call for' and a subject and an infinitive of its own, or []: in
    'The harbour board called for the ferry service to be restored' the board asks for 'the ferry service to be
    restored', as 'called on the council to restore the service' asks the council (the small model reads 'for'
    as the mark of an adverbial clause). Not 'call for' a noun alone ('called for calm' names no words), not
    an appeal whose infinitive is quoted (a partial quotation: 'called for the UN "to act"'), not in the passive
    or negated."""
    if (spoken.lemma != "call" or ctx.in_quote(cue.idx) or _negated_or_hypothetical(cue)
            or any(c.dep_ in {"nsubjpass", "auxpass"} for c in cue.children)):
        return []
    doc = cue.doc
    if cue.i + 1 >= len(doc) or doc[cue.i + 1].lower_ != "for":
        return []
    for verb in cue.children:
        if (verb.dep_ in {"advcl", "ccomp", "xcomp"} and verb.pos_ in {"VERB", "AUX"}
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
                and any(c.dep_ in SUBJECT_DEPS and c.left_edge.i == cue.i + 2 for c in verb.children)):
            tokens = [t for t in verb.subtree if t.i > cue.i + 1]
            opening = [t for t in tokens if t.i <= verb.i]  # quoted words may follow, not open, the appeal
            return [] if any(ctx.in_quote(t.idx) or t.text in QUOTE_CHARACTERS for t in opening) else tokens
    return []


# Cues whose object, with the preposition that completes it, is what was said: "blamed the storm for the
# delays", "accused the company of fraud", "warned against travelling to the region".
OBJECT_PREPOSITIONS = {"accuse": {"of"}, "blame": {"for"}, "warn": {"of", "about", "against"}}
# Cues whose object is itself what was reported when no clause follows: "denied any wrongdoing",
# "described the ruling as historic", "reported sellers offering free toilet paper", and those above.
NOUN_PHRASE_CUES = frozenset({"report", "describe", "deny", "announce", "reveal", "predict", "estimate"}
                             | OBJECT_PREPOSITIONS.keys())


def _names_a_topic(token: Token, cue: Cue) -> bool:
    """True for a participle or infinitive that hangs on a noun or follows a preposition ('a statement announcing
    the closure', 'his way of reporting the war on Twitter', 'calls to report any breach of the rule'): with a
    noun phrase for its object it says what a text or an act is about, not what anyone said, where a finite cue
    ('the board announced the closure') reports it. An accusation still states its claim ('a post blaming the
    council for the delays')."""
    return token.dep_ in {"acl", "pcomp"} and cue.lemma not in OBJECT_PREPOSITIONS


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
    prepositions = {"as"} | OBJECT_PREPOSITIONS.get(cue.lemma_.lower(), set())
    completions = [c for c in cue.children if c.i > obj.i and (
        c.dep_ in {"oprd", "xcomp", "ccomp"} or (c.dep_ == "prep" and c.lower_ in prepositions))]
    for sibling in completions:
        if any(t.text in QUOTE_CHARACTERS for t in sibling.subtree):
            return []  # 'described the cuts as "a painful step"': the quoted words are the attribution
        tokens += list(sibling.subtree)
    if cue.lemma_.lower() == "warn" and not any(c.dep_ in {"xcomp", "ccomp"} for c in completions):
        return []  # "warned Turkey against an incursion": the one warned and the topic, not the warning
    if cue.lemma_.lower() == "describe" and not completions and not any(
            c.dep_ == "acl" and c.tag_ == "VBG" for c in obj.children):
        return []  # "described the night of the storm": a topic, not what was said about it
    return sorted(tokens, key=lambda t: t.i)


def _gerund_clause(ctx: _Context, token: Token, cue: Cue) -> list[Token]:
    """The gerund clause after a cue whose gerund is the report ("denied using live ammunition", "confessed
    to killing her"), or []; not a participle of manner after other cues ("tweeted using his account")."""
    if cue.lemma not in NOUN_PHRASE_CUES | word_set("gerund_cues.txt"):
        return []
    after = [c for c in token.children if c.i > token.i and not ctx.in_quote(c.idx)]
    gerunds = [c for c in after if c.dep_ in {"xcomp", "ccomp", "dobj"} and c.tag_ == "VBG"]
    prepositions = {"to", "of", "about"} | OBJECT_PREPOSITIONS.get(cue.lemma, set())  # 'blamed him for encouraging'
    gerunds += [g for p in after if p.dep_ == "prep" and p.lower_ in prepositions
                for g in p.children if g.dep_ == "pcomp" and g.tag_ == "VBG"]
    return list(min(gerunds, key=lambda g: g.i).subtree) if gerunds else []


# Nouns that carry someone's words in a that-clause: "Kim's assertion that ...", "reports that ...".
COMPLEMENT_NOUNS = frozenset({"assertion", "claim", "report", "allegation", "statement", "announcement",
                              "warning", "suggestion", "insistence", "admission", "accusation", "rumour",
                              "rumor", "promise", "pledge", "threat", "remark", "comment", "argument"})


def _thatless_complement(noun: Token, clause: Token) -> bool:
    """True for a clause right after a speech noun that says what the noun carries though 'that' is left out
    ('denied reports the minister is ill', 'faces allegations it hid the losses'): the parser makes it a
    relative clause, or hangs it on the verb before the noun; but a relative clause leaves a gap the noun
    fills, and this one has a subject and an object or complement of its own (or is passive), and no
    relative word ('the claims the minister made' is no report)."""
    if (clause.dep_ not in {"acl", "relcl", "ccomp", "advcl"} or clause.pos_ not in {"VERB", "AUX"}
            or clause.left_edge.i != noun.i + 1 or noun.doc[noun.i + 1].is_punct):
        return False
    subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass", "expl"} and c.i < clause.i]
    if not subjects or subjects[0].tag_ in {"WDT", "WP", "WP$"} or subjects[0].lower_ == "that":
        return False
    if any(t.tag_ in {"WDT", "WP", "WP$", "WRB"} for t in clause.subtree if t.i < clause.i):
        return False
    return any(c.dep_ == "nsubjpass" or (c.dep_ in {"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd"}
                                         and c.i > clause.i) for c in clause.children)


# Speech nouns that carry a charge or a rumour, not a source: with no owner, nobody is named as saying it.
CHARGE_NOUNS = frozenset({"allegation", "accusation", "claim", "rumour", "rumor"})


def _voiced_by(noun: Token) -> Token | None:
    """The verb by which a stance noun's owner voices it (voicing_verbs.txt), the noun its object, directly or
    through a preposition ('reiterated its position', 'expressed their concern'), said as a fact: not 'Her fear ...
    proved wrong', 'There are concerns', 'did not voice its hope', 'Did she express her view ...?', 'If the union
    repeats its position ...', 'will reiterate', 'declined to restate', 'without reaffirming', nor a verb that
    answers or judges it ('criticised her belief'): a verb in the past, present or perfect, or a participle that
    goes with the sentence's ('..., expressing their concern that ...')."""
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head if noun.dep_ == "dobj" else None
    if (verb is None or verb.pos_ != "VERB" or verb.lemma_.lower() not in word_set("voicing_verbs.txt")
            or _negated_or_hypothetical(verb) or verb.sent.text.rstrip().endswith("?")
            or any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in verb.children)):
        return None
    perfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    participle = verb.tag_ == "VBG" and verb.dep_ in {"advcl", "acl", "conj"}  # ', expressing their concern ...'
    return verb if verb.tag_ in FINITE_TAGS - {"MD"} or perfect or participle else None


def _pronoun_fits(ctx: _Context, pronoun: Token, speaker: Speaker) -> bool:
    """True if a possessive pronoun can stand for the speaker: 'his' or 'her' for no organisation, and for a person
    of that gender or of none the text gives; 'its' and 'their' for no one person ('She voiced their fear' speaks of
    others')."""
    if pronoun.lower_ in {"his", "her"}:
        cluster = ctx.cluster_named(speaker.name) if speaker.name else None
        gender = ctx.gender(cluster) if cluster is not None else None
        return speaker.label in {PERSON, None} and gender in {None, "m" if pronoun.lower_ == "his" else "f"}
    return speaker.label != PERSON  # 'its' or 'their' of an organisation or a group, not of one person


def _noun_complement(ctx: _Context, noun: Token, paragraph: Paragraph) -> Attribution | None:
    """'rejected Kim's assertion that the North is a nuclear power', 'denied reports that ...': the clause
    is the words of the noun's owner, or of the reports themselves when they have no owner; 'issued a
    statement that ...' and 'posted a notice that ...' are the words of the one who put them out. A stance
    noun's clause (stance_nouns.txt) is its owner's, when it has one and a verb voices it (`_voiced_by`):
    'reiterated its position that ...', 'expressed their concern that ...'."""
    issuer = _issuer(ctx, noun)
    lemma = noun.lemma_.lower()
    owners = [c for c in noun.children if c.dep_ == "poss"]
    voiced = _voiced_by(noun) if lemma in word_set("stance_nouns.txt") and owners else None
    if (noun.pos_ != "NOUN" or (lemma not in COMPLEMENT_NOUNS and issuer is None and voiced is None)
            or ctx.in_quote(noun.idx)):
        return None
    clauses = [c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.i > noun.i and _opens_with_that(c)
               and any(d.dep_ in SUBJECT_DEPS | {"expl"} for d in c.children)]
    if not clauses and lemma in COMPLEMENT_NOUNS:
        after = noun.doc[noun.i + 1: noun.sent.end]
        clauses = [c for c in after if (c.head == noun or (c.dep_ in {"ccomp", "advcl"} and c.head.i < noun.i
                                                           and cue_at(c.head) is None))  # else the cue's report
                   and _thatless_complement(noun, c)]
    if not clauses:
        return None
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
    if owners:
        speaker = _resolve_speaker(ctx, owners[0], paragraph)
        holder = _subject(voiced) if voiced is not None and owners[0].tag_ == "PRP$" else None
        voice = _resolve_speaker(ctx, holder, paragraph) if holder is not None else None
        if voice is not None and _pronoun_fits(ctx, owners[0], voice):
            speaker = voice  # 'The union reiterated its position that ...': the pronoun is the voice's own
        elif voice is not None and lemma not in COMPLEMENT_NOUNS and issuer is None:
            return None  # 'Tom Berg repeated her view that ...': someone else's stance, whose the text leaves open
    elif issuer is not None:
        speaker = _resolve_speaker(ctx, issuer, paragraph)
    elif lemma in CHARGE_NOUNS and not definite:
        speaker = NO_SPEAKER  # 'faces allegations he took bribes': an allegation names no one who made it
    elif noun.tag_ == "NNS" and not definite:
        phrase = ctx.doc[noun.left_edge.i: noun.i + 1]
        speaker = Speaker(None, None, phrase.text, phrase.start_char, phrase.end_char, _source_kind_of(phrase.text))
    else:
        return None
    content = _content_span(ctx, list(clauses[0].subtree))
    if ((not speaker.text and speaker is not NO_SPEAKER) or content is None
            or _words_outside_quotes(ctx, content[0], content[1]) < 2):
        return None
    start, end, text = content
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
    clause of its own, starts a second report. So does one with a subject of its own that reports
    something ('has said the forest should be opened up, and his critics blame him for ...'); that
    report's speaker is its own subject."""
    inside = {t.i for t in clause}
    for token in clause:
        # ', adding that ...', 'no plans to leave the country saying, "..."': a participle after a comma, or
        # one that is a cue itself, is a second report too
        participle = (token.dep_ == "advcl" and token.tag_ == "VBG" and token.i > 0
                      and (cue.doc[token.i - 1].text == "," or cue_at(token) is not None))
        # '... after the abdication, while 28 percent said it should not wait': another speaker's report
        contrast = token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"while", "whereas"}
                                                 for c in token.children)
        if ((token.dep_ != "conj" and not participle and not contrast) or token.pos_ != "VERB"
                or ctx.in_quote(token.idx) or token.i <= cue.i):
            continue
        if any(c.dep_ in SUBJECT_DEPS | {"expl"} for c in token.children):
            if (token.dep_ == "conj" or contrast) and _has_verb_cue(token, ctx):
                return _cut_before(cue, token, inside), token
            continue
        second = cue_at(token)
        if second is None or second.stance == "labelling" or second.lemma == "according to" or _told_by_no_one(
                token):
            continue  # '... but was told to "let pharmacy handle it"': the one told does not speak
        # '... and warned that repairs could take months', '... and urged the crowd to stay calm'
        directive = second.lemma in _directive_cues() and _directive_clauses(token)
        if not directive and not any(c.dep_ == "ccomp" and c.i > token.i for c in token.children):
            continue
        return _cut_before(cue, token, inside), token
    return None


def _goes_on_with_its_subject(verb: Token) -> bool:
    """True for a speech verb conjoined to the verb of a reported clause whose subject is a name or 'he' or 'she',
    sharing its auxiliary in the same form, after a speech verb or with a clause of its own to report: 'Police said
    Stubbs had admitted 14 burglaries and asked for 22 more offences to be considered', 'Ida Berg said the minister
    Omar Lind had met the families and told them that "..."': the name speaks. The reporter speaks on in a 'said'
    ('said she had waited six hours and said it was sorry'), an appeal ('said Ana Lee had suffered injuries and
    asked for witnesses to come forward'), after a passive ('said Tom Hale had been dismissed and said') or a
    subject that is no name ('said the woman had been taken to hospital and urged ...'), or where the verb has a
    form of its own ('said the force was working ... but stressed that ...'; reviews)."""
    head = verb.head
    auxiliaries = [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if (verb.dep_ != "conj" or not auxiliaries or any(c.dep_ in {"aux", "auxpass"} for c in verb.children)
            or any(a.dep_ == "auxpass" for a in auxiliaries)):
        return False
    if cue_at(head) is None and (verb.lemma_ == "say" or not any(c.dep_ == "ccomp" for c in verb.children)):
        return False
    past = {"VBD", "VBN"}
    shared = (head.tag_ in past and verb.tag_ in past and any(a.lemma_ == "have" for a in auxiliaries)
              or head.tag_ == verb.tag_ == "VB" and any(a.tag_ == "MD" for a in auxiliaries)
              or head.tag_ == verb.tag_ == "VBG")
    subject = _subject(head)
    return shared and subject is not None and (subject.pos_ == "PROPN" or subject.lower_ in {"he", "she"} or any(
        c.dep_ == "appos" and c.pos_ == "PROPN" for c in subject.children))  # 'the minister Omar Lind'


def _cut_before(cue: Token, second: Token, inside: set[int]) -> int:
    """Where a report ends before a second cue conjoined to it: before the conjunction and the comma."""
    start = second.left_edge.i
    joints = [c for c in second.head.children if c.dep_ == "cc" and c.i < start and c.i in inside]
    cut = joints[-1].i if joints else start
    while cut - 1 in inside and (cue.doc[cut - 1].is_punct or cue.doc[cut - 1].dep_ == "advmod"):
        cut -= 1
    return cut


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


def _under_a_closing_report(cue: Token, clause: Token) -> Token | None:
    """The reported clause inside `clause` when `clause` is a second report that closes the sentence after a comma
    and reports the first one: 'Lee said the result was deserved, the paper reported.' The small model hangs 'the
    paper reported' on 'said' with the reported words under it."""
    inner = [c for c in clause.children if c.dep_ == "ccomp" and cue.i < c.i < clause.i]
    subject = [c for c in clause.children if c.dep_ in SUBJECT_DEPS and inner and inner[0].i < c.i < clause.i]
    if not inner or not subject or cue_at(clause) is None or clause.i < cue.i:
        return None
    comma = subject[0].left_edge.i - 1
    after = [c for c in clause.children if c.i > clause.i and c.dep_ not in {"punct", "prep", "npadvmod", "advmod"}]
    return inner[0] if comma > 0 and clause.doc[comma].text == "," and not after else None


def _statement_clauses(cue: Token) -> list[Token]:
    """'told the paper in a statement that ...': the parser hangs the that-clause on the speech noun; and 'said at
    a briefing that she expected more cases' or 'told a hearing that she had not been warned', which it reads as a
    relative clause on the noun, though its 'that' would then be a second subject or object of the clause's verb,
    or no pronoun at all but the conjunction that opens a reported clause."""
    nouns = [o for p in cue.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    objects = [o for o in cue.children if o.dep_ == "dobj"]
    return [c for n in nouns + objects for c in n.children if c.i > n.i and (
        n in nouns and n.lemma_.lower() in _speech_nouns() and c.dep_ in {"acl", "ccomp"} and _opens_with_that(c)
        or c.dep_ == "relcl" and (_that_doubles_an_argument(c) or _opens_with_that(c)))] + _adverbial_reports(cue)


def _adverbial_reports(cue: Token) -> list[Token]:
    """'told reporters on Monday, after a long meeting, that taxes would rise': a that-clause after a comma the
    parser hangs on the cue as an adverbial; not a purpose ('spoke slowly, that every delegate might understand')
    or a result ('spoke for so long, that several members left')."""
    if cue.lemma_.lower() in {"speak", "talk"}:
        return []
    return [c for c in cue.children if c.dep_ == "advcl" and c.i > cue.i and _that_after_comma(c) is not None
            and not any(t.lower_ in {"so", "such"} for t in cue.doc[cue.i:c.left_edge.i])]


def _that_after_comma(clause: Token) -> Token | None:
    """The 'that' opening a clause right after a comma: 'told reporters on Monday, after a long meeting, that taxes
    would rise', where the words set off before it are the cue's, though the parser may give them to the clause."""
    that = next((m for m in clause.children if m.dep_ == "mark" and m.lower_ == "that"), None)
    return that if that is not None and that.i > 0 and that.nbor(-1).text == "," else None


def _opens_with_that(clause: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)


def _that_doubles_an_argument(clause: Token) -> bool:
    """True if the 'that' opening a clause stands as its verb's subject or object beside another one, or as the
    object of a verb that takes none, a copula or a passive ('that the court's decision was illegal', 'that she
    had been warned'): no relative pronoun then, but the conjunction of a reported clause."""
    that = next((c for c in clause.children if c.lower_ == "that" and c.dep_ in {"nsubj", "dobj"}), None)
    if that is None:
        return False
    objectless = that.dep_ == "dobj" and (clause.lemma_ == "be" or any(
        c.dep_ in {"auxpass", "nsubjpass", "acomp", "attr"} for c in clause.children))
    return objectless or any(c.dep_ == that.dep_ and c.i != that.i for c in clause.children)
