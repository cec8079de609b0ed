"""A source audit of any English news article, as one self-contained HTML page.

`source_audit(text)` runs every analysis of the course on the text and
`AuditReport.html()` lays the results out for a reader: what the text says
about its provenance, who appears, who is quoted and how, framing devices by
voice, and notes on names and spelling. Plots are embedded as PNG images with
their one-line summaries as alt text, so the file works offline and with a
screen reader. The tools are a starting point for a reader's own checking,
and the page says so.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd

from course.core.article import Article, parse_article
from course.analysis.entities import cluster_entities, counts_table, raw_entities
from course.analysis.framing import find_framing, framing_table, voice_counts
from course.explore.plots import plot_entity_counts, plot_words_quoted
from course.analysis.provenance import ProvenanceCheck, provenance_checklist
from course.analysis.quotes import Attribution, attributions_table, extract_attributions
from course.analysis.sources import sources_table
from course.core.textio import prepare_text
from course.analysis.translation import name_variants, page_furniture, place_style_checks, translation_artefacts


@dataclass
class Figure:
    """A chart as PNG bytes with the sentence that summarises it (used as alt text)."""

    png: bytes
    summary: str


@dataclass
class AuditReport:
    """Everything the audit found; `html()` renders it, `save(path)` writes it."""

    name: str
    article: Article
    provenance: list[ProvenanceCheck]
    furniture: list[str]
    entities: pd.DataFrame
    attributions: list[Attribution]
    sources: pd.DataFrame
    figures: dict[str, Figure] = field(default_factory=dict)
    extra_sections: list[tuple[str, str]] = field(default_factory=list)

    def html(self) -> str:
        return render_html(self)

    def _repr_html_(self) -> str:
        """In Jupyter, inside an iframe, so the report's page styles cannot restyle the notebook."""
        return (f"<iframe srcdoc=\"{html.escape(self.html(), quote=True)}\" title=\"Source audit: {html.escape(self.name)}\" "
                "style='width:100%; height:900px; border:1px solid #ccc'></iframe>")

    def save(self, path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.html())


def _figure(fig, summary: str) -> Figure:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return Figure(buffer.getvalue(), summary)


def source_audit(text: str, name: str = "article", kind: str = "auto", progress: bool = False) -> AuditReport:
    """Audit `text` (plain text, Markdown or HTML): raises InputError for unusable input."""
    text = prepare_text(text, name, kind)
    article = parse_article(text, name, progress=progress)
    clusters = cluster_entities(article.doc)
    attributions = extract_attributions(article.doc, clusters)
    sources = sources_table(article.doc, attributions, clusters)
    entities = counts_table(clusters, raw_entities(article.doc))
    report = AuditReport(name, article, provenance_checklist(text), [a.text for a in page_furniture(text)], entities, attributions, sources)
    devices = find_framing(article.doc, clusters, attributions)
    report.extra_sections.append(("Framing devices, by voice", _framing_html(devices)))
    report.extra_sections.append(("Names and spelling", _translation_html(article, clusters, attributions)))
    people = entities[entities["label"] == "PERSON"]
    if not people.empty:
        report.figures["people"] = _figure(*plot_entity_counts(people, top=10, title="People named most often"))
    if (sources["words_quoted"] > 0).any():
        report.figures["quoted"] = _figure(*plot_words_quoted(sources))
    return report


# --- HTML -------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.missing { color: #a33; font-weight: bold; }
.present { color: #063; }
.note { background: #fff8e0; border-left: 4px solid #E69F00; padding: 0.5rem 1rem; }
img { max-width: 100%; }
"""


def _table(frame: pd.DataFrame, columns: list[str] | None = None) -> str:
    frame = frame[columns] if columns else frame
    return frame.to_html(index=False, escape=True, border=0)


def _img(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    alt = html.escape(figure.summary)
    return f"<figure><img src='data:image/png;base64,{data}' alt='{alt}'><figcaption>{alt}</figcaption></figure>"


def _provenance_html(report: AuditReport) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(c.description)}</td>"
        + (f"<td class='present'>found</td><td>{html.escape(c.evidence or '')}</td>" if c.present
           else "<td class='missing'>missing</td><td></td>")
        + "</tr>"
        for c in report.provenance
    )
    furniture = (
        "<p>Lines at the end that look like credits or leftovers of a web page: "
        + ", ".join(f"<code>{html.escape(line)}</code>" for line in report.furniture) + "</p>"
        if report.furniture else ""
    )
    missing = [c.description for c in report.provenance if not c.present]
    advice = (
        f"<p class='note'>Missing: {html.escape(', '.join(missing))}. Read laterally: search a distinctive "
        "sentence or quotation to find the original publication before trusting or sharing the text.</p>"
        if missing else ""
    )
    return f"<table><tr><th>item</th><th>status</th><th>evidence</th></tr>{rows}</table>{furniture}{advice}"


def _quotes_html(report: AuditReport) -> str:
    if not report.attributions:
        return "<p>No attributions were found: nobody is quoted or cited in this text.</p>"
    table = attributions_table(report.attributions).fillna("")
    kinds = table["source_kind"].value_counts().to_dict()
    cues = table["cue_category"].fillna("no cue").value_counts().to_dict()
    summary = (
        f"<p>{len(table)} attributions from {len(report.sources)} sources. Source kinds: "
        + ", ".join(f"{k} {v}" for k, v in kinds.items())
        + ". Reporting cues: " + ", ".join(f"{k} {v}" for k, v in cues.items()) + ".</p>"
    )
    figure = _img(report.figures["quoted"]) if "quoted" in report.figures else ""
    return (
        summary
        + _table(report.sources, ["source", "source_kind", "role", "affiliation", "source_type",
                                  "direct_quotes", "partial_quotes", "indirect_quotes", "words_quoted", "first_paragraph"])
        + figure
        + "<details><summary>Every attribution</summary>"
        + _table(table, ["paragraph", "kind", "speaker", "speaker_text", "cue", "cue_category", "source_kind", "text"])
        + "</details>"
    )


def _framing_html(devices) -> str:
    if not devices:
        return "<p>No framing devices from the course's lexicons were found.</p>"
    counts = pd.DataFrame(
        [{"category": c, **voice_counts(devices, c)} for c in dict.fromkeys(d.category for d in devices)]
    ).fillna(0)
    return (
        "<p>Counts of framing devices in the narrator's words and inside quotations. A device inside a "
        "quotation is the source's wording; in the narrator's voice it is the writer's (or translator's) choice.</p>"
        + counts.to_html(index=False, border=0)
        + "<details><summary>Every device</summary>" + framing_table(devices).fillna("").to_html(index=False, border=0)
        + "</details>"
    )


def _translation_html(article: Article, clusters, attributions) -> str:
    variants = name_variants(clusters)
    places = place_style_checks(article.text)
    artefacts = translation_artefacts(article.doc, attributions)
    parts = []
    if variants:
        parts.append("<p>Names spelled more than one way (a sign of translation or of several sources):</p><ul>"
                     + "".join(f"<li>{html.escape(v.person)}: {html.escape(', '.join(v.spellings))}</li>" for v in variants)
                     + "</ul>")
    flagged = [p for p in places if not p.is_exception]
    if flagged:
        parts.append("<p>Place names with a newer preferred spelling:</p><ul>"
                     + "".join(f"<li>{html.escape(p.text)} → {html.escape(p.preferred)}</li>"
                               for p in {p.text: p for p in flagged}.values()) + "</ul>")
    if artefacts:
        parts.append("<p>Possible translation or copy artefacts:</p><ul>"
                     + "".join(f"<li>{html.escape(a.kind.replace('_', ' '))}: “{html.escape(a.text[:120])}”</li>" for a in artefacts)
                     + "</ul>")
    return "".join(parts) or "<p>No spelling variants, place-name style issues or translation artefacts found.</p>"


def render_html(report: AuditReport) -> str:
    """The whole report as one HTML document (no external files)."""
    words = len(report.article.text.split())
    people = report.entities[report.entities["label"] == "PERSON"]
    sections = [
        ("Provenance: what the text says about where it comes from", _provenance_html(report)),
        ("Who appears: people, organisations and places",
         (_img(report.figures["people"]) if "people" in report.figures else "")
         + _table(report.entities.head(25), ["entity", "label", "merged_count", "raw_count", "variants"])
         + f"<p>{len(people)} people are named.</p>"),
        ("Who is quoted, and how", _quotes_html(report)),
        *report.extra_sections,
    ]
    body = "".join(f"<section><h2>{html.escape(title)}</h2>{content}</section>" for title, content in sections)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Source audit: {html.escape(report.name)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Source audit: {html.escape(report.name)}</h1>"
        f"<p>{words:,} words in {len(report.article.paragraphs)} paragraphs. Made on {date.today():%d %B %Y} "
        "by the course's rule-based tools with spaCy's small English model.</p>"
        "<p class='note'>The tools are a starting point, not an authority: they miss and misread things. "
        "Check every finding against your own reading of the text.</p>"
        f"{body}</body></html>"
    )
