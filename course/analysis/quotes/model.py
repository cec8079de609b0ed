"""What an attribution is: its kinds, its source kinds, and the Cue, Speaker and Attribution records."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from course.analysis.entities import PERSON
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
_RELATIVES = frozenset({"who", "whom", "whose", "which", "that"})


def tidy_speaker_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the speaker phrase `text[start:end]` as a reader would write it: a hyphenated word it cuts is
    made whole ('al-' of 'al-Megrahi', '-premier' of 'vice-premier'), spaces and punctuation at its edges, a bracket
    or quotation mark left open or closed on one side of it ('Omer Abdellatif (@OmerAbdellatif', 'pt] Paulo
    Teixeira', 'Gangnam Style"') and a relative pronoun it ran on to ('Balaguer who') are left out. Rules choose
    phrases from the parse, which the small model's tokens and misparses cut anywhere; this only mends their edges."""
    if 0 < start < end and text[start] in "-‐" and text[start - 1].isalpha():
        start = _word_start(text, start)  # '-premier' of 'vice-premier'
    while start > 1 and text[start - 1] in "-‐" and text[start - 2].isalpha() and text[start].isalpha():
        start = _word_start(text, start - 1)
    if 0 < end < len(text) and text[end - 1] in "-‐" and text[end].isalpha():
        end = len(text) - len(re.sub(r"^[^\W\d_]+", "", text[end:]))
    for opener, closer in (*_PAIRS, ('"', '"')):
        phrase = text[start:end]
        if opener == closer and phrase.count(opener) % 2 == 0:
            continue
        closed = phrase.rfind(closer) if opener != closer else (0 if phrase.startswith(closer) else -1)
        if closed >= 0 and opener not in phrase[:closed]:
            # '[the group leader]' began one past its bracket; 'pt] Paulo Teixeira' inside a tag
            start = start - 1 if text[start - 1:start] == opener else start + closed + 1
        phrase = text[start:end]
        opened = phrase.rfind(opener)
        if opened >= 0 and closer not in phrase[opened + 1:]:
            if text[end:end + 1] == closer:
                end += 1  # 'One blogger (Fahmidul Haque' stopped one short of its bracket
            elif phrase[:opened].rstrip(_EDGE):
                end = start + len(phrase[:opened].rstrip(_EDGE))
            else:
                start += opened + 1  # '(@ltzrandysavage'
    words = text[start:end].split()
    if len(words) > 1 and words[-1].lower() in _RELATIVES:
        end = start + text[start:end].rstrip().rfind(" ")
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
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
