"""The source audit: input formats, bad input through the API and the CLI, and the report's
contents on the seed and on three articles written for the tests."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import course
from course.analysis.provenance import provenance_checklist
from course.analysis.translation import page_furniture
from course.core.textio import markdown_to_text, prepare_text, read_text_file
from course.errors import InputError
from course.explore.report import source_audit

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd)


# --- input formats -------------------------------------------------------------------------

def test_html_page_is_reduced_to_the_article():
    text = read_text_file(ARTICLES / "election_page.html")
    assert "Opposition claims victory" in text and "«We have won" in text
    assert "Subscribe" not in text and "Log in" not in text


def test_markdown_is_reduced_to_plain_paragraphs():
    text = read_text_file(ARTICLES / "city_budget.md")
    assert text.splitlines()[0] == "Council approves a smaller budget after a long night"
    assert "*" not in text and "#" not in text


def test_markdown_soft_line_breaks_become_spaces():
    assert markdown_to_text("A line\nwrapped here.\n\nNext.") == "A line wrapped here.\nNext."
    assert markdown_to_text("See [the original](https://example.org/a).") == "See the original (https://example.org/a)."


def test_bom_and_windows_line_endings(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeffOfficials said the bridge would reopen.\r\nIt had been closed for a year.\r\n".encode())
    assert read_text_file(path) == "Officials said the bridge would reopen.\nIt had been closed for a year.\n"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "is empty"),
        ("   \n\t", "is empty"),
        ("Der Präsident sagte am Montag, dass die Regierung die Lage genau beobachte, und die Truppen "
         "seien auf dem Weg nach Moskau, berichteten russische Medien am Abend.", "does not look like English"),
        ("<html><body><script>var x = 1;</script></body></html>", "no article text found"),
    ],
)
def test_bad_text_through_the_api_is_one_line(text, fragment):
    with pytest.raises(InputError) as info:
        course.report(text, name="pasted")
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_an_english_brief_full_of_names_is_english():
    text = ("Storm\n\nStorm Ingrid brought winds of 90mph to Scotland on Friday. Hurricane Milton hit Florida. "
            "Forecasters said Ingrid would weaken by Sunday. Typhoon Haiyan killed thousands in 2013. Cyclone Idai "
            "struck Mozambique. Tropical Storm Humberto was upgraded.")
    assert prepare_text(text) == text


@pytest.mark.parametrize("text", [
    "Angela Merkel, Olaf Scholz und Friedrich Merz trafen sich am Montag in Berlin mit Emmanuel Macron und Giorgia "
    "Meloni, berichteten ARD und ZDF.",
    # German writes its nouns with capitals, so its words in lower case are mostly function words, some shared with
    # English ('in', 'am'): the review's brief
    "Feuer in Wohnhaus\n\nIn Köln ist am Dienstagabend ein Feuer in einem Mehrfamilienhaus ausgebrochen. Die "
    "Feuerwehr war mit 60 Einsatzkräften vor Ort. Ein Sprecher sagte, alle Bewohner seien in Sicherheit gebracht "
    "worden.",
])
def test_a_foreign_brief_full_of_names_is_refused(text):
    with pytest.raises(InputError, match="does not look like English"):
        prepare_text(text)


def test_short_foreign_phrases_inside_english_are_fine():
    text = "The crowd chanted “Slava Ukraini” as the minister said the border would stay open for aid convoys."
    assert prepare_text(text) == text


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("empty.txt", b"", "is empty"),
        ("binary.bin", bytes(range(256)), "binary"),
        ("latin1.txt", "caf\xe9 cr\xe8me br\xfbl\xe9e".encode("latin-1"), "not UTF-8"),
        ("german.txt", ("Der Präsident sagte am Montag, dass die Regierung die Lage genau beobachte und dass die "
                        "Truppen auf dem Weg nach Moskau seien, berichteten russische Medien.").encode(), "English"),
        ("missing.txt", None, "no such file"),
    ],
)
def test_bad_files_through_the_cli(tmp_path, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_cli("report", str(path), "-o", str(tmp_path / "out.html"))
    assert result.returncode == 2 and fragment in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out.html").exists()


# --- provenance --------------------------------------------------------------------------

def test_provenance_checklist_finds_and_misses():
    found = {c.check: c for c in provenance_checklist(read_text_file(ARTICLES / "harbour_flood.txt"))}
    assert found["byline"].present and found["byline"].evidence == "By Ana Lee"
    assert found["date"].present and found["outlet"].present
    assert not found["translation_credit"].present and not found["original_link"].present


@pytest.mark.parametrize("line, present", [
    ("Translated from the Spanish by Mark Bennett", True), ("(Translated into English by Ana Lee)", True),
    ("Translated by Ana Lee", True), ("Translation: Ana Lee", True), ("Translators worked through the night.", False),
    ("Translation of the treaty took three years.", False),
    ("Translated by: Maria Costa", True), ("Translation and editing by Ana Lee", True),
    ("Translated by our newsroom staff", True),
])
def test_a_translators_credit_is_found_wherever_it_stands(line, present):
    text = f"Cable cars\n\nBy Lucia Ortiz\n{line}\n\nThe city opened a line."
    found = {c.check: c for c in provenance_checklist(text)}
    assert found["translation_credit"].present == present


@pytest.mark.parametrize("line, present", [
    ("(Reporting by Ana Lee; Editing by Mark Dwyer)", True), ("Additional reporting by Ben Ruiz", True),
    ("Written by Ana Lee", True), ("(Editing by Mark Dwyer)", False),
    ("Writing by candlelight, the poet finished.", False), ("Written and directed by Ana Morel.", False),
])
def test_a_wire_credit_line_names_the_author(line, present):
    found = {c.check: c for c in provenance_checklist(f"Bank holds rates\n\nThe bank held its rates.\n\n{line}\n")}
    assert found["byline"].present == present and found["byline"].evidence == (line if present else None)


@pytest.mark.parametrize("line, check, present", [
    ("The Northgate Chronicle, 9 May 2025", "outlet", True), ("The Northgate Chronicle, 9 May 2025", "date", True),
    ("By Daniel Reyes | TechWire Daily | October 2, 2025", "outlet", True),
    ("By Daniel Reyes | TechWire Daily | October 2, 2025", "date", True),
    ("The Elmsford Courier", "outlet", True), ("Friday 7 March 2025", "date", True),
    ("KELVO, Sept. 3, 2025 — The shipping group agreed to buy the yard.", "date", True),
    ("This article was first published in El Heraldo on 3 March 2025.", "outlet", True),
    ("Republished with permission from the Kelvo Times.", "outlet", True),
    ("Reviewed by Sophie Brandt", "byline", True), ("Interview by Tomasz Wisniewski", "byline", True),
    ("Live blog by Ji-woo Han and Rafael Ortega", "byline", True),
    ("Compiled by Chen Jiahui. Translated from the Spanish by Olga Lebedeva.", "translation_credit", True),
    # the same words in the story's own sentences are no provenance
    ("The council will vote on the plan on 9 May 2025", "date", False),
    ("The virus first appeared in December in Wuhan.", "outlet", False),
    ("Local papers frequently reprinted these posts.", "outlet", False),
    ("The Vegetarian, by Han Kang. Translated from the Korean by Deborah Smith.", "translation_credit", False),
    # a caption, a life's dates, a headline, subheadings, a party's name, a hoax's spread, a sentence's opener (review)
    ("Protesters in Nairobi on 25 June 2024.", "date", False), ("Born 3 June 1941", "date", False),
    ("Kenya Sets Election Date for August 9, 2027", "date", False), ("Book Review", "outlet", False),
    ("A Rising Star", "outlet", False), ("Rising Star", "outlet", False), ("Breaking News", "outlet", False),
    ("Independent", "outlet", False),
    ("The post was first published on Facebook and later republished by dozens of accounts.", "outlet", False),
    ("Written in exile in 1974, the memoir waited. Translated from the Portuguese by Ana Reis.",
     "translation_credit", False),
    ("Interviewed by BBC Radio on Tuesday, the health minister said the wards were full.", "byline", False),
    ("Reviewed by Ofsted inspectors in May, the academy kept its rating.", "byline", False),
    # a life's span, the report an article covers, a book's later history (second review)
    ("Mary Wanjiru Kamau, 3 June 1941 – 12 May 2025", "date", False),
    ("The report was first published in 2019 and revised twice.", "outlet", False),
    ("The novel was reprinted by Heinemann in 1987.", "outlet", False),
    ("By then, the novel had sold widely. Translated into Swahili by Ali Musa, it sold again.", "translation_credit",
     False),
])


def test_provenance_in_a_header_line(line, check, present):
    found = {c.check: c for c in provenance_checklist(f"Yard sold\n\n{line}\n\nThe yard employs 1,800 people.\n")}
    assert found[check].present == present, found[check]


def test_a_header_line_counts_only_at_the_top():
    body = "\n\n".join(f"Paragraph {n} of the story says what happened on the quay." for n in range(6))
    for line, check in [("NAIROBI, June 25, 2024 — Protesters stormed parliament.", "date"),
                        ("Gor Mahia – AFC Leopards, Sunday 12 April 2025", "date"), ("The Gold Standard", "outlet")]:
        found = {c.check: c for c in provenance_checklist(f"Yard sold\n\n{body}\n\n{line}\n")}
        assert not found[check].present, (line, found[check])
        found = {c.check: c for c in provenance_checklist(f"Yard sold\n\n{line}\n\n{body}\n")}
        assert found[check].present and found[check].evidence == line, (line, found[check])


def test_page_furniture_is_only_trailing_label_lines():
    found = page_furniture("Story.\nPhoto: Ana Lee\nBonus video:")
    assert [a.text for a in found] == ["Photo: Ana Lee", "Bonus video:"]
    assert page_furniture("Note: this is mid-text.\nThe story goes on here at length.") == []


# --- reports ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_report():
    from course.core.seeds import seed_text

    return source_audit(seed_text(), "seed article")


def test_seed_report_key_contents(seed_report):
    page = seed_report.html()
    missing = [c.check for c in seed_report.provenance if not c.present]
    assert {"byline", "date", "outlet"} <= set(missing)
    assert seed_report.furniture[-1] == "Bonus video:"
    top = seed_report.entities[seed_report.entities["label"] == "PERSON"].iloc[0]["entity"]
    assert top in page and "<img src='data:image/png;base64," in page
    assert "alt='" in page and page.count("<section>") >= 3
    assert len(seed_report.sources) >= 15
    assert page.startswith("<!DOCTYPE html>") and "http" not in page.split("<body>")[1].split("<img")[0]


EXPECTED = {
    "harbour_flood.txt": {"present": {"byline", "date", "outlet"},
                          "sources": {"Helen Park", "Maria Rossi", "Tom Baker"}, "kinds": {"named", "described"}},
    "city_budget.md": {"present": {"byline", "date", "outlet"}, "sources": {"Lena Ortiz", "Jan Novak"},
                       "kinds": {"named", "described", "unnamed"}},
    "election_page.html": {"present": {"byline", "outlet"}, "sources": {"Irina Volkova", "Oleg Titov"},
                           "kinds": {"named", "described", "unnamed"}},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_article_reports(name):
    expected = EXPECTED[name]
    report = source_audit(read_text_file(ARTICLES / name), name)
    present = {c.check for c in report.provenance if c.present}
    assert expected["present"] <= present
    assert expected["sources"] <= set(report.sources["source"])
    assert expected["kinds"] <= set(report.sources["source_kind"])
    page = report.html()
    for source in expected["sources"]:
        assert source in page


def test_cli_report_writes_html(tmp_path):
    out = tmp_path / "audit.html"
    result = run_cli("report", str(ARTICLES / "election_page.html"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Irina Volkova" in page and "<title>Source audit" in page


def test_course_report_shows_in_jupyter():
    report = course.report((ARTICLES / "harbour_flood.txt").read_text(encoding="utf-8"), "flood")
    shown = report._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "Helen Park" in shown and "<body>" not in shown
    assert "Helen Park" in report.html()


HOSTILE = (
    'Harbour wall <script>alert("flood")</script> fails\n'
    "By Ana Lee\n"
    'The sea wall at Port Elwin failed on Sunday night, flooding the harbour district.\n'
    '“The <script>steal()</script> wall was never built for that, and everyone "knew" it,” '
    "said Helen Park, a hydrologist.\n"
    'Mayor Tom Baker said the town would ask for <b>emergency</b> funds from the "national" government.\n'
)


def test_everything_from_the_article_is_escaped():
    from html.parser import HTMLParser

    report = source_audit(HOSTILE, 'flood <script>x()</script> "draft"', kind="text")
    page = report.html()
    assert "Helen Park" in set(report.sources["source"]) and any("<script>" in a.text for a in report.attributions)
    assert "<script" not in page and "<b>emergency</b>" not in page
    assert "&lt;script&gt;steal()&lt;/script&gt;" in page  # the quotation, as text
    assert "<title>Source audit: flood &lt;script&gt;x()&lt;/script&gt; &#34;draft&#34;</title>" in page
    assert "&#34;national&#34; government" in page and '"national"' not in page
    sources = re.findall(r"\bsrc='([^']*)'", page)  # offline: every image is inside the page
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources) and "<link" not in page

    class Frame(HTMLParser):
        def handle_starttag(self, tag, attrs):
            self.tag, self.attrs = tag, dict(attrs)

    frame = Frame()
    frame.feed(report._repr_html_())
    assert frame.tag == "iframe" and frame.attrs["srcdoc"] == page  # the page survives the attribute intact
    assert frame.attrs["title"] == 'Source audit: flood <script>x()</script> "draft"'
