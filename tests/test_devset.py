"""The development set is well-formed: every annotation points at its words, every article has a
licence and a credit, the split file agrees with the split rule, and it is big enough to measure with."""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace

import pytest

from course.analysis.entities import PERSON, EntityCluster, Mention
from course.evaluation.devset import (
    DEV,
    HELDOUT,
    DevArticle,
    by_outlet,
    ceiling_with_undisputed_right,
    counts_agree,
    devset_dir,
    load_devset,
    load_second_reading,
    people_counted_exactly,
    people_unlisted,
    same_surname_or_group,
    score_devset,
    second_reading_dir,
    split_of,
)
from course.evaluation.gold import GoldAttribution

RECORDS = sorted(devset_dir().glob("*.json"))
SECOND_READINGS = sorted(second_reading_dir().glob("*.json"))
OPEN_LICENCES = ("CC BY 2.5", "CC BY 3.0", "CC BY 4.0", "Public domain")


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_annotation_points_at_its_words(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert record["id"] == path.stem
    assert record["license"].startswith(OPEN_LICENCES), record["license"]
    assert record["credit"].strip()
    _check_annotations(record, text)


def _check_annotations(record: dict, text: str) -> None:
    for a in record["attributions"]:
        assert a["kind"] in {"direct", "partial", "indirect"}
        assert text[a["start"]:a["end"]] == a["text"], a
        assert not _inside_a_word(text, a["start"]) and not _inside_a_word(text, a["end"]), a
        assert a["text"] == a["text"].strip(), a  # a span ends at its last word, not at the paragraph's newline
        assert isinstance(a["borderline"], bool)
    for person in record["people"]:
        assert person["count"] >= 1 and person["name"].strip()


def _inside_a_word(text: str, offset: int) -> bool:
    """True when `offset` falls between two letters or digits: an annotation's 'no' once pointed into
    'an*no*unced', which matched its text by chance."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


@pytest.mark.parametrize("text, offset, inside", [
    ("announced no", 2, True), ("announced no", 10, False), ("announced no", 12, False), ("no", 0, False),
])
def test_an_offset_inside_a_word_is_told_apart(text, offset, inside):
    assert _inside_a_word(text, offset) is inside


def test_split_file_agrees_with_the_split_rule():
    rows = [line.split("\t") for line in (devset_dir().parent / "split.tsv").read_text().splitlines()
            if not line.startswith("#")]
    assert sorted(rows) == sorted([p.stem, split_of(p.stem)] for p in RECORDS)


def test_the_set_is_big_enough_to_measure_with():
    articles = load_devset()
    kinds = Counter(a.kind for article in articles for a in article.attributions)
    assert len(articles) >= 25
    assert kinds["direct"] + kinds["partial"] >= 150 and kinds["indirect"] >= 100
    splits = Counter(article.split for article in articles)
    assert splits[DEV] >= 10 and splits[HELDOUT] >= 10
    assert len(load_devset(DEV)) == splits[DEV]


class _Prediction:
    def __init__(self, speaker, speaker_text=None):
        self.speaker, self.speaker_text = speaker, speaker_text

    @property
    def source(self):
        return self.speaker or self.speaker_text


@pytest.mark.parametrize("predicted, gold, right", [
    (("Ahmed Haddad", None), "Haddad", True),
    (("Ferry", None), "Haddad", False),
    ((None, "police officials"), "police", True),
    ((None, "the emergencies ministry"), "emergencies ministry", True),
    ((None, None), None, True),
    (("Ana Lee", None), None, False),
    ((None, None), "Lee", False),
    (("Mohammed bin Salman", None), "bin Salman", True),
    (("Syrian Democratic Forces", None), "sdf", True),  # an organisation written by its initials
    (("Syrian Democratic Forces", None), "sdp", False),
    (("the Syrian forces", None), "sf", False),  # initials only of a name, every word capitalised
    (("Médecins Sans Frontières", None), "msf", True),  # letters outside ASCII start words too
    (("Médecins sans Frontières", None), "msf", False),
    (("UN", None), "u.n.", True),  # dots in an abbreviation are not a different word
    (("UNESCO", None), "u.n.", False),
    (("@Tern_Trust", None), "tern", True),  # an underscore separates a handle's words
    (("@TernTrust", None), "tern", False),
    (("Nasser al-Amin", None), "Amin", True),  # a surname without its Arabic article
    (("Nasser Amin", None), "al-Amin", True),
    (("CNN Turk", None), "cnn türk", True),  # one text writes a name with and without its accent
    (("José Pérez", None), "Perez", True),
    (("Ana Perak", None), "Pérez", False),
    (("Binali Yildirim", None), "Yıldırım", True),  # a letter Unicode does not decompose (the dotless i)
    (("Égyptien Conseil Suprême", None), "ecs", True),  # initials without their accents too
])
def test_speaker_matching_for_surnames_and_groups(predicted, gold, right):
    assert same_surname_or_group(_Prediction(*predicted), GoldAttribution("direct", 0, 1, gold)) is right


def test_people_are_counted_exactly_only_with_one_cluster_of_the_right_size():
    # the first article whose first person has a given name and a surname, so that a relative can share it
    article = next(a for a in load_devset() if len(a.people[0][0].split()) > 1)
    person, count = article.people[0]
    surname = person.split()[-1]
    mentions = tuple(Mention(surname, i, i + 1, PERSON) for i in range(count))
    assert people_counted_exactly([EntityCluster(person, PERSON, mentions)], article)[0] == 1
    assert people_counted_exactly([EntityCluster(person, PERSON, mentions[:-1] or mentions * 2)], article)[0] == 0
    split = [EntityCluster(person, PERSON, mentions), EntityCluster(surname, PERSON, mentions)]
    assert people_counted_exactly(split, article)[0] == 0  # the same person in two clusters
    relative = [EntityCluster(person, PERSON, mentions), EntityCluster("Xavier " + surname, PERSON, mentions)]
    assert people_counted_exactly(relative, article)[0] == 1  # another person of the same surname
    assert people_counted_exactly(relative[1:], article)[0] == 0


def test_person_clusters_no_annotator_listed_are_counted_apart():
    article = load_devset()[0]
    person, count = article.people[0]
    mentions = tuple(Mention(person, i, i + 1, PERSON) for i in range(count))
    clusters = [EntityCluster(person, PERSON, mentions), EntityCluster("Harbour Advisor", PERSON, mentions),
                EntityCluster("Harbour Board", "ORG", mentions)]
    assert people_unlisted(clusters, article) == (1, 2)  # the title taken for a person; organisations not counted
    assert people_unlisted(clusters[:1], article) == (0, 1)


def test_a_title_or_generational_suffix_in_an_annotated_name_is_no_other_person():
    # annotators may write a person's title or 'Jr.' into the name, which a cluster's name leaves out
    people = (("Queen Marta II", 2), ("Ivo R. Marsk, Jr.", 1), ("Dr. Ana Lee", 1))
    article = DevArticle("a", "dev", "x" * 40, (), people, "CC BY", "c")
    counted = [("Marta II", 2), ("Ivo R. Marsk", 1), ("Tom Lee", 1)]
    assert counts_agree(counted, article) == (2, 3)  # Tom Lee is still someone else than Dr. Ana Lee
    clusters = [EntityCluster(name, PERSON, (Mention(name, 0, 1, PERSON),)) for name, _ in counted[:2]]
    assert people_unlisted(clusters, article) == (0, 2)


def test_undisputed_scoring_leaves_out_borderline_gold_and_the_predictions_on_it():
    clear = GoldAttribution("direct", 0, 10, "Haddad")
    disputed = GoldAttribution("direct", 20, 30, "police")
    article = DevArticle("a", "dev", "x" * 40, (clear, disputed), (), "CC BY", "c", (disputed,))
    guesses = {"a": [SimpleNamespace(kind="direct", start=0, end=10, speaker="Haddad", speaker_text="Haddad"),
                     SimpleNamespace(kind="direct", start=21, end=29, speaker="Lee", speaker_text="Lee")]}
    every = score_devset(guesses, [article])["direct"]
    undisputed = score_devset(guesses, [article], clear_only=True)["direct"]
    assert (every.gold, every.predicted, every.matched, every.right_speaker) == (2, 2, 2, 1)
    assert (undisputed.gold, undisputed.predicted, undisputed.matched, undisputed.right_speaker) == (1, 1, 1, 1)


def test_undisputed_scoring_keeps_a_prediction_that_covers_an_undisputed_item():
    report = GoldAttribution("indirect", 0, 30, "Haddad")
    quoted = GoldAttribution("partial", 10, 20, "Haddad")  # disputed words inside the report
    article = DevArticle("a", "dev", "x" * 40, (report, quoted), (), "CC BY", "c", (quoted,))
    guesses = {"a": [SimpleNamespace(kind="indirect", start=0, end=30, speaker="Haddad", speaker_text="Haddad")]}
    score = score_devset(guesses, [article], clear_only=True)["indirect"]
    assert (score.gold, score.predicted, score.right_speaker) == (1, 1, 1)


def test_the_maintainers_error_list_on_undisputed_cases_matches_as_the_figures_do():
    import devset_dev  # tools/devset_dev.py

    report = GoldAttribution("indirect", 0, 30, "Haddad")
    quoted = GoldAttribution("partial", 10, 20, "Haddad")  # disputed words inside the report
    article = DevArticle("a", "dev", "x" * 40, (report, quoted), (), "CC BY", "c", (quoted,))
    guess = SimpleNamespace(kind="indirect", start=0, end=30, speaker="Lee", source="Lee", speaker_text="Lee",
                            cue="said", flags=(), text="x" * 30)
    errors = devset_dev._errors(article, [guess], ["indirect"], clear_only=True)
    assert [category for category, _, _ in errors] == ["wrong speaker"]  # found, not 'missed'


def test_the_ceiling_counts_every_undisputed_case_right_and_borderline_ones_as_scored():
    clear = GoldAttribution("direct", 0, 10, "Haddad")
    disputed = (GoldAttribution("direct", 20, 30, "police"), GoldAttribution("direct", 30, 40, "Lee"))
    article = DevArticle("a", "dev", "x" * 40, (clear, *disputed), (), "CC BY", "c", disputed)
    guesses = {"a": [SimpleNamespace(kind="direct", start=21, end=29, speaker="police", speaker_text="police")]}
    ceiling = ceiling_with_undisputed_right(guesses, [article])
    assert ceiling == {"direct": 2 / 3, "partial": 0.0, "indirect": 0.0}  # the clear one, and 1 of 2 disputed


@pytest.mark.parametrize("path", SECOND_READINGS, ids=lambda p: p.stem)
def test_every_second_reading_points_at_the_words_of_an_article_read_by_someone_else(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    first = json.loads((devset_dir() / path.name).read_text(encoding="utf-8"))
    text = (devset_dir() / path.name).with_suffix(".txt").read_text(encoding="utf-8")
    assert record["id"] == path.stem == first["id"]
    assert record["annotator"].strip() and record["annotator"] != first["annotator"]
    _check_annotations(record, text)


def test_the_second_reading_covers_both_splits():
    second = load_second_reading(load_devset())
    splits = Counter(article.split for article in second)
    assert len(second) == len(SECOND_READINGS)
    assert splits[DEV] >= 10 and splits[HELDOUT] >= 10


def test_a_second_reading_is_scored_against_the_first_as_predictions_are(tmp_path):
    first = DevArticle("a", "dev", "x" * 40, (GoldAttribution("direct", 0, 10, "Haddad"),
                                              GoldAttribution("indirect", 20, 30, "police")),
                       (("Ahmed Haddad", 2), ("Ana Lee", 1)), "CC BY 2.5", "credit")
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "annotator": "b", "people": [
        {"name": "Haddad", "count": 2}, {"name": "Ana Lee", "count": 3}], "attributions": [
        {"kind": "direct", "text": "x", "start": 1, "end": 10, "speaker": "Ahmed Haddad", "cue": "said",
         "borderline": False},
        {"kind": "indirect", "text": "x", "start": 20, "end": 30, "speaker": "ministry", "cue": None,
         "borderline": True}]}), encoding="utf-8")
    (tmp_path / "z.json").write_text(json.dumps({"id": "z", "annotator": "b", "people": [], "attributions": []}))
    [second] = load_second_reading([first], tmp_path)  # an article not in the set is not read
    assert (second.id, second.text, second.license) == ("a", first.text, "CC BY 2.5")
    assert second.borderline == (second.attributions[1],)
    scores = score_devset({"a": list(second.attributions)}, [first])
    assert (scores["direct"].right_speaker, scores["indirect"].matched, scores["indirect"].right_speaker) == (1, 1, 0)
    assert counts_agree(list(second.people), first) == (1, 2)  # Haddad's count agrees, Lee's does not


def test_the_maintainers_tool_scores_the_second_reading_without_parsing(capsys):
    import devset_dev  # tools/devset_dev.py

    assert devset_dev.main(["--second", "--summary"]) == 0
    dev = load_devset(DEV)
    read = load_second_reading(dev)
    first = [a for a in dev if a.id in {s.id for s in read}]
    direct = score_devset({a.id: list(a.attributions) for a in read}, first)["direct"]
    printed = capsys.readouterr().out
    expected = f"dev ({len(first)} articles): direct {direct.found_with_right_speaker:.2f} ({direct.right_speaker}/"
    assert expected in printed  # the second annotator's figures, not the rules'


def test_a_prediction_overlapping_two_gold_items_equally_matches_the_one_it_covers_most_of():
    outer = GoldAttribution("indirect", 0, 40, "board")  # 'the board said Lind wrote he would sail'
    inner = GoldAttribution("indirect", 20, 40, "Lind")  # 'he would sail', Lind's own report inside it
    article = DevArticle("a", "dev", "x" * 50, (outer, inner), (), "CC BY", "c", ())
    guesses = {"a": [SimpleNamespace(kind="indirect", start=20, end=40, speaker="Lind", speaker_text="Lind")]}
    score = score_devset(guesses, [article])["indirect"]
    assert (score.matched, score.right_speaker) == (1, 1)


def test_figures_per_outlet_group_every_article_once_largest_outlet_first():
    articles = load_devset()
    groups = by_outlet(articles)
    assert sorted(a.id for group in groups.values() for a in group) == sorted(a.id for a in articles)
    assert all(a.outlet == outlet and outlet for outlet, group in groups.items() for a in group)
    sizes = [len(group) for group in groups.values()]
    assert sizes == sorted(sizes, reverse=True) and len(groups) >= 2
    second = load_second_reading(articles)
    assert all(a.outlet for a in second)  # the second reading keeps the first record's outlet
