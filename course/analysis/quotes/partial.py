"""Quoted words inside the narrator's sentence: titles left out, the speaker where the text gives one."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from course.analysis.entities import PERSON
from course.analysis.names import is_title
from course.analysis.quotemarks import QuoteSpan, straight_single_quotes
from course.analysis.quotes.context import _across_semicolon, _Context, _recent, _sentence_tokens_backwards
from course.analysis.quotes.cues import (
    _governing_subject,
    _negated_or_hypothetical,
    _speaker_token,
    _speech_nouns,
    _subject,
    cue_at,
    is_expletive_it,
    speaking_agent,
)
from course.analysis.quotes.model import (
    INDIRECT,
    NAMED,
    NO_SPEAKER,
    PARTIAL,
    UNATTRIBUTED,
    Attribution,
    Cue,
    Speaker,
    _quoted,
    _same_speaker,
)
from course.analysis.quotes.speakers import (
    _cue_speaker,
    _cue_with_speaker,
    _own_sentence_subject,
    _resolve_pronoun,
    _resolve_speaker,
)
from course.core.article import Paragraph, headline_end
from course.core.lexicons import word_set
from course.core.syntax import passive_agent


def _is_title(quote: QuoteSpan) -> bool:
    """Quoted words in title case ('"A Tribute For a King"', '"Best Hero"') name a work, an event or a
    prize rather than quote anyone: textacy drops all-title-case quotations for the same reason. One
    capitalised word ('"Doomsday"') may be someone's word, so it takes two or more."""
    words = re.findall(r"[^\W\d_][\w'’-]*", quote.text)
    if len(words) < 2 or len(words) > 10 or not words[0][:1].isupper() or is_title(words[0]):
        return False  # a rank or title first ('"General Mayhem"') makes a person's nickname: someone's label
    small = word_set("title_small_words.txt")
    return all(w[:1].isupper() or w.lower() in small for w in words) and any(
        w[:1].isupper() and w.lower() not in small for w in words[1:])


# How a name hangs on the verb that gives it: its object or predicate ('a method called "cold lifting"'), or
# the object of 'as' ('known as "the giant"').
NAME_DEPS = frozenset({"oprd", "dobj", "attr", "pobj", "appos", "xcomp", "ccomp"})


def _is_name_given(ctx: _Context, quote: QuoteSpan) -> bool:
    """Quoted words that a naming participle gives as something's name ('a method called "cold lifting"', 'the
    old crane, also known as "the giant"', 'It was dubbed the "harbour tax"'), with no one doing the naming (no
    subject, no 'by') and nothing named as its object, name a thing rather than quote anyone, as titles do.
    With a namer or an object ('the Gazette called it "a quiet disgrace"', '... and called the plan
    "reckless"') the words stay someone's partial quotation."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end)
              if t.idx >= quote.content_start and not t.is_punct]
    inside = {t.i for t in tokens}
    for root in (t for t in tokens if t.head.i not in inside and t.dep_ in NAME_DEPS):
        verb, after_as = root.head, False
        if verb.lower_ == "as" and verb.dep_ == "prep":
            verb, after_as = verb.head, True  # 'known as "..."', 'referred to as "..."'
        lemma = verb.lemma_.lower()
        if (lemma in word_set("naming_verbs.txt") and (after_as or lemma not in {"know", "refer"})
                and not ctx.in_quote(verb.idx) and verb.tag_ in {"VBN", "VBD"}
                and not any(c.dep_ in {"nsubj", "agent", "dobj"} and c.i not in inside for c in verb.children)):
            return True
    return _named_right_before(ctx, quote)


def _tokens_before(ctx: _Context, quote: QuoteSpan, reach: int) -> list[Token]:
    """The words in the `reach` characters before the quoted words, without a comma right before the mark."""
    before = [t for t in ctx.tokens(max(0, quote.start - reach), quote.start)
              if t.idx + len(t) <= quote.start and not t.is_space]
    return before[:-1] if before and before[-1].text == "," else before


def _named_right_before(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if a naming participle with no one doing the naming stands right before the quoted words, with
    or without a comma, though the parser made the words a sentence of their own: 'a column headlined,
    "Ferries vanish from the bay"' gives the column's name, not anyone's words."""
    before = _tokens_before(ctx, quote, 40)
    if not before:
        return False
    verb = before[-1]
    return (verb.lemma_.lower() in word_set("naming_verbs.txt") and verb.lemma_.lower() not in {"know", "refer"}
            and verb.tag_ == "VBN" and verb.dep_ in {"acl", "conj", "amod"} and not ctx.in_quote(verb.idx)
            and not any(c.dep_ in {"nsubj", "nsubjpass", "agent", "dobj"} for c in verb.children))


# Nouns that name a word or a name as such ('the word "flood"', 'the tag "TQ"'), and verbs whose subject is
# said to use the word so named ('the board used the word "closure"', 'adding the words "and Ports"').
MENTION_NOUNS = frozenset({"word", "term", "name", "label", "tag", "hashtag", "nickname", "phrase", "expression"})
USING_VERBS = frozenset({"use", "add", "coin", "choose", "adopt", "prefer", "employ", "repeat", "utter", "say",
                         "write", "invoke", "apply", "shout", "chant", "tweet", "post"})


def _is_word_mentioned(ctx: _Context, quote: QuoteSpan) -> bool:
    """Quoted words that a noun of naming right before them presents as a word or a name ('the word
    "flood" only refers to ...', 'the province name, "Norla"', 'she acquired the nickname "the Iron
    Lady"', 'the so-called "ferry towns"') are mentioned, not quoted: nobody is said to have used
    them, so they are no attribution, as titles are not. The words stay someone's when the noun has an owner
    or a user ('his words "..."', 'the phrase used by the mayor', 'the board used the word "closure"')."""
    before = _tokens_before(ctx, quote, 60)
    if not before:
        return False
    noun = before[-1]
    if noun.lower_ in {"so-called", "so-named"} or (
            len(before) > 2 and noun.lower_ == "called" and before[-2].text == "-" and before[-3].lower_ == "so"):
        return True
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in MENTION_NOUNS or ctx.in_quote(noun.idx):
        return False
    if any(c.dep_ in {"poss", "acl", "relcl"} or (c.dep_ == "prep" and c.lower_ in {"of", "by"})
           for c in noun.children):
        return False
    verb = next((a for a in noun.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    return verb is None or verb.lemma_.lower() not in USING_VERBS


NAMED_AS_WORD = re.compile(r"[,.]?\s+(?:is|was|are|were)\s+(?:(?:the|a|an|another|its|their|one)\s+)?"
                           r"(?:[a-z]+\s+)?(?:" + "|".join(sorted(MENTION_NOUNS)) + r")s?\b")


def _is_word_named(ctx: _Context, quote: QuoteSpan) -> bool:
    """Quoted words that open their sentence and that the narrator then calls a word or a name ('"Norla" is the
    name chosen for the new moon', '"Skerry" is another name for the reef') are mentioned, not quoted, as in
    `_is_word_mentioned`."""
    before = ctx.text[ctx.paragraphs[quote.paragraph - 1].start:quote.start].rstrip()
    opens = not before or before.endswith((".", "!", "?", ":", "\"", "”"))
    return quote.closed and opens and NAMED_AS_WORD.match(ctx.text, quote.end) is not None


def _is_nickname(ctx: _Context, quote: QuoteSpan) -> bool:
    """One to three capitalised words in quotation marks between a given name and a surname ('Earvin "Magic"
    Johnson', 'Ana "Nana" Voss') are a nickname inside the name, not anyone's words."""
    words = quote.text.strip(" ,.").split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    before = [t for t in ctx.tokens(max(0, quote.start - 40), quote.start) if t.idx + len(t) <= quote.start]
    after = [t for t in ctx.tokens(quote.end, quote.end + 40) if t.idx >= quote.end and not t.is_space]
    return (bool(before) and bool(after) and before[-1].idx + len(before[-1]) == quote.start - 1
            and after[0].idx == quote.end + 1 and before[-1].pos_ == after[0].pos_ == "PROPN")


def _partial(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Attribution:
    """Speaker of quoted words inside a narrator's sentence, where the text gives one."""
    according = _clause_according(ctx, quote)
    # the innermost report first: in "According to ISNA, the prosecutor said ... "murder charges"" the words
    # are the prosecutor's
    for earlier in sorted(_recent(ctx, paragraph.number), key=lambda a: a.end - a.start):
        inside = earlier.start <= quote.start and quote.end <= earlier.end + 1
        if earlier.kind != PARTIAL and inside and earlier.speaker_text and not _own_named_cue(ctx, quote, earlier):
            if according is not None and earlier.start <= according.idx < quote.start:
                break  # 'X revealed a discovery and, according to Y, it is "..."': Y's, not X's
            speaker, cue = _same_speaker(earlier)
            return _quoted(PARTIAL, quote, speaker, cue, ("inside_" + earlier.kind,))
    according_cue = cue_at(according) if according is not None else None
    if according is not None and according_cue is not None:
        speaker = _cue_speaker(ctx, according, _speaker_token(according, according_cue), paragraph)
        if speaker.text:
            return _quoted(PARTIAL, quote, speaker, according_cue, ("clause_according",))
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
                speaker = _cue_speaker(ctx, node, subject, paragraph)
            else:
                if passive_agent(node) is None:
                    objects = _agent_on_quote(ctx, quote)
                else:  # who can speak: 'told by Ana Lee', not 'told by phone'
                    agent = speaking_agent(node)
                    objects = [agent] if agent is not None else []
                speaker = _resolve_speaker(ctx, objects[0], paragraph) if objects else NO_SPEAKER
            main = _main_speaker(ctx, node, paragraph) if not speaker.text and not participle else None
            if main is not None:  # 'Mitsotakis speaking to the think tank called it "null and void"'
                return _quoted(PARTIAL, quote, main, cue, ("sentence_subject",))
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
    main = _main_clause_speaker(ctx, quote, paragraph) or _quoted_predicate(ctx, quote, paragraph)
    if main is not None:
        return _quoted(PARTIAL, quote, main, None, ("sentence_subject",))
    lent = _paragraph_speaker(ctx, quote, paragraph)
    named = _own_sentence_subject(ctx, quote.start, paragraph)
    if lent is None and named is not None and _not_of_a_noun(ctx, quote):
        return _quoted(PARTIAL, quote, named, None, ("sentence_subject",))  # 'Lee thanked the crew for their "..."'
    own = named if named is not None and named.label == PERSON else None
    if lent is None:
        return _quoted(PARTIAL, quote, NO_SPEAKER, None)
    if own is not None and own.name != lent.name:
        return _quoted(PARTIAL, quote, own, None, ("sentence_subject",))  # before an earlier speaker's
    return _quoted(PARTIAL, quote, lent, None, ("same_paragraph_speaker",))


def _not_of_a_noun(ctx: _Context, quote: QuoteSpan) -> bool:
    """True when the quoted words hang on their sentence's verbs without being the object of an 'of' on the
    way nor a clause or apposition that describes a noun: the subject's own words in 'Mayor Ana Voss praised
    the crews for their "quiet courage"', but not in 'Voss lost her bid to hide details of the "harsh and
    cruel" treatment' or 'ran a campaign whose slogan "we will not be moved" won', where they describe a noun. An
    'of' on a verb describes no noun: 'the agency charged two captains of "sailing blind"'."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end) if t.idx >= quote.content_start]
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside]
    if not roots:
        return False
    node = roots[0]
    while node.head.i != node.i:
        if (node.head.lower_ == "of" and node.dep_ == "pobj" and node.head.head.pos_ != "VERB") or node.dep_ in {
                "relcl", "acl", "appos"}:
            return False
        node = node.head
    return True


def _agent_on_quote(ctx: _Context, quote: QuoteSpan) -> list[Token]:
    """The agent of a passive cue that the parser hung on the quoted words instead of the verb: 'was hailed as
    a "hero" by the mayor', 'was declared a "disaster" by the ministry': [the mayor], [the ministry]."""
    inside = {t.i for t in ctx.tokens(quote.content_start, quote.content_end)}
    return [o for t in ctx.tokens(quote.end, quote.end + 4) if t.idx >= quote.end and t.lower_ == "by"
            and t.dep_ in {"prep", "agent"} and t.head.i in inside for o in t.children if o.dep_ == "pobj"]


def _paragraph_speaker(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """Quoted words with no cue of their own, after a named speaker's words in the same paragraph, are that
    speaker's: 'Mayor Ana Lopez said the bridge would reopen in May. The repairs had been "long overdue"'.
    Only a whole attribution lends its speaker, not another phrase's; a paragraph that names no speaker
    before the words lends none."""
    before = [a for a in _recent(ctx, paragraph.number) if a.paragraph == paragraph.number
              and a.end <= quote.start and a.source_kind == NAMED and a.kind != PARTIAL]
    return _same_speaker(before[-1])[0] if before else None


def _main_speaker(ctx: _Context, token: Token, paragraph: Paragraph) -> Speaker | None:
    """The named subject of the main verb of `token`'s sentence, outside quotation marks, if there is one."""
    root = token.sent.root
    subjects = [c for c in root.children if c.dep_ == "nsubj" and not ctx.in_quote(c.idx)]
    if not subjects or ctx.in_quote(root.idx):
        return None
    speaker = _resolve_speaker(ctx, subjects[0], paragraph)
    return speaker if speaker.kind == NAMED else None


# Where quoted words stop being part of what the main verb says: they describe or name a noun ('the "Queen of
# Soul"', 'Leonov, "cosmonaut No. 11"'), or are a subject or a predicate noun.
NOMINAL_DEPS = frozenset({"acl", "appos", "relcl", "amod", "compound", "nsubj", "nsubjpass", "attr", "npadvmod"})


def _main_clause_speaker(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """Quoted words with no cue, three words or more with a verb, that hang on the main verb through its
    objects and clauses: its named subject's ('Mitsotakis underlined they keep channels open and that he would
    be "very-very happy if Turkey were to reconsider"'). A single word ('"spacewalk"') or words that name a noun
    ('a campaign whose slogan "we will not be moved"') get no speaker: a reader cannot tell whose they are."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end) if t.idx >= quote.content_start]
    if sum(t.is_alpha for t in tokens) < 3 or not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    node = tokens[0]
    while node.head.i != node.i and node.dep_ not in NOMINAL_DEPS:
        node = node.head
    return _main_speaker(ctx, node, paragraph) if node.head.i == node.i and not ctx.in_quote(node.idx) else None


def _quoted_predicate(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """Quoted words that open with the sentence's main verb, after its named subject outside the marks, are
    that subject's: 'Mayor Ana Voss had "ordered that every boat stay in port until the storm passed"'. Only
    adverbs, auxiliaries or a negation may come between the opening mark and the verb."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end) if t.idx >= quote.content_start]
    if not tokens:
        return None
    root = tokens[0].sent.root
    if root.pos_ != "VERB" or not quote.content_start <= root.idx < quote.content_end:
        return None
    if any(t.i < root.i and (t.head.i != root.i or t.dep_ not in {"advmod", "aux", "neg"}) for t in tokens):
        return None
    subjects = [c for c in root.children if c.dep_ == "nsubj" and c.idx < quote.start and not ctx.in_quote(c.idx)]
    if not subjects:
        return None
    speaker = _resolve_speaker(ctx, subjects[0], paragraph)
    return speaker if speaker.kind == NAMED else None


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


def _clause_according(ctx: _Context, quote: QuoteSpan) -> Token | None:
    """The 'according' of an 'according to' that the quoted words' own clause carries, below any cue
    verb: in 'Divers announced the find and, according to Ana Lee, it is "the oldest hull in the bay"' the words
    are Lee's, not the divers'. One on a cue verb ('According to the agency, Lee said "..."') leaves the
    words to the cue's subject."""
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        node = node.head
        if ctx.in_quote(node.idx) or _across_semicolon(ctx, node, tokens[0]):
            continue
        if cue_at(node) is not None or node.lemma_.lower() in _speech_nouns():
            return None
        if node.pos_ in {"VERB", "AUX"}:
            found = [c for c in node.children if c.dep_ == "prep" and cue_at(c) is not None
                     and c.lower_ == "according" and not ctx.in_quote(c.idx)]
            if found:
                return found[0]
    return None


DISPLAY_CUES = frozenset({"show", "demonstrate"})  # what someone did, when a report quotes it: not their words


def _own_named_cue(ctx: _Context, quote: QuoteSpan, earlier: Attribution) -> bool:
    """True if the cue governing a quote inside an earlier report has a named subject of its own inside that
    report ('X reported that ..., while Y called it "unexpected"'): the words are Y's, not X's. Not a cue whose
    object the words are and that shows what Y did ('X argued that Y had shown "the courage others lacked"'): those
    words stay X's."""
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    node = tokens[0] if tokens else None
    while node is not None and node.head.i != node.i:
        child, node = node, node.head
        shown = node.lemma_.lower() in DISPLAY_CUES and child.dep_ == "dobj"
        if cue_at(node) is not None and not ctx.in_quote(node.idx) and not shown:
            subject = _subject(node)
            return (subject is not None and subject.pos_ == "PROPN" and earlier.start <= subject.idx < quote.start
                    and ctx.cluster_at(subject.idx, subject.idx + len(subject)) is not None)
    return False


# What stands before quoted words that gloss the word or phrase just before them: an opening bracket ('#izbori
# ("elections")', 'anti-Tarvik ("Tarvik out")') or an 'or' ('tuko pamoja, or "we are together"').
GLOSS_BRACKET = re.compile(r"[\w#\]]\s*\(\s*$")
GLOSS_OR = re.compile(r"\s*,?\s+or(?:\s+the)?\s+$")


def _is_gloss(ctx: _Context, quote: QuoteSpan) -> bool:
    """Quoted words that translate or spell out the word just before them ('the tag #izbori ("elections")', 'an
    anti-Tarvik ("Tarvik out") march', 'the Norlan phrase tuko pamoja, or "we are together"') give its meaning,
    not anyone's words. Not after quoted words ('"Irhal" ("Leave")' translates someone's chant), nor an 'or'
    after an adjective or a verb ('called it unwise or "plain dangerous"'), which adds to what someone said."""
    paragraph = ctx.paragraphs[quote.paragraph - 1]
    before = ctx.text[max(paragraph.start, quote.start - 40):quote.start]
    if GLOSS_BRACKET.search(before):
        return True
    found = GLOSS_OR.search(before)
    if found is None:
        return False
    words = [t for t in ctx.tokens(max(paragraph.start, quote.start - 60), quote.start - len(found.group()))
             if t.idx + len(t) <= quote.start - len(found.group()) and not t.is_space]
    while words and words[-1].text in {",", ")"}:
        words = words[:-1]
    return bool(words) and words[-1].pos_ in {"NOUN", "PROPN", "X"} and not ctx.in_quote(words[-1].idx)


def _single_marked_in_reports(ctx: _Context, reports: list[Attribution], paragraph: Paragraph) -> list[Attribution]:
    """Words in straight single quotation marks inside a reported clause are the report's speaker's partial
    quotation, as words in double marks there are: 'Mayor Ana Voss said she expected a 'very prompt' reopening'
    (British style, or a copy editor's). Elsewhere a straight mark is as often an apostrophe or a scare quote
    ('the 'boutique' kiosks'), so only a report with a speaker vouches for them; names, titles and glosses stay
    out, as for double marks."""
    found = []
    for report in reports:
        if report.kind != INDIRECT or not report.speaker_text:
            continue
        for quote in straight_single_quotes(ctx.text, report.start, report.end + 1, paragraph.number):
            if ctx.in_quote(quote.content_start) or quote.end > paragraph.end or _is_title(quote) or any(
                    test(ctx, quote) for test in (_is_nickname, _is_name_given, _is_word_mentioned, _is_gloss)):
                continue
            speaker, cue = _same_speaker(report)
            found.append(_quoted(PARTIAL, quote, speaker, cue, ("inside_indirect", "single_marks")))
    return found


def _single_marked_in_headline(ctx: _Context, paragraph: Paragraph) -> list[Attribution]:
    """Words in straight single quotation marks in a headline are quoted words (AP and British headline style),
    and a partial quotation where the headline says whose: a cue ('Port authority cites 'storm damage''), or the
    predicate of a named subject ('Mayor Voss is 'ready to talk''). Other such words get no speaker here and stay
    only if the body quotes them again with one (`_quoted_again`, then `_headline_unvouched`): in a headline
    they are as often scare quotes or a term ('Fans celebrate 'green' day'). Lower-case words only: capitalised
    ones ('Kelvo 'Harbour Tax' row') are names, and names, nicknames, glosses and words presented as words stay
    out, as for double marks."""
    if paragraph.number != 1 or paragraph.end != headline_end(ctx.text):
        return []  # not the headline
    quotes = straight_single_quotes(ctx.text, paragraph.start, paragraph.end, paragraph.number)
    found = []
    for quote in quotes:
        if not quote.text[:1].islower() or _after_name_set_off(ctx, quote) or any(
                a.kind == PARTIAL and a.start < quote.content_end and quote.content_start < a.end for a in ctx.found
        ) or any(test(ctx, quote) for test in (_is_name_given, _is_word_mentioned, _is_gloss)):
            continue  # a name, or words a report around them already gave their speaker
        attribution = _partial(ctx, quote, paragraph)
        if attribution.cue is None or _parsed_from_quoted_words(ctx, attribution, quotes, paragraph):
            predicate = _headline_predicate(ctx, quote, paragraph)  # with no cue, only a subject of 'be' speaks
            flags = ("sentence_subject",) if predicate else ()
            attribution = _quoted(PARTIAL, quote, predicate or NO_SPEAKER, None, flags)
        found.append(replace(attribution, flags=attribution.flags + ("headline_single_marks",)))
    return found


def _parsed_from_quoted_words(ctx: _Context, attribution: Attribution, quotes: list[QuoteSpan],
                              paragraph: Paragraph) -> bool:
    """True where the parse took the speaker or the cue from words in straight single marks, which `ctx.in_quote`
    does not see: 'Ferry fees 'unfair', says Voss' (speaker 'Ferry fees 'unfair'), 'Kelvo's 'ghost' ferries: mayor
    'ready to talk'' (cue 'talk'); such words have no cue of their own."""
    def quoted(start: int, end: int) -> bool:
        return any(q.start < end and start < q.end for q in quotes)

    start, end = attribution.speaker_start, attribution.speaker_end
    if start is not None and end is not None and quoted(start, end):
        return True
    word = (attribution.cue or "").split(" ")[0]  # a cue of two words ('summed up') by its verb
    cues = [t for t in ctx.tokens(paragraph.start, paragraph.end) if t.text == word]
    return bool(cues) and all(quoted(t.idx, t.idx + len(t)) for t in cues)


def _after_name_set_off(ctx: _Context, quote: QuoteSpan) -> bool:
    """True for quoted words set off by commas after a name: a nickname in apposition ('Singer Ana Voss, 'queen of
    the harbour', retires')."""
    before = _tokens_before(ctx, quote, 40)
    return (bool(before) and before[-1].pos_ == "PROPN" and ctx.text[max(0, quote.start - 3):quote.start].rstrip()
            .endswith(",") and ctx.text[quote.end:quote.end + 3].lstrip().startswith(","))


def _headline_predicate(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """The named subject of 'be' whose adjective phrase the quoted words are: 'Mayor Voss is 'ready to talk''; not a
    noun phrase, which is as often a label others give ('Voss is 'a liar'')."""
    tokens = [t for t in ctx.tokens(quote.content_start, quote.content_end) if t.idx >= quote.content_start]
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside and not t.is_punct]
    if len(roots) != 1 or roots[0].dep_ != "acomp" or roots[0].head.lemma_ != "be":
        return None
    subjects = [c for c in roots[0].head.children if c.dep_ == "nsubj"]
    speaker = _resolve_speaker(ctx, subjects[0], paragraph) if subjects else None
    return speaker if speaker is not None and speaker.kind == NAMED else None


def _headline_unvouched(found: list[Attribution]) -> list[Attribution]:
    """`found` without the headline's single-marked words that neither the headline nor the body gave a speaker."""
    return [a for a in found if a.speaker_text or "headline_single_marks" not in a.flags]


def _quoted_again(found: list[Attribution]) -> list[Attribution]:
    """Quoted words with no speaker that the text quotes again with one, word for word, are that speaker's: a
    headline or lead ('Harbour talks "off to a good start"') repeats words the body gives with their source
    ('... are "off to a good start", according to Mayor Ana Voss'), and a later sentence may quote a law or a
    statement again, or a part of it. Only a partial or direct quotation with a speaker lends it, not a report;
    a part must be three words or more, and words that two speakers both used get neither."""
    def words(text: str) -> str:
        return " " + " ".join(re.findall(r"\w+", text.lower())) + " "

    quoted = [(words(a.text), a) for a in found if a.kind != INDIRECT and a.speaker_text]
    result = list(found)
    for i, a in enumerate(result):
        if a.kind != PARTIAL or a.speaker_text or "negated_cue" in a.flags:
            continue
        own = words(a.text)
        lent = [b for text, b in quoted if text == own or (own in text and len(own.split()) >= 3)]
        if not lent or len({b.speaker or b.speaker_text for b in lent}) != 1:
            continue
        result[i] = replace(a, speaker=lent[0].speaker, speaker_text=lent[0].speaker_text,
                            speaker_start=lent[0].speaker_start, speaker_end=lent[0].speaker_end,
                            source_kind=lent[0].source_kind, flags=a.flags + ("quoted_again",))
    return result
