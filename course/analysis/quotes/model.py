"""What an attribution is: its kinds, its source kinds, and the Cue, Speaker and Attribution records."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from course.analysis.entities import HYPHENS, PERSON, dateline_end
from course.analysis.quotemarks import QuoteSpan

DIRECT, PARTIAL, INDIRECT = "direct", "partial", "indirect"
NAMED, DESCRIBED, UNNAMED, UNATTRIBUTED = "named", "described", "unnamed", "unattributed"
SINGULAR_PRONOUNS = {"he", "she", "him", "her", "his"}
MALE_PRONOUNS = {"he", "him", "his"}
PLURAL_PRONOUNS = {"they", "them"}
FIRST_SECOND_PERSON = {"i", "we", "you", "me", "us"}
SPEAKER_LABELS = {PERSON, "ORG", "GPE"}
QUOTE_CHARACTERS = set('"“”„«»‘’')
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})  # a finite verb or modal: a clause of its own
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "king": "m", "father": "m", "brother": "m",
                    "ms": "f", "mrs": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "sister": "f"}
PRONOUN_GENDER = {"he": "m", "his": "m", "himself": "m", "she": "f", "hers": "f",
                  "herself": "f"}
NOUN_GENDER = {**HONORIFIC_GENDER, "man": "m", "spokesman": "m", "husband": "m", "son": "m", "boy": "m",
               "woman": "f", "spokeswoman": "f", "mother": "f", "wife": "f", "daughter": "f", "girl": "f"}


@dataclass(frozen=True)
class Cue:
    """The words that mark an attribution, and what their choice implies."""

    text: str
    lemma: str
    category: str
    stance: str


@dataclass(frozen=True)
class Attribution:
    """One attribution: what is attributed, to whom, and with which cue."""

    kind: str
    text: str
    start: int
    end: int
    paragraph: int
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    cue_category: str | None
    source_kind: str
    flags: tuple[str, ...] = ()

    @property
    def source(self) -> str | None:
        """Who the content is attributed to: the canonical speaker, else the speaker phrase, else None."""
        return self.speaker or self.speaker_text

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
            "speaker": self.speaker, "speaker_text": self.speaker_text, "cue": self.cue,
            "cue_category": self.cue_category, "source_kind": self.source_kind,
            "paragraph": self.paragraph, "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Speaker:
    """A resolved source: canonical name (or None), the phrase as written, and its kind."""

    name: str | None
    label: str | None
    text: str | None
    start: int | None
    end: int | None
    kind: str


NO_SPEAKER = Speaker(None, None, None, None, None, UNATTRIBUTED)


def _attribution(kind: str, start: int, end: int, text: str, paragraph: int, speaker: Speaker,
                 cue: Cue | None, flags: tuple[str, ...] = ()) -> Attribution:
    return Attribution(
        kind, text, start, end, paragraph, speaker.name, speaker.text, speaker.start, speaker.end,
        cue.text if cue else None, cue.category if cue else None, speaker.kind, flags,
    )


def _quoted(kind: str, quote: QuoteSpan, speaker: Speaker, cue: Cue | None, flags: tuple[str, ...] = ()) -> Attribution:
    """The attribution of the words inside `quote`."""
    return _attribution(kind, quote.content_start, quote.content_end, quote.text, quote.paragraph, speaker, cue, flags)


def _same_speaker(earlier: Attribution) -> tuple[Speaker, Cue | None]:
    """The speaker and cue of an earlier attribution, for words that continue it."""
    speaker = Speaker(earlier.speaker, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end,
                      earlier.source_kind)
    return speaker, Cue(earlier.cue, earlier.cue, earlier.cue_category or "", "") if earlier.cue else None


_EDGE = " \t\n,;:–—-"
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))
# a relative pronoun or a conjunction a phrase ran on to; lower case only: 'the WHO' and 'Which' are names
_RUN_ON_WORDS = frozenset({"who", "whom", "whose", "which", "that", "and", "or"})
_INCHES = re.compile(r"\d'\d{1,2}\"")  # a height ('the 6'2" center'), whose mark is no quotation mark


def tidy_speaker_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the speaker phrase `text[start:end]` as a reader would write it. Rules choose phrases from the
    parse, which the small model's tokens and misparses cut anywhere; this mends only their edges:
    - a hyphenated word the phrase cuts is made whole ('al-' of 'al-Megrahi', '-premier' of 'vice-premier');
    - a bracket or quotation mark that the phrase leaves open or closed on one side takes in its partner when that
      stands right beside the phrase ('Omer Lind (@omerlind' + ')', '[the group leader]', 'the group "Friends of the
      Harbour,"'); one that opens the phrase with no partner is dropped ('(@ltzrandysavage'), and so is the end of a
      tag the phrase began inside ('pt] Paulo Teixeira'); otherwise the phrase is left as it is;
    - a relative pronoun or a conjunction it ran on to ('Balaguer who', 'study co-author and'), a wire dateline
      before it ('CARLOW FALLS - A night guard'), and spaces and punctuation at its edges, are left out."""
    cut = dateline_end(text, start)
    start = cut if cut < end else start
    if 0 < start < end and text[start] in HYPHENS and text[start - 1].isalpha():
        start = _word_start(text, start)
    while start > 1 and text[start - 1] in HYPHENS and text[start - 2].isalpha() and text[start].isalpha():
        start = _word_start(text, start - 1)
    if 0 < end < len(text) and text[end - 1] in HYPHENS and text[end].isalpha():
        end = len(text) - len(re.sub(r"^[^\W\d_]+", "", text[end:]))
    if text[start:start + 2] == '" ':
        start += 2  # the closing mark of the quotation before it
    for opener, closer in (*_PAIRS, ('"', '"')):
        start, end = _pair_mended(text, start, end, opener, closer)
    words = text[start:end].split()
    if len(words) > 1 and words[-1] in _RUN_ON_WORDS:
        end = start + text[start:end].rstrip().rfind(" ")
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _pair_mended(text: str, start: int, end: int, opener: str, closer: str) -> tuple[int, int]:
    """`tidy_speaker_phrase` for one kind of bracket or quotation mark."""
    phrase = text[start:end]
    if opener == closer:
        if (phrase.count(opener) - len(_INCHES.findall(phrase))) % 2 == 0:
            return start, end
        unmatched_close = text[start - 1:start] == opener  # the phrase began one past its opening mark
        unmatched_open = not unmatched_close
    else:
        closed, opened = phrase.find(closer), phrase.rfind(opener)
        unmatched_close = closed >= 0 and opener not in phrase[:closed]
        unmatched_open = opened >= 0 and closer not in phrase[opened:]
        if unmatched_close and (text[start - 1:start] != opener or closed < len(phrase) - 1):
            return start + closed + 1, end  # 'pt] Paulo Teixeira': the end of a tag the phrase began inside
    if unmatched_close:
        return start - 1, end
    if not unmatched_open:
        return start, end
    for tail in (closer, "," + closer, "." + closer):
        if text.startswith(tail, end):
            return start, end + len(tail)
    if phrase.startswith(opener):
        return start + 1, end  # '(@ltzrandysavage' with no closing bracket
    if opener == closer and phrase.endswith(opener):
        return start, end - 1  # 'Gangnam Style"' after a mark that is not beside it
    return start, end


def _word_start(text: str, index: int) -> int:
    """Where the word of letters that ends at `index` begins."""
    return len(re.sub(r"[^\W\d_]+$", "", text[:index]))


def tidied(text: str, attribution: Attribution) -> Attribution:
    """`attribution` with its speaker phrase tidied (`tidy_speaker_phrase`), its offsets kept true to `text`."""
    if attribution.speaker_start is None or attribution.speaker_end is None or not attribution.speaker_text:
        return attribution
    start, end = tidy_speaker_phrase(text, attribution.speaker_start, attribution.speaker_end)
    if start >= end or (start, end) == (attribution.speaker_start, attribution.speaker_end):
        return attribution
    return replace(attribution, speaker_text=text[start:end], speaker_start=start, speaker_end=end)
