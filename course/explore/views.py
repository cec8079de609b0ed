"""What the explorers show, as plain Python values: selections, names, colours, sentences.

Lessons call these helpers directly (to print an attribution's sentence, or
pick the entities an explorer would list), so they import neither ipywidgets
nor matplotlib. `course.explore.html` turns their results into markup and
`course.explore.widgets` wires them to controls.
"""

from __future__ import annotations

from course.analysis.entities import EntityCluster
from course.analysis.framing import (
    ACTOR_LABEL,
    BOOSTER,
    EVALUATIVE_DESCRIPTION,
    EVENT_LABEL,
    HEDGE,
    METAPHOR,
    NARRATOR,
    FramingDevice,
)
from course.analysis.quotes import Attribution
from course.core.article import Article
from course.explore.palette import colours_for

ALL = "(all)"  # the filter value that lets everything through

FRAMING_CATEGORY_NAMES = {
    EVENT_LABEL: "Labels for events",
    ACTOR_LABEL: "Labels for actors",
    METAPHOR: "Metaphors (candidates)",
    EVALUATIVE_DESCRIPTION: "Descriptions of people",
    HEDGE: "Hedges",
    BOOSTER: "Boosters",
}


# --- entities ------------------------------------------------------------------------------

def top_clusters(clusters: list[EntityCluster], label: str, top: int) -> list[EntityCluster]:
    """The `top` most-mentioned clusters with `label`, most-mentioned first."""
    return [c for c in clusters if c.label == label][:top]


def cluster_option(cluster: EntityCluster) -> str:
    """How a cluster is listed for picking: its name and how often it is mentioned."""
    return f"{cluster.name} ({cluster.count})"


# --- attributions --------------------------------------------------------------------------

def source_name(attribution: Attribution) -> str:
    """The attribution's source as readers see it, with a placeholder when nobody is named."""
    return attribution.source or "(no source)"


def speaker_colours(attributions: list[Attribution]) -> dict[str, str]:
    """One colour-blind-safe colour per source, in order of first appearance."""
    return colours_for(source_name(a) for a in attributions)


def filter_attributions(attributions: list[Attribution], types: dict[str, str], speaker: str = ALL,
                        source_type: str = ALL, cue_category: str = ALL) -> list[Attribution]:
    """The attributions that match every filter that is not ALL; `types` maps source names to source types."""
    return [
        a for a in attributions
        if (speaker == ALL or source_name(a) == speaker)
        and (source_type == ALL or types.get(source_name(a)) == source_type)
        and (cue_category == ALL or (a.cue_category or "none") == cue_category)
    ]


def attribution_option(attribution: Attribution) -> str:
    """How an attribution is listed for picking: paragraph, source and the start of its content."""
    return f"¶{attribution.paragraph} {source_name(attribution)}: {attribution.text[:60]}"


def attribution_sentence(article: Article, attribution: Attribution) -> str:
    """The sentence(s) holding the attributed content and its speaker phrase.

    The content alone often lacks the cue and the speaker; the whole sentence
    is what a reader needs to judge the attribution.
    """
    a = attribution
    start = min(a.start, a.speaker_start if a.speaker_start is not None else a.start)
    end = max(a.end, a.speaker_end if a.speaker_end is not None else a.end)
    sentences = [s for s in article.doc.sents if s.start_char < end and start < s.end_char]
    if not sentences:
        return article.text[start:end]
    return article.text[sentences[0].start_char:sentences[-1].end_char].strip()


# --- framing -------------------------------------------------------------------------------

def device_tooltip(device: FramingDevice) -> str:
    """What a reader sees on hovering a highlight: term, voice, speaker, qualifiers or target."""
    voice = device.voice if device.voice == NARRATOR else f"quoted: {device.speaker or 'no named speaker'}"
    parts = [device.term, voice]
    if device.target:
        parts.append(f"about {device.target}")
    if device.domain:
        parts.append(f"domain {device.domain}")
    if device.qualifiers:
        parts.append(", ".join(device.qualifiers))
    return " · ".join(parts)
