"""Charts for the lessons: titled, labelled, colour-blind safe, each with a one-line summary.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal
Design"), which stays distinguishable under the common colour-vision
deficiencies. Every chart function returns the figure and a sentence that
says what it shows, for screen readers and for students who skim.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
RAW_COLOUR, MERGED_COLOUR = OKABE_ITO[1], OKABE_ITO[0]


def summarise_counts(table: pd.DataFrame) -> str:
    """One sentence on the top entity and how far raw counting is off."""
    if table.empty:
        return "No entities of this type were found."
    top = table.sort_values("merged_count", ascending=False).iloc[0]
    undercounted = int((table["raw_count"] < table["merged_count"]).sum())
    return (
        f"{top['entity']} is named most often ({top['merged_count']} mentions after merging, "
        f"{top['raw_count']} if you count only the model's spelling '{top['raw_spelling']}'); "
        f"raw counting undercounts {undercounted} of {len(table)} entities."
    )


def plot_entity_counts(table: pd.DataFrame, top: int = 10, title: str | None = None):
    """Horizontal bars of raw and merged counts for the `top` most-mentioned entities.

    Returns (figure, summary).
    """
    shown = table.sort_values("merged_count", ascending=False).head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(shown), 3) + 1.2))
    positions = range(len(shown))
    ax.barh([p + 0.2 for p in positions], shown["merged_count"], height=0.4, color=MERGED_COLOUR, label="merged")
    ax.barh([p - 0.2 for p in positions], shown["raw_count"], height=0.4, color=RAW_COLOUR, label="raw model spans",
            hatch="//", edgecolor="white")
    ax.set_yticks(list(positions), shown["entity"])
    ax.set_xlabel("Number of mentions")
    ax.set_ylabel("Entity")
    ax.set_title(title or f"Mentions of the top {len(shown)} entities: raw model output vs merged")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig, summarise_counts(table)


def plot_words_quoted(sources: pd.DataFrame, top: int = 12, title: str | None = None):
    """Horizontal bars of words quoted per source, coloured by source type. Returns (figure, summary)."""
    shown = sources[sources["words_quoted"] > 0].sort_values("words_quoted", ascending=False).head(top).iloc[::-1]
    types = list(dict.fromkeys(sources["source_type"]))
    colour_of = {t: OKABE_ITO[i % len(OKABE_ITO)] for i, t in enumerate(types)}
    fig, ax = plt.subplots(figsize=(8, 0.42 * max(len(shown), 3) + 1.4))
    ax.barh(list(shown["source"]), shown["words_quoted"], color=[colour_of[t] for t in shown["source_type"]])
    for t in dict.fromkeys(shown["source_type"]):
        ax.barh([], [], color=colour_of[t], label=t)
    ax.set_xlabel("Words quoted (direct and partial quotes)")
    ax.set_ylabel("Source")
    ax.set_title(title or "Who gets quoted at length")
    if len(shown):
        ax.legend(title="Source type", loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig, summarise_words_quoted(sources)


def summarise_words_quoted(sources: pd.DataFrame) -> str:
    quoted = sources[sources["words_quoted"] > 0]
    if quoted.empty:
        return "No source is quoted directly."
    by_type = quoted.groupby("source_type")["words_quoted"].sum().sort_values(ascending=False)
    top = quoted.sort_values("words_quoted", ascending=False).iloc[0]
    share = by_type.iloc[0] / by_type.sum()
    return (
        f"{len(quoted)} sources are quoted directly; {top['source']} has the most quoted words ({top['words_quoted']}), "
        f"and sources of type '{by_type.index[0]}' have {share:.0%} of all quoted words."
    )
