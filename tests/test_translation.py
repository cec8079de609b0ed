"""Traces of translation: name spellings, place-name style, and careless-translation artefacts, on test texts."""

import dataclasses

import pytest

from course.analysis.entities import EntityCluster, Mention, cluster_entities
from course.analysis.translation import (
    NO_MAIN_VERB,
    NO_REPORTING_VERB,
    PAGE_FURNITURE,
    Artefact,
    NameVariants,
    PlaceStyleCheck,
    name_variants,
    page_furniture,
    place_style_checks,
    place_styles,
    translation_artefacts,
)
from course.core.article import load_article, parse_article


def cluster(name, *texts, label="PERSON"):
    mentions, at = [], 0
    for text in texts:
        mentions.append(Mention(text, at, at + len(text), label))
        at += len(text) + 1
    return EntityCluster(name, label, tuple(mentions))


# --- name variants ----------------------------------------------------------------------------


def test_name_variants_lists_romanisations_in_order_with_counts():
    people = [
        cluster("Yevgeny Prigozhin", "Yevgeny Prigozhin", "Prigogine", "Prigozhin's", "Armageddon"),
        cluster("Ana Lee", "Ana Lee", "Lee"),
        cluster("Vladimir Putin", "Vladimir Putin", "PUTIN"),
        cluster("Prigogine Institute", "Prigogine Institute", "Prigozhin Institute", label="ORG"),
    ]
    (found,) = name_variants(people)
    assert type(found) is NameVariants
    assert (found.person, found.spellings, found.counts) == ("Yevgeny Prigozhin", ("Prigozhin", "Prigogine"), (2, 1))
    assert [m.text for m in found.mentions] == ["Yevgeny Prigozhin", "Prigogine", "Prigozhin's"]  # not the nickname


def test_name_variants_from_a_parsed_text():
    doc = parse_article("Marshal Georgy Zhukov led the defence of Moscow. Zhukov later wrote memoirs. "
                        "French historians spell the name Joukov.").doc
    (found,) = name_variants(cluster_entities(doc))
    assert (found.person, found.spellings, found.counts) == ("Georgy Zhukov", ("Zhukov", "Joukov"), (2, 1))


def test_look_alike_names_are_not_variants():
    assert name_variants([cluster("Hillary Clinton", "Hillary Clinton", "Clifton")]) == []


def test_seed_article_has_two_people_with_variant_spellings(cache_dir):
    found = {v.person: v.spellings for v in name_variants(cluster_entities(load_article().doc))}
    assert found == {"Yevgeny Prigozhin": ("Prigozhin", "Prigogine"), "Ilya Ponomaryev": ("Ponomaryev", "Ponomarjov")}


# --- place-name style -------------------------------------------------------------------------------


def test_place_style_checks_with_exceptions_and_suggestions():
    text = "I ate chicken Kiev in kiev. Kievan Rus was old; Kievans and KIEV-backed groups met in Odessa and Lvov."
    checks = place_style_checks(text)
    assert all(type(c) is PlaceStyleCheck for c in checks)
    assert [(c.text, c.is_exception, c.suggestion) for c in checks] == [
        ("Kiev", True, "Kiev"), ("kiev", False, "Kyiv"), ("Kievan", True, "Kievan"), ("Kievans", False, "Kyivans"),
        ("KIEV", False, "Kyiv"), ("Odessa", False, "Odesa"), ("Lvov", False, "Lviv"),
    ]
    assert all(text[c.start:c.end] == c.text for c in checks)
    assert checks[0].source == "AP2019" and checks[-1].preferred == "Lviv"


def test_names_that_only_start_like_a_place_are_left_alone():
    assert place_style_checks("Kyiv, Lviv and Odesa; the patronymic Lvovich; the Kievskaya metro station.") == []


def test_place_styles_come_from_the_data_file():
    styles = {s.form: s for s in place_styles()}
    assert styles["Kiev"].preferred == "Kyiv" and styles["Kiev"].exceptions == ("chicken Kiev", "Kievan Rus")
    assert styles["Kharkov"].preferred == "Kharkiv" and styles["Kharkov"].exceptions == ()


def test_seed_article_uses_kiev_six_times(cache_dir):
    checks = place_style_checks(load_article().text)
    assert [c.text for c in checks] == ["Kiev"] * 6 and not any(c.is_exception for c in checks)


# --- artefacts ----------------------------------------------------------------------------------------

BROKEN = ("The mayor met the council on Monday.\n"
          "\"We will not give up,\" Ana Lopez, a former officer who led the protest.\n"
          "The meeting ended late.\n"
          "Translation: JD\n"
          "Bonus video:")


def test_translation_artefacts_finds_each_kind():
    found = translation_artefacts(parse_article(BROKEN).doc)
    assert all(type(a) is Artefact for a in found)
    assert [(a.kind, a.text) for a in found] == [
        (NO_MAIN_VERB, "\"We will not give up,\" Ana Lopez, a former officer who led the protest."),
        (NO_REPORTING_VERB, "We will not give up,\" Ana Lopez"),
        (PAGE_FURNITURE, "Translation: JD"),
        (PAGE_FURNITURE, "Bonus video:"),
    ]
    assert all(BROKEN[a.start:a.end] == a.text for a in found)
    assert found[2].note.startswith("credit") and found[3].note.startswith("leftover")
    assert "Ana Lopez" in found[1].note


def test_furniture_counts_only_at_the_end():
    text = "The mayor met the council on Monday.\nTranslation: JD\nThe story goes on with more words about the council."
    assert page_furniture(text) == []
    kinds = [a.kind for a in translation_artefacts(parse_article(text).doc)]
    assert PAGE_FURNITURE not in kinds


def test_long_last_lines_are_not_furniture():
    text = ("The mayor met the council.\n"
            "Photo: a long caption that goes on and on about the council meeting and the people in it")
    assert page_furniture(text) == []


def test_a_well_formed_text_has_no_artefacts():
    text = ('"We will rebuild the bridge," said Ana Lopez, the mayor.\n'
            "The council agreed. Work starts in May.")
    assert translation_artefacts(parse_article(text).doc) == []


def test_verbless_sentence_outside_quotes_is_flagged():
    text = "Storms hit the coast. Heavy rain and strong winds across the region."
    (found,) = translation_artefacts(parse_article(text).doc)
    assert (found.kind, found.text) == (NO_MAIN_VERB, "Heavy rain and strong winds across the region.")


def test_seed_article_artefacts(cache_dir):
    article = load_article()
    found = translation_artefacts(article.doc)
    assert [a.kind for a in found] == [NO_MAIN_VERB, NO_REPORTING_VERB, PAGE_FURNITURE, PAGE_FURNITURE]
    assert [a.text for a in found if a.kind == PAGE_FURNITURE] == ["Translation: SK", "Bonus video:"]
    assert "Igor Girkin" in found[0].text and found[1].text.endswith("Igor Girkin")
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].kind = "x"


def test_a_byline_is_not_a_translation_artefact():
    from course.analysis.translation import NO_MAIN_VERB, translation_artefacts

    doc = parse_article("Ferries stay in port\n\nBy Maria Okafor\n\nThe ferries stayed in port on Monday.").doc
    assert not [a for a in translation_artefacts(doc) if a.kind == NO_MAIN_VERB and "Okafor" in a.text]


@pytest.mark.parametrize("text", [
    "Solar deal signed\n\nROTTERDAM — A Dutch group signed a deal on Wednesday to build a solar farm.",
    "Bank holds rates\n\nThe bank held its rates.\n\n(Reporting by Ana Lee; Editing by Mark Dwyer)",
    "Cable cars\n\nBy Lucia Ortiz\nTranslated from the Spanish by Mark Bennett\n\nThe city opened a new line.",
    # the model makes 'THE HAGUE' the sentence's root and 'ordered' a modifier of it
    "Court orders Shell to disclose data\n\nBy Sanne de Vries\n\nTHE HAGUE — A Dutch appeals court on Wednesday "
    "ordered Shell to publish detailed data on emissions from the products it sells, handing a partial victory to "
    "the environmental group Milieudefensie.",
])
def test_a_dateline_or_a_credit_line_is_not_a_translation_artefact(text):
    from course.analysis.translation import NO_MAIN_VERB, translation_artefacts

    assert [a.text for a in translation_artefacts(parse_article(text).doc) if a.kind == NO_MAIN_VERB] == []


def test_a_verbless_sentence_after_a_dateline_is_still_flagged():
    text = "Mill town\n\nKELVO — A town that lost its mill and most of its jobs.\n\nThe council met on Monday."
    found = [a.text for a in translation_artefacts(parse_article(text).doc) if a.kind == NO_MAIN_VERB]
    assert found == ["KELVO — A town that lost its mill and most of its jobs."]


def test_a_headline_is_not_a_translation_artefact():
    text = "Fire at Halcott mill\n\nCrews fought the blaze all night. Heavy rain and strong winds across the region."
    found = [a.text for a in translation_artefacts(parse_article(text).doc) if a.kind == NO_MAIN_VERB]
    assert found == ["Heavy rain and strong winds across the region."]  # the body is still read
