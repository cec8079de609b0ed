"""Every HTML fragment the explorers show, rendered from the Jinja2 templates in `templates/`.

The markup lives in the templates and autoescaping is on, so text from an
article (names, quotations, a pasted page) can never become markup. The
functions here only choose what to show; `course.explore.views` has the
plain helpers they use. One highlighter serves every explorer: the quote
explorer marks attributions in their source's colour, the framing explorer
marks devices in their voice's style, both through `highlighted_article_html`.
No ipywidgets or matplotlib here, so the fragments are tested as strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from course.analysis.entities import EntityCluster
from course.analysis.framing import NARRATOR, QUOTED, FramingDevice, terms_by_voice, voice_counts
from course.analysis.quotes import Attribution
from course.core.article import Article, Paragraph
from course.explore.palette import NARRATOR_COLOUR, QUOTED_COLOUR
from course.explore.views import attribution_sentence, device_tooltip, source_name

TEMPLATES = Environment(
    loader=PackageLoader("course.explore", "templates"),
    autoescape=True,
    undefined=StrictUndefined,  # a misspelt name in a template fails loudly instead of showing nothing
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context) -> str:
    """`template` (a file in course/explore/templates) filled with `context`, escaped."""
    return TEMPLATES.get_template(template).render(**context)


# --- the article, highlighted ----------------------------------------------------------------

@dataclass(frozen=True)
class Highlight:
    """A stretch of the article to mark: its offsets, colour, underline ("solid" or "dashed"),
    hover text, and the voice it belongs to (framing only; shown as data-voice)."""

    start: int
    end: int
    colour: str
    title: str | None = None
    line: str = "solid"
    voice: str | None = None


@dataclass(frozen=True)
class MarkedParagraph:
    """A paragraph cut into (text, highlight or None) pieces, in order."""

    number: int
    pieces: list[tuple[str, Highlight | None]]


def paragraph_pieces(text: str, paragraph: Paragraph, highlights: list[Highlight]) -> MarkedParagraph:
    """Cut `paragraph` at its highlights; a highlight overlapping an earlier one is left out."""
    marks = sorted((h for h in highlights if paragraph.start <= h.start < paragraph.end), key=lambda h: h.start)
    pieces: list[tuple[str, Highlight | None]] = []
    cursor = paragraph.start
    for h in marks:
        if h.start < cursor:
            continue
        pieces += [(text[cursor:h.start], None), (text[h.start:h.end], h)]
        cursor = h.end
    pieces.append((text[cursor:paragraph.end], None))
    return MarkedParagraph(paragraph.number, pieces)


def highlighted_article_html(article: Article, highlights: list[Highlight]) -> str:
    """The article, one paragraph per line, in a scrolling box, with each highlight marked."""
    paragraphs = [paragraph_pieces(article.text, p, highlights) for p in article.paragraphs]
    return render("article.html.j2", paragraphs=paragraphs)


def attribution_highlights(attributions: list[Attribution], colours: dict[str, str]) -> list[Highlight]:
    """Each attribution's content in its source's colour (`colours`: course.explore.views.speaker_colours)."""
    return [Highlight(a.start, a.end, colours[source_name(a)], f"{source_name(a)} ({a.kind})") for a in attributions]


# The voices differ in line style as well as colour, so they stay apart in greyscale.
VOICE_STYLES = {NARRATOR: (NARRATOR_COLOUR, "solid"), QUOTED: (QUOTED_COLOUR, "dashed")}


def voice_highlight(voice: str, start: int = 0, end: int = 0, title: str | None = None) -> Highlight:
    """A highlight in `voice`'s style (the legend's samples have no offsets)."""
    colour, line = VOICE_STYLES[voice]
    return Highlight(start, end, colour, title, line, voice)


def device_highlights(devices: list[FramingDevice]) -> list[Highlight]:
    """Each framing device in its voice's style: the narrator's solid, quoted speakers' dashed."""
    return [voice_highlight(d.voice, d.start, d.end, device_tooltip(d)) for d in devices]


def voice_legend_html() -> str:
    """A key to the two voice styles, drawn with the same marks as the article."""
    return render("voice_legend.html.j2", narrator=voice_highlight(NARRATOR), quoted=voice_highlight(QUOTED))


# --- tables and details ----------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """Columns and rows for the templates' `table` macro; a missing value (None, NaN) shows as empty."""

    columns: list[str]
    rows: list[list]

    @classmethod
    def of(cls, frame, columns: list[str] | None = None) -> Table:
        """The `columns` (default: all) of a pandas DataFrame."""
        frame = frame[columns] if columns else frame
        rows = [["" if _missing(value) else value for value in row] for row in frame.itertuples(index=False)]
        return cls(list(frame.columns), rows)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def mentions_html(article: Article, cluster: EntityCluster, width: int = 50) -> str:
    """Every mention of `cluster` in context, as an HTML table with paragraph numbers."""
    contexts = [article.context(m.start, m.end, width) for m in cluster.mentions]
    return render("mentions.html.j2", cluster=cluster, contexts=contexts)


def quotes_table_html(attributions: list[Attribution]) -> str:
    """One row per attribution: paragraph, kind, source, cue, cue type and (shortened) content."""
    return render("quotes_table.html.j2", attributions=attributions, source_name=source_name)


def quote_detail_html(article: Article, attribution: Attribution) -> str:
    """One attribution: its source, kind and cue, and the whole sentence it sits in."""
    return render("quote_detail.html.j2", a=attribution, source=source_name(attribution),
                  sentence=attribution_sentence(article, attribution))


def voice_counts_html(devices: list[FramingDevice], category: str) -> str:
    """A table of how often each term is used by the narrator and by quoted speakers, with totals."""
    terms = terms_by_voice(devices, [category]).itertuples()
    return render("voice_counts.html.j2", terms=terms, totals=voice_counts(devices, category))


# --- short messages --------------------------------------------------------------------------

def message_html(text: str, role: str | None = None, lead: str | None = None) -> str:
    """One paragraph: `text` after an optional bold `lead`; `role` ("status", "alert") is for screen readers."""
    return render("message.html.j2", text=text, role=role, lead=lead)


def heading_html(text: str) -> str:
    """A section heading (the app's title above each explorer)."""
    return render("heading.html.j2", text=text)
