"""Charts carry titles, labels, safe colours and a summary; explorers show what their controls select."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course.core.article import load_article  # noqa: E402
from course.explore.html import mentions_html  # noqa: E402
from course.explore.palette import OKABE_ITO  # noqa: E402
from course.explore.plots import plot_entity_counts, summarise_counts  # noqa: E402
from course.explore.widgets import MERGED, RAW, EntityExplorer  # noqa: E402


def _table():
    return pd.DataFrame([
        {"entity": "Ana Lee", "label": "PERSON", "merged_count": 5, "raw_spelling": "Lee", "raw_count": 3,
         "variants": "Ana Lee, Lee"},
        {"entity": "Bo Kim", "label": "PERSON", "merged_count": 2, "raw_spelling": "Bo Kim", "raw_count": 2,
         "variants": "Bo Kim"},
    ])


def test_entity_chart_is_titled_labelled_and_colour_safe():
    fig, summary = plot_entity_counts(_table(), top=5)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() == "Number of mentions" and ax.get_ylabel() == "Entity"
    colours = {to_hex(p.get_facecolor()).upper() for p in ax.patches}
    assert colours <= {c.upper() for c in OKABE_ITO}
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [2, 2, 3, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Bo Kim", "Ana Lee"]
    assert summary.startswith("Ana Lee is named most often (5 mentions after merging, 3 if you count only the spans "
                              "the model tagged 'Lee')")
    assert "undercounts 1 of 2" in summary


def test_summary_of_empty_table():
    assert summarise_counts(_table().iloc[0:0]) == "No entities of this type were found."


@pytest.fixture(scope="module")
def article():
    return load_article()


def test_explorer_starts_on_people_merged(article):
    explorer = EntityExplorer(article)
    first_label = explorer.entity.options[0][0]
    assert explorer.mode.value == MERGED and explorer.label.value == "PERSON"
    assert " (" in first_label and explorer.entity.value == 0
    name = explorer._shown[0].name
    assert name in explorer.mentions.value and "<mark>" in explorer.mentions.value
    assert name in explorer.summary.value


def test_explorer_follows_its_controls(article):
    explorer = EntityExplorer(article)
    explorer.top.value = 3
    assert len(explorer.entity.options) == 3
    explorer.label.value = "GPE"
    assert all(c.label == "GPE" for c in explorer._shown)
    explorer.mode.value = RAW
    raw_names = [c.name for c in explorer._shown]
    explorer.mode.value = MERGED
    assert all(c.label == "GPE" for c in explorer._shown)
    assert raw_names  # raw model output has places too
    explorer.entity.value = 1
    second = explorer._shown[1]
    assert f"<b>{second.name}</b>" in explorer.mentions.value
    assert explorer.mentions.value.count("<tr>") == second.count + 1


def test_explorer_draws_each_chart_once(article, monkeypatch):
    """Drawing is most of an update: going back to a type, or switching how entities are counted,
    shows the chart already drawn for that type and number."""
    from course.explore import widgets

    drawn, shown = [], []

    def counting(table, top):
        drawn.append((table["label"].iloc[0], top))
        return plot_entity_counts(table, top=top)

    monkeypatch.setattr(widgets, "plot_entity_counts", counting)
    monkeypatch.setattr(widgets, "show_chart", lambda output, chart: shown.append(chart.data))
    explorer = EntityExplorer(article)
    for label in ("GPE", "PERSON", "GPE"):
        explorer.label.value = label
    explorer.mode.value = RAW
    explorer.top.value = 4
    explorer.label.value = "PERSON"
    explorer.top.value = 10
    assert drawn == [("PERSON", 10), ("GPE", 10), ("GPE", 4), ("PERSON", 4)]
    assert all(png.startswith(b"\x89PNG") for png in shown)
    assert shown[1] != shown[0] and shown[2] == shown[0] and shown[3] == shown[4] == shown[1]
    assert shown[-1] == shown[0]  # people, ten of them, as first drawn


def test_explorer_raw_mode_lists_model_spellings(article):
    explorer = EntityExplorer(article)
    merged_top = explorer._shown[0]
    explorer.mode.value = RAW
    raw_top = explorer._shown[0]
    assert raw_top.count <= merged_top.count
    assert raw_top.name in merged_top.variants


def test_mentions_html_escapes_and_numbers_paragraphs(article):
    from course.analysis.entities import EntityCluster, Mention

    start = article.text.index("Putin")
    cluster = EntityCluster("Putin", "PERSON", (Mention("Putin", start, start + 5, "PERSON"),))
    page = mentions_html(article, cluster)
    assert f"<td>{article.paragraph_at(start).number}</td>" in page and "<mark><b>Putin</b></mark>" in page


def test_controls_have_accessible_descriptions(article):
    explorer = EntityExplorer(article)
    for control in (explorer.label, explorer.top, explorer.mode, explorer.entity):
        assert control.description


# --- quote explorer ------------------------------------------------------------------------

from course.explore.plots import plot_words_quoted, summarise_words_quoted  # noqa: E402
from course.explore.views import ALL, filter_attributions, speaker_colours  # noqa: E402
from course.explore.widgets import QuoteExplorer  # noqa: E402


def test_words_quoted_chart():
    sources = pd.DataFrame([
        {"source": "Ana", "source_type": "expert or think tank", "words_quoted": 30},
        {"source": "Bo", "source_type": "military", "words_quoted": 10},
        {"source": "Cy", "source_type": "military", "words_quoted": 0},
    ])
    fig, summary = plot_words_quoted(sources)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel().startswith("Words quoted") and ax.get_ylabel() == "Source"
    assert sorted(p.get_width() for p in ax.patches) == [10, 30]
    assert {to_hex(p.get_facecolor()).upper() for p in ax.patches} <= {c.upper() for c in OKABE_ITO}
    assert summary == ("2 sources are quoted in their own words (direct or partial quotations); Ana has the most "
                       "quoted words (30), and sources of type 'expert or think tank' have 75% of all quoted words.")
    one = summarise_words_quoted(sources.iloc[:1])
    assert one.startswith("1 source is quoted in their own words")
    assert summarise_words_quoted(sources.iloc[2:]) == "No source is quoted in their own words."


@pytest.fixture(scope="module")
def quote_explorer(article):
    return QuoteExplorer(article)


def test_quote_explorer_filters_by_speaker(quote_explorer):
    explorer = quote_explorer
    everyone = len(explorer._shown)
    speaker = next(a.speaker for a in explorer.attributions if a.speaker)
    explorer.speaker.value = speaker
    assert 0 < len(explorer._shown) < everyone
    assert all(a.speaker == speaker for a in explorer._shown)
    assert explorer.table.value.count("<tr>") == len(explorer._shown) + 1
    assert explorer.highlighted.value.count("<mark") == len(explorer._shown)
    explorer.speaker.value = ALL
    assert len(explorer._shown) == everyone


def test_quote_explorer_selection_shows_the_attribution_sentence(quote_explorer):
    explorer = quote_explorer
    explorer.cue_category.value = "evaluative"
    assert explorer._shown and all(a.cue_category == "evaluative" for a in explorer._shown)
    explorer.quote.value = len(explorer._shown) - 1
    chosen = explorer._shown[-1]
    assert chosen.cue in explorer.detail.value and "<blockquote>" in explorer.detail.value
    explorer.cue_category.value = ALL


def test_filters_combine_and_can_empty_the_table(quote_explorer):
    explorer = quote_explorer
    explorer.source_type.value = explorer.source_type.options[1]
    explorer.cue_category.value = "descriptive"
    shown = filter_attributions(explorer.attributions, explorer.types, ALL, explorer.source_type.value, "descriptive")
    assert explorer._shown == shown
    if not shown:
        assert "No attributions match" in explorer.table.value
    explorer.source_type.value = ALL
    explorer.cue_category.value = ALL


def test_speaker_colours_are_safe_and_distinct_for_eight():
    from course.analysis.quotes import Attribution

    attrs = [Attribution("direct", "x", 0, 1, 1, f"S{i}", f"S{i}", None, None, None, None, "named") for i in range(8)]
    colours = speaker_colours(attrs)
    assert len(set(colours.values())) == 8 and set(colours.values()) <= set(OKABE_ITO)


# --- framing explorer ----------------------------------------------------------------------

from course.analysis.framing import ACTOR_LABEL, EVENT_LABEL, HEDGE, METAPHOR, FramingDevice  # noqa: E402
from course.explore.html import device_highlights, highlighted_article_html, voice_counts_html  # noqa: E402
from course.explore.palette import NARRATOR_COLOUR, QUOTED_COLOUR  # noqa: E402
from course.explore.plots import plot_label_voices, summarise_label_voices  # noqa: E402
from course.explore.widgets import FramingExplorer  # noqa: E402


def _label_table():
    return pd.DataFrame([
        {"term": "coup", "narrator": 4, "quoted": 1},
        {"term": "mutiny", "narrator": 0, "quoted": 2},
        {"term": "turmoil", "narrator": 1, "quoted": 0},
    ])


def test_label_voice_chart_is_titled_labelled_and_colour_safe():
    fig, summary = plot_label_voices(_label_table())
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() == "Occurrences" and ax.get_ylabel().startswith("Label")
    colours = {to_hex(p.get_facecolor()).upper() for p in ax.patches}
    assert colours == {NARRATOR_COLOUR.upper(), QUOTED_COLOUR.upper()} and colours <= {c.upper() for c in OKABE_ITO}
    assert sorted(p.get_width() for p in ax.patches) == [0, 0, 1, 1, 2, 4]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["turmoil", "mutiny", "coup"]  # most used on top
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["narrator", "quoted speakers"]
    assert summary == ("The narrator uses 5 labels, most often 'coup' (4); "
                       "quoted speakers use 3 labels, most often 'mutiny' (2).")


def test_label_voice_summary_edge_cases():
    assert summarise_label_voices(_label_table().iloc[0:0]) == "No labels were found."
    only_narrator = pd.DataFrame([{"term": "coup", "narrator": 1, "quoted": 0}])
    assert summarise_label_voices(only_narrator) == (
        "The narrator uses 1 label, most often 'coup' (1); quoted speakers use none.")


def test_framing_html_styles_narrator_and_quoted_differently(article):
    start = article.text.index("Putin")
    narrator = FramingDevice(EVENT_LABEL, "x", "Putin", start, start + 5, "narrator", None)
    later = article.text.index("Putin", start + 10)
    quoted = FramingDevice(EVENT_LABEL, "y", "Putin", later, later + 5, "quoted", "Ana <Lee>")
    page = highlighted_article_html(article, device_highlights([narrator, quoted]))
    assert page.count("<mark") == 2
    assert f"border-bottom:3px solid {NARRATOR_COLOUR}" in page and f"border-bottom:3px dashed {QUOTED_COLOUR}" in page
    assert "data-voice='narrator'" in page and "data-voice='quoted'" in page
    assert "Ana &lt;Lee&gt;" in page and "<Lee>" not in page  # tooltips are escaped


def test_voice_counts_html_has_one_row_per_term_and_totals():
    found = [FramingDevice(HEDGE, "may", "may", 0, 3, "narrator", None),
             FramingDevice(HEDGE, "may", "may", 5, 8, "quoted", "A"),
             FramingDevice(HEDGE, "likely", "likely", 9, 15, "quoted", "A")]
    page = voice_counts_html(found, HEDGE)
    assert page.count("<tr>") == 4  # header, two terms, total
    assert "<tr><td>may</td><td>1</td><td>1</td></tr>" in page
    assert "<td><b>total</b></td><td><b>1</b></td><td><b>2</b></td>" in page


@pytest.fixture(scope="module")
def framing_explorer(article):
    return FramingExplorer(article)


def test_framing_explorer_starts_on_event_labels(framing_explorer):
    explorer = framing_explorer
    assert explorer.category.value == EVENT_LABEL and explorer.category.description
    assert explorer._shown and all(d.category == EVENT_LABEL for d in explorer._shown)
    assert explorer.highlighted.value.count("<mark") == len(explorer._shown)
    assert "solid" in explorer.legend.value and "dashed" in explorer.legend.value
    quoted = sum(d.voice == "quoted" for d in explorer._shown)
    assert explorer.highlighted.value.count("data-voice='quoted'") == quoted > 0
    assert f"<td><b>{len(explorer._shown) - quoted}</b></td><td><b>{quoted}</b></td>" in explorer.counts.value
    assert explorer.summary.value.startswith("<p>The narrator uses ")
    table = explorer.chart_table
    assert int(table["narrator"].sum()) == len(explorer._shown) - quoted and int(table["quoted"].sum()) == quoted


def test_framing_explorer_follows_the_category(framing_explorer):
    explorer = framing_explorer
    explorer.category.value = ACTOR_LABEL
    assert all(d.category == ACTOR_LABEL for d in explorer._shown)
    assert "<td>regime</td>" in explorer.counts.value and "<td>coup</td>" not in explorer.counts.value
    assert "regime" in list(explorer.chart_table["term"])
    explorer.category.value = METAPHOR
    assert all(d.category == METAPHOR for d in explorer._shown)
    assert explorer.summary.value == "" and explorer.chart_table is None  # no chart for non-labels
    assert explorer.highlighted.value.count("<mark") == len(explorer._shown) > 0
    explorer.category.value = EVENT_LABEL
    assert set(explorer.chart_table["term"]) == {d.term for d in explorer._shown}


# --- one Analysis, one highlighter, escaped HTML -------------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402

from course.analysis.pipeline import Analysis  # noqa: E402
from course.analysis.quotes import Attribution  # noqa: E402
from course.explore.html import (  # noqa: E402
    Highlight,
    attribution_highlights,
    paragraph_pieces,
    quote_detail_html,
    quotes_table_html,
)


def test_lesson_helpers_import_without_widgets_or_matplotlib():
    code = ("import sys\n"
            "from course.explore.palette import OKABE_ITO\n"
            "from course.explore.views import attribution_sentence, source_name, speaker_colours, device_tooltip\n"
            "import course.explore.html\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'ipywidgets', 'matplotlib', 'IPython'}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_explorers_read_one_shared_analysis(article):
    analysis = Analysis(article)
    entities, quotes, framing = EntityExplorer(analysis), QuoteExplorer(analysis), FramingExplorer(analysis)
    assert entities.analysis is quotes.analysis is framing.analysis is analysis
    assert entities._clusters[MERGED] is analysis.clusters
    assert quotes.attributions is analysis.attributions and quotes.sources is analysis.sources
    assert framing.devices is analysis.framing


def test_an_explorer_given_an_article_wraps_it(article):
    explorer = FramingExplorer(article)
    assert explorer.analysis.article is article and explorer.article is article
    with pytest.raises(TypeError):
        EntityExplorer(Analysis(article), aliases=object())


def _attribution(text, start, source, kind="direct", cue="said"):
    return Attribution(kind, text, start, start + len(text), 1, source, source, None, None, cue, "neutral", "named")


def test_the_highlighter_cuts_paragraphs_at_marks_and_skips_overlaps(article):
    paragraph = article.paragraphs[2]
    first = Highlight(paragraph.start + 1, paragraph.start + 10, OKABE_ITO[0])
    overlapping = Highlight(paragraph.start + 5, paragraph.start + 15, OKABE_ITO[1])
    marked = paragraph_pieces(article.text, paragraph, [overlapping, first])
    assert "".join(text for text, _ in marked.pieces) == paragraph.text
    assert [h for _, h in marked.pieces if h] == [first]


def test_quote_fragments_escape_the_article(article):
    start = article.text.index("Putin")
    hostile = _attribution("Putin", start, 'Ana <script>"Lee"</script>', cue="<b>said</b>")
    colours = speaker_colours([hostile])
    page = highlighted_article_html(article, attribution_highlights([hostile], colours))
    table, detail = quotes_table_html([hostile]), quote_detail_html(article, hostile)
    for fragment in (page, table, detail):
        assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    assert "title='Ana &lt;script&gt;&#34;Lee&#34;&lt;/script&gt; (direct)'" in page
    assert "&lt;b&gt;said&lt;/b&gt;" in table and "<b>said</b>" not in detail


def test_quotes_table_shortens_long_content_and_says_when_empty():
    long = _attribution("word " * 30, 0, "Ana Lee")
    assert "<td>" + ("word " * 30)[:87] + "...</td>" in quotes_table_html([long])
    assert "No attributions match" in quotes_table_html([])


def test_summary_reports_ties_as_ties():
    table = pd.DataFrame({"entity": ["Ana Lee", "Omar Haddad", "Bo Kim"], "merged_count": [2, 2, 1],
                          "raw_count": [2, 1, 1], "raw_spelling": ["Ana Lee", "Haddad", "Bo Kim"]})
    summary = summarise_counts(table)
    assert summary.startswith("Ana Lee and Omar Haddad are named most often, 2 times each")
