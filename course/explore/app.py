"""The no-code explorer app: every explorer on one page, and a box to paste another article into.

`make explorer` serves notebooks/explorer_app.ipynb with Voilà; that notebook
only shows `ExplorerApp()`. All the explorers on the page read one shared
`Analysis`, so the article is analysed once, and pasting a new text replaces
them all with explorers of the new text (or says in one line why it cannot).
"""

from __future__ import annotations

import ipywidgets as widgets

from course.analysis.pipeline import Analysis
from course.core.article import Article
from course.core.textio import prepare_text
from course.errors import CourseError
from course.explore.html import heading_html, message_html
from course.explore.widgets import EntityExplorer, FramingExplorer, QuoteExplorer, as_analysis

# Each explorer on the page, under its heading ({name} is the article's name).
EXPLORERS = (
    (EntityExplorer, "People, places and organisations in the {name}"),
    (QuoteExplorer, "Who is quoted in the {name}, and how"),
    (FramingExplorer, "How the {name} frames events and people"),
)
PASTED = "pasted article"


def pasted_analysis(text: str) -> Analysis:
    """An Analysis of pasted text; raises InputError (one line) when the text cannot be analysed."""
    return Analysis.of_text(prepare_text(text, "pasted text"), PASTED)


def explorer_views(analysis: Analysis) -> list[widgets.Widget]:
    """A heading and an explorer for each entry of EXPLORERS, all reading `analysis`."""
    views: list[widgets.Widget] = []
    for explorer, heading in EXPLORERS:
        views += [widgets.HTML(heading_html(heading.format(name=analysis.article.name))), explorer(analysis)]
    return views


def close_all(widget: widgets.Widget) -> None:
    """Close a widget and every widget inside it, so replaced explorers free their memory."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    widget.close()


def failure_message(err: Exception) -> str:
    """The one line a reader sees when a text cannot be explored: never a traceback."""
    if isinstance(err, CourseError):
        return message_html(str(err), role="alert", lead="This text cannot be explored.")
    return message_html(f"{type(err).__name__}: {err}", role="alert",
                        lead="Something went wrong while analysing this text.")


def showing_message(article: Article) -> str:
    return message_html(f"Showing the pasted article: {len(article.paragraphs)} paragraphs, "
                        f"{len(article.text.split()):,} words.", role="status")


class ExplorerApp(widgets.VBox):
    """The app: a paste box, a button, a status line, and the explorers of the current article.

    `source` is an Analysis, an Article, or text (analysed as a pasted article);
    None means the course's seed article.
    """

    def __init__(self, source: Analysis | Article | str | None = None):
        if source is None:
            source = Analysis.of_path()
        self.analysis = pasted_analysis(source) if isinstance(source, str) else as_analysis(source)
        self.paste = widgets.Textarea(
            placeholder="Paste the text of an English news article here, one paragraph per line",
            description="Article text", layout=widgets.Layout(width="95%", height="8em"))
        self.explore_button = widgets.Button(
            description="Explore this text", button_style="primary",
            tooltip="Analyse the pasted text and show it in the explorers below")
        self.status = widgets.HTML()
        self.explorers = widgets.VBox(explorer_views(self.analysis))
        self.explore_button.on_click(self.explore_pasted)
        super().__init__([self.paste, self.explore_button, self.status, self.explorers])

    def explore_pasted(self, _=None) -> None:
        """The button's action: explore what is in the paste box."""
        self.explore_text(self.paste.value)

    def explore_text(self, text: str) -> bool:
        """Show every explorer for `text`, or keep the current ones and say why not; True if shown."""
        self.explore_button.disabled = True
        self.status.value = message_html("Analysing the pasted text…", role="status")
        try:
            analysis = pasted_analysis(text)
            views = explorer_views(analysis)
        except Exception as err:  # a no-code page shows one line, never a traceback
            self.status.value = failure_message(err)
            return False
        finally:
            self.explore_button.disabled = False
        self.analysis = analysis
        replaced, self.explorers.children = self.explorers.children, views
        for widget in replaced:
            close_all(widget)
        self.status.value = showing_message(analysis.article)
        return True

    def explorer(self, kind: type) -> widgets.Widget:
        """The explorer of class `kind` now on the page."""
        return next(w for w in self.explorers.children if isinstance(w, kind))
