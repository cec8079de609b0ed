"""Interactive explorers for JupyterLab: thin shells over pure, tested functions.

Each explorer builds its view from functions in `course.entities`,
`course.plots` and `course.article`, so everything it shows is computed by
code with its own unit tests; the widget only wires controls to them. Every
control has a description (read out by screen readers) and works with the
keyboard, and charts use the colour-blind-safe palette from `course.plots`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from .article import Article
from .entities import DEFAULT_LABELS, Aliases, EntityCluster, Mention, cluster_entities, counts_table, raw_entities
from .plots import plot_entity_counts

MERGED, RAW = "merged entities", "raw model output"


def raw_clusters(raw: list[Mention]) -> list[EntityCluster]:
    """The model's spans grouped only by identical text and label, most frequent first."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in raw:
        groups.setdefault((mention.text, mention.label), []).append(mention)
    clusters = [EntityCluster(text, label, tuple(ms)) for (text, label), ms in groups.items()]
    return sorted(clusters, key=lambda c: (-c.count, c.mentions[0].start))


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
        self._clusters = {MERGED: cluster_entities(article.doc, aliases=aliases), RAW: raw_clusters(raw)}
        self._table = counts_table(self._clusters[MERGED], raw)
        self._shown: list[EntityCluster] = []
        self.label = widgets.Dropdown(options=list(DEFAULT_LABELS), value="PERSON", description="Entity type")
        self.top = widgets.IntSlider(value=10, min=1, max=30, description="How many")
        self.mode = widgets.ToggleButtons(options=[MERGED, RAW], value=MERGED, description="Counting")
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
