"""What an attribution is: its kinds, its source kinds, and the Cue, Speaker and Attribution records."""

from __future__ import annotations

from dataclasses import dataclass

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
