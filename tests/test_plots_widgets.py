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
