"""Speech that stands as paragraphs of its own: transcript turns, tweets, and block quotes after a lead-in."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import NamedTuple

from spacy.tokens import Span, Token

from course.analysis.entities import PERSON, EntityCluster, initials
from course.analysis.names import is_title, without_accents
from course.analysis.quotes.context import _Context, _label_of
from course.analysis.quotes.cues import (
    _negated_or_hypothetical,
    _person_nouns,
    _speaker_token,
    _speech_nouns,
    _subject,
    cue_at,
    cue_lexicon,
)
from course.analysis.quotes.model import (
    DESCRIBED,
    DIRECT,
    FINITE_TAGS,
    NAMED,
    QUOTE_CHARACTERS,
    SPEAKER_LABELS,
    UNATTRIBUTED,
    Attribution,
    Cue,
    Speaker,
    _attribution,
    _same_speaker,
)
from course.analysis.quotes.speakers import _in_tag, _issues_statement, _resolve_speaker, _subject_across_tag
from course.core.article import Paragraph
from course.core.syntax import SUBJECT_DEPS, in_relative_clause

_COLON_LABEL = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*)(?:\s+\([A-Z]{1,3}\))?\s*:\s+(?=\S)")
_BRACKET_LABEL = re.compile(r"\(\(\s*([^()\n]{1,40}?)\s*\)\)\s*(?=\S)")
# a paragraph that is nothing but a name and a colon ('Ana Lee:', 'Ana Lee @analee:', '**Ana Lee**:', '@analee [es]:');
# not a letter's salutation ('Dear President Lee:' names the one written to)
_NAME_LINE = re.compile(r"(?!Dear\b)(?:\*\*)?((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*|@\w{1,30})(?:\*\*)?"
                        r"(?:\s+\(?(?P<handle>@\w{1,30})\)?)?(?:\s*\[[\w/-]{2,5}\])?\s*:")


# A post's label, '@handle: ', perhaps with the language tag of a link on the handle ('@kelvowatch [es]: ') or with
# no space before a word ('@kelvowatch:We ...'; not a time '@10:30' or a smiley '@kelvowatch:)')
_HANDLE = r"(?P<handle>@\w{1,30})(?:\s*\[[\w/-]{2,5}\])?:(?:\s+(?=\S)|(?=[^\W\d_]{2}))"
# '@handle: words' opening a paragraph: a post copied from a social network with its author's handle, perhaps after
# the name the network shows with it ('Ana Lee @analee: words')
_TWEET_LABEL = re.compile(r"(?:(?P<display>(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s+){0,4}[A-ZÀ-ÖØ-Þ][\w.'’-]*)\s+)?" + _HANDLE)
_RETWEET = re.compile(r"\s+RT\s+" + _HANDLE)
_POST_MARK = re.compile(r"(?<![\w@#])[#@]\w")  # a hashtag or a handle in a post
FIRST_SECOND_WORDS = frozenset({"i", "we", "me", "us", "my", "our", "you", "your"})
FIRST_PERSON_WORDS = frozenset({"i", "we", "me", "us", "my", "our"})
SINGULAR_FIRST_WORDS = frozenset({"i", "me", "my"})
COLON_CUE = Cue(":", ":", "neutral", "neutral")
QA_LABELS = {"question": "Q", "answer": "A"}
PLACE_LABELS = frozenset({"GPE", "LOC"})  # a country or region before a headline's colon heads the story


class _Lead(NamedTuple):
    """Who a lead-in paragraph says the next paragraph quotes. `unspoken` for a lead-in that says nothing of speech:
    a name on a line of its own, as a heading over a profile, a listing or a fixture reads the same ('Ana Lee:',
    'Kelvo United:'), or whose view follows ('For Ana Lee, the coverage is outrageous:', as 'For Kelvo United, the
    scorers were:' reads too). The next paragraph is taken as the words of the one named only if it speaks in the
    first person, or, under a handle, reads as a post (`_confirms`; `_name_lines_label_speech` asks more of a
    text's names)."""

    speaker: Speaker
    cue: Cue
    unspoken: bool = False


def _label_length(ctx: _Context, paragraph: Paragraph) -> int:
    """How many characters a transcript label ('Ana Lee: ', '((Interviewer)) ') takes at the paragraph's start."""
    text = ctx.text[paragraph.start:paragraph.end]
    match = _BRACKET_LABEL.match(text) or _COLON_LABEL.match(text) or _TWEET_LABEL.match(text)
    return match.end() if match else 0


def _transcript_label(ctx: _Context, paragraph: Paragraph) -> tuple[Speaker, int] | None:
    """The speaker a transcript paragraph opens with ('Ana Lee: ...', 'Dr. Ana Lee: "..."',
    '((Interviewer)) ...', or 'Ana Lee (AL): ...' giving the initials the later labels use), and where the
    speech starts; a colon label must name an entity, and a place heading the text is none: 'Tarvia: Ferry Fees on
    Facebook' is a headline that names the country its story is about (Global Voices heads every post so), not a
    turn, where 'Jordan:' further down may be a speaker whose name the model took for a country."""
    text = ctx.text[paragraph.start:paragraph.end]
    bracket = _BRACKET_LABEL.match(text)
    colon = _COLON_LABEL.match(text)
    match = bracket or colon
    if match is None:
        return None
    start, end = paragraph.start + match.start(1), paragraph.start + match.end(1)
    label = ctx.text[start:end]
    label = QA_LABELS.get(label.lower(), label)  # 'QUESTION:' and 'ANSWER:' are 'Q:' and 'A:' spelled out
    found = ctx.mention_at(start, end)
    cluster = found[2] if found is not None and label not in QA_LABELS.values() else None
    if cluster is None or cluster.name == label:
        cluster = _abbreviated_name(ctx, label) or cluster
    if cluster is None:
        cluster = _interviewee(ctx) if label == "A" else _name_in_capitals(ctx, label)
    heads_story = (bracket is None and paragraph.number == 1 and cluster is not None and cluster.label in PLACE_LABELS
                   and not text.rstrip().endswith((".", "!", "?")))  # a headline, not a first turn
    if cluster is not None and not heads_story:
        return Speaker(cluster.name, cluster.label, label, start, end, NAMED), paragraph.start + match.end()
    if bracket is None:
        return None
    return Speaker(None, None, label, start, end, DESCRIBED), paragraph.start + match.end()


def _headline_question(ctx: _Context, paragraph: Paragraph, label: tuple[Speaker, int]) -> bool:
    """True for a first paragraph that asks a question under a place's name as a headline does ('Kyrgyzstan: Can a
    Blogger be the Fourth Branch of Government?'), every word of four letters or more capitalised, not as a speaker
    asks one ('Jordan: Why did you leave the band?'). It still counts as a label when telling a transcript."""
    words = ctx.text[label[1]:paragraph.end].rstrip()
    long = [w for w in re.findall(r"[^\W\d_]+", words) if len(w) >= 4]
    return (paragraph.number == 1 and label[0].label in PLACE_LABELS and words.endswith("?") and bool(long)
            and all(w[0].isupper() for w in long))


def _interviewee(ctx: _Context) -> EntityCluster | None:
    """Whom the 'A:' labels of a question-and-answer interview stand for: the one person it names before its first
    'Q:' or 'A:' ('QUESTION:', 'ANSWER:'; 'Mara Quint opened her soup kitchen in 2019. We asked her how.'), outside
    quotation marks, or of several the one its headline names as the one it speaks with ('A conversation with Mara
    Quint')."""
    first = next((p.start for p in ctx.paragraphs
                  if re.match(r"([QA]|QUESTION|ANSWER):\s", ctx.text[p.start:p.end], re.IGNORECASE)), None)
    if first is None:
        return None
    named = {c.name: c for c in ctx.clusters if c.label == PERSON
             and any(m.start < first and not ctx.in_quote(m.start) for m in c.mentions)}
    if len(named) > 1:  # 'A conversation with Nguyen Thi Lan' over 'Our reporter Ciaran O'Sullivan spoke to her'
        headline = ctx.paragraphs[0]
        named = {n: c for n, c in named.items() if any(
            headline.start <= m.start < headline.end and _INTERVIEW_WITH.search(ctx.text, headline.start, m.start)
            for m in c.mentions)}
    return next(iter(named.values())) if len(named) == 1 else None


# a headline's words right before the name of the one an interview speaks with: 'A conversation with', 'Questions
# for'; not a topic ('Why Ana Lee quit: an interview', 'Festival tickets: your questions answered')
_INTERVIEW_WITH = re.compile(r"\b(?:conversation|interview|talk|talking|questions|Q&A|chat)\s+(?:with|for|to)\s+$",
                             re.IGNORECASE)


def _name_in_capitals(ctx: _Context, label: str) -> EntityCluster | None:
    """The one person whose surname ends a label in capitals ('GOVERNOR LYLE:' for Annika Lyle, 'MR. MCCANN:'), as
    official transcripts print their speakers, or, for a label of one word, whose name of three words opens with it
    when no other name does ('NGUYEN:' for Nguyen Thi Lan, a family name first); the model tags no name in
    capitals."""
    words = label.split()
    if not label.isupper() or len(words[-1]) < 3:
        return None
    named = {c.name: c for c in ctx.clusters if c.label == PERSON and c.name.split()[-1].upper() == words[-1]}
    if not named and len(words) == 1:  # 'NGUYEN:' for Nguyen Thi Lan, whose family name comes first
        named = {c.name: c for c in ctx.clusters if c.label == PERSON and len(c.name.split()) > 1
                 and c.name.split()[0].upper() == words[0]}
        named = named if all(len(name.split()) > 2 for name in named) else {}  # not beside 'Wang Yi' (review)
    return next(iter(named.values())) if len(named) == 1 else None


def _abbreviates(short: str, name: str) -> bool:
    """True if `short` (one to three capitals) abbreviates `name`: its initials ('MS' for 'Mary Smith'), the
    first letter of a one-letter label ('J' for 'Jonna'), or the capitals of a single word that are letters
    of it in order, the first its first ('WN' for 'Wikinews')."""
    words = name.split()
    if len(short) == 1:
        return name[:1].upper() == short
    if len(words) > 1:
        return initials(name) == short
    rest = iter(name[1:].upper())
    return name[:1].upper() == short[0] and all(letter in rest for letter in short[1:])


def _abbreviated_name(ctx: _Context, label: str) -> EntityCluster | None:
    """The person or organisation a transcript label of one to three capitals stands for ('((WN))' for
    Wikinews, 'J:' for Jonna, 'MS:' for Mary Smith): the one named in the article whose name it abbreviates,
    or, when several are, the one another label of the transcript names in full. 'Q' and 'A' mark a question
    and an answer, not a name. Two clusters of one name (the model tagged 'Ana Lee' a person once and an
    organisation once) are one name, not two candidates."""
    if not re.fullmatch(r"[A-Z]{1,3}", label) or label in {"Q", "A"}:
        return None
    named = [c for c in ctx.clusters if c.label in {PERSON, "ORG"} and c.name != label and _abbreviates(label, c.name)]
    # one candidate per name; sorted so that a person's cluster comes last and is the one the dict keeps
    named = list({c.name: c for c in sorted(named, key=lambda c: c.label == PERSON)}.values())
    if len(named) > 1:
        texts = (ctx.text[p.start:p.end] for p in ctx.paragraphs)
        labelled = {m.group(1) for text in texts if (m := _BRACKET_LABEL.match(text) or _COLON_LABEL.match(text))}
        named = [c for c in named if c.name in labelled]
    return named[0] if len(named) == 1 else None


def _lead_in(ctx: _Context, paragraph: Paragraph, name_lines: bool) -> _Lead | None:
    """'Blogger Ana Lee writes:' or 'Lee reflected:' ending a paragraph: who the next paragraph quotes.
    The verb must be a speech cue, or its subject a named person (a named organisation or place when
    the verb is the sentence's main verb: 'While X wonders ..., The Daily Blog sees fit to predict:').
    A paragraph that ends with a bare speech verb ('The Observer blog comments.') is a lead-in too, and so is a
    handle on a line of its own, or, with `name_lines`, a name (`_name_line`)."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    if not text.endswith((":", ",", ".")):  # 'Rathbun stated,' ending a paragraph is a lead-in too
        return None
    colon = ctx.tokens(paragraph.start + len(text) - 1, paragraph.start + len(text))
    if not colon:
        return None
    sentence = colon[-1].sent
    named = _name_line(ctx, paragraph) if text.endswith(":") else None
    if named is not None and (name_lines or (named.text or "").startswith("@")):
        return _Lead(named, COLON_CUE, unspoken=True)
    if text.endswith("."):
        if sentence.start_char > paragraph.start or any(c in QUOTE_CHARACTERS for c in text):
            return None  # only a paragraph that is nothing but 'The Observer blog comments.'
        found = _bare_cue(ctx, sentence, paragraph) or _cue_tagged_as_noun(ctx, sentence, paragraph, bare=True)
        return _Lead(*found, unspoken=found[1].lemma in ACT_OF_SPEAKING) if found else None
    found = (_colon_speaker(ctx, sentence, paragraph) or _cue_tagged_as_noun(ctx, sentence, paragraph)
             or _lead_in_across_tag(ctx, sentence, paragraph) or _source_parse_lost(ctx, sentence, paragraph))
    if found:
        return _Lead(*found)
    holder = _opinion_holder(ctx, sentence, paragraph) if text.endswith(":") else None
    return _Lead(holder, COLON_CUE, unspoken=True) if holder else None


def _opinion_holder(ctx: _Context, sentence: Span, paragraph: Paragraph) -> Speaker | None:
    """'For Ana Lee [pt], the coverage is outrageous:': whose view a lead-in opens with, a named person or
    organisation set off by a comma. Not when someone else is the subject who may speak ('For Tesla, analysts
    were blunt:', 'For Ana Lee, her lawyer had this to say:')."""
    opener = sentence[0]
    if opener.lower_ != "for" or opener.head.i != sentence.root.i or opener.idx < paragraph.start:
        return None
    holders = [c for c in opener.children if c.dep_ == "pobj"]
    subject = _subject(sentence.root)
    if not holders or subject is not None and (
            subject.ent_type_ in {PERSON, "ORG", "NORP"} or subject.pos_ == "PRON"
            or subject.lemma_.lower() in _person_nouns()):
        return None
    after = holders[0].right_edge.i + 1
    while after < sentence.end and _in_tag(sentence.doc[after]):
        after += 1  # 'For Ana Lee [pt],'
    if after >= sentence.end or sentence.doc[after].text != ",":
        return None
    speaker = _resolve_speaker(ctx, holders[0], paragraph)
    if speaker.kind != NAMED or _label_of(ctx, speaker.name or "") not in {PERSON, "ORG"}:
        return None
    return speaker


def _name_line(ctx: _Context, paragraph: Paragraph) -> Speaker | None:
    """The person or organisation a paragraph that is nothing but a name and a colon names ('Ana Lee:', 'Ana Lee
    @analee:', '@analee [es]:'): a label on a paragraph of its own, whose words may be the next paragraph (Global
    Voices sets readers' comments and posts so). The name is a person or organisation the model tagged as the whole
    label, or a handle, or the name shown with a handle (`_display_name`); not a place ('Kenya:' heading a
    round-up's part), a date, a phrase that names no one ('Some reactions:'), nor a name after other words ('To
    Mayor Ana Lee:', 'Remembering Ana Lee:')."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    match = _NAME_LINE.fullmatch(text)
    if match is None:
        return None
    start, end = paragraph.start + match.start(1), paragraph.start + match.end(1)
    label = ctx.text[start:end]
    if label.startswith("@"):  # a handle, named as `_tweet` names a post's
        return Speaker(None, None, label, start, end, NAMED)
    if match.group("handle") is not None:  # a post's label ('Ana Lee @analee:'), not 'Follow Ana Lee @analee:'
        return _display_name(ctx, start, end) if _proper_nouns(ctx, start, end) else None
    # not a name that only opens the label ('Mark Tender Plants:')
    found = ctx.mention_at(start, end, labels={PERSON, "ORG"})
    if found is None or found[0] != start or not end <= found[1] <= paragraph.start + match.end():
        return None
    return Speaker(found[2].name, found[2].label, label, start, end, NAMED)


def _has_headings(ctx: _Context) -> bool:
    """True if a short line of the text ending with a colon is a heading: no sentence (no verb), and a word in lower
    case ('Some reactions:', 'Cooking time:'). Such a text heads its parts with colon lines, and a name among them
    ('Ana Lee:' over her profile, 'Kelvo United:' over a line-up) heads a part about that one, not that one's
    words. A word alone ('Tickets:') is left out: the model tags a name alone as a noun too ('Evgeny:'), and so is
    a name line's language tag ('@analee [es]:')."""
    for paragraph in ctx.paragraphs:
        text = ctx.text[paragraph.start:paragraph.end].rstrip()
        if len(text) > 40 or not text.endswith(":") or ":" in text[:-1] or _NAME_LINE.fullmatch(text):
            continue
        words = [t for t in ctx.tokens(paragraph.start, paragraph.end) if t.is_alpha]
        if not words or any(t.pos_ in {"VERB", "AUX"} for t in words):
            continue
        if any(t.is_lower for t in words):
            return True
    return False


def _confirms(ctx: _Context, lead: _Lead, paragraph: Paragraph) -> bool:
    """True if the paragraph after a name line, or after 'Lee spoke.', reads as the words of the one named: it
    speaks in the first person (after 'spoke.', or to 'you': 'Thank you for coming') or opens with a quotation
    mark, or, under a handle, it holds a hashtag or another handle as posts do ('@analee:' over 'No ferry again
    #kelvo'; not over 'Race updates from the organisers' in a list of accounts to follow)."""
    words = FIRST_SECOND_WORDS if lead.cue.lemma in ACT_OF_SPEAKING else FIRST_PERSON_WORDS
    if _speaks_in_person(ctx, paragraph, words) or any(
            q.start == paragraph.start for q in ctx.quotes_in(paragraph.number)):
        return True  # or it is a quotation ('Her brother spoke.' before '"We miss him."')
    post = _POST_MARK.search(ctx.text[paragraph.start:paragraph.end])
    return (lead.speaker.text or "").startswith("@") and post is not None


def _name_lines_label_speech(ctx: _Context) -> bool:
    """True if the text's name lines may label what people say: it has no headings (`_has_headings`), and the
    paragraph after one of its name lines says I, me or my. A comment thread or a transcript does; a list of
    profiles, charities or fixtures under names, written to the reader ('you') or by the writer ('we'), does not."""
    if _has_headings(ctx):
        return False
    return any(_name_line(ctx, paragraph) is not None and _speaks_in_person(ctx, after, SINGULAR_FIRST_WORDS)
               for paragraph, after in itertools.pairwise(ctx.paragraphs)
               if ctx.text[paragraph.start:paragraph.end].rstrip().endswith(":"))


def _lead_in_across_tag(ctx: _Context, sentence: Span, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """'Ana Lee (@analee) [fr] wrote:', 'Lee disagreed with the plan [fr]:': a lead-in whose parse a bracketed tag
    (a link's language or medium) broke. The small model may end a sentence before the tag, so that the colon's
    sentence opens with it, or take the tag for the verb's subject. When nothing but the tag is left before the
    colon, the sentence before it is the lead-in; when the verb has no subject but the tag, its subject is the
    first named person of the words before it (a name with its description, no verb of its own), in its own
    sentence or, when the sentence opens with the tag, in the one before it."""
    opens_with_tag = _in_tag(sentence[0]) and sentence.start > 0
    verbs = [t for t in sentence if t.pos_ == "VERB" and not ctx.in_quote(t.idx) and not _in_tag(t)]
    if opens_with_tag and not verbs:
        before = sentence.doc[sentence.start - 1].sent
        return _colon_speaker(ctx, before, paragraph) if before.start_char >= paragraph.start else None
    if not verbs:
        return None
    verb = sentence.root if sentence.root in verbs else verbs[0]
    if _subject(verb) is not None:
        return None
    if opens_with_tag:
        words = list(sentence.doc[sentence.start - 1].sent)
    elif any(c.dep_ == "nsubj" and _in_tag(c) for c in verb.children):
        words = list(sentence.doc[sentence.start:verb.i])  # the tag taken for the subject
    else:
        return None
    if not words or words[0].idx < paragraph.start or any(t.pos_ in {"VERB", "AUX"} for t in words):
        return None
    for token in words:
        found = ctx.mention_at(token.idx, token.idx + len(token)) if token.pos_ == "PROPN" else None
        if found is not None and found[2].label == PERSON:
            speaker = _resolve_speaker(ctx, token, paragraph)
            if speaker.kind != NAMED:
                return None
            cue = cue_at(verb)
            return speaker, cue or Cue(verb.text, verb.lemma_.lower(), "descriptive", "descriptive")
    return None


def _source_parse_lost(ctx: _Context, sentence: Span, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """'Likewise, Tern Watch (@ternwatch) [es] pointed out that the count was low:', 'Looking back on the season,
    Harbour and Reason says:', 'Said the outspoken Ilse Marr (who has fished here for years):': a lead-in whose
    finite speech verb the small model left with no subject, or with the participle clause before it as one,
    having hung the source on the phrase before it or taken it for an object. The source is the name right before
    the verb, with nothing but its handle, a bracketed tag or punctuation between, or, for a past-tense verb
    opening the sentence, the name that follows it as its object ('Ask Omar Lind:' bids the reader speak)."""
    root = sentence.root
    cue = cue_at(root)
    if (cue is None or cue.lemma == "according to" or cue.stance == "labelling" or ctx.in_quote(root.idx)
            or root.tag_ not in {"VBD", "VBZ", "VBP"} or _negated_or_hypothetical(root)):
        return None
    subject = _subject(root)
    if subject is not None and not (subject.dep_ == "csubj" and subject.tag_ == "VBG" and subject.i < root.i):
        return None
    doc = root.doc
    if root.i == sentence.start and root.tag_ == "VBD":
        names = [c for c in root.children if c.dep_ == "dobj" and c.pos_ == "PROPN"]
    else:
        i = root.i - 1
        while i >= sentence.start and (doc[i].is_punct or _in_tag(doc[i]) or doc[i].text.startswith("@")):
            i -= 1
        names = [doc[i]] if i >= sentence.start and doc[i].pos_ == "PROPN" else []
    if not names or ctx.mention_at(names[0].idx, names[0].idx + len(names[0])) is None:
        return None
    speaker = _resolve_speaker(ctx, names[0], paragraph)
    return (speaker, cue) if speaker.kind == NAMED else None


def _cue_tagged_as_noun(ctx: _Context, sentence: Span, paragraph: Paragraph,
                        bare: bool = False) -> tuple[Speaker, Cue] | None:
    """'The Harbour Watch blog comments.', 'A local editorial predicts that the ferry will sail:': a lead-in
    whose speech verb the small model tagged as a plural noun at the sentence's root, with the source's noun
    right before it as a modifier. The words before the verb are its subject, the verb is the cue; a lead-in
    that ends with a full stop must be nothing but the two ('bare'), as `_bare_cue` asks of a verb."""
    root = sentence.root
    if root.tag_ != "NNS" or not root.lower_.endswith("s") or root.i == sentence.start or ctx.in_quote(root.idx):
        return None
    if bare and any(c.i > root.i and c.dep_ != "punct" for c in root.children):
        return None
    before = root.doc[root.i - 1]
    if before.dep_ not in {"compound", "amod", "nmod"} or before.head.i != root.i or before.pos_ not in {
            "NOUN", "PROPN"}:
        return None
    lexicon = cue_lexicon()
    word = root.lower_
    lemma = next((form for form in (word[:-1], word[:-2]) if form in lexicon), None)
    if lemma is None or lexicon[lemma][1] == "labelling":
        return None
    speaker = _resolve_speaker(ctx, before, paragraph)
    if not speaker.text or speaker.kind == UNATTRIBUTED:
        return None
    return speaker, Cue(root.text, lemma, *lexicon[lemma])


def _colon_speaker(ctx: _Context, sentence: Span, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """Who the words after the colon that ends the narrator's part of `sentence` belong to, at the end of a
    paragraph or inside one: the subject of a speech verb, a named person who is the subject of any verb ('Lee
    addressed the public: "..."'), or a named organisation or place that is the subject of the main verb."""
    for token in sorted(sentence, key=lambda t: t.i != sentence.root.i):  # the main verb first
        if token.pos_ != "VERB" or ctx.in_quote(token.idx) or in_relative_clause(token):
            continue
        cue = cue_at(token)
        head = _subject(token) if cue is None or cue.lemma != "according to" else _speaker_token(token, cue)
        if head is not None and _in_tag(head):  # 'In a post [fr] on her blog, Ana Lee objected:'
            head = _subject_across_tag(ctx, token, head, paragraph)
        if head is None:
            continue
        speaker = _author_of_object(ctx, token, paragraph) or _resolve_speaker(ctx, head, paragraph)
        if cue is not None and speaker.text:
            return speaker, cue
        if _issues_statement(token) and speaker.text and speaker.kind != UNATTRIBUTED:
            return speaker, Cue(token.text, token.lemma_.lower(), "neutral", "neutral")
        label = _label_of(ctx, speaker.name or "")
        if speaker.kind == NAMED and (label == PERSON or (label in SPEAKER_LABELS and token.i == sentence.root.i)):
            return speaker, Cue(token.text, token.lemma_.lower(), "descriptive", "descriptive")
    return None


# Verbs that name the act of speaking, not words said: after 'The mayor spoke.' the next paragraph is hers only if
# it reads as her words (`_confirms`), as after a name line
ACT_OF_SPEAKING = frozenset({"speak", "talk", "testify", "chat"})


def _bare_cue(ctx: _Context, sentence, paragraph: Paragraph) -> tuple[Speaker, Cue] | None:
    """'The Observer blog comments.', 'Lee writes.': a paragraph of one short sentence that is only a subject
    and a speech verb with nothing reported, so what it reports is the next paragraph."""
    root = sentence.root
    cue = cue_at(root)
    if (cue is None or cue.lemma == "according to" or cue.stance == "labelling" or len(sentence) > 10
            or ctx.in_quote(root.idx) or _negated_or_hypothetical(root)
            or any(c.dep_ in {"ccomp", "dobj", "xcomp", "prep", "dative", "advcl"} for c in root.children)):
        return None
    head = _subject(root)
    if head is None or head.pos_ == "PRON" and head.lower_ not in {"he", "she", "it", "they"}:
        return None
    speaker = _resolve_speaker(ctx, head, paragraph)
    return (speaker, cue) if speaker.text and speaker.kind != UNATTRIBUTED else None


def _author_of_object(ctx: _Context, verb: Token, paragraph: Paragraph) -> Speaker | None:
    """'X posted a comment from Ana Lee:', 'X shared a statement by the ministry:': the words that follow
    are the author's, named by 'from'/'by' after a speech noun that is the verb's object."""
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _speech_nouns()):
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}):
            authors = [o for o in prep.children if o.dep_ == "pobj" and not ctx.in_quote(o.idx)]
            if authors:
                speaker = _resolve_speaker(ctx, authors[0], paragraph)
                if speaker.kind == NAMED:
                    return speaker
    return None


def _tweet(ctx: _Context, paragraph: Paragraph, match: re.Match, lead: _Lead | None,
           owners: dict[str, tuple[Speaker, Cue]]) -> list[Attribution]:
    """A paragraph that opens with '@handle: ' is that account's post (one attribution per post; a retweet inside it,
    ' RT @other: ...', is the other account's), and so is one that opens with the name the network shows before the
    handle, whose author is the one it names (`_display_name`); `match` is the label `_post_label` read. Else a
    lead-in that names someone ('On Twitter, Ana Lee agrees:') names the author better than the handle does, and of
    the same handle's later posts too if the handle spells part of the name ('Ana Lee' and '@analee'; `owners`,
    handle -> the lead's speaker and cue, filled here); one that describes a group ('Fans have criticised the
    decision:') does not, nor a name on a line of its own that the handle does not spell. Without a lead-in, a
    person the text gives the handle to ('Ana Lee (@analee)') is the author."""
    text = ctx.text[paragraph.start:paragraph.end].rstrip()
    found = []
    retweets = list(_RETWEET.finditer(text, match.end()))
    pieces = [(m.start("handle"), m.end("handle"), m.end()) for m in [match, *retweets]]
    cut_at = [m.start() for m in retweets] + [len(text)]
    shown = None if match.group("display") is None else _display_name(
        ctx, paragraph.start + match.start("display"), paragraph.start + match.end("display"))
    for n, (handle_start, handle_end, start) in enumerate(pieces):
        handle = Speaker(None, None, text[handle_start:handle_end], paragraph.start + handle_start,
                         paragraph.start + handle_end, NAMED)
        fits = lead is not None and _handle_fits(handle.text or "", lead.speaker.name or lead.speaker.text or "")
        if n == 0 and shown is not None:
            speaker, cue = shown, COLON_CUE
        elif n == 0 and lead is not None and lead.speaker.kind == NAMED and (fits or not lead.unspoken):
            speaker, cue = lead.speaker, lead.cue
            if fits:
                owners[handle.text or ""] = (speaker, cue)  # 'Tom Finn wrote:' and '@tomfinn2: ...'
        elif n == 0 and handle.text in owners:
            speaker, cue = owners[handle.text]
        else:
            speaker, cue = _handle_owner(ctx, handle) or handle, COLON_CUE
        end = cut_at[n]
        found.append(_attribution(DIRECT, paragraph.start + start, paragraph.start + end, text[start:end],
                                  paragraph.number, speaker, cue, ("tweet",)))
    return found


def _post_label(ctx: _Context, paragraph: Paragraph) -> re.Match | None:
    """The label that opens a post's paragraph (`_TWEET_LABEL`). A name before the handle must be capitalised words
    and no verb ('Kelvo Ferries', not 'Follow Ana Lee'), with no name after other words but titles ('Dr. Ana Lee',
    not 'Press Contact Ana Lee'); and the words after it must read as a post, as a list of accounts to follow, a
    byline, a credit or a listing set out the same way do not: open with a capital, say something
    (`_says_something`), and speak in the first person ('I', 'we') or hold a hashtag, a handle or a link; a question
    or an exclamation mark alone is no sign ('Opens Saturday. Entry is free!')."""
    text = ctx.text[paragraph.start:paragraph.end]
    match = _TWEET_LABEL.match(text)
    if match is None or match.group("display") is None:
        return match
    start, end = paragraph.start + match.start("display"), paragraph.start + match.end("display")
    names = (ctx.mention_at(t.idx, t.idx + len(t), labels={PERSON, "ORG"}) for t in ctx.tokens(start, end))
    name_start = min((found[0] for found in names if found is not None and found[0] > start), default=start)
    named = (all(t.text[:1].isupper() and t.pos_ not in {"VERB", "AUX"} for t in ctx.tokens(start, end))
             and all(is_title(t.text) for t in ctx.tokens(start, name_start)))
    words = text[match.end():]
    marked = (_speaks_in_person(ctx, paragraph, FIRST_PERSON_WORDS) or _POST_MARK.search(words) is not None
              or "http" in words)
    post = marked and not words[:1].islower() and _says_something(
        ctx, paragraph.start + match.end(), paragraph.end, match.group("display"))
    return match if named and post else None


def _says_something(ctx: _Context, start: int, end: int, name: str) -> bool:
    """True if the words from `start` to `end` say something, as a post does, rather than describe the one `name`d, as
    a list of people, accounts or events does: a finite verb with its subject outside a relative clause, or a command
    ('Let's take them to court'), and no description of someone opening them ('Our political editor, at the count',
    'The city's transport chief, who ...'), nor the named one as the first subject ('Sara covers health');
    'Covering the coastal seats' and 'Scored 14 goals' say nothing of their own."""
    words = ctx.tokens(start, end)
    inside = set(words)
    heads = [t for t in words if t.head not in inside or t.head == t]
    if heads and heads[0].pos_ == "NOUN" and heads[0].lemma_.lower() in _person_nouns():
        return False
    subjects = [t for t in words if t.dep_ in SUBJECT_DEPS]
    if subjects and subjects[0].text in name.split():
        return False
    stated = any(c.dep_ in SUBJECT_DEPS | {"expl"} for t in words for c in t.children
                 if (t.tag_ in FINITE_TAGS or any(a.dep_ == "aux" and a.tag_ in FINITE_TAGS for a in t.children))
                 and not in_relative_clause(t))
    commanded = any(t.tag_ == "VB" and (t.lemma_ == "let" or not any(
        c.dep_ in SUBJECT_DEPS | {"aux", "mark"} for c in t.children)) for t in heads)
    return stated or commanded


def _proper_nouns(ctx: _Context, start: int, end: int) -> bool:
    """True if the words from `start` to `end` are all proper nouns, as a name is: not 'Follow Ana Lee', which the
    model may tag as a person's name all the same."""
    return all(t.pos_ == "PROPN" for t in ctx.tokens(start, end))


def _display_name(ctx: _Context, start: int, end: int) -> Speaker | None:
    """The author a post's label names before the handle, from `start` to `end` ('Ana Lee @analee: ...'): a person or
    organisation the model tagged there, titles before it or not ('Mayor Ana Lee'). None for other words ('Live
    Updates @kelvonews'), or a nickname ('LoveWillTearUsAznar @lwtuaznar'): the handle names the author then."""
    words = ctx.tokens(start, end)
    titles = len(list(itertools.takewhile(lambda t: is_title(t.text), words)))
    for begins in dict.fromkeys([start] + [words[titles].idx] * (titles < len(words))):
        found = ctx.mention_at(begins, end, labels={PERSON, "ORG"})
        if found is not None and found[0] == begins and found[1] >= end:  # perhaps run on into the handle
            return Speaker(found[2].name.split(" @")[0], found[2].label, ctx.text[start:end], start, end, NAMED)
    return None


def _handle_owner(ctx: _Context, handle: Speaker) -> Speaker | None:
    """The person the text gives a handle to ('Raian Gibrel (@bro0ownsugar) wrote ...' makes the later posts of
    '@bro0ownsugar' Gibrel's): a person's name right before the handle in brackets, anywhere in the text, that is
    no object: not 'the office of Mayor Ana Lee (@harbourcityhall)', nor 'a parody account mocking Ana Lee
    (@notanalee)'."""
    for match in re.finditer(r"\(" + re.escape(handle.text or "") + r"\)", ctx.text):
        end = match.start() - 1
        found = ctx.mention_at(end - 1, end, labels={PERSON})
        name = ctx.tokens(end - 1, end)
        head = name[-1] if name else None
        while head is not None and head.dep_ in {"conj", "appos", "compound"} and head.head.i != head.i:
            head = head.head  # 'impersonated Tom Finn and Ana Lee (@analee)', 'its chairman, Ana Lee (@orsafc)'
        if (ctx.text[end:match.start()] == " " and found is not None and found[1] == end and head is not None
                and head.dep_ not in {"pobj", "dobj", "poss"}):
            return Speaker(found[2].name, PERSON, handle.text, handle.start, handle.end, NAMED)
    return None


def _handle_fits(handle: str, name: str) -> bool:
    """True if the handle opens with a word of three letters or more of the name, or with its first initial and last
    word, accents aside ('@AguilB' and 'Aguil Lual', '@tomfinn2' and '@tfinn' and 'Tom Finn'), as people's own
    accounts mostly do and an office's or a group's do not ('@kelvoguardian' is not Ian Rask's)."""
    letters = without_accents(handle).lower().lstrip("@")
    words = re.findall(r"[a-z]+", without_accents(name).lower())
    openings = [word for word in words if len(word) >= 3] + ([words[0][0] + words[-1]] if len(words) > 1 else [])
    return any(letters.startswith(opening) for opening in openings)


ELISIONS = frozenset({"...", "…", "[...]", "[…]", "(...)", "(…)"})
# '[...]' opening or ending a paragraph: words a quotation leaves out, marked by the one who quotes it
_ELIDED = re.compile(r"^\[(?:\.\.\.|…)\]|\[(?:\.\.\.|…)\]$")


def _speaks_in_person(ctx: _Context, paragraph: Paragraph, words: frozenset[str] = FIRST_SECOND_WORDS) -> bool:
    """True if the paragraph's own words (outside quotation marks) say one of `words`: I, we, my, our, us or you."""
    return any(t.lower_ in words and t.text != "US" and not ctx.in_quote(t.idx)
               for t in ctx.tokens(paragraph.start, paragraph.end))


def _narrator_report(ctx: _Context, paragraph: Paragraph) -> bool:
    """True if the paragraph reports someone's words the narrator's way: a cue whose subject is a
    name or a third-person pronoun ('Meanwhile, the Blog reports that ...', 'She added ...')."""
    for token in ctx.tokens(paragraph.start, paragraph.end):
        cue = cue_at(token)
        if cue is None or ctx.in_quote(token.idx):
            continue
        if cue.lemma == "according to":
            return True
        subject = _subject(token)
        if subject is not None and (subject.lower_ in {"he", "she", "they", "it"} or (
                subject.pos_ == "PROPN" and ctx.cluster_at(subject.idx, subject.idx + len(subject)) is not None)):
            return True
    return False


def _block_continues(ctx: _Context, first: int, labelled: set[int], comment: bool = True) -> list[Paragraph]:
    """The paragraphs after a block quote's first paragraph (index `first`) that go on quoting it.

    A blog post or statement quoted as a block over several paragraphs, with no quotation marks, loses its
    indentation in plain text. Its later paragraphs are taken as the same speaker's only up to the last one,
    within four, that speaks in the first or second person (the narrator of news does not), and only while
    none of them ends with a lead-in of its own or is one ('The Observer blog comments.'), holds quotation marks,
    opens with a label, or reports someone's words the narrator's way. An elision line ('...') in between is
    skipped. With `comment`, a first paragraph that reads as the writer's comment (`_reads_as_comment`) goes on
    too; not after a name line, which says nothing of speech. A paragraph right after those that opens or ends with
    a cut ('[...]'), as only the one who quotes marks, goes on too."""
    run: list[tuple[Paragraph, bool]] = []
    for paragraph in ctx.paragraphs[first + 1: first + 5]:
        text = ctx.text[paragraph.start:paragraph.end].strip()
        if text in ELISIONS:
            run.append((paragraph, False))
            continue
        if (not text or text.endswith((":", ",")) or paragraph.number in labelled
                or ctx.quotes_in(paragraph.number) or _narrator_report(ctx, paragraph)
                or _lead_in(ctx, paragraph, name_lines=False) is not None):  # 'The Observer blog comments.'
            break
        run.append((paragraph, _speaks_in_person(ctx, paragraph)))
    last = max((n for n, (_, personal) in enumerate(run) if personal), default=-1)
    if last < 0 and run and comment and _reads_as_comment(ctx, run[0][0]):
        last = 0
    while last + 1 < len(run) and _ELIDED.search(ctx.text[run[last + 1][0].start:run[last + 1][0].end].strip()):
        last += 1  # '[...]' opening or ending the paragraph: the quoting writer's cut in the words quoted
    return [p for p, _ in run[: last + 1] if ctx.text[p.start:p.end].strip() not in ELISIONS]


def _reads_as_comment(ctx: _Context, paragraph: Paragraph) -> bool:
    """True for a paragraph that reads as the quoted writer's comment rather than the narrator's account: every
    sentence's main verb is in the simple present or takes a modal ('The council keeps its promises. Nothing will
    change.'), not the past or present perfect a news narrator reports in, and it names no person, organisation
    or place."""
    sentences = {t.sent.start: t.sent for t in ctx.tokens(paragraph.start, paragraph.end)}
    if not sentences:
        return False
    for sentence in sentences.values():
        root = sentence.root
        verbs = [root] + [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
        if not any(v.tag_ in {"VBZ", "VBP", "MD"} for v in verbs) or any(
                v.lemma_ == "have" and v.dep_ == "aux" for v in verbs):
            return False  # a past or present-perfect narration ('The ferries have not sailed since March.')
    return not any(ctx.mention_at(t.idx, t.idx + len(t)) for t in ctx.tokens(paragraph.start, paragraph.end)
                   if t.pos_ == "PROPN")


def _lead_in_after_turns(ctx: _Context, paragraph: Paragraph, found: list[Attribution],
                         name_lines: bool) -> _Lead | None:
    """`_lead_in` for a paragraph after block quotes and posts: a pronoun in it ('He added:') may refer back to
    the writer quoted just before, whom the walk through the text has not recorded yet."""
    before = ctx.found
    ctx.found = before + found
    try:
        return _lead_in(ctx, paragraph, name_lines)
    finally:
        ctx.found = before


def _find_turns(ctx: _Context) -> list[Attribution]:
    """Speech that stands as paragraphs of its own: transcript turns ('Ana Lee: ...'), their
    first-person continuations, and block quotes after a lead-in that ends with a colon.

    Fills `ctx.turns` (paragraph -> speaker, cue, flag), which quotation marks inside such
    paragraphs fall back on, and returns the attributions of paragraphs without quotation marks.
    """
    labels = {p.number: _transcript_label(ctx, p) for p in ctx.paragraphs}
    is_transcript = sum(label is not None for label in labels.values()) >= 2
    tweets = {p.number: post for p in ctx.paragraphs if (post := _post_label(ctx, p)) is not None}
    found: list[Attribution] = []
    current: tuple[Speaker, Cue, str] | None = None
    continued: dict[int, tuple[Speaker, Cue, str]] = {}
    owners: dict[str, tuple[Speaker, Cue]] = {}  # a handle -> whom a lead-in named as its author
    name_lines = _name_lines_label_speech(ctx)
    opening = Counter(m.group(1) for p in ctx.paragraphs if (m := _COLON_LABEL.match(ctx.text[p.start:p.end])))
    repeated = {label for label, n in opening.items() if n > 1}  # labels that open several paragraphs
    for i, paragraph in enumerate(ctx.paragraphs):
        label = labels[paragraph.number] if is_transcript or _starts_with_quote(ctx, paragraph, labels) else None
        lead = _lead_in_after_turns(ctx, ctx.paragraphs[i - 1], found, name_lines) if i else None
        start = paragraph.start
        if label is None and paragraph.number in tweets:
            posts = _tweet(ctx, paragraph, tweets[paragraph.number], lead, owners)
            ctx.turns[paragraph.number] = (_same_speaker(posts[0])[0], COLON_CUE, "tweet")
            found += posts
            current = None
            continue
        if label is not None and _headline_question(ctx, paragraph, label):
            current = None
            continue
        if label is not None:
            current = (label[0], COLON_CUE, "transcript")
            start = label[1]
        elif lead is not None and (not lead.unspoken or _confirms(ctx, lead, paragraph)):
            current = (lead.speaker, lead.cue, "block_quote")
        elif current is not None and current[2] == "transcript" and _is_continuation(ctx, paragraph, repeated):
            current = (current[0], current[1], "transcript")
        elif paragraph.number in continued:
            current = continued[paragraph.number]
        else:
            current = None
            continue
        ctx.turns[paragraph.number] = current
        if lead is not None and label is None and _starts_with_quote(ctx, paragraph, {}):
            current = None  # a quotation after a lead-in: attributed through its marks
            continue
        if label is not None and _starts_with_quote(ctx, paragraph, labels):
            continue
        end = paragraph.start + len(ctx.text[paragraph.start:paragraph.end].rstrip())
        speaker, cue, flag = current
        found.append(_attribution(DIRECT, start, end, ctx.text[start:end], paragraph.number, speaker, cue, (flag,)))
        if flag == "block_quote":
            labelled = {n for n, v in labels.items() if v is not None} | set(tweets)
            for later in _block_continues(ctx, i, labelled, comment=lead is not None and not lead.unspoken):
                continued[later.number] = (speaker, cue, "block_quote_continued")
        if flag in {"block_quote", "block_quote_continued"}:
            current = None
    return found


def _starts_with_quote(ctx: _Context, paragraph: Paragraph, labels: dict) -> bool:
    """True if the paragraph's speech (after any transcript label) opens with a quotation mark."""
    label = labels.get(paragraph.number)
    start = label[1] if label else paragraph.start
    return ctx.text[start:start + 1] in QUOTE_CHARACTERS


def _is_continuation(ctx: _Context, paragraph: Paragraph, repeated: set[str]) -> bool:
    """A transcript answer that goes on for another paragraph: no quotation marks, spoken in the first or second
    person ('US officials said' is not), and not the next turn (`_opens_a_turn`)."""
    return (not ctx.quotes_in(paragraph.number) and not _opens_a_turn(ctx, paragraph, repeated)
            and _speaks_in_person(ctx, paragraph))


def _opens_a_turn(ctx: _Context, paragraph: Paragraph, repeated: set[str]) -> bool:
    """True for a paragraph that opens with a speaker's label, though it names no one the text names: initials or
    'Q' ('JK: And you?', 'Q: Will you vote?'), a person noun ('Interviewer:', 'Policewoman:'), a bracketed label,
    or one of the `repeated` labels, which open more than one paragraph; not a word that opens an answer's point
    ('Remember: we lost four boats', 'Note:', 'Monday:')."""
    text = ctx.text[paragraph.start:paragraph.end]
    if _BRACKET_LABEL.match(text):
        return True
    match = _COLON_LABEL.match(text)
    label = match.group(1) if match else ""
    return bool(label) and (re.fullmatch(r"[A-Z]{1,3}", label) is not None or label in repeated
                            or label.split()[-1].lower() in _person_nouns())
