"""Interactive explorers for JupyterLab: thin shells over pure, tested functions.

Each explorer builds its view from functions in `course.analysis.entities`,
`course.explore.plots` and `course.core.article`, so everything it shows is computed by
code with its own unit tests; the widget only wires controls to them. Every
control has a description (read out by screen readers) and works with the
keyboard, and charts use the colour-blind-safe palette from `course.explore.plots`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from course.core.article import Article
from course.analysis.entities import DEFAULT_LABELS, Aliases, EntityCluster, cluster_entities, counts_table, raw_entities
from course.analysis.entities import raw_model_clusters
from course.explore.plots import OKABE_ITO, plot_entity_counts, plot_words_quoted
from course.analysis.quotes import Attribution

MERGED, RAW = "merged entities", "raw model output"


def top_clusters(clusters: list[EntityCluster], label: str, top: int) -> list[EntityCluster]:
    """The `top` most-mentioned clusters with `label`, most-mentioned first."""
    return [c for c in clusters if c.label == label][:top]


def mentions_html(article: Article, cluster: EntityCluster, width: int = 50) -> str:
    """Every mention of `cluster` in context, as an HTML table with paragraph numbers."""
    rows = []
    for mention in cluster.mentions:
        ctx = article.context(mention.start, mention.end, width)
        rows.append(
            f"<tr><td>{ctx.paragraph}</td><td style='text-align:right'>{html.escape(ctx.left)}</td>"
            f"<td><mark><b>{html.escape(ctx.match)}</b></mark></td><td>{html.escape(ctx.right)}</td></tr>"
        )
    return (
        f"<p><b>{html.escape(cluster.name)}</b> ({cluster.label}): {cluster.count} mentions, "
        f"spelled {', '.join(html.escape(v) for v in cluster.variants)}</p>"
        "<table><thead><tr><th>¶</th><th>before</th><th>mention</th><th>after</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class EntityExplorer(widgets.VBox):
    """Pick a type and how many to show; see a chart, then every mention of one entity."""

    def __init__(self, article: Article, aliases: Aliases | None = None):
        self.article = article
        raw = raw_entities(article.doc)
        self._clusters = {MERGED: cluster_entities(article.doc, aliases=aliases), RAW: raw_model_clusters(raw)}
        self._table = counts_table(self._clusters[MERGED], raw)
        self._shown: list[EntityCluster] = []
        self.label = widgets.Dropdown(options=list(DEFAULT_LABELS), value="PERSON", description="Entity type")
        # BoundedIntText and Dropdown expose their labels to screen readers; IntSlider and
        # ToggleButtons do not in ipywidgets 8.1 (checked by tests/browser).
        self.top = widgets.BoundedIntText(value=10, min=1, max=30, description="How many")
        self.mode = widgets.Dropdown(options=[MERGED, RAW], value=MERGED, description="Counting")
        self.entity = widgets.Select(options=[], rows=8, description="Entity")
        self.chart = widgets.Output()
        self.summary = widgets.HTML()
        self.mentions = widgets.HTML()
        for control in (self.label, self.top, self.mode):
            control.style.description_width = "initial"
            control.observe(self._refresh, names="value")
        self.entity.observe(self._show_mentions, names="value")
        super().__init__([
            widgets.HBox([self.label, self.top]), self.mode, self.summary, self.chart,
            self.entity, self.mentions,
        ])
        self._refresh()

    def _refresh(self, change=None) -> None:
        table = self._table[self._table["label"] == self.label.value]
        self.chart.clear_output(wait=True)
        if table.empty:
            self.summary.value = "<p>No entities of this type in the text.</p>"
        else:
            fig, summary = plot_entity_counts(table, top=self.top.value)
            self.summary.value = f"<p>{html.escape(summary)}</p>"
            with self.chart:
                display(fig)
            plt.close(fig)
        self._shown = top_clusters(self._clusters[self.mode.value], self.label.value, self.top.value)
        self.entity.options = [(f"{c.name} ({c.count})", i) for i, c in enumerate(self._shown)]
        self.entity.value = 0 if self._shown else None
        self._show_mentions()

    def _show_mentions(self, change=None) -> None:
        index = self.entity.value
        self.mentions.value = "" if index is None else mentions_html(self.article, self._shown[index])


# --- quote explorer ------------------------------------------------------------------------

ALL = "(all)"


def speaker_colours(attributions: list[Attribution]) -> dict[str, str]:
    """One colour-blind-safe colour per source, in order of first appearance."""
    names = dict.fromkeys(source_name(a) for a in attributions)
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(names)}


def source_name(attribution: Attribution) -> str:
    return attribution.source or "(no source)"


def filter_attributions(attributions: list[Attribution], types: dict[str, str], speaker: str = ALL,
                        source_type: str = ALL, cue_category: str = ALL) -> list[Attribution]:
    """The attributions that match every filter that is not ALL."""
    return [
        a for a in attributions
        if (speaker == ALL or source_name(a) == speaker)
        and (source_type == ALL or types.get(source_name(a)) == source_type)
        and (cue_category == ALL or (a.cue_category or "none") == cue_category)
    ]


def highlighted_article_html(article: Article, attributions: list[Attribution], colours: dict[str, str]) -> str:
    """The article, one paragraph per line, with each attribution's content marked in its source's colour."""
    pieces = []
    for paragraph in article.paragraphs:
        marks = sorted((a for a in attributions if paragraph.start <= a.start < paragraph.end), key=lambda a: a.start)
        html_text, cursor = [], paragraph.start
        for a in marks:
            if a.start < cursor:
                continue
            colour = colours[source_name(a)]
            html_text.append(html.escape(article.text[cursor:a.start]))
            html_text.append(
                f"<mark title='{html.escape(source_name(a))} ({a.kind})' "
                f"style='background-color:{colour}33; border-bottom:3px solid {colour}'>"
                f"{html.escape(article.text[a.start:a.end])}</mark>"
            )
            cursor = a.end
        html_text.append(html.escape(article.text[cursor:paragraph.end]))
        pieces.append(f"<p><small>¶{paragraph.number}</small> {''.join(html_text)}</p>")
    return "<div style='max-height:420px; overflow-y:auto'>" + "".join(pieces) + "</div>"


def attribution_sentence(article: Article, attribution: Attribution) -> str:
    """The sentence(s) holding the attributed content and its speaker phrase."""
    start = min(attribution.start, attribution.speaker_start if attribution.speaker_start is not None else attribution.start)
    end = max(attribution.end, attribution.speaker_end if attribution.speaker_end is not None else attribution.end)
    sentences = [s for s in article.doc.sents if s.start_char < end and start < s.end_char]
    if not sentences:
        return article.text[start:end]
    return article.text[sentences[0].start_char:sentences[-1].end_char].strip()


def quotes_table_html(attributions: list[Attribution]) -> str:
    rows = "".join(
        f"<tr><td>{a.paragraph}</td><td>{a.kind}</td><td>{html.escape(source_name(a))}</td>"
        f"<td>{html.escape(a.cue or '-')}</td><td>{a.cue_category or '-'}</td>"
        f"<td>{html.escape(a.text if len(a.text) < 90 else a.text[:87] + '...')}</td></tr>"
        for a in attributions
    )
    return ("<table><thead><tr><th>¶</th><th>kind</th><th>source</th><th>cue</th><th>cue type</th>"
            f"<th>content</th></tr></thead><tbody>{rows}</tbody></table>")


class QuoteExplorer(widgets.VBox):
    """Filter attributions by speaker, source type and cue; read them highlighted in the article."""

    def __init__(self, article: Article):
        from course.analysis.quotes import extract_attributions
        from course.analysis.sources import sources_table

        self.article = article
        clusters = cluster_entities(article.doc)
        self.attributions = extract_attributions(article.doc, clusters)
        self.sources = sources_table(article.doc, self.attributions, clusters)
        self.types = dict(zip(self.sources["source"], self.sources["source_type"]))
        self.colours = speaker_colours(self.attributions)
        self.speaker = widgets.Dropdown(options=[ALL, *self.colours], value=ALL, description="Speaker")
        self.source_type = widgets.Dropdown(options=[ALL, *sorted(set(self.types.values()))], value=ALL, description="Source type")
        categories = sorted({a.cue_category or "none" for a in self.attributions})
        self.cue_category = widgets.Dropdown(options=[ALL, *categories], value=ALL, description="Cue type")
        self.quote = widgets.Select(options=[], rows=8, description="Quote", layout=widgets.Layout(width="95%"))
        self.table = widgets.HTML()
        self.detail = widgets.HTML()
        self.highlighted = widgets.HTML()
        self.chart = widgets.Output()
        for control in (self.speaker, self.source_type, self.cue_category):
            control.style.description_width = "initial"
            control.observe(self._refresh, names="value")
        self.quote.observe(self._show_detail, names="value")
        self._shown: list[Attribution] = []
        super().__init__([
            widgets.HBox([self.speaker, self.source_type, self.cue_category]),
            self.table, self.quote, self.detail, self.highlighted, self.chart,
        ])
        self._draw_chart()
        self._refresh()

    def _draw_chart(self) -> None:
        fig, summary = plot_words_quoted(self.sources)
        with self.chart:
            display(fig)
            print(summary)
        plt.close(fig)

    def _refresh(self, change=None) -> None:
        self._shown = filter_attributions(self.attributions, self.types, self.speaker.value,
                                          self.source_type.value, self.cue_category.value)
        self.table.value = quotes_table_html(self._shown) if self._shown else "<p>No attributions match these filters.</p>"
        self.highlighted.value = highlighted_article_html(self.article, self._shown, self.colours)
        self.quote.options = [
            (f"¶{a.paragraph} {source_name(a)}: {a.text[:60]}", i) for i, a in enumerate(self._shown)
        ]
        self.quote.value = 0 if self._shown else None
        self._show_detail()

    def _show_detail(self, change=None) -> None:
        index = self.quote.value
        if index is None:
            self.detail.value = ""
            return
        a = self._shown[index]
        self.detail.value = (
            f"<p><b>{html.escape(source_name(a))}</b> · {a.kind} · cue: {html.escape(a.cue or 'none')} "
            f"({a.cue_category or 'no cue'}) · source: {a.source_kind}</p>"
            f"<blockquote>{html.escape(attribution_sentence(self.article, a))}</blockquote>"
        )


# --- framing explorer ----------------------------------------------------------------------

from course.analysis.framing import (  # noqa: E402 - kept with the explorer that uses it
    ACTOR_LABEL,
    BOOSTER,
    EVALUATIVE_DESCRIPTION,
    EVENT_LABEL,
    HEDGE,
    LABEL_CATEGORIES,
    METAPHOR,
    NARRATOR,
    QUOTED,
    FramingDevice,
    find_framing,
    terms_by_voice,
    voice_counts,
)
from course.explore.plots import NARRATOR_COLOUR, QUOTED_COLOUR, plot_label_voices  # noqa: E402

FRAMING_CATEGORY_NAMES = {
    EVENT_LABEL: "Labels for events",
    ACTOR_LABEL: "Labels for actors",
    METAPHOR: "Metaphors (candidates)",
    EVALUATIVE_DESCRIPTION: "Descriptions of people",
    HEDGE: "Hedges",
    BOOSTER: "Boosters",
}
# Narrator and quoted differ in line style as well as colour, so they stay apart in greyscale.
VOICE_STYLES = {
    NARRATOR: f"background-color:{NARRATOR_COLOUR}22; border-bottom:3px solid {NARRATOR_COLOUR}",
    QUOTED: f"background-color:{QUOTED_COLOUR}22; border-bottom:3px dashed {QUOTED_COLOUR}",
}


def voice_legend_html() -> str:
    """A key to the two highlight styles."""
    return ("<p><b>Key:</b> "
            f"<mark style='{VOICE_STYLES[NARRATOR]}'>narrator's words (solid line)</mark> &nbsp; "
            f"<mark style='{VOICE_STYLES[QUOTED]}'>inside a quotation (dashed line)</mark></p>")


def device_tooltip(device: FramingDevice) -> str:
    """What a reader sees on hovering a highlight: term, voice, speaker, qualifiers or target."""
    parts = [device.term, device.voice if device.voice == NARRATOR else f"quoted: {device.speaker or 'no named speaker'}"]
    if device.target:
        parts.append(f"about {device.target}")
    if device.domain:
        parts.append(f"domain {device.domain}")
    if device.qualifiers:
        parts.append(", ".join(device.qualifiers))
    return " · ".join(parts)


def framing_article_html(article: Article, devices: list[FramingDevice]) -> str:
    """The article, one paragraph per line, with each device marked in its voice's style."""
    pieces = []
    for paragraph in article.paragraphs:
        marks = sorted((d for d in devices if paragraph.start <= d.start < paragraph.end), key=lambda d: d.start)
        html_text, cursor = [], paragraph.start
        for device in marks:
            if device.start < cursor:
                continue
            html_text.append(html.escape(article.text[cursor:device.start]))
            html_text.append(
                f"<mark data-voice='{device.voice}' title='{html.escape(device_tooltip(device))}' "
                f"style='{VOICE_STYLES[device.voice]}'>{html.escape(article.text[device.start:device.end])}</mark>"
            )
            cursor = device.end
        html_text.append(html.escape(article.text[cursor:paragraph.end]))
        pieces.append(f"<p><small>¶{paragraph.number}</small> {''.join(html_text)}</p>")
    return "<div style='max-height:420px; overflow-y:auto'>" + "".join(pieces) + "</div>"


def voice_counts_html(devices: list[FramingDevice], category: str) -> str:
    """A table of how often each term is used by the narrator and by quoted speakers, with totals."""
    table = terms_by_voice(devices, [category])
    totals = voice_counts(devices, category)
    rows = "".join(
        f"<tr><td>{html.escape(str(row.term))}</td><td>{row.narrator}</td><td>{row.quoted}</td></tr>"
        for row in table.itertuples()
    )
    return ("<table><thead><tr><th>term</th><th>narrator</th><th>quoted</th></tr></thead>"
            f"<tbody>{rows}<tr><td><b>total</b></td><td><b>{totals[NARRATOR]}</b></td>"
            f"<td><b>{totals[QUOTED]}</b></td></tr></tbody></table>")


class FramingExplorer(widgets.VBox):
    """Pick a kind of framing device; see it highlighted by voice, counted, and (for labels) charted."""

    def __init__(self, article: Article):
        self.article = article
        self.devices = find_framing(article.doc)
        self.category = widgets.Dropdown(
            options=[(name, key) for key, name in FRAMING_CATEGORY_NAMES.items()], value=EVENT_LABEL,
            description="Framing device")
        self.category.style.description_width = "initial"
        self.legend = widgets.HTML(voice_legend_html())
        self.counts = widgets.HTML()
        self.summary = widgets.HTML()
        self.chart = widgets.Output()
        self.highlighted = widgets.HTML()
        self._shown: list[FramingDevice] = []
        self.chart_table = None  # the term-by-voice table behind the chart, None when there is no chart
        self.category.observe(self._refresh, names="value")
        super().__init__([self.category, self.legend, self.counts, self.summary, self.chart, self.highlighted])
        self._refresh()

    def _refresh(self, change=None) -> None:
        category = self.category.value
        self._shown = [d for d in self.devices if d.category == category]
        self.counts.value = voice_counts_html(self._shown, category)
        self.highlighted.value = framing_article_html(self.article, self._shown)
        self.chart.clear_output(wait=True)
        if category not in LABEL_CATEGORIES:
            self.summary.value = ""
            self.chart_table = None
            return
        self.chart_table = terms_by_voice(self._shown, [category])
        fig, summary = plot_label_voices(self.chart_table,
                                         title=f"{FRAMING_CATEGORY_NAMES[category]}: narrator vs quoted speakers")
        self.summary.value = f"<p>{html.escape(summary)}</p>"
        with self.chart:
            display(fig)
        plt.close(fig)
