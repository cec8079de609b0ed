"""Charts carry titles, labels, safe colours and a summary; explorers show what their controls select."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course.article import load_article  # noqa: E402
from course.plots import OKABE_ITO, plot_entity_counts, summarise_counts  # noqa: E402
from course.widgets import MERGED, RAW, EntityExplorer, mentions_html  # noqa: E402


def _table():
    return pd.DataFrame([
        {"entity": "Ana Lee", "label": "PERSON", "merged_count": 5, "raw_spelling": "Lee", "raw_count": 3, "variants": "Ana Lee, Lee"},
        {"entity": "Bo Kim", "label": "PERSON", "merged_count": 2, "raw_spelling": "Bo Kim", "raw_count": 2, "variants": "Bo Kim"},
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
    assert summary.startswith("Ana Lee is named most often (5 mentions")
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


def test_explorer_raw_mode_lists_model_spellings(article):
    explorer = EntityExplorer(article)
    merged_top = explorer._shown[0]
    explorer.mode.value = RAW
    raw_top = explorer._shown[0]
    assert raw_top.count <= merged_top.count
    assert raw_top.name in merged_top.variants


def test_mentions_html_escapes_and_numbers_paragraphs(article):
    from course.entities import EntityCluster, Mention

    start = article.text.index("Putin")
    cluster = EntityCluster("Putin", "PERSON", (Mention("Putin", start, start + 5, "PERSON"),))
    page = mentions_html(article, cluster)
    assert f"<td>{article.paragraph_at(start).number}</td>" in page and "<mark><b>Putin</b></mark>" in page


def test_controls_have_accessible_descriptions(article):
    explorer = EntityExplorer(article)
    for control in (explorer.label, explorer.top, explorer.mode, explorer.entity):
        assert control.description


# --- quote explorer ------------------------------------------------------------------------

from course.plots import plot_words_quoted  # noqa: E402
from course.widgets import ALL, QuoteExplorer, filter_attributions, speaker_colours  # noqa: E402


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
    assert summary == ("2 sources are quoted directly; Ana has the most quoted words (30), "
                       "and sources of type 'expert or think tank' have 75% of all quoted words.")


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
    from course.quotes import Attribution

    attrs = [Attribution("direct", "x", 0, 1, 1, f"S{i}", f"S{i}", None, None, None, None, "named") for i in range(8)]
    colours = speaker_colours(attrs)
    assert len(set(colours.values())) == 8 and set(colours.values()) <= set(OKABE_ITO)
