"""Charts for the lessons: titled, labelled, colour-blind safe, each with a one-line summary.

Colours come from `course.explore.palette` (Okabe-Ito), which stays
distinguishable under the common colour-vision deficiencies. Every chart
function returns the figure and a sentence that says what it shows, for
screen readers and for students who skim.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from course.explore.palette import (
    MERGED_COLOUR,
    NARRATOR_COLOUR,
    QUOTED_COLOUR,
    RAW_COLOUR,
    colours_for,
)


def _and_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def summarise_counts(table: pd.DataFrame) -> str:
    """One sentence on the top entity (or the entities tied at the top) and how far raw counting is off."""
    if table.empty:
        return "No entities of this type were found."
    ordered = table.sort_values("merged_count", ascending=False, kind="stable")
    top = ordered.iloc[0]
    tied = ordered[ordered["merged_count"] == top["merged_count"]]
    undercounted = int((table["raw_count"] < table["merged_count"]).sum())
    times = top["merged_count"]
    tail = f"raw counting undercounts {undercounted} of {len(table)} entities."
    if len(tied) > 1:
        return (f"{_and_list([str(n) for n in tied['entity']])} are named most often, "
                f"{times} time{'s' if times != 1 else ''} each after merging; {tail}")
    mentions = f"{times} mention{'s' if times != 1 else ''}"
    return (
        f"{top['entity']} is named most often ({mentions} after merging, "
        f"{top['raw_count']} if you count only the spans the model tagged '{top['raw_spelling']}'); {tail}"
    )


def plot_entity_counts(table: pd.DataFrame, top: int = 10, title: str | None = None):
    """Horizontal bars of raw and merged counts for the `top` most-mentioned entities.

    Returns (figure, summary).
    """
    shown = table.sort_values("merged_count", ascending=False).head(top).iloc[::-1]
    fig, ax = _paired_bars(shown["entity"], (shown["merged_count"], MERGED_COLOUR, "merged"),
                           (shown["raw_count"], RAW_COLOUR, "raw model spans"))
    ax.set_xlabel("Number of mentions")
    ax.set_ylabel("Entity")
    ax.set_title(title or f"Mentions of the top {len(shown)} entities: raw model output vs merged")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig, summarise_counts(table)


def _paired_bars(labels, solid, hatched):
    """Two horizontal bars per label: `solid` above, `hatched` below; each is (values, colour, legend label).

    The hatching keeps the two series apart for readers who cannot tell the colours apart.
    """
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(labels), 3) + 1.3))
    positions = range(len(labels))
    values, colour, name = solid
    ax.barh([p + 0.2 for p in positions], values, height=0.4, color=colour, label=name)
    values, colour, name = hatched
    ax.barh([p - 0.2 for p in positions], values, height=0.4, color=colour, label=name, hatch="//", edgecolor="white")
    ax.set_yticks(list(positions), list(labels))
    return fig, ax


def plot_words_quoted(sources: pd.DataFrame, top: int = 12, title: str | None = None):
    """Horizontal bars of words quoted per source, coloured by source type. Returns (figure, summary)."""
    shown = sources[sources["words_quoted"] > 0].sort_values("words_quoted", ascending=False).head(top).iloc[::-1]
    colour_of = colours_for(sources["source_type"])
    fig, ax = plt.subplots(figsize=(8, 0.42 * max(len(shown), 3) + 1.4))
    ax.barh(list(shown["source"]), shown["words_quoted"], color=[colour_of[t] for t in shown["source_type"]])
    ax.set_xlabel("Words quoted (direct and partial quotes)")
    ax.set_ylabel("Source")
    ax.set_title(title or "Who gets quoted at length")
    if len(shown):
        handles = [Patch(color=colour_of[t], label=t) for t in dict.fromkeys(shown["source_type"])]
        ax.legend(handles=handles, title="Source type", loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig, summarise_words_quoted(sources)


def summarise_words_quoted(sources: pd.DataFrame) -> str:
    """One sentence: how many sources are quoted in their own words (direct or partial quotations), who most."""
    quoted = sources[sources["words_quoted"] > 0]
    if quoted.empty:
        return "No source is quoted in their own words."
    by_type = quoted.groupby("source_type")["words_quoted"].sum().sort_values(ascending=False)
    top = quoted.sort_values("words_quoted", ascending=False).iloc[0]
    share = by_type.iloc[0] / by_type.sum()
    how_many = "1 source is" if len(quoted) == 1 else f"{len(quoted)} sources are"
    return (
        f"{how_many} quoted in their own words (direct or partial quotations); "
        f"{top['source']} has the most quoted words ({top['words_quoted']}), "
        f"and sources of type '{by_type.index[0]}' have {share:.0%} of all quoted words."
    )


# --- framing: which label each voice uses --------------------------------------------------------


def summarise_label_voices(table: pd.DataFrame) -> str:
    """One sentence on how many labels the narrator and quoted speakers use, and their favourites."""
    if table.empty:
        return "No labels were found."

    def part(voice: str, who: str) -> str:
        total = int(table[voice].sum())
        if total == 0:
            return f"{who} none"
        top = table.sort_values([voice, "term"], ascending=[False, True]).iloc[0]
        return f"{who} {total} label{'s' if total != 1 else ''}, most often '{top['term']}' ({int(top[voice])})"

    return f"{part('narrator', 'The narrator uses')}; {part('quoted', 'quoted speakers use')}."


def plot_label_voices(table: pd.DataFrame, title: str | None = None):
    """Paired horizontal bars per label: narrator (solid) and quoted speakers (hatched).

    `table` has columns term, narrator, quoted (see course.analysis.framing.terms_by_voice),
    most used first. Returns (figure, summary).
    """
    shown = table.iloc[::-1]
    fig, ax = _paired_bars(shown["term"], (shown["narrator"], NARRATOR_COLOUR, "narrator"),
                           (shown["quoted"], QUOTED_COLOUR, "quoted speakers"))
    ax.set_xlabel("Occurrences")
    ax.set_ylabel("Label (dictionary form)")
    ax.set_title(title or "Which labels the narrator and quoted speakers use")
    if len(shown):
        ax.legend(title="Voice", loc="best")
    fig.tight_layout()
    return fig, summarise_label_voices(table)
