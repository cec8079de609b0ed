"""The no-code explorer app (course.explore.app), built without a browser: what it shows on
the seed article, after pasting an article, and after pasting text it cannot read.
tests/browser/test_browser_explorer_app.py checks the same page in Chromium."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import course.explore.app as app_module  # noqa: E402
from course.analysis.pipeline import Analysis  # noqa: E402
from course.core.article import load_article  # noqa: E402
from course.explore.app import EXPLORERS, ExplorerApp  # noqa: E402
from course.explore.html import mentions_html  # noqa: E402
from course.explore.views import ALL, speaker_colours, top_clusters  # noqa: E402
from course.explore.widgets import EntityExplorer, FramingExplorer, QuoteExplorer  # noqa: E402

SHORT_ARTICLE = (
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss the budget of the European Union.\n"
    '"We agreed on the main points," Merkel told reporters after the meeting.\n'
    "Macron said the talks in the French capital had been useful for both countries.\n"
)
GERMAN = "Der Hund läuft schnell über die Straße, und die Katze schläft auf dem Dach. " * 4


@pytest.fixture(scope="module")
def seed():
    return Analysis(load_article())


@pytest.fixture
def app(seed):
    return ExplorerApp(seed)


def headings(app):
    return [w.value for w in app.explorers.children[::2]]


def test_the_app_shows_every_explorer_of_the_seed_under_its_heading(app, seed):
    assert headings(app) == ["<h2>People, places and organisations in the seed article</h2>",
                             "<h2>Who is quoted in the seed article, and how</h2>",
                             "<h2>How the seed article frames events and people</h2>"]
    explorers = app.explorers.children[1::2]
    assert [type(w) for w in explorers] == [EntityExplorer, QuoteExplorer, FramingExplorer]
    assert [type(w) for w in explorers] == [cls for cls, _ in EXPLORERS]
    assert all(w.analysis is seed for w in explorers)  # one analysis for the whole page
    assert app.paste.description == "Article text" and app.explore_button.description == "Explore this text"
    assert app.status.value == "" and not app.explore_button.disabled


def test_the_explorers_start_on_what_the_pure_functions_give(app, seed):
    people = top_clusters(seed.clusters, "PERSON", 10)
    entities = app.explorer(EntityExplorer)
    assert [label for label, _ in entities.entity.options] == [f"{c.name} ({c.count})" for c in people]
    assert entities.mentions.value == mentions_html(seed.article, people[0])
    assert list(app.explorer(QuoteExplorer).speaker.options) == [ALL, *speaker_colours(seed.attributions)]
    assert app.explorer(FramingExplorer).category.label == "Labels for events"


def test_pasting_an_article_replaces_every_explorer(app):
    replaced = app.explorers.children
    app.paste.value = SHORT_ARTICLE
    app.explore_button.click()
    words = len(SHORT_ARTICLE.split())
    assert app.status.value == f"<p role='status'>Showing the pasted article: 3 paragraphs, {words} words.</p>"
    assert headings(app)[0] == "<h2>People, places and organisations in the pasted article</h2>"
    assert app.analysis.article.name == "pasted article" and app.analysis.text == SHORT_ARTICLE
    entities = app.explorer(EntityExplorer)
    options = [label for label, _ in entities.entity.options]
    assert options == [f"{c.name} ({c.count})" for c in top_clusters(app.analysis.clusters, "PERSON", 10)]
    assert "Angela Merkel (2)" in options
    speakers = list(app.explorer(QuoteExplorer).speaker.options)
    assert speakers == [ALL, *speaker_colours(app.analysis.attributions)] and "Angela Merkel" in speakers
    assert all(w.analysis is app.analysis for w in app.explorers.children[1::2])
    assert len(app.explorers.children) == 2 * len(EXPLORERS)  # replaced, none added beside them
    assert all(w.comm is None for w in replaced)  # the seed's explorers were closed


@pytest.mark.parametrize("text, message", [("   ", "pasted text: is empty"), (GERMAN, "does not look like English")])
def test_text_that_cannot_be_read_gets_one_line_and_keeps_the_explorers(app, text, message):
    shown = app.explorers.children
    assert not app.explore_text(text)
    assert app.status.value.startswith("<p role='alert'><b>This text cannot be explored.</b> ")
    assert message in app.status.value and "Traceback" not in app.status.value
    assert app.explorers.children == shown and not app.explore_button.disabled


def test_an_unexpected_error_is_one_escaped_line_too(app, monkeypatch):
    def fail(analysis):
        raise RuntimeError("no <model> here")

    monkeypatch.setattr(app_module, "explorer_views", fail)
    assert not app.explore_text(SHORT_ARTICLE)
    assert app.status.value == ("<p role='alert'><b>Something went wrong while analysing this text.</b> "
                                "RuntimeError: no &lt;model&gt; here</p>")


def test_the_app_can_start_from_text():
    app = ExplorerApp(SHORT_ARTICLE)
    assert headings(app)[1] == "<h2>Who is quoted in the pasted article, and how</h2>"
    assert app.explorer(EntityExplorer).article.text == SHORT_ARTICLE
