"""Human annotations, read from JSON files such as those in seeds/.

Each loader returns small frozen records with character offsets into the
annotated text, so that scores can match predictions by position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


def read_json(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class GoldEntity:
    """One entity as a person annotated it: a name and its mention offsets."""

    name: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    kind: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class GoldLabel:
    """One label occurrence as a person annotated it."""

    category: str
    term: str
    text: str
    start: int
    end: int
    voice: str
    speaker: str | None


def load_gold_people(path: str | Path) -> list[GoldEntity]:
    data = read_json(path)
    return [
        GoldEntity(p["name"], tuple((m["start"], m["end"]) for m in p["mentions"]))
        for p in data["people"]
    ]


def load_gold_attributions(path: str | Path) -> list[GoldAttribution]:
    data = read_json(path)
    return [GoldAttribution(a["kind"], a["start"], a["end"], a["speaker"]) for a in data["attributions"]]


def load_gold_labels(path: str | Path) -> list[GoldLabel]:
    """The "labels" list of a label annotation file such as seeds/labels.json."""
    data = read_json(path)
    return [GoldLabel(g["category"], g["term"], g["text"], g["start"], g["end"], g["voice"], g["speaker"])
            for g in data["labels"]]
