"""Entity clusters on small texts written for the tests (not the seed), plus the seed's gold list."""

import json
import subprocess
import sys

import pytest

from course.analysis.entities import (
    Aliases,
    EntityCluster,
    Mention,
    _is_uncapitalised,
    cluster_entities,
    cluster_people,
    counts_table,
    dateline_end,
    load_aliases,
    raw_entities,
    raw_model_clusters,
)
from course.core.article import parse_article
from course.core.seeds import seeds_dir
from course.errors import InputError
from course.evaluation.gold import load_gold_people
from course.evaluation.scores import score_clusters


def people(text, aliases=None):
    clusters = cluster_entities(parse_article(text).doc, labels=["PERSON"], aliases=aliases)
    return {c.name: c for c in clusters}


def persons(text):
    """The names of the people in `text`, from clusters of every label (a name the model called a place or an
    organisation may become a person's)."""
    return {c.name for c in cluster_entities(parse_article(text).doc) if c.label == "PERSON"}


def test_people_sharing_a_given_name_stay_apart():
    found = people("Sergei Ivanov met Sergei Petrov in Moscow on Monday. Ivanov said the talks went well. "
                   "Petrov disagreed.")
    assert found["Sergei Ivanov"].count == 2 and found["Sergei Petrov"].count == 2


def test_people_sharing_a_surname_stay_apart_and_bare_surname_goes_to_the_one_named_first():
    # news calls the person it is about by the surname alone, and the others who share it by their full names
    found = people("Senator Elena Marsh died on Tuesday at 68. Her parents, Robert Marsh and Ruth Ann Marsh, ran a "
                   "farm near the river. Marsh was elected to the senate in 1996, and Marsh led its budget committee "
                   "for ten years.")
    assert {name: c.count for name, c in found.items()} == {"Elena Marsh": 3, "Robert Marsh": 1, "Ruth Ann Marsh": 1}


def test_a_bare_surname_spelled_as_one_persons_goes_to_that_person_first():
    found = people("Police officer Ibrahim Sahin was arrested on Monday. Justice Minister Mehmet Ali Şahin spoke to "
                   "reporters. Şahin said the case had no political side.")
    assert found["Mehmet Ali Şahin"].count == 2 and found["Ibrahim Sahin"].count == 1


def test_look_alike_surnames_never_merge():
    found = people("Hillary Clinton met Sam Clifton in Boston. Clinton smiled, but Clifton frowned.")
    assert found["Hillary Clinton"].variants == ("Hillary Clinton", "Clinton")
    assert found["Sam Clifton"].variants == ("Sam Clifton", "Clifton")


def test_a_name_misspelled_by_one_slip_joins_its_person():
    found = people("Party leader Menzies Campbell opened the debate. Campbell said the plan was sound. "
                   "Later Cambell left the hall, and Anna Parris flew to Paris.")
    assert found["Menzies Campbell"].count == 3 and set(found["Menzies Campbell"].variants) == {
        "Menzies Campbell", "Campbell", "Cambell"}
    assert found["Anna Parris"].count == 1  # a place one letter from a surname stays a place


def test_the_most_written_of_two_full_names_names_the_person():
    from course.analysis.entities import _canonical_name

    text = "Menzies Cambell spoke. Menzies Campbell left. Menzies Campbell won. Campbell"
    mentions = [_at(text, "Menzies Cambell", "PERSON"), _at(text, "Menzies Campbell", "PERSON"),
                _at(text, "Menzies Campbell", "PERSON", 1), _at(text, "Campbell", "PERSON", 2)]
    assert _canonical_name(mentions) == "Menzies Campbell"
    assert _canonical_name(mentions[:2] + mentions[3:]) == "Menzies Cambell"  # earliest on ties


def test_a_role_noun_before_a_full_name_is_no_part_of_it():
    found = people("Broadcaster Ana Lopez criticised the plan on Monday. Lopez said it would fail.")
    assert found["Ana Lopez"].count == 2 and not any("Broadcaster" in name for name in found)


@pytest.mark.parametrize("verb", ["Quoting", "Citing"])
def test_a_participle_opening_the_sentence_is_no_given_name(verb):
    found = people(f"Ana Lopez warned of floods. {verb} Lopez, the mayor said the dams were weak.")
    assert found["Ana Lopez"].count == 2 and not any(verb in name for name in found)


def test_a_slip_joins_nobody_when_the_exact_name_is_someone_elses():
    found = people("Hillary Clinton met Sam Clifton in Boston. Clinton smiled, but Clifton frowned.")
    assert found["Sam Clifton"].count == 2 and found["Hillary Clinton"].count == 2


def test_transliteration_variant_joins_the_person_even_if_unlabelled():
    found = people("Marshal Georgy Zhukov led the defence of Moscow. Zhukov later wrote memoirs. "
                   "French historians spell the name Joukov.")
    zhukov = found["Georgy Zhukov"]
    assert {"Zhukov", "Joukov"} <= set(zhukov.variants)
    assert zhukov.count == 3


def test_titles_and_possessives_are_stripped_from_names():
    found = people("President Maria Lopez's plan was debated for hours. Lopez said it would pass.")
    lopez = found["Maria Lopez"]
    assert lopez.count == 2 and lopez.variants == ("Maria Lopez", "Lopez")
    text = "President Maria Lopez's plan was debated for hours. Lopez said it would pass."
    assert all(text[m.start:m.end] == m.text for m in lopez.mentions)


def test_model_missed_name_after_a_given_name_is_recovered():
    text = "The decision was criticised by Witold Kowalczykowski, a former Polish diplomat, on Friday."
    found = people(text)
    assert "Witold Kowalczykowski" in found


def test_a_number_the_model_runs_on_after_a_name_is_no_part_of_it():
    # the model tags 'Tomas Velmo 31' and 'Velmo 16' a person: a name holds no figure
    assert persons("Results from abroad gave Ana Ruiz 52% and Tomas Velmo 31%.") == {"Ana Ruiz", "Tomas Velmo"}
    assert "Velmo" in persons("Early results from Norva: Tadic 48, Korvanic 37, Velmo 16, Dacko 8.")
    # a race time after a name ('Mira Lind 31:45') and a figure hung on it by a dash ('Mira Lind–29') are no part of it
    assert "Mira Lind" in persons("The 10 km race: 1. Ana Voss 31:02, 2. Mira Lind 31:45, 3. Tom Brek 32:10.")
    assert "Mira Lind" in persons("The final was won by Ana Voss–31 ahead of Mira Lind–29 in the last round.")
    # nor is a score ('Mira Lind 6–4 6–3')
    assert "Mira Lind" in persons("Ana Voss beat Mira Lind 6–4 6–3 in the final on Sunday. Lind said she was tired.")
    # a review: the dash of a results list went with the name ('Omar Lind -')
    assert "Omar Lind" in persons("Preliminary results from the Kelvo count: Omar Lind - 31 percent. Omar Lind said "
                                  "he would not concede the seat.")


def _m(text, start, label="PERSON"):
    return Mention(text, start, start + len(text), label)


@pytest.mark.parametrize("name, person", [
    ("Glas za njih znaci", False),  # a slogan in another language the model tagged a person
    ("Hypacrosaurus stebingeri", False),  # a species
    ("Lanza shot", False),  # a name run on into the verb after it
    ("Ignacio de los Reyes", True),
    ("Philip d'Anjou", True),
    ("Joan of Arc", True),
    ("Ivan the Terrible", True),
    ("José Ortega y Gasset", True),
    ("Ana Lee", True),
    # the review's finds against a first form that looked at every word: particles no list can all hold
    ("Ngugi wa Thiong'o", True),
    ("Zia ul Haq", True),
    ("Hilma af Klint", True),
])
def test_a_person_name_opens_and_ends_with_no_lower_case_word_but_particles(name, person):
    (draft,) = cluster_people([_m(name, 0)], Aliases())
    assert _is_uncapitalised(draft) is not person


def test_cluster_people_without_the_model():
    mentions = [_m("Ana Lee", 0), _m("Bo Lee", 20), _m("Lee", 40), _m("Ana", 60), _m("Kim", 80)]
    drafts = cluster_people(mentions, Aliases())
    by_first = {(d.given, d.surname): [m.start for m in d.mentions] for d in drafts}
    assert by_first[("Ana", "Lee")] == [0, 40, 60]  # 'Lee' alone: the Lee named first
    assert by_first[("Bo", "Lee")] == [20]
    assert by_first[("", "Kim")] == [80]


def test_a_name_written_before_goes_to_the_person_first_named_so():
    # the model cuts one mention of Kim Jong Nam to 'Kim Jong', which begins 'Kim Jong Un' as well: a full name the
    # text has already given someone stays that person's
    mentions = [_m("Kim Jong Nam", 0), _m("Kim Jong Un", 20), _m("Kim Jong", 40), _m("Kim Jong Un", 60)]
    by_name = {d.mentions[0].text: [m.start for m in d.mentions] for d in cluster_people(mentions, Aliases())}
    assert by_name == {"Kim Jong Nam": [0, 40], "Kim Jong Un": [20, 60]}


def test_keep_apart_blocks_a_spelling_merge():
    mentions = [_m("Ivan Petrov", 0), _m("Petroff", 30)]
    assert len(cluster_people(mentions, Aliases())) == 2  # different spelling family anyway
    mentions = [_m("Yevgeny Prigozhin", 0), _m("Prigogine", 30)]
    assert len(cluster_people(mentions, Aliases())) == 1
    apart = Aliases(keep_apart=(("Yevgeny Prigozhin", "Prigogine"),))
    assert len(cluster_people(mentions, apart)) == 2


def test_alias_file_forces_and_forbids(tmp_path):
    path = tmp_path / "aliases.toml"
    path.write_text('[[merge]]\nnames = ["Ana Lee", "The Lioness"]\n\n[[keep_apart]]\nnames = ["A", "B"]\n')
    aliases = load_aliases(path)
    assert aliases.merge == (("Ana Lee", "The Lioness"),) and aliases.keep_apart == (("A", "B"),)


@pytest.mark.parametrize("content", ["[[merge]]\nnames = 3\n", "not = [toml", "[[keep_apart]]\nnames = [1, 2]\n"])
def test_bad_alias_file_is_one_line_input_error(tmp_path, content):
    path = tmp_path / "aliases.toml"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        load_aliases(path)
    assert "\n" not in str(info.value)


def test_default_alias_file_is_valid_and_empty():
    from course.core.lexicons import DATA_DIR

    assert load_aliases(DATA_DIR / "aliases.toml") == Aliases()


def test_organisations_group_by_normalised_name_and_plural():
    from course.analysis.entities import cluster_others

    mentions = [_m("U.S.", 0, "GPE"), _m("Wagner", 10, "ORG"), _m("US", 20, "GPE"), _m("Wagners", 30, "ORG"),
                _m("USA", 40, "GPE")]
    groups = {tuple(m.text for m in g) for g in cluster_others(mentions)}
    assert groups == {("U.S.", "US"), ("Wagner", "Wagners"), ("USA",)}


@pytest.mark.parametrize("text, name, short", [
    ("The Tarvik Press Union (TPU) condemned the arrests. The TPU said it would appeal.", "Tarvik Press Union", "TPU"),
    ("The Council for Ellery Harbours (CEH) met on Monday. The CEH voted to close the port.",
     "Council for Ellery Harbours", "CEH"),
])
def test_an_abbreviation_defined_in_brackets_joins_its_name(text, name, short):
    from course.analysis.entities import join_abbreviations

    first = text.index(short)
    later = text.index(short, first + 1)
    groups = [[_m(name, text.index(name), "ORG")], [_m(short, first, "ORG"), _m(short, later, "ORG")]]
    (group,) = join_abbreviations(text, groups)
    assert [m.text for m in group] == [name, short]  # the definition names it once


def test_an_abbreviation_defined_twice_counts_each_definition_once():
    from course.analysis.entities import join_abbreviations

    text = "The Tarvik Press Union (TPU) met. Later the Tarvik Press Union (TPU) voted."
    first, second = (i for i, _ in enumerate(text) if text.startswith("Tarvik Press Union", i))
    groups = [[_m("Tarvik Press Union", first, "ORG"), _m("Tarvik Press Union", second, "ORG")],
              [_m("TPU", text.index("TPU"), "ORG"), _m("TPU", text.rindex("TPU"), "ORG")]]
    (group,) = join_abbreviations(text, groups)
    assert [(m.text, m.start) for m in group] == [("Tarvik Press Union", first), ("Tarvik Press Union", second)]


def test_initials_without_a_definition_join_nothing():
    from course.analysis.entities import join_abbreviations

    text = "The Tarvik Press Union condemned the arrests, TPU reported."
    groups = [[_m("Tarvik Press Union", 4, "ORG")], [_m("TPU", text.index("TPU"), "ORG")]]
    assert join_abbreviations(text, groups) == groups


@pytest.mark.parametrize("names, joined", [
    # initials of the one name the text writes in full join it, dotted or not
    ([("United Nations", "ORG"), ("UN", "ORG"), ("U.N.", "ORG")], {("United Nations", "UN", "U.N.")}),
    ([("Tarvik Press Union", "ORG"), ("TPU", "ORG")], {("Tarvik Press Union", "TPU")}),
    # two names they could stand for: neither
    ([("Agence Franck Press", "ORG"), ("Ambra Federal Police", "ORG"), ("AFP", "ORG")],
     {("Agence Franck Press",), ("Ambra Federal Police",), ("AFP",)}),
    # no name in full, or capitals that are no one's initials: alone
    ([("UN", "ORG"), ("Norland", "GPE")], {("UN",), ("Norland",)}),
    ([("NATO", "ORG"), ("Tarvik Press Union", "ORG")], {("NATO",), ("Tarvik Press Union",)}),
])
def test_initials_join_the_one_name_they_abbreviate(names, joined):
    from course.analysis.entities import join_initials

    groups = [[_m(name, 20 * i, label)] for i, (name, label) in enumerate(names)]
    merged = join_initials(groups)
    assert {tuple(m.text for m in group) for group in merged} == joined
    assert sum(len(group) for group in merged) == len(names)


@pytest.mark.parametrize("name, noun, headed", [
    # the word before the first preposition, else the last word, heads an organisation's name, in either spelling
    ("Pacific Tsunami Warning Center", "centre", True),
    ("Court of Session", "court", True),
    ("Committee to Protect Journalists", "committee", True),
    # the noun elsewhere in the name: another organisation, or a street
    ("Supreme Court Bar Association", "court", False),
    ("Court Street Medical Clinic", "court", False),
    ("University of Kelvo Students' Union", "union", False),
])
def test_the_noun_that_heads_an_organisations_name_refers_back_to_it(name, noun, headed):
    from course.analysis.entities import name_headed_by

    assert name_headed_by(name, noun) is headed


def test_cluster_to_dict_shape():
    cluster = EntityCluster("Ana Lee", "PERSON", (_m("Ana Lee", 0), _m("Lee", 20)))
    assert cluster.to_dict() == {
        "name": "Ana Lee", "label": "PERSON", "count": 2, "variants": ["Ana Lee", "Lee"],
        "mentions": [{"text": "Ana Lee", "start": 0, "end": 7}, {"text": "Lee", "start": 20, "end": 23}],
    }


def test_counts_table_compares_raw_and_merged():
    cluster = EntityCluster("Ana Lee", "PERSON", (_m("Ana Lee", 0), _m("Lee", 20), _m("Lee", 40)))
    raw = [_m("Ana Lee", 0), _m("Lee", 20), _m("Lee", 40, "ORG")]
    table = counts_table([cluster], raw)
    row = table.iloc[0].to_dict()
    assert row["merged_count"] == 3 and row["raw_spelling"] in {"Ana Lee", "Lee"} and row["raw_count"] == 1


def test_seed_people_are_found_without_false_merges(cache_dir):
    from course.core.article import load_article

    doc = load_article().doc
    gold = load_gold_people(seeds_dir() / "people.json")
    merged = score_clusters(cluster_entities(doc), gold)
    raw = score_clusters(raw_model_clusters(raw_entities(doc)), gold)
    assert merged.false_merges == 0
    assert merged.found == merged.gold_entities
    assert merged.exactly_one > raw.exactly_one
    with_aliases = score_clusters(cluster_entities(doc, aliases=load_aliases(seeds_dir() / "aliases.toml")), gold)
    assert with_aliases.exact_counts == with_aliases.gold_entities


def test_gold_people_offsets_point_at_their_text():
    data = json.loads((seeds_dir() / "people.json").read_text(encoding="utf-8"))
    text = (seeds_dir() / "article.txt").read_text(encoding="utf-8")
    for person in data["people"]:
        assert person["count"] == len(person["mentions"])
        for m in person["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_cli_entities_json(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Sergei Ivanov met Sergei Petrov in Moscow. Ivanov said the talks went well.", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "course", "entities", str(path), "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    clusters = json.loads(result.stdout)
    ivanov = next(c for c in clusters if c["name"] == "Sergei Ivanov")
    assert ivanov["label"] == "PERSON" and ivanov["count"] == 2
    assert set(ivanov) == {"name", "label", "count", "variants", "mentions"}
    assert set(ivanov["mentions"][0]) == {"text", "start", "end"}


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # a byline names the writer, not a person in the story
        ("By Maria Okafor\n\nThe ferry stayed in port. Captain Ahmed Haddad said the sea was rough.",
         {"Ahmed Haddad"}, {"Maria Okafor"}),
        # "Ferry" describes the captain; it is not a person
        ("\"We will not sail,\" warned Ferry captain Ahmed Haddad. Haddad has sailed for years.",
         {"Ahmed Haddad"}, {"Ferry"}),
        # a publication the model may call a person is an organisation
        ("Ellery Gazette reported that Ahmed Haddad refused to sail. Ellery Gazette also ran a photo.",
         {"Ahmed Haddad"}, {"Ellery Gazette"}),
        # a credit line's reporter is no mention of a subject who shares a name with her
        ("Vaccines free\n\nDeputy Minister Nguyen Thi Lien Huong said the vaccine would be free.\n\n"
         "(Reporting by Phuong Nguyen; Editing by Ed Davies)\n", {"Nguyen Thi Lien Huong"}, {"Phuong Nguyen"}),
        # a translator's credit names no one in the story
        ("Cable cars\n\nBy Lucia Ortiz\nTranslated from the Spanish by Mark Bennett\n\nThe city opened a cable car "
         "line on Monday. Mayor Ana Ruiz cut the ribbon.", {"Ana Ruiz"}, {"Mark Bennett"}),
    ],
)
def test_bylines_descriptors_and_outlets_are_not_people(text, present, absent):
    found = people(text)
    assert present <= set(found) and not (absent & set(found)), sorted(found)


def test_an_outlet_is_an_organisation():
    clusters = cluster_entities(parse_article(
        "Ellery Gazette reported that Ahmed Haddad refused to sail. Ellery Gazette also ran a photo.").doc)
    labels = {c.name: c.label for c in clusters}
    assert labels.get("Ellery Gazette") in {"ORG", None} and labels.get("Ahmed Haddad") == "PERSON"


@pytest.mark.parametrize("line, is_credit", [
    ("By Maria Okafor", True), ("By Maria Okafor and Tom Baker", True), ("London, 3 March 2024", True),
    ("March 3, 2024", True), ("By the river the boats wait.", False), ("Ana Lee said no.", False),
    ("(Reporting by Ana Lee in Kelvo; Editing by Mark Dwyer)", True), ("Writing by candlelight, Ana Lee wept.", False),
    ("Written and directed by Ana Morel. Starring Tom Wexley.", False),
    ("Translated from the Spanish by Mark Bennett", True), ("(Translated by Ana Lee)", True),
    ("Translated from the notes, the letter reads as a plea.", False),
])
def test_bylines_and_datelines_are_recognised(line, is_credit):
    from course.analysis.entities import byline_spans

    assert bool(byline_spans(f"Headline\n\n{line}\n\nBody text here.")) == is_credit


def test_credit_lines_closing_the_text_need_no_parentheses():
    from course.analysis.entities import byline_spans

    text = ("Floods close the border\n\nFloods closed the border, police said.\n\n"
            "Writing by Ben Ruiz; Editing by Mark Dwyer\n\n(Additional reporting by Carla Diaz in Kelvo)\n")
    assert [text[start:end] for start, end in byline_spans(text)] == [
        "Writing by Ben Ruiz; Editing by Mark Dwyer", "(Additional reporting by Carla Diaz in Kelvo)"]


@pytest.mark.parametrize("text, person", [
    ("Party secretary Bo Xilai was removed from his post on Thursday. Bo had led the city for five years. "
     "Supporters of Bo gathered outside the hall.", "Bo Xilai"),
    ("Police chief Wang Lijun fled to the consulate in February. Wang later left the building. "
     "Wang's deputy declined to comment.", "Wang Lijun"),
])
def test_a_family_name_written_first_counts_for_its_person_even_if_untagged(text, person):
    # the model leaves 'Bo' untagged and tags 'Wang' as an organisation; both are the person's family name
    assert people(text)[person].count == 3


def test_a_name_after_a_role_word_is_a_person_even_if_tagged_as_a_place():
    # the model tags 'Thabo Mbeki' as a place and 'Mbeki' as an organisation; 'president' says who he is
    found = people("Meanwhile, South African president Thabo Mbeki denounced the operation. "
                   "Mbeki said it was a mistake.")
    assert found["Thabo Mbeki"].count == 2


def test_a_given_name_and_a_monarchs_ordinal_are_a_person():
    # the model leaves 'Margaret II' untagged; the ordinal stays in the name
    found = people("Crowds lined the streets as Queen Margaret II of Norland opened the new bridge.")
    assert found["Margaret II"].count == 1


def test_a_capitalised_title_in_apposition_makes_an_untagged_name_a_person():
    # the model tags neither word of 'Raino Odessa'; 'the Tarvian Prime Minister' after it says who he is
    found = people("Raino Odessa, the Tarvian Prime Minister, told reporters the border would stay closed. "
                   "Odessa spoke in the capital.")
    assert found["Raino Odessa"].count == 2


def test_an_adjective_before_a_name_is_no_role():
    # 'former' is a title word, but in 'a former White House director' it describes the director
    assert "White House" not in people("Matt Dimick, a former White House director for Russia, said so.")


# --- names the model cut short, labelled as something else, or wrote two ways ---------------------------


def _at(text, piece, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Mention(piece, start, start + len(piece), label)


def test_names_of_two_generations_are_two_people():
    drafts = cluster_people([_m("Robert Haines Sr.", 0), _m("Robert Haines Jr.", 22), _m("Robert Haines", 60)],
                            Aliases())
    assert sorted(len(d.mentions) for d in drafts) == [1, 2]  # 'Robert Haines' alone: the one named first


def test_a_suffix_and_a_hyphen_do_not_split_a_person():
    drafts = cluster_people([_m("Martin Luther King Jr.", 0), _m("King", 40), _m("Kim Jong-Un", 60),
                             _m("Kim Jong Un", 90)], Aliases())
    assert sorted(len(d.mentions) for d in drafts) == [2, 2]


@pytest.mark.parametrize("text, piece, label, person", [
    ("After Ms Maliwal visited the hospital, she spoke to reporters.", "Ms Maliwal", "ORG", "Maliwal"),
    ("The emperor's son Hisahito was born in 2006.", "Hisahito", "GPE", "Hisahito"),
    ("Agency spokesman Sutopo said the power was down.", "Sutopo", "ORG", "Sutopo"),
    ("Obama freed Oscar Rivera, a Puerto Rican nationalist, on Tuesday.", "Oscar Rivera", "ORG", "Oscar Rivera"),
    ("The camp was visited by Ngozi Adebayo, UNICEF emergency officer, on Monday.", "Ngozi Adebayo", "ORG",
     "Ngozi Adebayo"),
    ("The president of Tarvik, Ngozi Adebayo, expressed her sadness.", "Ngozi Adebayo", "ORG", "Ngozi Adebayo"),
    ("The award went to stage actress Velvet Storm and a former model.", "Velvet Storm", "ORG", "Velvet Storm"),
    ("The mayor is survived by his sons Peter, Daniel and Okonkwo.", "Okonkwo", "GPE", "Okonkwo"),
    ("The guests were painters Anna Berg and Okonkwo.", "Okonkwo", "GPE", "Okonkwo"),
])
def test_words_beside_a_name_make_it_a_person_whatever_the_model_said(text, piece, label, person):
    from course.analysis.entities import people_by_context

    [mention] = people_by_context(parse_article(text).doc, [_at(text, piece, label)])
    assert (mention.label, mention.text) == ("PERSON", person)
    assert text[mention.start:mention.end] == person


@pytest.mark.parametrize("text, piece, label", [
    ("Fighting spread across former Yugoslavia in 1991.", "Yugoslavia", "GPE"),
    ("General Motors said sales fell.", "General Motors", "ORG"),
    ("The talks in Geneva, a city of bankers, ended.", "Geneva", "GPE"),
    ("She met Trump and Congress on Monday.", "Congress", "ORG"),
])
def test_a_place_or_company_keeps_its_label(text, piece, label):
    from course.analysis.entities import people_by_context

    assert people_by_context(parse_article(text).doc, [_at(text, piece, label)]) == [_at(text, piece, label)]


def test_one_name_is_one_person_throughout_an_article():
    from course.analysis.entities import people_by_context

    text = "Hisahito is ten. The emperor's grandson Hisahito is next in line. Hisahito lives in Tokyo."
    mentions = [_at(text, "Hisahito", "GPE", n) for n in range(3)]
    assert [m.label for m in people_by_context(parse_article(text).doc, mentions)] == ["PERSON"] * 3


def test_a_name_the_model_labelled_otherwise_joins_its_person():
    from course.analysis.entities import _absorb_surnames, _PersonDraft

    text = ("Binyam Mohamed was freed in 2009. Binyam had been held for years. Qasem Soleimani and Shahid Soleymani "
            "met. Soleimani left. Akihito spoke. Akihito waved. The crowd cheered Akihito. Ksenia Sobchak wrote. "
            "Ksenia Sobchak left. Rashidi Yekini scored. A post titled Rashidi Yekini 1963-2012 followed.")
    doc = parse_article(text).doc

    def draft(name, nth=0):
        given, _, surname = name.rpartition(" ")
        return _PersonDraft(given, surname, [_at(text, name, "PERSON", nth)])

    drafts = [draft("Binyam Mohamed"), draft("Qasem Soleimani"), draft("Shahid Soleymani"), draft("Akihito"),
              draft("Ksenia Sobchak", 1), draft("Rashidi Yekini")]
    drafts[3].mentions.append(_at(text, "Akihito", "PERSON", 1))
    others = [_at(text, "Binyam", "ORG", 1), _at(text, "Soleimani", "LOC", 1), _at(text, "Akihito", "GPE", 2),
              _at(text, "Ksenia Sobchak", "GPE"), _at(text, "Rashidi", "ORG", 1)]
    kept = _absorb_surnames(doc, drafts, others)
    owners = {d.surname: sorted(m.start for m in d.mentions) for d in drafts}
    assert owners["Mohamed"] == [text.index("Binyam"), others[0].start]  # a given name alone
    assert others[1].start in owners["Soleimani"] and len(owners["Soleymani"]) == 1  # the exact spelling
    assert others[2].start in owners["Akihito"]  # a one-word name the model mostly calls a person
    assert others[3].start in owners["Sobchak"]  # a person's full name labelled a place
    assert kept == [others[4]]  # 'Rashidi' that starts a longer name stays as it was


def test_a_role_word_is_no_part_of_a_name():
    from course.analysis.entities import _clean_span

    text = "Blogger Chris Custer wrote about the trial."
    mention = _clean_span(parse_article(text).doc[0:3], "PERSON")
    assert (mention.text, mention.title) == ("Chris Custer", "Blogger")


def test_a_given_name_gives_a_gender_only_where_the_lists_agree():
    from course.analysis.quotes.context import _given_name_gender

    def gender(name):
        return _given_name_gender(EntityCluster(name, "PERSON", ()))

    assert [gender(n) for n in ("Priya Nair", "Rahul Mehta", "Andrea Rossi", "Nair")] == ["f", "m", None, None]


@pytest.mark.parametrize("text, word, alone", [
    ("Binyam had been held for years.", "Binyam", True), ("\nBinyam had left.", "Binyam", True),
    ("The Boston-based firm closed.", "Boston", False), ("They called it the i-Nick.", "Nick", False),
    ("A post titled Rashidi Yekini 1963-2012 followed.", "Rashidi", False),
])
def test_a_name_stands_alone_only_as_a_word_of_its_own(text, word, alone):
    from course.analysis.entities import _stands_alone

    doc = parse_article(text).doc
    assert _stands_alone(next(t for t in doc if t.text == word)) is alone


def test_a_name_the_model_ran_on_from_a_titled_place_is_a_person():
    # 'Senator from <place>' names the place; the two capitalised words after it are the senator
    found = people("The Senator from Norland Valdo Prenk said the vote would wait. Prenk did not say when. "
                   "The president of Harvard Medical School was not asked.")
    assert found["Valdo Prenk"].count == 2 and "Medical School" not in found


def test_an_agencys_programme_after_a_title_is_no_person():
    # 'director-general of the World Food Programme, Matthias Keller,': the programme is the agency, not a name
    found = people("The director-general of the World Food Programme, Matthias Keller, said rations would be cut.")
    assert "Food Programme" not in found and found["Matthias Keller"].count == 1


def test_a_one_word_name_the_model_calls_a_person_as_often_as_anything_else_is_the_person():
    from course.analysis.entities import _absorb_surnames, _PersonDraft

    text = ("Tarvo scored early. The second goal came from a cross by Tarvo. Norla's government met. "
            "The state of Norla, India, voted.")
    doc = parse_article(text).doc
    drafts = [_PersonDraft("", "Tarvo", [_at(text, "Tarvo", "PERSON")]),
              _PersonDraft("", "Norla", [_at(text, "Norla", "PERSON")])]
    others = [_at(text, "Tarvo", "GPE", 1), _at(text, "Norla", "GPE", 1)]
    kept = _absorb_surnames(doc, drafts, others)
    assert others[0].start in [m.start for m in drafts[0].mentions]  # tagged a person once, a country once
    assert kept == [others[1]]  # written as a place is, before a comma and a country


def test_a_given_name_and_two_more_names_the_model_called_an_organisation_are_a_person():
    # three capitalised words after a known given name read as a full name, not an organisation's, unless one
    # of them heads an organisation's name ('Foundation', 'Federation')
    from course.analysis.entities import clusters_of

    doc = parse_article("Ricardo Ruiz Nevares resigned on Sunday after the protests. Critics of Jean-Marie Tavo "
                        "Kelle say the plan failed. The Georgian Rowing Federation did not comment.").doc
    found = {c.name for c in clusters_of(doc) if c.label == "PERSON"}
    assert {"Ricardo Ruiz Nevares", "Jean-Marie Tavo Kelle"} <= found
    assert not any("Federation" in name for name in found)


def test_a_name_read_from_a_given_name_runs_on_over_a_hyphen():
    # the model tags 'Nils-Karl Brenne' an organisation and leaves 'Ingrid Dahl-Moen' untagged; the pair a
    # known given name starts takes the hyphenated half too
    found = people('"We are certain now,"\n\nIngrid Dahl-Moen, the Norlandic Prime Minister, said yesterday. '
                   "Nils-Karl Brenne of Harbour Fire and Rescue said the garage was lost.")
    assert found["Ingrid Dahl-Moen"].count == 1 and found["Nils-Karl Brenne"].count == 1
    assert "Ingrid Dahl" not in found and "Karl Brenne" not in found


def test_letters_without_accents_to_remove_still_fold():
    # 'ı' is a letter of its own, not 'i' with a mark: 'Pınar' alone is Pinar Okan, 'Luckasz' misspells 'Łukasz'
    drafts = cluster_people([_m("Pinar Okan", 0), _m("Pınar", 30), _m("Pinto", 60), _m("Łukasz", 90),
                             _m("Luckasz", 120)], Aliases())
    assert sorted(len(d.mentions) for d in drafts) == [1, 2, 2]


def test_a_surname_with_its_particle_without_the_given_name_is_the_same_person():
    # 'Van Dorn' and 'van Dorn' are Ilse van Dorn, 'Bin Saleh' (named first) is Omar Ali bin Saleh; 'Van Marlo', a
    # particle before another surname, is someone else
    mentions = [_m("Ilse van Dorn", 0), _m("Van Dorn", 30), _m("van Dorn", 60), _m("Bin Saleh", 90),
                _m("Omar Ali bin Saleh", 120), _m("Van Marlo", 150)]
    drafts = cluster_people(mentions, Aliases())
    by_first = {(d.given, d.surname): [m.start for m in d.mentions] for d in drafts}
    assert by_first[("Ilse", "Dorn")] == [0, 30, 60] and by_first[("Bin", "Saleh")] == [90, 120]
    assert by_first[("Van", "Marlo")] == [150]


def test_half_of_a_hyphenated_surname_alone_is_that_person():
    found = people("Ana Berg-Lund, the harbour master, closed the port on Monday. Fishermen said Berg-Lund had "
                   "no choice. Lund said the ban would last a week. Tomas Berg, a trawler captain, disagreed, "
                   "and Berg said he would sail anyway.")
    assert found["Ana Berg-Lund"].count == 3 and found["Tomas Berg"].count == 2
    drafts = cluster_people([_m("Nabil al-Rashid", 0), _m("Rashid", 30), _m("Alan Elgar", 60), _m("Gar", 90)],
                            Aliases())
    assert sorted(len(d.mentions) for d in drafts) == [1, 1, 2]  # 'Rashid' alone is Nabil al-Rashid


def test_a_given_name_joined_by_and_to_a_full_name_shares_its_surname():
    # 'Jana and Pavel Horak' are Jana Horak and Pavel Horak; 'Mona and David Lenz' does not make 'Mona Lenz'
    # where Mona is written alone elsewhere
    found = people("The crash killed Jana and Pavel Horak, a retired couple, on Sunday. "
                   "Police said the driver had fled.")
    assert found["Jana Horak"].count == 1 and found["Pavel Horak"].count == 1
    found = people("Mona sang first. The night honoured Mona and David Lenz with five awards each.")
    assert "Mona Lenz" not in found


def test_a_sheriff_or_a_french_courtesy_title_is_no_given_name():
    found = people("Deputies closed the road. County sheriff Tomas Rey said the crowd was calm. Later Sheriff Rey "
                   "thanked the volunteers. Ana Okan testified on Monday. Mme Okan told the court she was afraid.")
    assert found["Tomas Rey"].count == 2 and found["Ana Okan"].count == 2


def test_a_name_the_model_cut_in_two_is_one_person():
    from course.analysis.entities import _one_name_in_two

    text = "Omar Zine al-Hadi Ben Tarek fled. The Harbour Mayor Ana Ruiz stayed. Neil Ana Vidal came."
    mentions = [_m("Omar Zine al-Hadi", 0), _m("Ben Tarek", 18), _m("Harbour Mayor", 38), _m("Ana Ruiz", 52),
                _m("Neil", 69), _m("Ana Vidal", 74)]
    assert [m.text for m in _one_name_in_two(text, mentions)] == [
        "Omar Zine al-Hadi Ben Tarek", "Harbour Mayor", "Ana Ruiz", "Neil Ana Vidal"]


def test_a_name_the_model_cut_short_takes_the_name_the_parser_hangs_on_it():
    # the model tags only 'Rosa Pinto'; 'Carmen', a known given name, is a compound on the same name
    found = people("Carmen Rosa Pinto, the mayor of the capital, said she would sue.")
    assert "Carmen Rosa Pinto" in found and "Rosa Pinto" not in found


def test_a_spanish_name_without_its_second_surname_is_the_same_person():
    # 'Ana Ruiz' and 'Ruiz' alone are Ana Ruiz Lenz; 'Maria' alone, a given name in the middle, is not
    drafts = cluster_people([_m("Ana Ruiz", 0), _m("Ana Ruiz Lenz", 20), _m("Ruiz", 40), _m("Tomas Maria Vidal", 60),
                             _m("Maria", 90)], Aliases())
    assert sorted(len(d.mentions) for d in drafts) == [1, 1, 3]


def test_a_role_word_before_one_untagged_name_makes_it_a_person():
    # 'Pilot' opens the sentence with a capital; the model leaves 'Orvanto' untagged there and calls it a
    # place later: both are the pilot
    found = people("Pilot Orvanto and his co-pilot had flown the route for years. Orvanto asked for a lower altitude.")
    assert found["Orvanto"].count == 2
    found = people("Blogger Kurvanto wrote that the vote was rigged.")
    assert "Kurvanto" in found


def test_a_name_a_role_word_makes_a_person_once_is_the_person_everywhere():
    from course.analysis.entities import people_by_context

    text = "The singer Vella won the contest. The minister congratulated Vella on Sunday."
    doc = parse_article(text).doc
    tagged = _m("Vella", text.index("Vella"))
    other = Mention("Vella", text.rindex("Vella"), text.rindex("Vella") + 5, "ORG")
    assert people_by_context(doc, [other])[0].label == "ORG"
    assert people_by_context(doc, [other], [tagged])[0].label == "PERSON"


def test_a_name_paired_with_a_sure_person_is_a_person():
    # the model calls 'Grovanto' a place; beside 'Martin Rees', a known given name, it is a person's name,
    # while an organisation with its article stays one
    assert persons("The visitors included Martin Rees and Grovanto.") == {"Martin Rees", "Grovanto"}
    assert persons("The head of the United Nations and Martin Rees met on Monday.") == {"Martin Rees"}


def test_a_name_after_a_titled_portfolio_is_a_person():
    # 'of the Interior' and 'for Human Rights' name the office, as 'of Tarvia' names a country
    assert "Arvo Dessel" in people("Tarvian Minister of the Interior Arvo Dessel issued a statement on Monday.")
    assert "Navo Pellay" in people("The Commissioner for Human Rights Navo Pellay stated that the camps were full.")


# --- people looked up by the parts of their names (`_People`) -----------------------------------------------


def _every_draft(people, name):
    """`_People.related` as it would be with no index: every person drafted so far, in order."""
    return list(people.drafts)


def _drafted(mentions):
    return [(d.given, d.surname, [m.start for m in d.mentions]) for d in cluster_people(mentions, Aliases())]


def _forms(name):
    """The ways news writes one person's name again: bare surname, given name, a hyphen's half, the middle of
    three names, the first two of three, without hyphens, without accents, and the surname with a letter
    dropped or two letters swapped (a slip)."""
    from course.analysis.names import ascii_letters

    words = name.split()
    surname = words[-1]
    forms = [name, surname, words[0], name.replace("-", " "), *surname.split("-")]
    if len(words) == 3:
        forms += [words[1], " ".join(words[:2])]
    if len(surname) > 5:
        forms += [surname[:3] + surname[4:], surname[:2] + surname[3] + surname[2] + surname[4:]]
    if ascii_letters(surname) != surname.lower():
        forms.append(ascii_letters(surname).title())
    return forms


def test_people_found_by_name_parts_are_the_people_every_comparison_finds(monkeypatch):
    # Real names: the people of the dev split's gold tables, thirty articles at a time, each written again in
    # every form the clustering rules link. Comparing each name with every drafted person must give the same
    # people, mention for mention, as comparing it with the people `_People.related` finds by name parts.
    from course.analysis.entities import _People
    from course.evaluation.devset import load_devset

    names = [name for article in load_devset("dev") for name, _ in article.people]
    assert len(names) > 1000
    for first in range(0, len(names), 300):
        chunk = names[first:first + 300]
        mentions, at = [], 0
        for text in chunk + [form for name in chunk for form in _forms(name)[1:]]:
            mentions.append(_m(text, at))
            at += len(text) + 1
        indexed = _drafted(mentions)
        with monkeypatch.context() as patch:
            patch.setattr(_People, "related", _every_draft)
            assert _drafted(mentions) == indexed


def test_entities_found_by_name_parts_are_the_entities_every_comparison_finds(monkeypatch):
    # The same on parsed news: dev articles run together into one text, so that surnames and given names recur
    # across articles; `_absorb_surnames` looks people up by the same parts
    from course.analysis.entities import _People
    from course.evaluation.devset import load_devset

    text = "\n\n".join(article.text for article in load_devset("dev")[::12])
    doc = parse_article(text).doc

    def clusters():
        return [(c.name, c.label, c.mentions) for c in cluster_entities(doc)]

    indexed = clusters()
    monkeypatch.setattr(_People, "related", _every_draft)
    assert clusters() == indexed
    assert sum(c[1] == "PERSON" for c in indexed) > 50


def test_each_name_is_compared_with_the_few_people_it_could_be(monkeypatch):
    # 2,744 made-up people, each named in full and then by surname: comparing every name with every person
    # drafted before it would take millions of surname comparisons; by name parts it takes a handful per name
    import course.analysis.entities as entities

    letters = "bdfgklmnprstvz"

    def surname(i):  # each of three letters written twice: any two surnames differ by more than a slip
        a, b, c = (letters[i // 14 ** k % 14] for k in range(3))
        return f"{a.upper()}a{b}o{c}e{a}{b}{c}"

    made_up = [surname(i) for i in range(2744)]
    mentions = [_m(f"Ana {surname}", 30 * i) for i, surname in enumerate(made_up)]
    mentions += [_m(surname, 100_000 + 10 * i) for i, surname in enumerate(made_up)]
    calls = 0
    real = entities._matches_surname

    def counted(draft, word):
        nonlocal calls
        calls += 1
        return real(draft, word)

    monkeypatch.setattr(entities, "_matches_surname", counted)
    drafts = cluster_people(mentions, Aliases())
    assert len(drafts) == len(made_up) and all(len(d.mentions) == 2 for d in drafts)
    assert calls < 10 * len(mentions)


def test_words_that_end_in_a_role_noun_are_a_title_not_a_name():
    # a title before them ('Deputy', 'Chief') would otherwise make the model's organisation, or two capitalised
    # words after a role at a sentence's start, a person's name
    assert persons("Deputy National Harbour Advisor for Coastal Defence and Counterpiracy Ivo Marsh said on "
                   "Monday that the port was safe.") == {"Ivo Marsh"}
    assert persons("Chief Fisheries Advisor for Northern Waters and Enforcement Tomas Rey said the boats were "
                   "seized.") == {"Tomas Rey"}


def test_a_capitalised_role_word_marks_only_the_name_it_hangs_on():
    # an adjective or a role of a noun further on, written with a capital at a sentence's start, marks no name
    assert persons("Veteran Harbour Board pilot Ana Vidal retired on Monday.") == {"Ana Vidal"}
    assert "Blogger Kurvanto" not in persons("Blogger Kurvanto wrote that the vote was rigged.")
    assert "Kurvanto" in persons("Blogger Kurvanto wrote that the vote was rigged.")


def test_a_name_ending_in_the_head_of_a_place_or_institution_is_no_person():
    # the model, or a rule reading the words around it, can call 'Kelvo Bay' a person; a given name and a head
    # that is also a surname stay a person
    assert not persons("Protesters met at the pier, Kelvo Bay, and the market.")
    assert not persons("Residents of areas such as Harlow Parish were told to leave.")
    assert "Ana Hall" in persons("Ana Hall, a ferry pilot, said the harbour was closed.")


def test_a_place_or_institution_written_also_by_one_of_its_words_is_no_person():
    # 'the Tarvia Senate ... the Senate said': the model's 'person' takes the head alone as its surname, and a
    # word of the longer name alone ('Hougang' for Hougang Single Member Constituency) does not make it a person;
    # a given name and a head that is also a surname stay a person ('Ana Hall ... Hall said')
    from course.analysis.entities import _is_named_place

    def draft(*names):
        (one,) = cluster_people([_m(name, 40 * i) for i, name in enumerate(names)], Aliases())
        return one
    assert _is_named_place(draft("Tarvia Senate", "Senate", "Senate"))
    assert _is_named_place(draft("Kelvo Harbour Constituency", "Kelvo", "Kelvo Harbour Constituency"))
    assert not _is_named_place(draft("Ana Hall", "Hall"))
    assert not _is_named_place(draft("Senate"))
    # a word that may be a surname, or a longer name opening with a known given name, keeps a person
    assert not _is_named_place(draft("Tendai Church", "Church"))
    assert not _is_named_place(draft("Ana Maria Hall", "Hall"))
    assert not _is_named_place(draft("Rosa Valley", "Valley"))


def test_a_name_that_opens_with_a_lower_case_word_is_no_person():
    # English capitalises a person's name: a phrase the model tagged, or words in another language, are none;
    # a name particle opening the name ('de', 'van', 'al') keeps it
    assert not persons("The law protects gay and lesbian couples, the court said.")
    assert not persons("One user wrote: rezultati su lazni, the count is false.")
    assert persons("The bill passed, said Ivo de Marsk. De Marsk is a senator.") == {"Ivo de Marsk"}


def test_a_social_network_written_like_a_name_is_no_person():
    # news writes a posting site as it writes a person ('wrote on Twitter', 'Twitter removed the post')
    assert persons("On Twitter, Ana Vidal agreed with the decision.") == {"Ana Vidal"}
    assert persons("Ivo Marsk wrote on Twitter that the ferry was late. Twitter later removed the post.") == {
        "Ivo Marsk"}


def test_one_plural_word_is_a_group_not_a_person():
    # a capitalised plural the model tags a person names many ('Photographs', 'Norlanders'); a surname ending
    # in -s stays a person
    assert not persons("Witnesses said the boat capsized. Photographs confirmed it.")
    assert persons("Harris said the ferry was late. Harris is the harbour master.") == {"Harris"}


def test_a_name_with_a_word_mixing_letters_and_digits_is_no_person():
    # a star, a product or a hashtag the model tags a person ('KOI-88b', 'Vote2030'); no person's name mixes them
    assert not persons("Astronomers said KOI-88b orbits its star in two days. KOI-88b is hotter than most stars.")
    assert persons("Users shared the hashtag #Vote2030 widely, Ana Vidal said.") == {"Ana Vidal"}


def test_one_role_word_alone_is_no_person():
    # an office or a kind of person the model tags a person ('the Treasurer'); a known given name, or a word a
    # person noun stands beside ('her nephew, Marshal'), stays a person
    assert persons("Ivo Marsk, Treasurer of the club, said the fees would rise. The Treasurer declined to "
                   "comment.") == {"Ivo Marsk"}
    assert persons("Her nephew, Marshal, said the boat was late.") == {"Marshal"}


def test_a_name_only_ever_written_as_a_hashtag_is_no_person():
    # a campaign or a place tagged in a post ('#NoDredging', '#Kelvo') is no person; a person named in plain words
    # stays one
    assert persons("Thousands shared #SaveTheFjords and #NoDredging on Monday, Ana Vidal said.") == {"Ana Vidal"}
    assert not persons("Posts under #Kelvo said the ferry was late.")


def test_one_word_a_definite_article_opens_is_no_person():
    # English puts no 'the' before a person's name ('the Harbourmaster' is an office); a name modifying a noun
    # after it ('the Marsk era') takes the noun's article and stays a person
    assert persons("Ana Vidal said the Harbourmaster had closed the port.") == {"Ana Vidal"}
    assert "Marsk" in persons("The Marsk era ended, Ana Vidal said. Marsk died in 1990.")


def test_a_word_opening_a_sentence_that_the_text_writes_in_lower_case_is_no_person():
    # the capital is the sentence's ('Flotsam washed ashore' beside 'the flotsam'); a surname that opens a sentence
    # and belongs to a full name stays the person's
    assert not persons("Flotsam washed ashore. The flotsam came from the wreck.")
    assert "Ivo Marsk" in persons("Marsk spoke first. Ivo Marsk, a pilot, said the marsk was gone.")


def test_common_words_a_title_case_headline_capitalises_are_no_person():
    # a headline that capitalises every word makes 'Contempt Verdict' and 'Arson Attack' look like names; the body
    # writes the same phrases in lower case
    assert persons("Tarvia: Public Reaction on Mayor's Contempt Verdict\n\nThe court found Mayor Ana Vidal guilty "
                   "of contempt on Tuesday. Bloggers called the contempt verdict unfair.") == {"Ana Vidal"}
    assert persons("Norland: Vandals Blamed For Arson Attack\n\nA ferry in Velmo harbour was the target of an arson "
                   "attack on Sunday, Ivo Marsk said.") == {"Ivo Marsk"}
    # a person the headline names keeps the mention there, and so do words the body never writes in lower case
    found = people("Ana Vidal Wins Harbour Vote\n\nAna Vidal won the harbour vote on Sunday. Vidal thanked the crews.")
    assert found["Ana Vidal"].count == 3


@pytest.mark.parametrize("text, name", [
    ("Will Young to Play Kelvo Harbour Festival\n\nThe singer will headline the festival in June. Many young fans "
     "queued for tickets.", "Will Young"),
    ("Mayor Rose Hill Opens New Quay in Velmo\n\nThe mayor opened the quay on Monday. Water levels rose sharply "
     "and flooded the hill behind it.", "Rose Hill"),
])
def test_a_person_named_only_in_the_headline_whose_words_the_body_writes_apart_stays_a_person(text, name):
    # a hostile review of the headline rule: the body writes 'will', 'young', 'rose' and 'hill' in lower case, but
    # never as the phrase the headline capitalises, so the name stays a person's
    assert name in persons(text)


def test_a_name_an_organisation_noun_introduces_is_no_person():
    # the noun before the name says what it is ('the company Dorvel Brask', 'the football club Velmo Rovers');
    # a role phrase ending in such a noun still introduces a person ('the speaker of parliament Orvo Tesk')
    assert persons("The report was ordered by the company Dorvel Brask, Ana Vidal said.") == {"Ana Vidal"}
    assert not persons("He joined the football club Velmo Rovers in 2004.")
    assert persons("The speaker of parliament Orvo Tesk wrote that the vote was void.") == {"Orvo Tesk"}


def test_an_untagged_three_word_name_joins_the_surname_the_model_tags():
    text = "Mayor Ana Ruiz Vidal has resigned after a row over the budget. Ruiz said she had no regrets."
    found = people(text)
    assert "Ana Ruiz Vidal" in found and found["Ana Ruiz Vidal"].count == 2


def test_one_word_that_writes_two_together_is_no_person():
    # a capital inside a word after three lower-case letters ('LunaVex') makes a brand, a company or a project, not a
    # person's name; the model can tag it a person where it launches or plans things
    assert persons("LunaVex sent its first cargo capsule to orbit on Friday. LunaVex, funded by investor Ana Vidal, "
                   "plans a crewed flight next year.") == {"Ana Vidal"}


@pytest.mark.parametrize("name", ["MacKenzie", "VanDorn", "AbdulRahman"])
def test_a_name_prefix_keeps_its_inner_capital(name):
    assert persons(f"{name} told the council on Monday that the harbour would reopen. {name}, the harbour master, "
                   "added that the boats were safe.") == {name}


def test_a_month_or_a_weekday_is_no_slip_of_a_surname():
    # 'March' and 'Monday' are one letter from 'Marsh' and 'Monda'; a month or a weekday is no misspelt surname
    found = people("Peter Marsh, 41, drove the car to the yard. Police recorded the calls made that day in March. "
                   "Ana Monda, his lawyer, spoke on Monday. Marsh denied the charge.")
    assert found["Peter Marsh"].count == 2 and found["Ana Monda"].count == 1


def test_a_surname_before_family_or_a_plural_family_word_names_the_family_not_the_person():
    # 'the Marsk family' and 'the Marsk brothers' are a family, no mention of Ivo Marsk; 'Marsk's brother' is his
    text = ("Ivo Marsk, a ferry pilot, was arrested on Monday. Marsk denied the charges. The Marsk family said "
            "they would appeal, and a lawyer for the Marsk brothers called the arrest unlawful. Marsk's brother, "
            "Tomas, was released.")
    found = people(text)
    assert found["Ivo Marsk"].count == 3
    # his partners or heirs may be one person's, not a family ('Two former Voss partners testified against him')
    found = people("Piet Voss, a property developer, was charged with fraud on Monday. Two former Voss partners "
                   "testified against him. Voss denied the charges.")
    assert found["Piet Voss"].count == 3


@pytest.mark.parametrize("name, text", [
    ("Kwame Jordan", "Striker Kwame Jordan scored twice on Saturday. Jordan said the team played for the fans."),
    ("Moshe Israel", "Moshe Israel, a fisherman from the north coast, lost his boat. Israel said it came at night."),
    ("Kofi Ghana", "Tarvia coach Kofi Ghana named his squad. Ghana said the young players were ready."),
])
def test_a_person_whose_surname_is_a_country_s_name_is_a_person(name, text):
    # given names the list lacks and a country's name as surname: still a person (round 35 dropped a rule that
    # made any name ending in a country's no person, unless a known given name or a title stood before it)
    assert name in persons(text)


def test_a_title_word_in_lower_case_as_an_adjective_marks_no_name():
    # 'major' in 'both major U.S. parties' qualifies the noun after the name, not a Major; a lower-case title the
    # parser hangs on the name itself ('assistant director-general Ana-Maria Kovel') still marks one
    assert persons("The tsunami followed a major Tarvian storm, Ana Vidal said. Tarvian officials closed the "
                   "port.") == {"Ana Vidal"}
    assert not persons("The plan was backed by major Norland banks. Norland officials said the talks would go on.")
    assert persons("WHO assistant director-general Ana-Maria Kovel said the vaccine was safe.") == {"Ana-Maria Kovel"}
    # the name owns the noun the title word hangs on: the title is still the name's
    assert "Adeyemi-Costa" in persons("Under director general Adeyemi-Costa's plan, the port would close. "
                                      "Adeyemi-Costa said it was needed.")
    assert not persons("She joined major Norvale-Tech's board in May. Norvale-Tech said sales were strong.")


@pytest.mark.parametrize("names, place", [
    (["Kiev", "Kiev"], True),  # one word, any spelling GeoNames gives a place
    (["Buenos Aires", "Buenos Aires"], True),  # several words: the name the place goes by
    (["Sierra Leone"], True),
    (["Kai Feng"], False),  # another language's spelling of Kaifeng, and a person's name
    (["Buenos Aires", "Aires"], False),  # a surname of its own: someone called after the city
    (["Ana Lee"], False),
])
def test_a_person_only_ever_called_by_a_place_name_is_that_place(names, place):
    from course.analysis.entities import _is_bare_place, _PersonDraft

    draft = _PersonDraft("", names[-1], [_m(name, 20 * n) for n, name in enumerate(names)])
    assert _is_bare_place(draft) is place


def test_a_city_the_model_called_a_person_is_a_place():
    # cities of a quarter of a million people are in the place list by their own names (a trial in new genres)
    assert not persons("Trains to Glasgow and Rotterdam were cancelled on Friday.") & {"Glasgow", "Rotterdam"}
    # but not a city whose name is also a surname: the person stays one
    assert "Lewis Hamilton" in persons("Lewis Hamilton won in Monaco on Sunday. Hamilton said the tyres held.")
    # nor one who acts as a person, though the name lists miss the name (review)
    for text, person in [
        ("Golf\n\nMatsuyama shot a 66 on Thursday to lead by two shots. \"I felt calm,\" Matsuyama said.", "Matsuyama"),
        ("Talks\n\nForeign Minister Yoshimasa Hayashi met Chiba, the trade negotiator, on Monday.", "Chiba"),
        ("Judo\n\nJudoka Adachi won gold in Paris. Adachi said she had dreamed of this.", "Adachi"),
    ]:
        assert person in persons(text), text


def test_a_titled_place_name_stays_a_person():
    from course.analysis.entities import _is_bare_place, _PersonDraft

    titled = Mention("Sierra Leone", 0, 12, "PERSON", title="Ms")
    assert not _is_bare_place(_PersonDraft("Sierra", "Leone", [titled]))


@pytest.mark.parametrize("text, person, spelling", [
    # the model tags neither bare surname a person: the hyphen splits one into three tokens, and the other opens
    # with particles in lower case
    ("Eleanor Whitfield-Osei, chief executive of the Harrowgate Shipping Line, said her firm had begun routing "
     "some cargo by rail. \"We love the canal,\" Whitfield-Osei said, \"but we cannot run a business on hope.\"",
     "Eleanor Whitfield-Osei", "Whitfield-Osei"),
    ("Not everyone agrees. Dr. Lucía de la Fuente, an engineer who advised the canal authority, said new pumps "
     "could recycle the water.\n\n\"The engineering problem is solvable,\" de la Fuente said.",
     "Lucía de la Fuente", "de la Fuente"),
])
def test_a_bare_surname_the_model_left_untagged_is_the_person_with_its_hyphen_or_particles(text, person, spelling):
    found = people(text)
    assert found[person].count == 2
    assert spelling in found[person].variants


@pytest.mark.parametrize("text, name, person", [
    # a masthead no list holds, introduced by what it is ('daily' tagged an adjective)
    ("The daily Gazeta Norte, which is close to the governing party, welcomed the deal, Foreign Minister Dana "
     "Ilic said.", "Gazeta Norte", "Dana Ilic"),
    ("The business weekly Kapital was more cautious. Its chief economist, Vesna Drobnik, wrote that the rules "
     "were vague.", "Kapital", "Vesna Drobnik"),
])
def test_a_publication_introduced_by_what_it_is_is_no_person(text, name, person):
    found = people(text)
    assert name not in found and person in found


def test_a_person_a_relative_clause_names_after_an_institutions_noun_is_still_a_person():
    assert "Priya Nair" in people("The company Priya Nair founded in 2010 was sold on Monday. Nair said she was "
                                  "proud of it.")


def test_a_place_in_a_wire_dateline_is_no_person():
    clusters = cluster_entities(parse_article("Fire trial\n\nCARLOW FALLS - A night guard told a jury that he saw "
                                              "Victor Hale carrying fuel cans.").doc)
    labels = {c.name: c.label for c in clusters}
    assert labels.get("CARLOW FALLS") != "PERSON" and labels["Victor Hale"] == "PERSON"


@pytest.mark.parametrize("text, end", [
    ("CARLOW FALLS - A night guard said", "A night guard said"),
    ("KYIV, Ukraine (AP) — Mayor Ana Voss said", "Mayor Ana Voss said"),
    ("WASHINGTON (Reuters) -- Senator Omar Lind said", "Senator Omar Lind said"),
    # the review's finds: two letters, a name in capitals, a name set off by a pair of dashes
    ("US - China trade envoy Oska Brell said", "US - China trade envoy Oska Brell said"),
    ("ANNA KOVACS - The harbour is our past.", "ANNA KOVACS - The harbour is our past."),
    ("TARVSA - the Tarvian space agency - said the launch would slip.", "TARVSA - the Tarvian space agency - said"),
])
def test_a_wire_dateline_ends_where_the_story_starts(text, end):
    assert text[dateline_end(text, 0):].startswith(end)


def test_a_name_the_model_cuts_at_a_particle_is_one_person():
    found = people("Court rules\n\nJudge Pieter van der Linden, reading the ruling, rejected the claim. Van der "
                   "Linden said the case was closed.")
    assert {name: len(c.mentions) for name, c in found.items()} == {"Pieter van der Linden": 2}


def test_a_person_run_into_the_organisation_they_work_for_is_cut_at_of():
    clusters = cluster_entities(parse_article("Ford cuts targets\n\nEmmanuel Rosner of Wolfe Research cut his price "
                                              "target; Rosner noted that rivals had done the same.").doc)
    found = {c.name: (c.label, len(c.mentions)) for c in clusters}
    assert found.get("Emmanuel Rosner") == ("PERSON", 2) and found.get("Wolfe Research") == ("ORG", 1), found


@pytest.mark.parametrize("text, place", [
    ("Bank raises rates\n\nLAGOS, Nigeria (AP) — The central bank raised rates on Tuesday.", "LAGOS"),  # tagged ORG
    ("Court rules\n\nBERLIN — A court on Wednesday ordered the firm to publish its emissions data.", "BERLIN"),
    ("Talks end\n\nHANOI, June 3 (Reuters) - The talks ended on Monday without a deal.", "HANOI"),
])
def test_a_wire_datelines_place_is_a_place(text, place):
    labels = {c.name: c.label for c in cluster_entities(parse_article(text).doc)}
    assert labels.get(place) == "GPE", labels


@pytest.mark.parametrize("text, label", [
    ("Interview\n\nHOST - Welcome back to the programme on Monday.", "HOST"),
    ("Aid\n\nUNICEF - the children's agency said on Monday it would send more aid.", "UNICEF"),
    ("Goals\n\nMBAPPE — He scored twice on Sunday.", "MBAPPE"),
    ("Deaths\n\nHARRIS, Margaret Ann — Died peacefully at home on June 3, aged 91.", "HARRIS"),
    ("Aid\n\nUNICEF, Geneva — The agency said on Monday it would send more aid.", "UNICEF"),
    ("Debate\n\nOKAFOR (Labour) — I rise to support the bill before the House.", "OKAFOR"),
])
def test_a_label_in_capitals_before_a_dash_is_no_dateline_place(text, label):
    labels = {c.name: c.label for c in cluster_entities(parse_article(text).doc)}
    assert labels.get(label) != "GPE", labels


@pytest.mark.parametrize("text, person, count", [
    ("Rates held\n\nAdriana Gómez Salinas said the board needed certainty. Gómez Salinas said it would wait.",
     "Adriana Gómez Salinas", 2),
    ("Rates held\n\nJuan Carlos de la Fuente Ortiz spoke first. Fuente Ortiz said the board would wait.",
     "Juan Carlos de la Fuente Ortiz", 2),
])
def test_two_surnames_without_the_given_name_are_the_person(text, person, count):
    found = people(text)
    assert person in found and len(found[person].mentions) == count, sorted(found)


def test_a_given_name_and_a_surname_are_not_a_longer_names_two_surnames():
    found = people("Vote\n\nAna Maria Lenz won. Maria Lenz, her cousin, lost.")
    assert {"Ana Maria Lenz", "Maria Lenz"} <= set(found), sorted(found)


def test_two_surnames_two_siblings_share_join_neither():
    found = people("Rates held\n\nAdriana Gómez Salinas and her brother Luis Gómez Salinas spoke. Gómez Salinas said "
                   "he would wait.")
    assert len(found["Adriana Gómez Salinas"].mentions) == 1 and len(found["Luis Gómez Salinas"].mentions) == 1, found


@pytest.mark.parametrize("text, name, spellings", [
    ("Trial\n\nResearchers at the Kenya Medical Research Institute (KEMRI) said the trial would start in May. "
     "KEMRI has run trials in Kilifi since 1989.", "Kenya Medical Research Institute", {"KEMRI"}),
    ("Summit\n\nThe Association of Southeast Asian Nations (ASEAN) met in Jakarta. ASEAN said it would meet again.",
     "Association of Southeast Asian Nations", {"ASEAN"}),
])
def test_an_abbreviation_with_letters_from_inside_its_words_is_the_organisation(text, name, spellings):
    clusters = {c.name: c for c in cluster_entities(parse_article(text).doc)}
    assert name in clusters and spellings <= set(clusters[name].variants), sorted(clusters)
    assert not any(c.label == "PERSON" for c in clusters.values() if set(c.variants) & spellings)


def test_an_abbreviation_of_a_persons_name_stays_a_person():
    found = people("Profile\n\nAlexandria Ocasio-Cortez (AOC) spoke first. AOC said the bill would pass.")
    assert "Alexandria Ocasio-Cortez" in found, sorted(found)


@pytest.mark.parametrize("text, joined", [
    ("Count\n\nThe University of Washington and Stanford University ran the study.",
     "Washington and Stanford University"),
    ("Count\n\nAP and NBC News projected the winner on Saturday.", "AP and NBC News"),
])
def test_two_organisations_joined_by_and_stay_two(text, joined):
    names = {c.name for c in cluster_entities(parse_article(text).doc)}
    assert joined not in names and any(name.endswith(joined.split(" and ")[1]) for name in names), sorted(names)


def test_a_maiden_name_after_nee_is_no_one_else():
    clusters = cluster_entities(parse_article("Clinic\n\nMargaret Okonkwo, née Adeyemi, founded the clinic in 1994. "
                                              "Okonkwo said she never expected it to grow.").doc)
    assert [c.name for c in clusters if "Adeyemi" in c.variants] == [], [(c.name, c.label) for c in clusters]


@pytest.mark.parametrize("text, club", [
    ("Result\n\nBlackburn Rovers lost again. The manager, Ana Lee, said the team was tired.", "Blackburn Rovers"),
    ("Result\n\nVelmo Rovers beat Kelvo Athletic 3-1 on Sunday.", "Kelvo Athletic"),
])
def test_a_football_club_is_no_person(text, club):
    assert (club, "ORG") in {(c.name, c.label) for c in cluster_entities(parse_article(text).doc)}


@pytest.mark.parametrize("text, firm", [
    ("Theft\n\nA ladder was taken from Patel and Sons Hardware on Tuesday.", "Patel and Sons"),
    ("Deal\n\nMarlow and Daughters employs 1,800 people. Its chief executive, Eleanor Marlow-Quaye, backed the sale.",
     "Marlow and Daughters"),
])
def test_a_firm_named_for_a_family_is_one_organisation(text, firm):
    clusters = {c.name: c for c in cluster_entities(parse_article(text).doc)}
    assert firm in clusters and clusters[firm].label == "ORG", sorted(clusters)
    assert all(firm not in c.variants for c in clusters.values() if c.label == "PERSON")


def test_a_full_name_with_a_particle_the_model_missed_is_found_and_two_namesakes_stay_two():
    found = people("Talks\n\nThe party's leader, Jan-Willem de Vries, said his members would not sign. De Vries, a "
                   "farmer, had been expected to lead.\n\nMaarten de Vries, an economist who is not related to the "
                   "leader, said herds would shrink.")
    assert len(found["Jan-Willem de Vries"].mentions) == 2, sorted(found)
    assert len(found["Maarten de Vries"].mentions) == 1, sorted(found)


@pytest.mark.parametrize("text, place", [
    ("Carnival\n\nRio de Janeiro hosted the parade on Sunday.", "Rio de Janeiro"),
    ("Ferry\n\nThe ferry to Santa Cruz de Tenerife sailed late.", "Santa Cruz de Tenerife"),
    ("Strike\n\nHundreds of flights were cancelled at Charles de Gaulle on Monday.", "Charles de Gaulle"),
    ("Pilgrims\n\nThe pilgrims arrived in Santiago de Compostela on Friday.", "Santiago de Compostela"),
    ("Rail\n\nThe night train runs via Santiago de Compostela twice a week.", "Santiago de Compostela"),
])
def test_a_place_with_a_particle_is_no_person(text, place):
    assert not any(place in c.variants for c in cluster_entities(parse_article(text).doc) if c.label == "PERSON")


def test_a_place_named_for_a_person_is_not_that_person():
    clusters = cluster_entities(parse_article(
        "Storm\n\nAt Amelia Okoro International, 140 flights were cancelled. The airport is named after Amelia "
        "Okoro, the first woman to fly solo across the gulf.").doc)
    okoro = [c for c in clusters if c.label == "PERSON" and "Amelia Okoro" in c.variants]
    assert len(okoro) == 1 and okoro[0].variants == ("Amelia Okoro",), [(c.name, c.variants) for c in clusters]


@pytest.mark.parametrize("text, kept", [
    ("Choir\n\nThe singer Anne Wairimu and Daughters of Zion, a choir, opened the show.", "Anne Wairimu"),
    ("Floods\n\nThe Kenya Red Cross and Partners for Resilience sent tents.", "Kenya Red Cross"),
    ("Ukraine and Partners Sign Grain Corridor Deal\n\nThe deal was signed on Monday in Kyiv.", "Ukraine"),
    ("Obama and Daughters Visit Kenya\n\nBarack Obama arrived in Nairobi with his daughters on Sunday.", "Obama"),
])
def test_and_partners_after_a_name_or_a_place_makes_no_firm(text, kept):
    clusters = cluster_entities(parse_article(text).doc)
    assert not any(" and " in c.name for c in clusters) and any(kept in c.name for c in clusters), [
        c.name for c in clusters]


@pytest.mark.parametrize("text, person", [
    ("Talks\n\nMinister of International Relations Naledi Pandor said the talks would go on. Pandor flew home.",
     "Naledi Pandor"),
    ("School\n\nMary Ellen Parish, the head teacher, said the roof leaked. Parish wrote to the council.",
     "Mary Ellen Parish"),
])
def test_a_person_whose_name_holds_a_head_word_stays_a_person(text, person):
    assert person in people(text), sorted(people(text))


VOTE = ("Costa wins Porto Verde mayoral race as rivals concede\n\nHer nearest rival, the businessman Tiago "
        "Nwosu-Ferreira, finished with 31 percent. Green candidate Anneke de Vries was third with 14 percent.\n\n"
        "Nwosu-Ferreira conceded about an hour after polls closed. In a short speech to his campaign team, he said he "
        "had called Costa to congratulate her.\n\n"
        "De Vries said her party had doubled its share of the vote since the last election.")


@pytest.mark.parametrize("text, person, mentions", [
    # the model tags only the first half of a hyphenated surname written alone, as a nationality
    (VOTE, "Tiago Nwosu-Ferreira", 2),
    # a surname with its particle, capitalised where it opens a sentence, that the model calls an organisation
    (VOTE, "Anneke de Vries", 2),
    # a name the model cuts in two around its particles
    ("Cabinet\n\nDutch Economy Minister Pieter van den Berg told parliament on Thursday that he would ask for an "
     "explanation.", "Pieter van den Berg", 1),
    # a given name the lists do not know, before a surname that opens with a capitalised particle
    ("Floods\n\nMaricel Dela Cruz, a mother of two, said the water rose in minutes. Ji-hoon Kim said boats were "
     "lost.", "Maricel Dela Cruz", 1),
    ("Local news update\n\nPádraig Mac Carthaigh, a regional organiser with the union, said the plan was wrong.",
     "Pádraig Mac Carthaigh", 1),
])
def test_a_surname_in_pieces_is_one_person(text, person, mentions):
    found = {c.name: c for c in cluster_entities(parse_article(text).doc)}
    assert found.get(person) is not None and found[person].label == "PERSON", sorted(found)
    assert len(found[person].mentions) == mentions, sorted(found)


@pytest.mark.parametrize("text, person", [
    ("Strike\n\nTransport minister Eun-ji Park urged both sides to return to talks.", "Eun-ji Park"),
    ("Summit\n\nThe envoy met Seo-yeon Lee in Seoul on Monday.", "Seo-yeon Lee"),
])
def test_a_romanised_given_name_keeps_its_surname(text, person):
    found = {c.name: c for c in cluster_entities(parse_article(text).doc)}
    assert found.get(person) is not None and found[person].label == "PERSON", sorted(found)


@pytest.mark.parametrize("text, names", [
    # particle words between two full names join nothing ('do', 'y' are particles elsewhere)
    ("Race\n\nDid Joe Biden do Donald Trump a favour by stepping aside in the race?", {"Joe Biden", "Donald Trump"}),
    ("Festival\n\nAna Torres y Marta Ruiz sang at the festival.", {"Ana Torres", "Marta Ruiz"}),
])
def test_particles_between_two_full_names_join_nothing(text, names):
    assert names <= set(people(text)), sorted(people(text))


def test_an_institution_opened_by_a_title_keeps_it():
    text = ("Fire\n\nThe Chief Inspectorate of Environmental Protection said air samples showed no danger. The Chief "
            "Rabbinate said the rules stood. Guests at the President Hotel said the lights went out. The President "
            "Ana Lee said the plant would close.")
    found = {c.name: c.label for c in cluster_entities(parse_article(text).doc)}
    assert {n: found.get(n) for n in ("Chief Inspectorate of Environmental Protection", "Chief Rabbinate",
                                      "President Hotel", "Ana Lee")} == {
        "Chief Inspectorate of Environmental Protection": "ORG", "Chief Rabbinate": "ORG", "President Hotel": "ORG",
        "Ana Lee": "PERSON"}, found
    # the one a verb addresses, then the clause: no institution (review)
    assert "President Congress" not in {c.name for c in cluster_entities(parse_article(
        "Wall\n\nPelosi told the President Congress would not fund the wall.").doc)}


@pytest.mark.parametrize("text, person", [
    ("Local news update\n\nDriver Emeka Okonkwo said he had never been on strike before.", "Emeka Okonkwo"),
    ("Local news update\n\nNurse Aisha Siddiqui, 29, was trying to get to hospital. \"It's a nightmare,\" she "
     "said.", "Aisha Siddiqui"),
])
def test_a_role_word_the_model_tagged_with_a_name_is_no_entity_of_its_own(text, person):
    assert {c.name for c in cluster_entities(parse_article(text).doc)} == {person}


def test_a_function_word_inside_a_person_span_joins_two_names():
    found = {c.name: c.label for c in cluster_entities(parse_article(
        "Dara's late winner sinks Rovers as Mendoza hails 'character'\n\nBohemians beat Shamrock Rovers 2-1.").doc)}
    assert "Mendoza" in found and not any(" as " in name for name in found), found
    # 'of' and 'the' and the particles stay inside a name
    from course.analysis.entities import _joins_two_names

    doc = parse_article("Joan of Arc met Alexander the Great and Ana de Vries.").doc
    assert not any(_joins_two_names(t) for t in doc if t.lower_ in {"of", "the", "de"})


def test_a_storm_is_no_person():
    found = persons("Storm\n\nStorm Ingrid brought winds of 90mph to Scotland on Friday. Forecasters said Ingrid would "
                    "weaken by Sunday. Typhoon Haiyan killed thousands in 2013. Cyclone Idai struck Mozambique.")
    assert not found & {"Ingrid", "Storm Ingrid", "Haiyan", "Cyclone Idai", "Idai"}, sorted(found)
    # 'Storm' is a given name too, and a storm's name may be a person's
    from course.analysis.entities import _names_a_storm, _PersonDraft, _storm_names

    text = ("Storm Reid starred. Hurricane Humberto brought winds of 90mph and closed the set. Humberto Prado said "
            "costs rose.")
    doc, storms = parse_article(text).doc, _storm_names(text)
    assert not _names_a_storm(doc, _PersonDraft("Storm", "Reid"), storms)
    assert not _names_a_storm(doc, _PersonDraft("Humberto", "Prado"), storms)
    assert _names_a_storm(doc, _PersonDraft("", "Humberto"), storms)
    assert not _storm_names(text.replace("brought winds of 90mph and ", ""))  # no weather, no storm
    # a text with no weather in it, and a storm word's name that speaks, are people's (review)
    for text in ("Sport\n\nStorm Hunter won her doubles match on Tuesday. Hunter said she was delighted.",
                 "Storm\n\nStorm Hunter brought winds of 90mph. Hunter said the roof had gone."):
        assert "Hunter" in persons(text), text


def test_letters_after_a_name_are_no_part_of_it():
    found = people("Court\n\nDefending, Jonathan Kessler KC said his client was of good character. Kessler added "
                   "that she had repaid the money. Dame Sarah Connolly DBE wrote to the court.")
    assert found["Jonathan Kessler"].count == 2 and "Sarah Connolly" in found, sorted(found)
    from course.analysis.entities import _without_post_nominals

    assert _without_post_nominals("Kim KC") == "Kim KC"  # never down to one word


def test_a_role_word_before_a_surname_with_a_particle_is_no_given_name():
    assert set(people("Match\n\nCoach De Boer said the team was tired.")) == {"De Boer"}
    # nor a word of a headline in capitals (review)
    assert set(people("Senate Clears Dela Rosa\n\nThe Senate cleared Ronald Dela Rosa of wrongdoing. Dela Rosa said he "
                      "was vindicated.")) == {"Ronald Dela Rosa"}


def test_a_name_before_a_hyphenated_word_stays_the_name():
    found = {c.name for c in cluster_entities(parse_article(
        "Laws\n\nPutin-era laws on foreign agents will stay, the Kremlin said on Monday. Putin said the laws "
        "protected Russia. A Kim-owned company in Busan said exports rose.").doc) if c.label == "PERSON"}
    assert "Putin" in found and not any(name.endswith(("-era", "-owned")) for name in found), sorted(found)


def test_a_rank_written_out_before_a_name_makes_it_a_persons():
    # the model tags 'Detective Sergeant Oluwatoyin Bakare' an organisation; two title words or more stand only
    # before a person's name, as an abbreviated title does (a trial in new genres)
    text = ("Police appeal after robbery\n\nDetective Sergeant Oluwatoyin Bakare said the force was also working "
            "with the Crown Prosecution Service but stressed that \"this is very much a live investigation\".")
    assert "Oluwatoyin Bakare" in persons(text)
    assert not {c.name for c in cluster_entities(parse_article(text).doc) if c.label == "ORG"} & {
        "Detective Sergeant Oluwatoyin Bakare", "Bakare"}


@pytest.mark.parametrize("words, name", [
    ("Detective Sergeant Oluwatoyin Bakare", "Oluwatoyin Bakare"),
    ("Det. Supt. Femi Adeyemi", "Femi Adeyemi"),
    ("General Motors", None),  # one title word also opens the names of firms
    ("Lord Chief Justice", None),  # titles only
])
def test_the_name_after_a_rank(words, name):
    from course.analysis.entities import _name_after_rank

    doc = parse_article(f"Robbery\n\n{words} spoke on Monday.").doc
    span = next(doc[t.i:t.i + len(words.split(" "))] for t in doc if t.idx == doc.text.index(words))
    found = _name_after_rank(span)
    assert (found and " ".join(t.text for t in found)) == name


def test_an_abbreviated_title_without_its_dot_opens_a_name_the_model_missed():
    # British copy writes 'Cllr' and 'Dr' without a dot; the model tags no unfamiliar name after them (a trial)
    assert "Babatunde Ogunleye" in persons("School plan\n\nCllr Babatunde Ogunleye said the schools were half empty.")
    # not an abbreviation that is a word of its own without the dot (review)
    assert "Ball" not in persons("Festivals\n\nTickets for the Gov Ball festival in New York sold out.")
    # a title after it is the rank, not a given name: 'Ms Justice Chisanga' is the judge, not 'Justice Chisanga'
    assert "Justice Chisanga" not in persons("Court\n\nMs Justice Flugence Chisanga sat alone. Ms Justice Chisanga "
                                             "said the case was closed.")


def test_a_common_noun_capitalised_to_open_a_sentence_is_no_entity():
    # the model tags 'Farmers' and 'Commuters' organisations where a headline or a sentence opens with them; the
    # text writes them in lower case elsewhere (a trial in new genres)
    text = ("Commuters stranded as signal failure halts trains\n\nFarmers protest. Trains stopped near Radom. The "
            "farmers and commuters waited for trains.")
    names = {c.name for c in cluster_entities(parse_article(text).doc)}
    assert not names & {"Commuters", "Farmers", "Trains"} and "Radom" in names


def test_a_name_the_model_cut_at_a_particle_is_one_person():
    # 'João Batista' + 'dos' + 'Santos': one name; a person's name with particles in lower case is a person's where
    # the words beside it say so (a trial in new genres)
    assert "João Batista dos Santos" in persons(
        "Forest\n\nNot everyone agrees. João Batista dos Santos, who farms cattle near the highway, says the "
        "government should pay landowners more.")
    assert "Sofía de la Cruz" in persons(
        "Markets\n\nPrices fell. Ana Sofía de la Cruz, an economist at Banco Meridional, said demand remained robust.")


def test_review_a_word_of_a_longer_name_or_an_organisation_with_particles_stays_what_it_is():
    # a one-word mention that is part of a longer name in the text stays a person's, though the text writes the
    # word in lower case too; particles in lower case make no person of a firm (review)
    found = people("Nurse honoured\n\nGrace Okafor, a nurse, stayed at the shelter. The team met on Monday. Grace "
                   "was there too. Colleagues said she worked with grace.")
    assert found["Grace Okafor"].count == 2
    assert "Casa de Campo" not in persons("Property\n\nCasa de Campo, a property developer, said sales fell in May.")
