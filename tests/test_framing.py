"""Framing devices on short texts written for the tests, the frames coding sheet, and the seed's label list."""

import dataclasses
import json
import re
import subprocess
import sys

import pytest

from course.analysis.coding import (
    CodingSheet,
    FrameAnswer,
    MetaphorDecision,
    compare_coders,
    empty_sheet,
    fill_sheet,
    frame_items,
    frames,
    record_metaphor_decision,
    score_frames,
    sheet_table,
)
from course.analysis.framing import (
    ACTOR_LABEL,
    BOOSTER,
    CATEGORIES,
    EVALUATIVE_DESCRIPTION,
    EVENT_LABEL,
    HEDGE,
    LABEL_CATEGORIES,
    METAPHOR,
    FramingDevice,
    find_framing,
    terms_by_voice,
    voice_counts,
)
from course.core.article import load_article, parse_article
from course.core.lexicons import DATA_DIR
from course.core.seeds import seeds_dir
from course.errors import InputError
from course.evaluation.gold import load_gold_labels
from course.evaluation.scores import score_labels


def devices(text, category=None):
    found = find_framing(parse_article(text).doc)
    return [d for d in found if category is None or d.category == category]


def one(found, text):
    """The one device whose text is `text`."""
    matches = [d for d in found if d.text == text]
    assert len(matches) == 1, f"expected one device {text!r}, got {found}"
    return matches[0]


# --- labels ----------------------------------------------------------------------------------


def test_event_labels_carry_their_qualifiers():
    text = "Soldiers staged a failed coup in the capital on Monday. The so-called rebellion ended within a day."
    found = devices(text, EVENT_LABEL)
    coup, rebellion = one(found, "coup"), one(found, "rebellion")
    assert (coup.term, coup.qualifiers, coup.voice, coup.speaker) == ("coup", ("failed",), "narrator", None)
    assert (rebellion.term, rebellion.qualifiers) == ("rebellion", ("so-called",))
    assert text[coup.start:coup.end] == "coup" and text[rebellion.start:rebellion.end] == "rebellion"
    assert len(found) == 2


def test_actor_labels_are_matched_on_lemmas():
    found = devices("The rebels seized the airport. Critics say they are well-paid foreign mercenaries.", ACTOR_LABEL)
    assert [(d.text, d.term, d.category) for d in found] == [
        ("rebels", "rebel", ACTOR_LABEL), ("mercenaries", "mercenary", ACTOR_LABEL)]
    assert one(found, "mercenaries").qualifiers == ("well-paid", "foreign")


def test_march_counts_as_a_noun_but_not_as_a_verb():
    text = "The troops will march on the capital tomorrow. The march on the capital ended at noon."
    found = devices(text, EVENT_LABEL)
    assert [(d.text, d.start) for d in found] == [("march", text.rindex("march"))]


def test_a_qualifier_in_its_own_quotation_marks_is_marked():
    text = 'The general vowed to crush the "treasonous" mutiny.'
    (mutiny,) = devices(text, EVENT_LABEL)
    assert mutiny.voice == "narrator"
    assert mutiny.qualifiers == ("treasonous",) and mutiny.quoted_qualifiers == ("treasonous",)


def test_unquoted_qualifier_is_not_marked_as_quoted():
    (coup,) = devices("Soldiers staged a failed coup in the capital on Monday.", EVENT_LABEL)
    assert coup.quoted_qualifiers == ()


def test_quoted_label_has_the_speaker_and_narrator_label_has_none():
    text = ('"This was a coup, plain and simple," said Maria Lopez, a professor at Riverton University.\n'
            "The government called the events an uprising.")
    found = devices(text)
    coup, uprising = one(found, "coup"), one(found, "uprising")
    assert (coup.voice, coup.speaker) == ("quoted", "Maria Lopez")
    assert (uprising.voice, uprising.speaker) == ("narrator", None)
    apposition = one(found, "a professor at Riverton University")
    assert (apposition.category, apposition.target, apposition.voice) == (
        EVALUATIVE_DESCRIPTION, "Maria Lopez", "narrator")


def test_reported_speech_without_quotation_marks_is_the_narrators_wording():
    text = "The turmoil in the capital is an opportunity for reform, according to Ana Lopez, a historian."
    (turmoil,) = devices(text, EVENT_LABEL)
    assert (turmoil.voice, turmoil.speaker) == ("narrator", None)


# --- metaphors -------------------------------------------------------------------------------


def test_metaphor_candidates_with_source_domains():
    found = devices("The alliance is a colossus on feet of clay. Cracks in the coalition widened after the vote.",
                    METAPHOR)
    assert [(d.text, d.term, d.domain) for d in found] == [
        ("colossus", "colossus", "BUILDING"), ("feet of clay", "foot of clay", "BUILDING"),
        ("Cracks", "crack", "BUILDING")]
    assert all(d.evaluative is None and d.voice == "narrator" for d in found)


def test_quoted_metaphor_keeps_the_speaker():
    text = '"Now is the time to strike, while the iron is hot," said Tom Baker, a city councillor.'
    found = devices(text, METAPHOR)
    iron = one(found, "iron is hot")
    assert (iron.term, iron.domain, iron.voice, iron.speaker) == ("iron be hot", "CRAFT", "quoted", "Tom Baker")


def test_record_metaphor_decision_returns_a_checked_record():
    text = "When he is cornered, he negotiates."
    decision = record_metaphor_decision(text, "cornered", "trapped in a corner with no way out",
                                        "left with no political options", " Metaphorical ")
    assert type(decision) is MetaphorDecision
    assert decision.verdict == "metaphorical"
    assert text[decision.start:decision.end] == "cornered" and decision.start == 11
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.verdict = "literal"


@pytest.mark.parametrize(
    "phrase, basic, contextual, verdict, fragment",
    [
        ("surrounded", "a", "b", "literal", "is not in the text"),
        ("", "a", "b", "literal", "phrase"),
        ("cornered", "", "b", "literal", "basic_meaning"),
        ("cornered", "a", "   ", "literal", "contextual_meaning"),
        ("cornered", "a", "b", "maybe", "not one of"),
        ("cornered", "a", "b", None, "not one of"),
        ("cornered", "trapped", "Trapped", "metaphorical", "differs from the basic meaning"),
    ],
)
def test_record_metaphor_decision_refuses_bad_records(phrase, basic, contextual, verdict, fragment):
    with pytest.raises(InputError) as err:
        record_metaphor_decision("When he is cornered, he negotiates.", phrase, basic, contextual, verdict)
    assert fragment in str(err.value) and "\n" not in str(err.value)


# --- hedges and boosters -------------------------------------------------------------------------


def test_hedges_and_boosters_by_voice():
    text = ('The talks may fail before May. "We will certainly win," said Tom Baker, a city councillor.\n'
            "Help arrived as soon as possible. The minister appeared in public. The minister appeared nervous.")
    found = [d for d in devices(text) if d.category in (HEDGE, BOOSTER)]
    assert [(d.category, d.text, d.voice, d.speaker) for d in found] == [
        (HEDGE, "may", "narrator", None),
        (BOOSTER, "certainly", "quoted", "Tom Baker"),
        (HEDGE, "appeared", "narrator", None),
    ]
    assert found[2].start == text.rindex("appeared")  # "appeared nervous", not "appeared in public"


def test_longest_phrase_wins():
    found = devices("There is no doubt that the plan failed.", BOOSTER)
    assert [(d.text, d.term) for d in found] == [("no doubt", "no doubt")]
    assert devices("There is no doubt that the plan failed.", HEDGE) == []


# --- descriptions of people -------------------------------------------------------------------------


def test_descriptions_before_after_and_predicates():
    text = ("Disgraced tycoon Pavel Orlov bought the bank on Friday. Ivan Petrov, a former police officer, "
            "opened the hearing. Anna Berg looks weak, critics said.")
    found = devices(text, EVALUATIVE_DESCRIPTION)
    before, after, predicate = one(found, "Disgraced tycoon"), one(found, "a former police officer"), one(found, "weak")
    assert (before.term, before.target, before.evaluative, before.qualifiers) == (
        "descriptor", "Pavel Orlov", True, ("disgraced", "tycoon"))
    assert (after.term, after.target, after.evaluative, after.qualifiers) == ("apposition", "Ivan Petrov", False, ())
    assert (predicate.term, predicate.target, predicate.evaluative) == ("predicate", "Anna Berg", True)


def test_a_fronted_description_is_linked_to_the_name_after_it():
    (found,) = devices("An impulsive former boxer, Ivan Petrov runs the club in Riverton.", EVALUATIVE_DESCRIPTION)
    assert (found.text, found.term, found.target, found.qualifiers) == (
        "An impulsive former boxer", "apposition", "Ivan Petrov", ("impulsive",))


def test_hyphenated_evaluative_word_counts_once():
    (found,) = devices("The ex-convict Pavel Orlov bought the bank on Friday.", EVALUATIVE_DESCRIPTION)
    assert found.qualifiers == ("ex-convict",) and found.target == "Pavel Orlov"


# --- everything together --------------------------------------------------------------------------


def test_find_framing_is_sorted_and_filters_categories():
    text = "Soldiers staged a failed coup on Monday. It may end soon."
    found = devices(text)
    assert [d.start for d in found] == sorted(d.start for d in found)
    only = find_framing(parse_article(text).doc, categories=[HEDGE])
    assert [(d.category, d.text) for d in only] == [(HEDGE, "may")]
    with pytest.raises(InputError, match="unknown framing categories"):
        find_framing(parse_article(text).doc, categories=["frames"])


def test_device_is_frozen_and_serialises_plainly():
    (coup,) = devices("Soldiers staged a failed coup in the capital on Monday.", EVENT_LABEL)
    data = coup.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["qualifiers"] == ["failed"] and data["speaker"] is None and data["voice"] == "narrator"
    assert {"category", "term", "text", "start", "end", "voice", "speaker", "qualifiers"} <= set(data)
    with pytest.raises(dataclasses.FrozenInstanceError):
        coup.voice = "quoted"


def _device(term, voice, category=EVENT_LABEL):
    return FramingDevice(category, term, term, 0, len(term), voice, None if voice == "narrator" else "X")


def test_counts_and_terms_by_voice():
    found = [_device("coup", "narrator"), _device("coup", "quoted"), _device("mutiny", "quoted"),
             _device("mutiny", "quoted"), _device("rebel", "narrator", ACTOR_LABEL), _device("may", "narrator", HEDGE)]
    assert voice_counts(found) == {"narrator": 3, "quoted": 3}
    assert voice_counts(found, EVENT_LABEL) == {"narrator": 1, "quoted": 3}
    table = terms_by_voice(found)
    assert table.to_dict("records") == [
        {"term": "coup", "narrator": 1, "quoted": 1},
        {"term": "mutiny", "narrator": 0, "quoted": 2},
        {"term": "rebel", "narrator": 1, "quoted": 0},
    ]
    assert terms_by_voice([]).empty


def test_every_lexicon_row_names_a_source_cited_in_its_header():
    for name, column in [("framing_labels.tsv", 4), ("framing_metaphors.tsv", 3), ("hedges_boosters.tsv", 3),
                         ("evaluative_words.tsv", 1)]:
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        header = "\n".join(line for line in lines if line.startswith("#"))
        rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
        assert rows, name
        for row in rows:
            cited = re.search(rf"\b{re.escape(row[column])}\s+=", header)
            assert cited, f"{name}: source {row[column]!r} of {row[0]!r} is not cited in the header"


# --- the frames coding sheet --------------------------------------------------------------------------------

STORY = ("The mayor said the city council must act now to rebuild the bridge. "
         "Families lost their homes in the flood. Officials blamed the council for the delay, "
         "and the repairs will cost millions.")
EVIDENCE = {
    1: "the city council must act now", 2: "blamed the council", 3: "rebuild the bridge", 4: "Officials blamed",
    5: "must act now", 6: "Families lost their homes", 7: "lost their homes", 8: "Families", 9: "their homes",
}


def _answers(yes_items, na_items=()):
    return {n: ("yes", EVIDENCE[n]) if n in yes_items else ("NA" if n in na_items else "no") for n in range(1, 21)}


def test_frame_items_are_twenty_in_five_frames():
    items = frame_items()
    assert [i.number for i in items] == list(range(1, 21))
    assert frames() == ("responsibility", "human interest", "conflict", "morality", "economic")
    assert [sum(i.frame == f for i in items) for f in frames()] == [5, 5, 4, 3, 3]
    assert all(i.question.endswith("?") for i in items)


def test_empty_sheet_then_filled_and_scored():
    sheet = empty_sheet("coder A")
    assert type(sheet) is CodingSheet and all(a.answer is None for a in sheet.answers) and len(sheet.answers) == 20
    filled = fill_sheet(sheet, STORY, _answers(range(1, 9), na_items={19, 20}))
    assert sheet.answers[0].answer is None  # the original is unchanged
    assert filled.answer(6) == FrameAnswer(6, "yes", "Families lost their homes", STORY.index("Families lost"))
    assert filled.answer(19).answer == "NA" and filled.answer(18).answer == "no"
    assert score_frames(filled) == {"responsibility": 1.0, "human interest": 0.6, "conflict": 0.0,
                                    "morality": 0.0, "economic": 0.0}
    all_na = fill_sheet(filled, STORY, {18: "na"})
    assert score_frames(all_na)["economic"] is None
    assert list(sheet_table(filled).columns) == ["item", "frame", "question", "answer", "evidence"]


def test_fill_sheet_keeps_earlier_answers_and_accepts_string_keys():
    sheet = fill_sheet(empty_sheet(), STORY, {"1": ("yes", EVIDENCE[1])})
    sheet = fill_sheet(sheet, STORY, {2: "No"})
    assert (sheet.answer(1).answer, sheet.answer(2).answer, sheet.answer(3).answer) == ("yes", "no", None)


@pytest.mark.parametrize(
    "answers, fragment",
    [
        ({21: "no"}, "item 21: no such item"),
        ({"six": "no"}, "items are numbered 1-20"),
        ({3: "maybe"}, "not one of yes, no, NA"),
        ({3: "yes"}, "a 'yes' needs evidence"),
        ({3: ("yes", "")}, "a 'yes' needs evidence"),
        ({3: ("yes", "the mayor resigned")}, "is not in the text"),
        ({3: ("yes", "a", "b")}, "give (answer, evidence)"),
    ],
)
def test_fill_sheet_refuses_bad_answers(answers, fragment):
    with pytest.raises(InputError) as err:
        fill_sheet(empty_sheet(), STORY, answers)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_bad_sheets_are_refused_with_one_line():
    complete = fill_sheet(empty_sheet(), STORY, _answers(range(1, 9)))
    cases = [
        (lambda: score_frames({1: "yes"}), "expected a CodingSheet"),
        (lambda: score_frames(empty_sheet()), "item 1 is not coded yet"),
        (lambda: score_frames(CodingSheet("x", complete.answers[:19])), "must hold items 1-20"),
        (lambda: score_frames(CodingSheet("x", (FrameAnswer(1, "maybe"),) + complete.answers[1:])),
         "not one of yes, no, NA"),
        (lambda: score_frames(CodingSheet("x", (FrameAnswer(1, "yes"),) + complete.answers[1:])), "without evidence"),
        (lambda: compare_coders(complete, empty_sheet()), "second sheet: item 1 is not coded yet"),
        (lambda: fill_sheet(complete, "", {1: "no"}), "text"),
        (lambda: fill_sheet(complete, STORY, [1, 2]), "answers: give a dict"),
    ]
    for call, fragment in cases:
        with pytest.raises(InputError) as err:
            call()
        assert fragment in str(err.value) and "\n" not in str(err.value)


def test_compare_coders_gives_exact_agreement_and_kappa():
    a = fill_sheet(empty_sheet("A"), STORY, _answers(range(1, 9), na_items={19, 20}))
    b_answers = _answers([1, 2, 3, 4, 5, 6, 7, 9], na_items={20})
    b = fill_sheet(empty_sheet("B"), STORY, b_answers)
    result = compare_coders(a, b)
    # A: 8 yes, 10 no, 2 NA; B: 8 yes, 11 no, 1 NA; they differ on items 8, 9 and 19.
    # p_o = 17/20; p_e = (8*8 + 10*11 + 2*1) / 400 = 176/400; kappa = (0.85 - 0.44) / 0.56 = 41/56
    assert (result.items, result.agreed, result.disagreements) == (20, 17, (8, 9, 19))
    assert result.percent_agreement == pytest.approx(85.0)
    assert result.kappa == pytest.approx(41 / 56)
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    assert result.kappa == pytest.approx(sklearn_metrics.cohen_kappa_score(
        [x.answer for x in a.answers], [x.answer for x in b.answers]))


def test_kappa_is_one_for_identical_varied_sheets_and_undefined_for_one_code():
    a = fill_sheet(empty_sheet(), STORY, _answers(range(1, 9)))
    same = compare_coders(a, a)
    assert (same.percent_agreement, same.kappa, same.disagreements) == (100.0, 1.0, ())
    all_no = fill_sheet(empty_sheet(), STORY, _answers([]))
    assert compare_coders(all_no, all_no).kappa is None


# --- the seed's human-checked label list --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_labels():
    return json.loads((seeds_dir() / "labels.json").read_text(encoding="utf-8"))


def test_seed_labels_point_into_the_article(seed_labels):
    text = (seeds_dir() / "article.txt").read_text(encoding="utf-8")
    people = {p["name"] for p in json.loads((seeds_dir() / "people.json").read_text(encoding="utf-8"))["people"]}
    entries = seed_labels["labels"]
    assert len(entries) >= 25
    for entry in entries:
        assert text[entry["start"]:entry["end"]] == entry["text"], entry
        assert entry["category"] in LABEL_CATEGORIES and entry["voice"] in {"narrator", "quoted"}
        assert (entry["speaker"] is None) == (entry["voice"] == "narrator"), entry
        assert entry["speaker"] is None or entry["speaker"] in people, entry
    assert len({e["start"] for e in entries}) == len(entries)
    for entry in seed_labels["not_labels"]:
        assert text[entry["start"]:entry["end"]] == entry["text"] and entry["note"]


def test_seed_quoted_labels_sit_inside_gold_quotations(seed_labels):
    attributions = json.loads((seeds_dir() / "attributions.json").read_text(encoding="utf-8"))["attributions"]
    quoted = [a for a in attributions if a["kind"] in {"direct", "partial"}]
    for entry in seed_labels["labels"]:
        inside = [a for a in quoted if a["start"] <= entry["start"] and entry["end"] <= a["end"]]
        assert (entry["voice"] == "quoted") == bool(inside), entry
        if inside:
            assert entry["speaker"] == inside[0]["speaker"], entry


def test_seed_labels_are_found_with_the_right_voice(seed_labels, cache_dir):
    found = find_framing(load_article().doc, categories=LABEL_CATEGORIES)
    score = score_labels(found, load_gold_labels(seeds_dir() / "labels.json"))
    assert score.gold == len(seed_labels["labels"])
    assert score.precision >= 0.9 and score.recall >= 0.9, score
    assert score.right_speaker >= 0.9 * score.gold
    not_labels = {(e["start"], e["end"]) for e in seed_labels["not_labels"]}
    assert not [d for d in found if (d.start, d.end) in not_labels]


def test_score_labels_counts_voice_errors():
    gold = load_gold_labels(seeds_dir() / "labels.json")[:2]
    right = [FramingDevice(g.category, g.term, g.text, g.start, g.end, g.voice, g.speaker) for g in gold]
    wrong_voice = dataclasses.replace(right[0], voice="quoted" if right[0].voice == "narrator" else "narrator")
    extra = FramingDevice(EVENT_LABEL, "coup", "coup", 0, 4, "narrator", None)
    score = score_labels([wrong_voice, right[1], extra], gold)
    assert (score.gold, score.predicted, score.found, score.right_voice) == (2, 3, 2, 1)
    assert (score.precision, score.recall) == (pytest.approx(1 / 3), 0.5)


# --- command line -------------------------------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True)


def test_cli_framing_json(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text('"This was a coup," said Maria Lopez, a historian.\nThe failed mutiny ended on Monday.\n',
                    encoding="utf-8")
    result = run_cli("framing", str(path), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    labels = [d for d in found if d["category"] == EVENT_LABEL]
    assert [(d["term"], d["voice"], d["speaker"], d["qualifiers"]) for d in labels] == [
        ("coup", "quoted", "Maria Lopez", []), ("mutiny", "narrator", None, ["failed"])]
    for d in found:
        assert {"category", "term", "text", "start", "end", "voice", "speaker", "qualifiers"} <= set(d)
        assert d["category"] in CATEGORIES and isinstance(d["start"], int)


def test_cli_framing_table_and_category_filter(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("The failed mutiny ended on Monday. It may start again.\n", encoding="utf-8")
    result = run_cli("framing", str(path), "--category", "hedge")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["start", "category", "voice"]
    assert len(lines) == 2 and "hedge" in lines[1] and "narrator" in lines[1] and lines[1].rstrip().endswith("may")
