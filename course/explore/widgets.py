"""Interactive explorers for JupyterLab: thin ipywidgets shells over pure, tested functions.

Each explorer reads the layers it shows from one `Analysis` (pass the same
one to several explorers and the article is analysed once), picks with
`course.explore.views`, draws with `course.explore.plots` and writes HTML
with `course.explore.html`; the widget only wires controls to them. Every
control has a description (read out by screen readers) and works with the
keyboard, and charts and highlights use the colour-blind-safe palette of
`course.explore.palette`.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
from IPython.display import Image, display

from course.analysis.entities import DEFAULT_LABELS, Aliases, EntityCluster, counts_table, raw_model_clusters
from course.analysis.framing import EVENT_LABEL, LABEL_CATEGORIES, FramingDevice, terms_by_voice
from course.analysis.pipeline import Analysis
from course.analysis.quotes import Attribution
from course.core.article import Article
from course.explore.html import (
    attribution_highlights,
    device_highlights,
    highlighted_article_html,
    mentions_html,
    message_html,
    quote_detail_html,
    quotes_table_html,
    voice_counts_html,
    voice_legend_html,
)
from course.explore.plots import plot_entity_counts, plot_label_voices, plot_words_quoted
from course.explore.views import (
    ALL,
    FRAMING_CATEGORY_NAMES,
    attribution_option,
    cluster_option,
    filter_attributions,
    speaker_colours,
    top_clusters,
)

MERGED, RAW = "merged entities", "raw model output"


def as_analysis(source: Analysis | Article, aliases: Aliases | None = None) -> Analysis:
    """`source` itself if it is an Analysis, else a new Analysis of the article (lessons pass an Article)."""
    if isinstance(source, Analysis):
        if aliases is not None:
            raise TypeError("pass aliases to Analysis(article, aliases), not to an explorer given an Analysis")
        return source
    return Analysis(source, aliases)


def rendered(fig) -> Image:
    """`fig` as the PNG a notebook shows for it (IPython's own rendering); the figure is then closed,
    so pyplot does not show it a second time."""
    png = print_figure(fig, "png")
    plt.close(fig)
    return Image(data=png, format="png")


def show_chart(output: widgets.Output, chart: Image) -> None:
    """Show `chart` in `output` instead of what it showed."""
    output.clear_output(wait=True)
    with output:
        display(chart)


def labelled(*controls: widgets.Widget) -> None:
    """Give each control room for its whole description."""
    for control in controls:
        control.style.description_width = "initial"


class AnalysisView(widgets.VBox):
    """What every explorer shares: the Analysis it reads, and the article behind it.

    Subclasses build their controls from `self.analysis`, then set `self.children`.
    """

    def __init__(self, source: Analysis | Article, aliases: Aliases | None = None):
        super().__init__()
        self.analysis = as_analysis(source, aliases)

    @property
    def article(self) -> Article:
        return self.analysis.article


# --- entity explorer -----------------------------------------------------------------------

class EntityExplorer(AnalysisView):
    """Pick a type and how many to show; see a chart, then every mention of one entity."""

    def __init__(self, source: Analysis | Article, aliases: Aliases | None = None):
        super().__init__(source, aliases)
        self.label = widgets.Dropdown(options=list(DEFAULT_LABELS), value="PERSON", description="Entity type")
        # BoundedIntText and Dropdown expose their labels to screen readers; IntSlider and
        # ToggleButtons do not in ipywidgets 8.1 (checked by tests/browser).
        self.top = widgets.BoundedIntText(value=10, min=1, max=30, description="How many")
        self.mode = widgets.Dropdown(options=[MERGED, RAW], value=MERGED, description="Counting")
        self.entity = widgets.Select(options=[], rows=8, description="Entity")
        self.chart = widgets.Output()
        self.summary = widgets.HTML()
        self.mentions = widgets.HTML()
        self.children = [widgets.HBox([self.label, self.top]), self.mode, self.summary, self.chart,
                         self.entity, self.mentions]
        raw = self.analysis.raw_mentions
        self._clusters = {MERGED: self.analysis.clusters, RAW: raw_model_clusters(raw)}
        self._table = counts_table(self.analysis.clusters, raw)
        self._shown: list[EntityCluster] = []
        self._charts: dict[tuple[str, int], tuple[Image, str]] = {}  # (type, how many) -> (chart, summary)
        labelled(self.label, self.top, self.mode)
        for control in (self.label, self.top, self.mode):
            control.observe(self._refresh, names="value")
        self.entity.observe(self._show_mentions, names="value")
        self._refresh()

    def _refresh(self, change=None) -> None:
        table = self._table[self._table["label"] == self.label.value]
        if table.empty:
            self.chart.clear_output()
            self.summary.value = message_html("No entities of this type in the text.")
        else:
            chart, summary = self._chart(table)
            self.summary.value = message_html(summary)
            show_chart(self.chart, chart)
        self._shown = top_clusters(self._clusters[self.mode.value], self.label.value, self.top.value)
        self.entity.options = [(cluster_option(c), i) for i, c in enumerate(self._shown)]
        self.entity.value = 0 if self._shown else None
        self._show_mentions()

    def _chart(self, table) -> tuple[Image, str]:
        """The chart and summary of the selected type and number, drawn once (drawing takes most of an update)."""
        key = (self.label.value, self.top.value)
        if key not in self._charts:
            fig, summary = plot_entity_counts(table, top=self.top.value)
            self._charts[key] = (rendered(fig), summary)
        return self._charts[key]

    def _show_mentions(self, change=None) -> None:
        index = self.entity.value
        self.mentions.value = "" if index is None else mentions_html(self.article, self._shown[index])


# --- quote explorer ------------------------------------------------------------------------

class QuoteExplorer(AnalysisView):
    """Filter attributions by speaker, source type and cue; read them highlighted in the article."""

    def __init__(self, source: Analysis | Article):
        super().__init__(source)
        self.attributions = self.analysis.attributions
        self.sources = self.analysis.sources
        self.types = dict(zip(self.sources["source"], self.sources["source_type"], strict=True))
        self.colours = speaker_colours(self.attributions)
        categories = sorted({a.cue_category or "none" for a in self.attributions})
        self.speaker = widgets.Dropdown(options=[ALL, *self.colours], value=ALL, description="Speaker")
        self.source_type = widgets.Dropdown(options=[ALL, *sorted(set(self.types.values()))], value=ALL,
                                            description="Source type")
        self.cue_category = widgets.Dropdown(options=[ALL, *categories], value=ALL, description="Cue type")
        self.quote = widgets.Select(options=[], rows=8, description="Quote", layout=widgets.Layout(width="95%"))
        self.table, self.detail, self.highlighted, self.summary = (widgets.HTML() for _ in range(4))
        self.chart = widgets.Output()
        filters = [self.speaker, self.source_type, self.cue_category]
        self.children = [widgets.HBox(filters), self.table, self.quote, self.detail, self.highlighted,
                         self.summary, self.chart]
        labelled(*filters)
        for control in filters:
            control.observe(self._refresh, names="value")
        self.quote.observe(self._show_detail, names="value")
        self._shown: list[Attribution] = []
        fig, summary = plot_words_quoted(self.sources)
        self.summary.value = message_html(summary)
        show_chart(self.chart, rendered(fig))
        self._refresh()

    def _refresh(self, change=None) -> None:
        self._shown = filter_attributions(self.attributions, self.types, self.speaker.value,
                                          self.source_type.value, self.cue_category.value)
        self.table.value = quotes_table_html(self._shown)
        highlights = attribution_highlights(self._shown, self.colours)
        self.highlighted.value = highlighted_article_html(self.article, highlights)
        self.quote.options = [(attribution_option(a), i) for i, a in enumerate(self._shown)]
        self.quote.value = 0 if self._shown else None
        self._show_detail()

    def _show_detail(self, change=None) -> None:
        index = self.quote.value
        self.detail.value = "" if index is None else quote_detail_html(self.article, self._shown[index])


# --- framing explorer ----------------------------------------------------------------------

class FramingExplorer(AnalysisView):
    """Pick a kind of framing device; see it highlighted by voice, counted, and (for labels) charted."""

    def __init__(self, source: Analysis | Article):
        super().__init__(source)
        self.devices = self.analysis.framing
        self.category = widgets.Dropdown(
            options=[(name, key) for key, name in FRAMING_CATEGORY_NAMES.items()], value=EVENT_LABEL,
            description="Framing device")
        labelled(self.category)
        self.legend = widgets.HTML(voice_legend_html())
        self.counts = widgets.HTML()
        self.summary = widgets.HTML()
        self.chart = widgets.Output()
        self.highlighted = widgets.HTML()
        self.children = [self.category, self.legend, self.counts, self.summary, self.chart, self.highlighted]
        self._shown: list[FramingDevice] = []
        self.chart_table = None  # the term-by-voice table behind the chart, None when there is no chart
        self.category.observe(self._refresh, names="value")
        self._refresh()

    def _refresh(self, change=None) -> None:
        category = self.category.value
        self._shown = [d for d in self.devices if d.category == category]
        self.counts.value = voice_counts_html(self._shown, category)
        self.highlighted.value = highlighted_article_html(self.article, device_highlights(self._shown))
        if category not in LABEL_CATEGORIES:
            self.chart.clear_output()
            self.summary.value = ""
            self.chart_table = None
            return
        self.chart_table = terms_by_voice(self._shown, [category])
        fig, summary = plot_label_voices(self.chart_table,
                                         title=f"{FRAMING_CATEGORY_NAMES[category]}: narrator vs quoted speakers")
        self.summary.value = message_html(summary)
        show_chart(self.chart, rendered(fig))
