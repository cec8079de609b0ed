"""A source audit of any English news article, as one self-contained HTML page.

`source_audit(text)` analyses the text once (an `Analysis`) and
`AuditReport.html()` lays the results out for a reader: what the text says
about its provenance, who appears, who is quoted and how, framing devices by
voice, and notes on names and spelling. The page comes from the Jinja2
template `templates/report.html.j2` with autoescaping on, so nothing in the
article can turn into markup. Plots are embedded as PNG data URIs with their
one-line summaries as alt text, and the styles are inline, so the file works
offline and with a screen reader. The tools are a starting point for a
reader's own checking, and the page says so.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import matplotlib.pyplot as plt
import pandas as pd

from course.analysis.entities import counts_table
from course.analysis.framing import framing_table, voice_counts
from course.analysis.pipeline import Analysis
from course.analysis.provenance import ProvenanceCheck
from course.analysis.quotes import Attribution, attributions_table
from course.core.article import Article
from course.core.textio import prepare_text
from course.explore.html import Table, render
from course.explore.palette import NOTE_COLOUR
from course.explore.plots import plot_entity_counts, plot_words_quoted

SOURCE_COLUMNS = ["source", "source_kind", "role", "affiliation", "source_type",
                  "direct_quotes", "partial_quotes", "indirect_quotes", "words_quoted", "first_paragraph"]
ATTRIBUTION_COLUMNS = ["paragraph", "kind", "speaker", "speaker_text", "cue", "cue_category", "source_kind", "text"]
ENTITY_COLUMNS = ["entity", "label", "merged_count", "raw_count", "variants"]
ENTITIES_SHOWN = 25


@dataclass
class Figure:
    """A chart as PNG bytes with the sentence that summarises it (used as alt text)."""

    png: bytes
    summary: str

    @classmethod
    def of(cls, fig, summary: str) -> Figure:
        """Save a matplotlib figure as PNG and close it (a report may draw many)."""
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        plt.close(fig)
        return cls(buffer.getvalue(), summary)

    @property
    def data_uri(self) -> str:
        """The PNG inside the page itself, so the saved file needs nothing else."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(eq=False)
class AuditReport:
    """Everything the audit found, read from one Analysis; `html()` renders it, `save(path)` writes it."""

    analysis: Analysis
    source_file: str | None = None  # the file the article was read from, if any: `save` never writes over it

    @property
    def name(self) -> str:
        return self.article.name

    @property
    def article(self) -> Article:
        return self.analysis.article

    @property
    def provenance(self) -> list[ProvenanceCheck]:
        return self.analysis.provenance

    @property
    def furniture(self) -> list[str]:
        """Trailing lines left over from a web page (credits, "Bonus video:")."""
        return [artefact.text for artefact in self.analysis.page_furniture]

    @property
    def attributions(self) -> list[Attribution]:
        return self.analysis.attributions

    @property
    def sources(self) -> pd.DataFrame:
        return self.analysis.sources

    @cached_property
    def entities(self) -> pd.DataFrame:
        """Merged counts per entity beside the model's raw counts."""
        return counts_table(self.analysis.clusters, self.analysis.raw_mentions)

    @cached_property
    def figures(self) -> dict[str, Figure]:
        """The charts: "people" (most named) and "quoted" (words quoted), when there is something to draw."""
        figures = {}
        people = self.entities[self.entities["label"] == "PERSON"]
        if not people.empty:
            figures["people"] = Figure.of(*plot_entity_counts(people, top=10, title="People named most often"))
        if (self.sources["words_quoted"] > 0).any():
            figures["quoted"] = Figure.of(*plot_words_quoted(self.sources))
        return figures

    def html(self) -> str:
        return render_html(self)

    def _repr_html_(self) -> str:
        """In Jupyter, inside an iframe, so the report's page styles cannot restyle the notebook."""
        return render("report_frame.html.j2", page=self.html(), name=self.name)

    def save(self, path, inputs=()) -> None:
        """Write the page to `path` without ever losing work: refused (InputError) if `path` is one of
        `inputs` or the file the article was read from (`source_file`, or its name if that is a file's path;
        also through a link) or not a regular file;
        written to a temporary file in the same folder and renamed into place, so a failed write
        (a full disk) leaves whatever was at `path` whole and no temporary file behind (OSError)."""
        from course.core.textio import atomic_write, check_output_path

        check_output_path(path, [*inputs, self.name, *([self.source_file] if self.source_file else [])], what="report")
        atomic_write(path, self.html())


def source_audit(text: str, name: str = "article", kind: str = "auto", progress: bool = False,
                 source_file: str | None = None) -> AuditReport:
    """Audit `text` (plain text, Markdown or HTML), read from `source_file` if given: raises InputError for
    unusable input."""
    text = prepare_text(text, name, kind)
    return AuditReport(Analysis.of_text(text, name, progress=progress), source_file)


# --- what the template shows -----------------------------------------------------------------

def render_html(report: AuditReport) -> str:
    """The whole report as one HTML document (no external files)."""
    # people, not every PERSON cluster: outlets the model called persons are organisations by then
    # (course.analysis.entities relabels them), and only clusters with a named mention count
    people = report.entities[(report.entities["label"] == "PERSON") & (report.entities["merged_count"] > 0)]
    return render(
        "report.html.j2", report=report, note_colour=NOTE_COLOUR, made_on=f"{date.today():%d %B %Y}",
        words=f"{len(report.article.text.split()):,}",
        missing=[c.description for c in report.provenance if not c.present],
        entities=Table.of(report.entities.head(ENTITIES_SHOWN), ENTITY_COLUMNS), people=len(people),
        quotes=quotes_section(report), framing=framing_section(report.analysis), names=names_section(report.analysis),
    )


def quotes_section(report: AuditReport) -> dict | None:
    """Who is quoted: counts by source kind and cue, the sources table and every attribution."""
    if not report.attributions:
        return None
    return {
        "kinds": Counter(a.source_kind for a in report.attributions).most_common(),
        "cues": Counter(a.cue_category or "no cue" for a in report.attributions).most_common(),
        "sources": Table.of(report.sources, SOURCE_COLUMNS),
        "attributions": Table.of(attributions_table(report.attributions), ATTRIBUTION_COLUMNS),
    }


def framing_section(analysis: Analysis) -> dict | None:
    """Framing devices counted by category and voice, and every device."""
    devices = analysis.framing
    if not devices:
        return None
    categories = dict.fromkeys(d.category for d in devices)
    counts = pd.DataFrame([{"category": c, **voice_counts(devices, c)} for c in categories])
    return {"counts": Table.of(counts), "devices": Table.of(framing_table(devices))}


def names_section(analysis: Analysis) -> dict:
    """Spelling variants, place names with a newer preferred spelling (each once), translation artefacts."""
    flagged = {p.text: p for p in analysis.place_styles if not p.is_exception}
    return {"variants": analysis.name_variants, "places": list(flagged.values()),
            "artefacts": analysis.translation_artefacts}
