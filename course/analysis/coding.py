"""Coding a text by hand, checked: the generic-frames sheet, agreement between coders, metaphor decisions.

- The Semetko & Valkenburg (2000) generic-frames coding sheet
  (data/frames_semetko_valkenburg.tsv): empty sheets, answers with verbatim
  evidence, frame scores, and Cohen's kappa between two coders.
- The Metaphor Identification Procedure (Pragglejaz Group 2007): a reader's
  decision about one candidate from `course.analysis.framing`, recorded with
  both meanings written out.

Everything here checks a person's input and says in one line what is wrong;
nothing needs spaCy.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from course.core.lexicons import checked_table
from course.errors import InputError

# --- metaphor decisions (MIP) ---------------------------------------------------------------------

METAPHOR_VERDICTS = ("metaphorical", "literal", "unclear")


@dataclass(frozen=True)
class MetaphorDecision:
    """A reader's MIP decision about one phrase: its basic and contextual meanings, and the verdict."""

    phrase: str
    start: int
    end: int
    basic_meaning: str
    contextual_meaning: str
    verdict: str


def record_metaphor_decision(text: str, phrase: str, basic_meaning: str, contextual_meaning: str,
                             verdict: str) -> MetaphorDecision:
    """Check and record one Metaphor Identification Procedure decision (Pragglejaz Group 2007).

    MIP asks, for a word or phrase in context: what is its basic (more concrete,
    bodily, older) meaning, what does it mean here, and does the contextual meaning
    contrast with the basic one yet make sense through it? The record is refused,
    with a one-line reason, unless the phrase occurs in the text, both meanings are
    written out, and the verdict is one of "metaphorical", "literal", "unclear".
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("text: give the text the phrase comes from")
    if not isinstance(phrase, str) or not phrase.strip():
        raise InputError("phrase: give the words you are deciding about, copied from the text")
    phrase = phrase.strip()
    start = text.find(phrase)
    if start < 0:
        raise InputError(f"phrase {phrase!r} is not in the text: copy it exactly, with the same spelling and marks")
    for name, meaning in (("basic_meaning", basic_meaning), ("contextual_meaning", contextual_meaning)):
        if not isinstance(meaning, str) or not meaning.strip():
            raise InputError(f"{name}: write the meaning in your own words; it cannot be empty")
    verdict_given = verdict.strip().lower() if isinstance(verdict, str) else verdict
    if verdict_given not in METAPHOR_VERDICTS:
        raise InputError(f"verdict {verdict!r} is not one of: {', '.join(METAPHOR_VERDICTS)}")
    if verdict_given == "metaphorical" and basic_meaning.strip().lower() == contextual_meaning.strip().lower():
        raise InputError("a metaphorical use needs a contextual meaning that differs from the basic meaning")
    return MetaphorDecision(phrase, start, start + len(phrase), basic_meaning.strip(), contextual_meaning.strip(),
                            verdict_given)


# --- the generic-frames coding sheet (Semetko & Valkenburg 2000) ---------------------------------------------

YES, NO, NA = "yes", "no", "NA"
ANSWERS = (YES, NO, NA)


@dataclass(frozen=True)
class FrameItem:
    """One of the twenty yes/no questions, with the frame it measures."""

    number: int
    frame: str
    question: str


@dataclass(frozen=True)
class FrameAnswer:
    """A coder's answer to one item: "yes", "no", "NA", or None while not yet coded.

    A "yes" carries `evidence`, words copied from the text, and where they start.
    """

    item: int
    answer: str | None = None
    evidence: str = ""
    evidence_start: int | None = None


@dataclass(frozen=True)
class CodingSheet:
    """One coder's answers to all twenty items, in item order."""

    coder: str
    answers: tuple[FrameAnswer, ...]

    def answer(self, item: int) -> FrameAnswer:
        for answer in self.answers:
            if answer.item == item:
                return answer
        raise InputError(f"item {item}: no such item (items are 1-{len(self.answers)})")


@dataclass(frozen=True)
class CoderAgreement:
    """How far two coders agree: percent agreement, Cohen's kappa, and the items they differ on.

    `kappa` is None when it is undefined: both coders gave one and the same
    answer to every item, so agreement expected by chance is already 100%.
    """

    items: int
    agreed: int
    percent_agreement: float
    kappa: float | None
    disagreements: tuple[int, ...]


@functools.lru_cache(maxsize=1)
def frame_items() -> tuple[FrameItem, ...]:
    """The twenty items from data/frames_semetko_valkenburg.tsv (a reconstruction: see the file)."""
    rows = checked_table("frames_semetko_valkenburg.tsv", 3)
    return tuple(FrameItem(int(n), frame, question) for n, frame, question in rows)


def frames() -> tuple[str, ...]:
    """The five frames, in the order of their first item."""
    return tuple(dict.fromkeys(item.frame for item in frame_items()))


def empty_sheet(coder: str = "") -> CodingSheet:
    """A sheet with every item not yet coded."""
    return CodingSheet(coder, tuple(FrameAnswer(item.number) for item in frame_items()))


def _item_number(key) -> int:
    numbers = [item.number for item in frame_items()]
    try:
        number = int(key)
    except (TypeError, ValueError):
        raise InputError(f"item {key!r}: items are numbered {numbers[0]}-{numbers[-1]}") from None
    if number not in numbers:
        raise InputError(f"item {number}: no such item (items are {numbers[0]}-{numbers[-1]})")
    return number


def _normal_answer(item: int, value) -> str:
    if not isinstance(value, str) or value.strip().lower() not in {"yes", "no", "na", "n/a"}:
        raise InputError(f"item {item}: answer {value!r} is not one of yes, no, NA")
    value = value.strip().lower()
    return NA if value in {"na", "n/a"} else value


def _answer_from(item: int, value, text: str) -> FrameAnswer:
    """One answer from "no", "NA" or ("yes", "evidence copied from the text")."""
    evidence = ""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InputError(f"item {item}: give (answer, evidence), e.g. ('yes', 'words from the text')")
        value, evidence = value
        if not isinstance(evidence, str):
            raise InputError(f"item {item}: the evidence must be words copied from the text")
        evidence = evidence.strip()
    answer = _normal_answer(item, value)
    if answer == YES and not evidence:
        raise InputError(f"item {item}: a 'yes' needs evidence: give ('yes', 'words copied from the text')")
    start = None
    if evidence:
        start = text.find(evidence)
        if start < 0:
            raise InputError(f"item {item}: the evidence {evidence[:60]!r} is not in the text; copy it exactly")
    return FrameAnswer(item, answer, evidence, start)


def fill_sheet(sheet: CodingSheet, text: str, answers: Mapping) -> CodingSheet:
    """A copy of `sheet` with `answers` filled in: {item: "no" | "NA" | ("yes", "evidence")}.

    Every "yes" needs evidence, words copied exactly from `text`, so a second
    reader can check it; "NA" is for items the text cannot answer (item 10 asks
    about pictures or video a text-only copy lacks). Items not given keep their
    earlier answers.
    """
    _check_sheet(sheet, "sheet", complete=False)
    if not isinstance(text, str) or not text.strip():
        raise InputError("text: give the text the evidence comes from")
    if not isinstance(answers, Mapping):
        raise InputError("answers: give a dict such as {1: 'no', 6: ('yes', 'words from the text'), 10: 'NA'}")
    new = {number: _answer_from(number, value, text) for number, value in
           ((_item_number(key), value) for key, value in answers.items())}
    return CodingSheet(sheet.coder, tuple(new.get(a.item, a) for a in sheet.answers))


def _check_sheet(sheet, name: str, complete: bool = True) -> None:
    """Raise InputError unless `sheet` is a coding sheet with every item (and, if `complete`, every answer)."""
    if not isinstance(sheet, CodingSheet):
        raise InputError(f"{name}: expected a CodingSheet (make one with empty_sheet()), got {type(sheet).__name__}")
    expected = [item.number for item in frame_items()]
    if [a.item for a in sheet.answers] != expected:
        raise InputError(f"{name}: must hold items {expected[0]}-{expected[-1]} once each, in order")
    for a in sheet.answers:
        if a.answer is None:
            if complete:
                raise InputError(f"{name}: item {a.item} is not coded yet: answer yes, no or NA")
        elif a.answer not in ANSWERS:
            raise InputError(f"{name}: item {a.item} has answer {a.answer!r}, not one of yes, no, NA")
        elif a.answer == YES and not a.evidence:
            raise InputError(f"{name}: item {a.item} is 'yes' without evidence from the text")


def score_frames(sheet: CodingSheet) -> dict[str, float | None]:
    """Each frame's score: the share of its items answered "yes", NA items left out.

    A frame whose items are all NA scores None (it could not be coded).
    """
    _check_sheet(sheet, "sheet")
    items = {item.number: item for item in frame_items()}
    scores: dict[str, float | None] = {}
    for frame in frames():
        coded = [a.answer for a in sheet.answers if items[a.item].frame == frame and a.answer != NA]
        scores[frame] = sum(answer == YES for answer in coded) / len(coded) if coded else None
    return scores


def compare_coders(a: CodingSheet, b: CodingSheet) -> CoderAgreement:
    """Percent agreement and Cohen's kappa between two complete sheets.

    Kappa corrects agreement for chance: (p_o - p_e) / (1 - p_e), where p_o is the
    share of items with the same answer and p_e the share expected if each coder
    answered at random with their own yes/no/NA proportions (Cohen 1960).
    """
    _check_sheet(a, "first sheet")
    _check_sheet(b, "second sheet")
    pairs = [(x.answer, y.answer) for x, y in zip(a.answers, b.answers, strict=True)]
    n = len(pairs)
    agreed = sum(x == y for x, y in pairs)
    observed = agreed / n
    expected = sum((sum(x == code for x, _ in pairs) / n) * (sum(y == code for _, y in pairs) / n) for code in ANSWERS)
    kappa = None if expected == 1 else (observed - expected) / (1 - expected)
    disagreements = tuple(x.item for x, y in zip(a.answers, b.answers, strict=True) if x.answer != y.answer)
    return CoderAgreement(n, agreed, 100 * observed, kappa, disagreements)


def sheet_table(sheet: CodingSheet):
    """The sheet as a DataFrame: item, frame, question, answer, evidence."""
    import pandas as pd

    _check_sheet(sheet, "sheet", complete=False)
    items = {item.number: item for item in frame_items()}
    return pd.DataFrame([
        {"item": a.item, "frame": items[a.item].frame, "question": items[a.item].question,
         "answer": a.answer, "evidence": a.evidence}
        for a in sheet.answers
    ], columns=["item", "frame", "question", "answer", "evidence"])
