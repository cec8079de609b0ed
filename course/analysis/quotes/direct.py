"""Quotations in quotation marks: direct or partial, and the speaker of a direct one."""

from __future__ import annotations

import re

from spacy.tokens import Token

from course.analysis.entities import PERSON
from course.analysis.quotemarks import QuoteSpan
from course.analysis.quotes.context import _Context, _recent, _sentence_tokens, _sentence_tokens_backwards
from course.analysis.quotes.cues import _could_speak, _issuer_of, _speech_nouns, cue_at
from course.analysis.quotes.model import (
    DIRECT,
    FINITE_TAGS,
    INDIRECT,
    NAMED,
    NO_SPEAKER,
    UNATTRIBUTED,
    Attribution,
    Speaker,
    _attribution,
    _quoted,
    _same_speaker,
)
from course.analysis.quotes.speakers import _cue_with_speaker, _own_sentence_person, _resolve_speaker
from course.analysis.quotes.turns import _colon_speaker, _label_length
from course.core.article import Paragraph
from course.core.lexicons import word_set
from course.core.syntax import SUBJECT_DEPS, in_relative_clause


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

SPEAKER_POS = frozenset({"PROPN", "PRON", "DET", "NOUN", "ADJ", "PUNCT"})
# words a cue clause may also hold after its speaker: where, when and how the words were said ('told
# reporters on Monday', 'said in a statement', 'wrote in her 1976 memoir')
CUE_CLAUSE_POS = SPEAKER_POS | {"ADP", "NUM", "ADV", "PART"}
SUBORDINATORS = frozenset({"that", "whether"})


def _is_full_clause(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if the quoted words hold a clause of their own: a finite verb whose subject is
    quoted too ("We will not sail"), not a fragment ("remains in stable condition") or a
    clause that hangs on the narrator's words ("that she had no plans", "everything he did")."""
    return _holds_clause(_quoted_tokens(ctx, quote))


def _quoted_tokens(ctx: _Context, quote: QuoteSpan) -> list[Token]:
    return [t for t in ctx.tokens(quote.content_start, quote.content_end)
            if t.idx >= quote.content_start and not t.is_space]


def _tops(tokens: list[Token]) -> list[Token]:
    """The words of `tokens` the others hang on: those whose head lies outside them, or is themselves."""
    inside = {t.i for t in tokens}
    return [t for t in tokens if t.head.i not in inside or t.head.i == t.i]


def _holds_clause(tokens: list[Token]) -> bool:
    """True if `tokens` hold a finite verb whose subject is among them too (see `_is_full_clause`)."""
    words = [t for t in tokens if t.is_alpha]
    if not words or (words[0].lower_ in SUBORDINATORS and words[0].dep_ not in SUBJECT_DEPS | {"det"}):
        return False  # "that she had no plans" hangs on the narrator's words; "That's pretty cool" does not
    inside = {t.i for t in tokens}
    for root in _tops(tokens):
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
    tokens = _quoted_tokens(ctx, quote)
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
        listed = _listed_after(ctx, quote)
        return listed is not None and _is_partial(ctx, listed, paragraph)
    if _second_half(ctx, quote, paragraph):
        return False
    if before[-1].text == ":" and (_cue_with_speaker(ctx, before, paragraph) or _reads_as_sentence(ctx, quote)):
        return False  # 'Lee opposed the plan: "It evokes ..."': a sentence after a colon is speech of its own
    if paragraph.number in ctx.turns and quote.start - paragraph.start <= _label_length(ctx, paragraph):
        return False  # 'Mayor Ana Lopez: "..."': a transcript label
    clause, later = _is_full_clause(ctx, quote), _holds_later_sentence(ctx, quote)
    full = clause or later
    if clause and not later and _opens_inside_noun_phrase(ctx, quote, before[-1]):
        return True  # 'said Lind's "crew is safe"': the narrator began the phrase the quoted words complete
    if before[-1].text == "," and _cue_with_speaker(ctx, before, paragraph):
        return not full and quote.text[:1].islower()
    if full and before[-1].lower_ == "that" and (not _sentence_goes_on(ctx, quote, paragraph)
                                                 or _cue_clause_ended(ctx, quote, before[-1])):
        return False  # 'Lee said that "the danger has passed."': a whole reported clause in her words
    if full and _opens_mid_sentence(quote.text) and before[-1].is_alpha and cue_at(before[-1]) is None:
        # 'Lee studies "the amazing adaptations insects have evolved"': the quotation goes on with the
        # narrator's clause (lower case, no comma, not after a cue); the small model may misparse it as a clause
        return not later
    if not full and _reads_as_sentence(ctx, quote) and _cue_with_speaker(ctx, before, paragraph):
        return False  # 'Lee said to AFP "Several rules were not applied."': the parser may miss the clause
    if not full and _stands_as_utterance(ctx, quote, before):
        return False  # 'The crowd chanted, "Not in our name!"', 'Lee tweeted "Deeply moved by your letters"'
    # a full clause is someone's speech of its own, with or without a cue ('...; "[i]t was clear ..."')
    return not full


# Articles and possessive pronouns, which open a noun phrase (an owner's "'s" is told by its tag or dependency)
PHRASE_OPENERS = frozenset({"the", "a", "an", "my", "your", "his", "her", "its", "our", "their"})


def _opens_inside_noun_phrase(ctx: _Context, quote: QuoteSpan, token: Token) -> bool:
    """True if `token`, the word right before a quotation's opening mark, is an article or a possessive of the
    narrator's that opens the quoted words' noun phrase: 'requested that the "port authority review the fees"',
    'said Lind's "crew is safe now"'. Quoted words that hold a clause after it complete the narrator's phrase,
    so they are a fragment inside the narrator's sentence, not a quotation standing on its own. Not three words
    or fewer opening with a capital, which after an article or an owner are as often a name the parser took for
    a clause ('Tolstoy's "Voina i mir"', 'the "Jogo do Bicho"'). The article or owner must belong to the quoted
    clause's subject: 'told her "We are leaving now"', 'told her "Mum, the engine has failed"' (a form of address
    the parser may give 'her' as its owner) and 'Her "We will not close the line" drew cheers' (an owner of the
    whole utterance) stay direct."""
    if quote.text[:1].isupper() and len(quote.text.split()) < 4:
        return False
    if token.tag_ == "POS" or token.dep_ == "case":
        token = token.head  # 'Lind' of 'Lind's' (or 'Lind’s', which the tagger may not call POS)
    elif token.lower_ not in PHRASE_OPENERS or token.dep_ not in {"det", "poss"}:
        return False
    owned = token.head
    return quote.content_start <= owned.idx < quote.content_end and owned.dep_ in {"nsubj", "nsubjpass"}


def _runs_on_in_report(ctx: _Context, attribution: Attribution, found: list[Attribution],
                       paragraph: Paragraph) -> bool:
    """True if a direct quotation is really the end of a report it sits in: its words open mid-sentence as a
    fragment, after the narrator's own words and inside a reported clause of the same speaker, and only run on,
    past a full stop inside the marks, with sentences of their own ('Lee said the crew had been told to "stay below
    deck. We could not see the bow."', 'Per the statement, she died at noon, "surrounded by family. We ..."').
    Quoted words inside a reported clause are partial, however long they run. Not after 'that', a colon or a cue
    ('said that "...', 'said: "...', 'explained, "...'), nor when their first sentence has a subject of its own:
    then they are a whole clause. Not right after the report's subject or verb either ('said Lind was "..."'),
    which earlier rules keep as a direct quotation inside a report."""
    quote = next((q for q in ctx.quotes_in(paragraph.number) if q.content_start == attribution.start), None)
    if quote is None or not _opens_mid_sentence(quote.text):
        return False
    if not attribution.speaker_text or not any(
            a.kind == INDIRECT and (a.speaker or a.speaker_text) == (attribution.speaker or attribution.speaker_text)
            and a.start < quote.start < a.end for a in found):
        return False
    before = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
    if not any(t.is_alpha for t in before) or before[-1].text in {":", ";"} or before[-1].lower_ in SUBORDINATORS:
        return False
    if before[-1].pos_ in {"NOUN", "PROPN", "PRON", "AUX", "VERB"}:
        return False  # 'said Lind was "in hospital. It is ..."', 'found Lena Ortiz "had been ...'
    cue = before[-2] if before[-1].text == "," and len(before) > 1 else before[-1]
    if cue_at(cue) is not None or not _holds_later_sentence(ctx, quote):
        return False
    tokens = _quoted_tokens(ctx, quote)
    stop = next((i for i, t in enumerate(tokens) if t.text in {".", "!", "?", ";", "...", "…"}), len(tokens))
    return not _holds_clause(tokens[:stop])  # 'and "[t]he crews are safe. ..."': a clause of its own


LIST_JOINT = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def _listed_after(ctx: _Context, quote: QuoteSpan) -> QuoteSpan | None:
    """The quotation right before `quote` in a list of quoted words joined by a comma, 'and' or 'or' and
    nothing else ('called the plans "sea-locks", "tide-gates" and "wave-walls"', 'songs such as "Harbour
    Lights", "Low Tide"'), or None: such a list goes on with the narrator's sentence, so each item is what the
    first one is (a phrase, a title), though no word of the narrator's stands right before it. The comma may
    sit inside the earlier closing mark ('"too slow," "too costly"')."""
    earlier = [q for q in ctx.quotes_in(quote.paragraph) if q.end <= quote.start]
    if not earlier or not earlier[-1].closed:
        return None
    first = earlier[-1]
    tail = ctx.text[first.content_end:first.end - 1] + ctx.text[first.end:quote.start]
    return first if LIST_JOINT.fullmatch(tail) else None


def _stands_as_utterance(ctx: _Context, quote: QuoteSpan, before: list[Token]) -> bool:
    """True if quoted words with no clause of their own are still a whole utterance, not a phrase of the
    narrator's sentence: they open with a capital letter and either close with '!' or '?' or hold a question
    ('yelling, "Not in our name!"', '"Why wait? ..."'), or a plain speech verb introduces them at once, with or
    without a comma ('tweeted "Deeply moved by your letters"', 'the sign read, "Closed. No entry."'). A
    lower-case phrase ('called it "a disgrace!"'), a label after a verb of judging ('called it "Reckless plan"')
    or a name in title case stays partial."""
    text = quote.text.strip().removesuffix("]")
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if not text[:1].isupper() or len(words) < 2:
        return False
    if text.endswith(("!", "?")) or "? " in text:
        return True
    if all(w[:1].isupper() for w in words):
        return False  # 'banners read "Harbour Day Celebration"': a name in title case, not an utterance
    verb = before[-2] if before[-1].text == "," and len(before) > 1 else before[-1]
    cue = cue_at(verb)
    return cue is not None and cue.stance == "neutral" and verb.pos_ == "VERB"


def _opens_mid_sentence(text: str) -> bool:
    """True if quoted words open with a lower-case letter, with a figure ('99% of the forces') or with a
    lower-case word an editor put in brackets ('[is] ready'): words that do not begin a sentence of their
    own. A single bracketed letter ('[h]is venture') only says the editor changed the case of the first
    letter, not where the speaker's sentence began."""
    if text[:1] == "[":
        inserted = text[1:].partition("]")[0]
        return len(inserted) > 1 and inserted[:1].islower()
    return text[:1].islower() or text[:1].isdigit()


def _cue_clause_ended(ctx: _Context, quote: QuoteSpan, that: Token) -> bool:
    """True if the quoted words end their clause and their 'that' opens a cue's clause, though the narrator's
    words go on at once: 'Lee explained, adding that "we will search all night." Rescuers ...', or with a comma
    inside the marks, 'Although the board stated that "our aim was a meeting open to all," several crews were
    not invited'. Not a subordinate clause alone, which the narrator's words complete ('said that "if the storm
    holds," the ferry would not sail'); 'It was obvious that "..."' (no cue) stays partial."""
    ends_sentence = quote.text.rstrip().removesuffix("]").endswith((".", "!", "?"))  # '[.]': an edited full stop
    comma_inside = quote.closed and ctx.text[quote.content_end:quote.end].lstrip().startswith(",")
    if not (ends_sentence or comma_inside and not _only_a_subordinate_clause(ctx, quote)):
        return False
    governor = next((a for a in that.ancestors if not ctx.in_quote(a.idx)), None)
    return governor is not None and cue_at(governor) is not None


def _sentence_goes_on(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> bool:
    """True if the narrator's sentence goes on with words after the closing mark ('"99% ..." the leader')."""
    after = [t for t in ctx.tokens(quote.end, paragraph.end) if t.idx >= quote.end and not t.is_space][:1]
    return bool(after) and after[0].is_alpha


def _only_a_subordinate_clause(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if the quoted words are a subordinate clause the narrator's words complete ('if the storm holds,'),
    not a sentence with one inside it ('if the talks fail, we will strike,'): a quoted word the others hang on
    has a subordinating word of its own."""
    tokens = _quoted_tokens(ctx, quote)
    inside = {t.i for t in tokens}
    return any(c.dep_ == "mark" and c.i in inside for top in _tops(tokens) for c in top.children)


def _second_half(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> bool:
    """True for the second half of a quotation its cue splits ('"We will," he said, "not sail."', or with no
    commas, '"We stand ready" tweeted Lee "to help"'): the first half opens its sentence and leaves it open,
    a short clause with a cue stands between them, and the second half goes on with that sentence, so it
    is direct however it begins. The cue clause may say where, when or to whom ('"We will," Lee told
    reporters on Monday, "not sail."'; `_cue_clause_only`)."""
    earlier = [q for q in ctx.quotes_in(quote.paragraph) if q.end <= quote.start]
    if not earlier:
        return False
    first = earlier[-1]
    if any(t.is_alpha for t in _sentence_tokens_backwards(ctx, paragraph.start, first.start)):
        return False  # 'The plan was "reckless," Lee said, "and costly."': the first half is a partial quote
    closed = first.text.rstrip().endswith((".", "!", "?")) or any(
        c in ctx.text[first.content_end:first.end] for c in ".!?")
    between = [t for t in ctx.tokens(first.end, quote.start)
               if first.end <= t.idx < quote.start and not t.is_space and t.text != ","]
    cues = [t for t in between if cue_at(t) is not None]
    # only the cue and its speaker in between ('he said', 'tweeted Ana Lee'), not 'Lee noted, but the company'
    return (not closed and len(cues) == 1 and (
        (len(between) <= 6 and all(t.i == cues[0].i or t.pos_ in SPEAKER_POS for t in between))
        or _cue_clause_only(between, cues[0])))


def _cue_clause_only(between: list[Token], cue: Token) -> bool:
    """True if the words between two halves of a quotation are one cue clause and nothing more: its speaker,
    the cue and where, when or to whom it was said, twelve words at most ('Lee told reporters on Monday',
    'study co-author Ana Lee said in a press release'); no second verb ('Lee said, as the talks ended') and no
    conjunction ('Lee noted, but the company ...'), which would make the second half the narrator's."""
    words = [t for t in between if not t.is_punct]
    if not words or len(words) > 12 or words[-1].pos_ in {"ADP", "DET"}:
        return False  # '"...," Lee says on "The Harbour Hour" website': the words after 'on' name something
    return all(t.i == cue.i or t.pos_ in CUE_CLAUSE_POS or t.dep_ in {"compound", "amod"}  # 'harbour master'
               or (t.dep_ == "aux" and t.head.i == cue.i) for t in between)  # not '"X" is the name given'


def _reads_as_sentence(ctx: _Context, quote: QuoteSpan) -> bool:
    """True if the quoted words are written as a sentence of their own: four words or more, opening with
    a capital letter, closing with a full stop, '!' or '?', and holding a finite verb."""
    text = quote.text.strip().removesuffix("]")  # '... in the 21st century[.]': an edited full stop
    tokens = ctx.tokens(quote.content_start, quote.content_end)
    return (len(text.split()) >= 4 and text[:1].isupper() and text.endswith((".", "!", "?"))
            and any(t.tag_ in FINITE_TAGS and t.idx >= quote.content_start for t in tokens))


def _tail(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> list[Token]:
    """The words after a quote up to the end of its sentence or the next quote in its paragraph;
    none after a quote that ends its sentence with a full stop ('"We are ready." She said ...')."""
    ending = quote.text.rstrip("]")  # '"... incurable[.]" He went on to say ...': an edited full stop
    if ending.endswith(".") and not ending.endswith(".."):
        return []
    later = [q.start for q in ctx.quotes_in(quote.paragraph) if q.start > quote.start]
    return _sentence_tokens(ctx, quote.end, min(later + [paragraph.end]))


# a dash after a closed quotation, on its line: '"..." — Ana Lee', '"..." - Ana Lee', '"..." -- Ana Lee'
_CREDIT_DASH = re.compile(r"[ \t]*(?:[—–―]|--?)[ \t]*")


def _credit_line(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> list[Token]:
    """The words of a credit after a quotation that ends its sentence, as pull quotes and fact checks name whose
    words they are ('"Knife crime has doubled." — Councillor Bo Hinds, speaking at a rally'): after a dash on the
    same line, up to the end of its sentence, with no finite verb ('"..." — Tom Hart, the opposition leader, was
    not convinced' is a sentence of the narrator's)."""
    dash = _CREDIT_DASH.match(ctx.text, quote.end, paragraph.end)
    words = _sentence_tokens(ctx, dash.end(), paragraph.end) if dash else []
    return [] if any(t.tag_ in FINITE_TAGS for t in words) else words


HEARING_VERBS = frozenset({"hear", "overhear"})
UNREALISED_MARKERS = frozenset({"to", "would", "could", "might", "should"})  # 'to hear', 'would hear': not yet heard
# Verbs of issuing that pass on a text someone else may have written: 'shared a leaked memo which said:', 'published
# a reader's letter which read:'
RELAYING_VERBS = frozenset({"share", "publish", "run"})


def _relative_cue(verb: Token) -> bool:
    """'had sent Ferreira a message that read: "..."', 'thanked the crowd, who chanted: "..."': a relative clause's
    verb right before the mark introduces the quotation, not the sentence's main verb, when it names who speaks: a
    person or group, or a text's sender named by a verb of issuing. Not a text no one is named as writing ('wrote
    his brother a letter which read:', 'shared a leaked memo', 'published a reader's letter'), one the main verb's
    subject sends as a pronoun ('The ministry said it had issued a statement which said:'), a noun after a
    preposition ('said in a statement which read:', 'a letter to fans which said:'), nor the one a speech verb
    addresses ('assured the residents, who had complained:')."""
    if verb.dep_ != "relcl" or not any(c.dep_ in SUBJECT_DEPS and c.tag_ in {"WP", "WDT"} for c in verb.children):
        return False
    antecedent = verb.head
    if antecedent.dep_ == "pobj" or cue_at(antecedent.head) is not None:
        return False  # 'assured the residents, who had complained:': the one who assured them speaks
    if antecedent.lemma_.lower() in _speech_nouns() | word_set("written_texts.txt"):
        sender = _issuer_of(antecedent)
        return (sender is not None and sender.pos_ != "PRON" and antecedent.head.lemma_.lower() not in RELAYING_VERBS
                and not any(c.dep_ == "poss" for c in antecedent.children))
    return True


def _main_clauses_first(tokens: list[Token]) -> list[Token]:
    """`tokens`, with the verbs of the main clauses first, the last first: a colon or comma ends the last
    main clause ('the ministry requested aid, and Dr. Lee stated: "..."'), then the others in text order.
    Before them all comes the last cue, when someone heard its speaker ('she said she heard one man say: "..."') or
    it speaks in a clause of time right before the mark ('the crowd roared when she announced: "..."')."""
    main = [t for t in tokens if t.head.i == t.i or (t.dep_ == "conj" and t.head.head.i == t.head.i)]
    cues = [t for t in tokens if cue_at(t) is not None]
    first = [cues[-1]] if cues and (_heard(cues[-1]) or _spoken_meanwhile(cues[-1], tokens)) else []
    return first + main[::-1] + [t for t in tokens if t not in main and t not in first]


TIME_CLAUSE_WORDS = frozenset({"when", "as", "while"})


def _spoken_meanwhile(cue: Token, tokens: list[Token]) -> bool:
    """'the crowd roared when she announced: "..."', 'fans cheered as the captain declared:': a cue right before
    the mark in a clause of time with a subject of its own introduces the quotation, not the main clause's verb.
    Not a cue with no subject ('he said when asked:'), nor one after 'after' or 'before', whose speaker may be
    another's listener ('Lee told reporters after the minister spoke:'); not after a main verb that plainly reports
    speech ('told MPs, as she had promised:', 'replied, when this newspaper asked,'), nor a clause in the perfect,
    which tells what was said before ('as the defence had claimed:'; review)."""
    main = cue.head
    plain = cue_at(main)
    return (len(tokens) > 1 and tokens[-2] == cue and tokens[-1].text in {":", ","} and cue.dep_ == "advcl"
            and any(c.dep_ == "nsubj" for c in cue.children)
            and any(c.dep_ in {"advmod", "mark"} and c.lower_ in TIME_CLAUSE_WORDS and c.i < cue.i
                    for c in cue.children)
            and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in cue.children)
            and (plain is None or plain.category != "neutral"))


def _heard(cue: Token) -> bool:
    """'heard one man say', 'overheard the driver shout': a cue in the bare infinitive whose speaker someone heard;
    not 'heard that the minister promised', 'never heard him admit', nor a hearing only wished for or awaited
    ('would like to hear the premier admit', 'had yet to hear management say')."""
    hearer = cue.head
    return (cue.dep_ == "ccomp" and cue.tag_ == "VB" and hearer.lemma_.lower() in HEARING_VERBS and hearer.i < cue.i
            and not any(c.dep_ == "neg" or c.lower_ in UNREALISED_MARKERS for c in hearer.children))


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


def _direct(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph, used_cues: set[int]) -> Attribution:
    tail = _tail(ctx, quote, paragraph)
    head = _sentence_tokens_backwards(ctx, paragraph.start, quote.start)
    found = None
    if any(t.is_alpha for t in head) and head[-1].text not in {":", ","}:
        # 'She said "I support you."': the nearest cue; '... Ana Lee, who said "..."': the relative's, right before it
        found = _cue_with_speaker(ctx, head[-1:], paragraph, relative=True) or _cue_with_speaker(
            ctx, head[::-1], paragraph)
    introduced = bool(head) and head[-1].text in {":", ","}
    if found is None and introduced and len(head) > 1 and _relative_cue(head[-2]):
        found = _cue_with_speaker(ctx, head[-2:-1], paragraph, relative=True)
    if found is None and introduced and quote.text.rstrip().endswith((".", "!", "?")):
        # 'Lee said, "Why not?" Vatican official Ana Cruz said, ...': a quotation closed by its own full stop
        # belongs to the cue before it, not to one the parser ran on into the next sentence
        found = _cue_with_speaker(ctx, _main_clauses_first(head), paragraph)
    found = found or _cue_with_speaker(ctx, tail, paragraph)
    if found is None and introduced:
        found = _cue_with_speaker(ctx, _main_clauses_first(head), paragraph)
    if found is None and introduced and len(head) > 1:
        # 'Thomas Gray, who cited his rugby: "..."', 'a statement which said, "..."': the relative clause's
        # cue right before the quotation introduces it
        found = _cue_with_speaker(ctx, [t for t in head[::-1] if t.pos_ == "VERB"][:1], paragraph, relative=True)
    if found is None and head and head[-1].text == ":":
        lead = _colon_speaker(ctx, head[-1].sent, paragraph)  # 'Governor Lee addressed the public: "..."'
        if lead is not None:
            return _quoted(DIRECT, quote, *lead)
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

    broken = _broken_attribution(ctx, tail or _credit_line(ctx, quote, paragraph))
    if broken is not None:
        return _quoted(DIRECT, quote, broken, None, ("no_reporting_verb",))

    previous = _previous_speaker(ctx, quote, paragraph)
    own = _own_sentence_person(ctx, quote.start, paragraph)
    if own is not None and (previous is None or _same_speaker(previous[0])[0].name != own.name):
        return _quoted(DIRECT, quote, own, None, ("sentence_subject",))  # before an earlier speaker's
    if previous is not None:
        earlier, flag = previous
        speaker, earlier_cue = _same_speaker(earlier)
        return _quoted(DIRECT, quote, speaker, earlier_cue, (flag,))
    narrated = _narrated_speaker(ctx, quote, paragraph)
    if narrated is not None:
        return _quoted(DIRECT, quote, narrated, None, ("sentence_subject",))
    return _quoted(DIRECT, quote, NO_SPEAKER, None)


def _narrated_speaker(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> Speaker | None:
    """For a quotation no cue introduces, the one the narrator's words before it are about, as a reader
    takes it: the subject of the sentence that holds it, if it can speak ('Trump took to social media,
    posting "..."'), else a person its words name ('Heiko Herrlich (GER), Germany coach "..."'), else
    the same in the sentence before; for a quotation that opens its sentence, only the sentence before
    ('Underwhelmed, she left the series. "..."'), and not when the sentence after a closed quotation names
    someone else ('Alice began talking to Bob. "Let us start again." Bob nodded.': either may speak)."""
    before = [t for t in ctx.tokens(paragraph.start, quote.start)
              if t.idx >= paragraph.start and not t.is_space and not ctx.in_quote(t.idx)]
    sentences: list[list[Token]] = []  # the narrator's words of the sentence holding the quotation, then before
    while before and len(sentences) < 2:
        start = before[-1].sent.start
        sentences.append([t for t in before if t.i >= start])
        before = [t for t in before if t.i < start]
    if sentences and sentences[0][-1].text in {".", "!", "?"}:
        sentences = [[], sentences[0]]  # the quotation opens its sentence: the first list is the one before
    closed = quote.text.rstrip().endswith((".", "!", "?"))  # the sentence after it is the narrator's next one
    for own, words in zip((True, False), sentences, strict=False):
        speaker = _subject_of(ctx, words, paragraph)
        if speaker is not None and (own or not closed or not _someone_else_after(ctx, quote, paragraph, speaker.name)):
            return speaker if speaker.text else None
    return None


def _subject_of(ctx: _Context, words: list[Token], paragraph: Paragraph) -> Speaker | None:
    """Who the narrator's `words` are about: the subject of their main clause; when it cannot speak, a subject
    under it that can or a person its sentence names (`_subordinate_source`), else NO_SPEAKER ('The effects were
    detrimental'); with no subject, the first person they name; None when they have neither."""
    subjects = [t for t in words if t.dep_ == "nsubj" and t.head.pos_ in {"VERB", "AUX"}
                and not ctx.in_quote(t.head.idx) and not in_relative_clause(t.head)]
    if subjects:  # the main clause's: the subject whose verb is nearest the root
        subject = min(subjects, key=lambda t: len(list(t.head.ancestors)))
        speaker = _resolve_speaker(ctx, subject, paragraph)
        if speaker.text and speaker.kind != UNATTRIBUTED and _could_speak(subject):
            return speaker
        return _subordinate_source(ctx, words, subjects, subject, paragraph) or NO_SPEAKER
    return _first_person_named(ctx, words)


def _subordinate_source(ctx: _Context, words: list[Token], subjects: list[Token], main: Token,
                        paragraph: Paragraph) -> Speaker | None:
    """When the main clause's subject cannot speak, the subject of a clause under it that can ('The storm
    shut the port, with local papers running headlines such as "Harbour closed again"'), else the first person
    the narrator's words name ('The side conceded two penalties, leaving coach Omar Quist
    unhappy. "One was harsh."')."""
    for subject in sorted((t for t in subjects if t is not main), key=lambda t: len(list(t.head.ancestors))):
        if not _could_speak(subject):
            continue
        speaker = _resolve_speaker(ctx, subject, paragraph)
        if speaker.text and speaker.kind != UNATTRIBUTED:
            return speaker
    return _first_person_named(ctx, words)


def _first_person_named(ctx: _Context, words: list[Token]) -> Speaker | None:
    """The first person the narrator's `words` name, or None."""
    named = [found for t in words if (found := ctx.mention_at(t.idx, t.idx + len(t), {PERSON})) is not None]
    if named:
        start, end, cluster = named[0]
        return Speaker(cluster.name, PERSON, ctx.text[start:end], start, end, NAMED)
    return None


def _previous_speaker(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph) -> tuple[Attribution, str] | None:
    """Who a quote with no cue of its own continues: the last speaker in this paragraph, or,
    for a paragraph that is all quotation, the last speaker of the paragraph before."""
    recent = _recent(ctx, paragraph.number)
    same = [a for a in recent if a.paragraph == paragraph.number and a.end <= quote.start and a.speaker_text]
    if same:
        return same[-1], "same_paragraph_speaker"
    introduced = None if paragraph.number in ctx.turns else _introduced_person(ctx, paragraph, before=quote.start)
    if introduced is not None and not any(a.paragraph == paragraph.number and a.end <= quote.start for a in recent) \
            and not _someone_else_after(ctx, quote, paragraph, introduced.speaker):
        # 'McGurk also criticized the decision via Twitter. "The statement ..."', 'Trump defended his
        # decision, "As I have stated ..."': the named person the narrator's sentence before it is about
        return introduced, "introduced_before"
    is_all_quote = quote.start == paragraph.start and quote.end >= paragraph.end - 1
    before = [a for a in recent if a.paragraph == paragraph.number - 1 and a.speaker_text]
    if is_all_quote and before:
        return before[-1], "continues_previous_paragraph"
    if is_all_quote and paragraph.number > 1 and not any(a.paragraph == paragraph.number - 1 for a in recent):
        introduced = _introduced_person(ctx, ctx.paragraphs[paragraph.number - 2])  # numbered from 1
        if introduced is not None:
            return introduced, "introduced_in_previous_paragraph"
    return None


def _someone_else_after(ctx: _Context, quote: QuoteSpan, paragraph: Paragraph, speaker: str | None) -> bool:
    """True if another person is named in the sentence right after the quotation, outside quotation marks
    ('Alice began talking to Bob. "Let us start again." Bob nodded.': either may speak)."""
    after = [t for t in ctx.tokens(quote.end, paragraph.end) if t.idx >= quote.end and not t.is_space]
    end = after[0].sent.end_char if after else quote.end
    return any(cluster.label == PERSON and cluster.name != speaker and not ctx.in_quote(start)
               for start, _, cluster in ctx.mention_index.starting_in(quote.end, min(end, paragraph.end)))


def _introduced_person(ctx: _Context, paragraph: Paragraph, before: int | None = None) -> Attribution | None:
    """'Another expert, Bong Young-shik from the Asan Institute, doubts the commitment.' followed by a
    paragraph that is all quotation: the person the paragraph before is about (the named subject of its
    last sentence, or of the sentence that ends right `before` an offset), who is then quoted.
    A pseudo-attribution carrying only the speaker."""
    tokens = [t for t in ctx.tokens(paragraph.start, paragraph.end if before is None else before)
              if not t.is_space and t.idx >= paragraph.start]
    if not tokens or ctx.in_quote(tokens[-1].idx):
        return None
    root = tokens[-1].sent.root
    if ctx.in_quote(root.idx):  # 'X defended his decision, "I would ..."': the parser may root it in the quote
        root = next((t for t in tokens[-1].sent if t.pos_ == "VERB" and t.i <= tokens[-1].i and not ctx.in_quote(t.idx)
                     and any(c.dep_ == "nsubj" for c in t.children)), root)
    subjects = [c for c in root.children if c.dep_ == "nsubj" and not ctx.in_quote(c.idx)]
    if not subjects or root.pos_ != "VERB" or ctx.in_quote(root.idx):
        return None
    speaker = _resolve_speaker(ctx, subjects[0], paragraph)
    person = ctx.labels.get(speaker.name or "") == PERSON or subjects[0].lemma_.lower() in word_set("person_roles.txt")
    if speaker.kind != NAMED or not person:  # 'Another expert, <a name the model calls an ORG>,': a person
        return None
    return _attribution(DIRECT, paragraph.start, paragraph.start, "", paragraph.number, speaker, None)
