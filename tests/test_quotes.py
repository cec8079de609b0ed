"""Quote attribution on fixtures written for the tests, plus the seed's gold annotation."""

import json
import subprocess
import sys

import pytest

from course.analysis.entities import EntityCluster, Mention
from course.analysis.quotemarks import find_quotes
from course.analysis.quotes import Attribution, cue_at, extract_attributions
from course.analysis.quotes.context import _given_name_gender
from course.analysis.quotes.model import tidy_speaker_phrase
from course.core.article import parse_article
from course.core.seeds import seeds_dir
from quote_cases import CASES

FIELDS = {"kind", "text", "start", "end", "speaker", "speaker_text", "cue", "cue_category", "source_kind"}


def attributions(text):
    return extract_attributions(parse_article(text).doc)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_attributions(name):
    text, expected = CASES[name]
    found = attributions(text)
    got = [(a.kind, a.speaker, a.source_kind) for a in found]
    for kind, piece, speaker, source_kind in expected:
        match = [a for a in found if a.kind == kind and piece in a.text]
        assert match, f"{name}: no {kind} attribution containing {piece!r}; got {got}"
        # a report inside another ('According to X, Y said ...') lies inside the outer one's text too
        match.sort(key=lambda a: (a.speaker, a.source_kind) != (speaker, source_kind))
        assert (match[0].speaker, match[0].source_kind) == (speaker, source_kind), f"{name}: {match[0]}"
    assert len(found) == len(expected), f"{name}: extra attributions {got}"


def test_a_family_name_label_beside_a_two_word_name_is_no_one():
    found = attributions("Briefing in Beijing\n\nForeign Minister Wang Yi spoke to reporter Sarah Cole in Beijing. The "
                         "ministry's spokesman, Wang Wen Bin, opened the session.\n\nWANG: We are ready to help.\n\n"
                         "COLE: Thank you.")
    assert not [a for a in found if a.speaker == "Wang Wen Bin"]


def test_a_label_before_a_colon_is_no_speaker():
    found = attributions("Local news update\n\nCorrection: An earlier version of this article stated that Ms Vega "
                         "had been fined.\n\nUpdate: Police said the road had reopened by noon.")
    assert [a.speaker_text for a in found] == ["An earlier version of this article", "Police"]


@pytest.mark.parametrize("text, report", [
    ("Ana Voss, the mayor, said the ferry company should cut its fees for islanders, which she says would bring "
     "more visitors to Kelvo.", "the ferry company should cut its fees for islanders, which she says would bring "
     "more visitors to Kelvo"),
    ("The Daily Star reports that hundreds of cinema halls have been closed down [bn].",
     "hundreds of cinema halls have been closed down"),
    ("Kelvo fees\n\nLind told the Gazette that the crew had lost the [boat].", "the crew had lost the [boat]"),
    ("Voss said the fees would rise in May (by ten percent).", "the fees would rise in May (by ten percent)"),
    ("Lind said the council would a) cut fees and b) build a new quay (by 2015).",
     "the council would a) cut fees and b) build a new quay (by 2015)"),
    ("Protesters gathered at the quay on Sunday (organisers said about 2,000 people (mostly fishermen) took part).",
     "about 2,000 people (mostly fishermen) took part"),
    ("Exports\n\nKELVO, Tarvia, June 3 (Reuters) - Tarvia expects to resume grain exports, the minister said.",
     "Tarvia expects to resume grain exports"),
    ("Exports\n\nLAGOS (Reuters) - Nigeria expects to resume grain exports, the minister said.",
     "Nigeria expects to resume grain exports"),
    # a slogan in capitals before a dash is the report's own words
    ("Rally\n\nHOUSING FOR ALL, Not Just The Rich — that was the message on the banners, organisers said.",
     "HOUSING FOR ALL, Not Just The Rich — that was the message on the banners"),
    # 'only that' opens the report; 'only that route' is the report's own subject
    ("The statement said only that one man had been arrested on Monday.", "one man had been arrested on Monday"),
    # a report of the report that closes the sentence is neither part of it nor a second one
    ("Marta Kowalski, the club's chair, said the result was deserved, the paper reported.", "the result was deserved"),
])
def test_a_report_reads_in_order_and_ends_where_its_words_end(text, report):
    """Text order, not the parse tree's; a link's language tag goes; a bracket stays when the report opens it; a
    wire dateline before it is no part of it."""
    assert [a.text for a in attributions(text) if a.kind == "indirect"] == [report]


def test_a_bracket_that_names_no_agency_makes_no_dateline():
    text = "Rally\n\nJUSTICE NOW (in red letters) — the crowd chanted the words for an hour, police said."
    assert [a.text for a in attributions(text) if a.kind == "indirect"][0].endswith(
        "(in red letters) — the crowd chanted the words for an hour")


@pytest.mark.parametrize("text, words", [
    ("The ministry of health issued new guidance on Tuesday, which says schools should stay open.",
     "schools should stay open"),
    ("The union published its report on Monday. This says that wages have fallen by a tenth since 2019.",
     "wages have fallen"),
])
def test_a_report_whose_subject_is_a_bare_which_or_this_is_still_found(text, words):
    # the parser hangs 'which' on no noun, and 'This' stands for the report: the words are still reported, whoever
    # the rules can name (round 34 dropped a rule that made such a pronoun no speaker, and lost the report)
    assert any(a.kind == "indirect" and words in a.text for a in attributions(text))


@pytest.mark.parametrize("text, speaker_text, speaker", [
    ("Some of the marchers the Herald interviewed said they had come to defend their jobs.", "Some of the marchers",
     None),
    ("Many of the residents, who had waited for hours, said the water had risen too fast.", "Many of the residents",
     None),
    ("One of these groups, the Tarvia Front, said the vote was rigged.", "One of these groups, the Tarvia Front",
     "Tarvia Front"),  # the group the text names
    # a text the subject received says what it says: not the reader's words
    ("School closed\n\nParents received letters telling them that pupils must stay home until Friday.", "letters",
     None),
    # a text read out is the reader's
    ("Floods\n\nThe mayor read a statement saying the town would rebuild every home.", "The mayor", None),
])
def test_a_part_of_a_group_is_named_as_the_text_names_it(text, speaker_text, speaker):
    (a,) = attributions(text)
    assert (a.speaker_text, a.speaker) == (speaker_text, speaker)


@pytest.mark.parametrize("text, speaker_text, speaker", [
    ('A co-author of the study wrote: "The data are clear."', "A co-author of the study", None),
    ("The co-founder added that the firm would grow.", "The co-founder", None),
    ("Brady died on Friday according to e-mails sent by her family.", "e-mails sent by her family", None),
    ("The ferry operator counter-claimed a deal between the two towns had put the cost of the bridge up.",
     "The ferry operator", None),  # the first piece of the cue is not the speaker's
    ("Co-author Ana Lee said the plan was fair.", "Co-author Ana Lee", "Ana Lee"),
    # a title joined by a preposition heads on its first word, as the parser already had it (the review's finds)
    ("The editor-in-chief of the newspaper said the story was true.", "The editor-in-chief of the newspaper", None),
    ("The editor-in-chief and the publisher said the story was true.", "The editor-in-chief and the publisher",
     None),
])
def test_a_word_the_tokenizer_split_at_its_hyphen_stays_whole_in_the_speaker(text, speaker_text, speaker):
    # the small model may take the first piece of 'co-author' as the head, which the sources table showed as 'A co'
    (a,) = attributions(text)
    assert (a.speaker_text, a.speaker) == (speaker_text, speaker)


@pytest.mark.parametrize("text, phrase, tidy", [
    ("said His brother Tariq al-Mahdi today", "His brother Tariq al-", "His brother Tariq al-Mahdi"),
    ("the vice-premier Ana Lee and Tom Berg who said", "-premier Ana Lee and Tom Berg who",
     "vice-premier Ana Lee and Tom Berg"),
    ("wrote Omer Lind (@omerlind) on Monday", "Omer Lind (@omerlind", "Omer Lind (@omerlind)"),
    ("One blogger (Ana Lee) wrote", "One blogger (Ana Lee", "One blogger (Ana Lee)"),
    ("[pt] Paulo Tell said", "pt] Paulo Tell", "Paulo Tell"),
    ('"Harbour Song" suggests', 'Harbour Song"', '"Harbour Song"'),
    ('"Great," forum user "kelvo99" wrote', '" forum user "kelvo99', 'forum user "kelvo99"'),
    ('said the group "Friends of the Harbour," on Tuesday', 'the group "Friends of the Harbour',
     'the group "Friends of the Harbour,"'),
    ("about to leave, [the group's leader] said", "the group's leader]", "[the group's leader]"),
    ("Kelvowatch: we are here", "Kelvowatch:", "Kelvowatch"),
    ("said study co-author and fellow Ana How", "study co-author and", "study co-author"),
    ("Tarvia, 25-year-old Mira said", ", 25-year-old Mira", "25-year-old Mira"),
    ("Nick (Tom) Lee said", "Nick (Tom) Lee", "Nick (Tom) Lee"),  # balanced: left alone
    ("the U.S. said", "the U.S.", "the U.S."),
    # the review's finds against the first form: names in capitals, heights, and a bracket too far to mend
    ("said Dr Ana Lee of the WHO today", "Dr Ana Lee of the WHO", "Dr Ana Lee of the WHO"),
    ("the consumer group Which said", "the consumer group Which", "the consumer group Which"),
    ('the 6\'2" center Ana Lee said', 'the 6\'2" center Ana Lee', 'the 6\'2" center Ana Lee'),
    ("the party's leader (Tom Berg, 52) said", "the party's leader (Tom Berg", "the party's leader (Tom Berg"),
])
def test_a_speaker_phrase_is_tidied_at_its_edges(text, phrase, tidy):
    # the rules take phrases from the parse, which the small model's tokens and misparses cut anywhere; the sources
    # table showed 'Omer Abdellatif (@OmerAbdellatif', 'pt] Paulo Teixeira', 'His brother Mohammed al-'
    start = text.index(phrase)
    begin, end = tidy_speaker_phrase(text, start, start + len(phrase))
    assert text[begin:end] == tidy


def test_lets_is_the_writer_speaking_not_a_source():
    # the 's of "let's" is 'us': the writer, not a source named "'s"
    assert attributions("Nobody will help her. But let's first observe what will happen in the next days.") == []


def test_a_speaker_phrase_stops_at_the_paragraph_break_the_parser_ran_over():
    # with no full stop after the name, the parser runs the sentence on into the next paragraph and hangs the break
    # on the name: the sources table showed 'Alan\n\n'
    text = ("For Alan (García), the protest is pure manipulation. “They want to see Peru kneel” said Alan\n\n"
            "Miguel Tavera pe1us0:\n\nThere are no medicines in the hospital.")
    (a,) = attributions(text)
    assert (a.speaker_text, text[a.speaker_start:a.speaker_end]) == ("Alan", "Alan")


@pytest.mark.parametrize("text, relative", [
    ('Tom Hale updated his account on Tuesday, which read, "Shelling all night."', "which"),
    ("The board fired chief executive Hal Moray on Friday, which said in a filing that he had breached his contract.",
     "which"),
    ("The ministry sent a letter to the governor on Friday, who replied that he would not resign.", "who"),
])
def test_a_relative_clause_hung_on_a_day_is_left_unresolved(text, relative):
    # the parser hangs 'which read' on the date before it: a day writes nothing, and what the relative stands for
    # is a guess (the review: the verb's object made Hal Moray his own accuser), so it is shown unresolved, as an
    # unresolved pronoun is, and the report is kept
    (a,) = attributions(text)
    assert (a.speaker, a.speaker_text, a.source_kind) == (None, relative, "unattributed")


def test_a_noun_in_ing_runs_on_into_quoted_words_and_is_no_cue():
    # 'ruling' is a noun here, not a participle tagged as one: the cue stays 'called'
    (a,) = attributions("Union leader Odel Marsk called the Supreme Court ruling \"a disgrace\" on Monday.")
    assert (a.kind, a.speaker, a.cue) == ("partial", "Odel Marsk", "called")


def test_a_pronoun_refers_back_to_one_of_a_group_of_people():
    text = ("The ferry ran aground before dawn. One of the passengers, who was travelling with his son, described "
            "the night. \"We were cold and nobody told us anything,\" he said.")
    (a,) = attributions(text)
    assert (a.speaker_text, a.speaker, a.source_kind) == ("one passenger", None, "described")


def test_one_of_them_refers_back_to_a_group_of_people():
    # 'One of them' and the parser's 'that one' after 'but' are one of the people the sentence before counted
    text = ("Six fishermen were pulled from the water on Monday. One of them told the local radio, \"We thought the "
            "boat would hold.\"\n\nMost of the guards stayed silent, but one said \"The gate was never locked.\"")
    found = [(a.speaker_text, a.speaker, a.source_kind) for a in attributions(text)]
    assert found == [("one fisherman", None, "described"), ("one guard", None, "described")]


def test_a_semicolon_before_the_cue_ends_what_the_cue_reports():
    # the narrator's own clause before the semicolon is not part of what the officials said
    text, _ = CASES["a_semicolon_before_the_cue_ends_what_the_cue_reports"]
    reports = [a.text for a in attributions(text)]
    assert reports and not [r for r in reports if "guardrail" in r], reports


def test_a_quotation_inside_a_quotation_is_flagged_as_second_hand():
    text, _ = CASES["a_quotation_inside_a_quotation_is_the_speech_of_the_one_its_cue_names"]
    nested = [a for a in attributions(text) if "nested" in a.flags]
    assert [(a.text, a.kind) for a in nested] == [("Were you afraid?", "direct"),
                                                  ("I was too angry to be afraid.", "direct")]
    assert all(text[a.start:a.end] == a.text for a in nested)


def test_a_speaker_phrase_never_runs_into_the_quotation():
    # the small model hangs the quoted clause on the subject: the phrase is still only the subject's own words
    text = ('In a statement released after the raid, the Tarvik Defence Ministry justified the strike as "defensive" '
            'in nature: "The army has taken decisive action to protect its people."')
    (direct,) = [a for a in attributions(text) if a.kind == "direct"]
    assert (direct.speaker, direct.speaker_text) == ("Tarvik Defence Ministry", "the Tarvik Defence Ministry")
    assert text[direct.speaker_start:direct.speaker_end] == direct.speaker_text


def test_attribution_fields_and_offsets():
    text = "“We will rebuild the bridge before winter,” Mayor Ana Lopez said on Monday."
    (a,) = attributions(text)
    assert type(a) is Attribution
    assert text[a.start:a.end] == a.text == "We will rebuild the bridge before winter"
    assert (a.cue, a.cue_category, a.speaker_text) == ("said", "neutral", "Mayor Ana Lopez")
    assert text[a.speaker_start:a.speaker_end] == "Mayor Ana Lopez"
    assert set(a.to_dict()) >= FIELDS


@pytest.mark.parametrize(
    "text, content",
    [
        ('He said "yes" today.', ["yes"]),
        ("“Curly,” she said.", ["Curly"]),
        ("«Guillemets»", ["Guillemets"]),
        ("„German“ style", ["German"]),
        ('"Straight open, curly close.” End.', ["Straight open, curly close."]),
        ("It’s the workers’ union.", []),
        ("She said ‘single quotes’ too.", ["single quotes"]),
        ('"Open and never closed\nNext paragraph.', ["Open and never closed"]),
        # a text that quotes in straight single marks only: they are its quotation marks (a trial in new genres)
        ("'We will sail,' she said. 'Not today.'", ["We will sail", "Not today."]),
        ("Sir Alan told her: 'Your customers have heard that promise before.'",
         ["Your customers have heard that promise before."]),
        # apostrophes, scare quotes and names in them, or straight single marks beside double ones, quote nothing
        ("The players' union met the owners' group on Monday.", []),
        ("The 'ghost' ferries stay at the 'Harbour Watch' quay.", []),
        ("\"We will sail,\" she said of the 'boutique, new' kiosks.", ["We will sail"]),
    ],
)
def test_find_quotes_handles_every_style(text, content):
    assert [q.text for q in find_quotes(text)] == content


def test_cue_categories_come_from_the_lexicon():
    doc = parse_article("Ana claimed it. Bo said it. Cy summed up the day. Di warned them.").doc
    cues = {t.text: cue_at(t) for t in doc if cue_at(t)}
    assert {k: (c.lemma, c.category) for k, c in cues.items()} == {
        "claimed": ("claim", "evaluative"), "said": ("say", "neutral"),
        "summed": ("sum up", "descriptive"), "warned": ("warn", "evaluative"),
    }


@pytest.mark.parametrize("name", ["addressee_cues.txt", "directive_cues.txt", "gerund_cues.txt", "question_cues.txt"])
def test_cue_lists_hold_only_cues_of_the_lexicon(name):
    from course.core.lexicons import table, word_set

    cues = {row[0].strip().lower() for row in table("reporting_verbs.tsv")}
    listed = word_set(name)
    assert listed and listed <= cues, f"{name}: not in reporting_verbs.tsv: {sorted(listed - cues)}"


def test_seed_direct_quotes_match_the_gold_annotation(cache_dir):
    from course.core.article import load_article
    from course.evaluation.gold import load_gold_attributions
    from course.evaluation.scores import score_attributions

    gold = load_gold_attributions(seeds_dir() / "attributions.json")
    found = extract_attributions(load_article().doc)
    direct = score_attributions(found, gold, "direct")
    assert direct.precision >= 0.95 and direct.found_with_right_speaker >= 0.95
    for kind in ("partial", "indirect"):
        assert score_attributions(found, gold, kind).found_with_right_speaker >= 0.75


def test_gold_attributions_point_into_the_article():
    data = json.loads((seeds_dir() / "attributions.json").read_text(encoding="utf-8"))
    text = (seeds_dir() / "article.txt").read_text(encoding="utf-8")
    for a in data["attributions"]:
        assert a["kind"] in {"direct", "partial", "indirect"}
        assert 0 <= a["start"] < a["end"] <= len(text)
        if a["kind"] != "indirect":
            assert text[a["start"]:a["end"]] == a["text"]


def test_cli_quotes_json(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(CASES["inverted_with_apposition"][0], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "course", "quotes", str(path), "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (quote,) = json.loads(result.stdout)
    assert {k: quote[k] for k in ("kind", "speaker", "cue", "cue_category", "source_kind")} == {
        "kind": "direct", "speaker": "Tom Baker", "cue": "said", "cue_category": "neutral", "source_kind": "named"}
    assert set(quote) >= FIELDS


def test_a_wire_dateline_is_cut_from_the_speaker_phrase():
    found = attributions("Fire trial\n\nCARLOW FALLS - A night security guard told a jury that he saw smoke.\n\n"
                         "TARVSA - the Tarvian space agency - said the launch would slip to June.")
    assert [a.speaker_text for a in found] == ["A night security guard", "TARVSA - the Tarvian space agency"]


def test_a_speaker_the_parser_gives_the_cue_to_ends_before_it():
    text = "A resident reported on Monday that his electric bicycle had been taken from a locked shed."
    assert [a.speaker_text for a in attributions(text)] == ["A resident"]


@pytest.mark.parametrize("name, gender", [
    ("Luísa Costa", "f"), ("Zsófia Kertész", "f"), ("Clémentine Nkweta", "f"), ("Gábor Kertész", "m"),
    ("Andrée Morel", "f"),  # the lists also have Andree, a man's name: the accented spelling is looked up first
    ("René Martin", "m"), ("Renée Dubois", "f"),
])
def test_a_given_name_with_accents_has_its_gender(name, gender):
    cluster = EntityCluster(name, "PERSON", (Mention(name, 0, len(name), "PERSON"),))
    assert _given_name_gender(cluster) == gender


def test_a_report_ends_before_the_joint_to_the_next_cue():
    # the parser leaves the 'but' before a second cue on the first report's clause (a trial in new genres)
    found = attributions("Police appeal after robbery\n\nBakare said officers were also working with the Crown "
                         "Prosecution Service but stressed that \"this is very much a live investigation\".")
    reports = [a.text for a in found if a.kind == "indirect"]
    assert reports == ["officers were also working with the Crown Prosecution Service"]
