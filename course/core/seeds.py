"""The seed article and what people annotated in it, as data from `seeds/`.

Nothing in `course/` knows facts about the seed article: lessons and the
benchmark read them from here.
"""

from __future__ import annotations

import json
from pathlib import Path

from course.core.paths import seeds_dir
from course.core.textio import read_text_file

__all__ = ["seeds_dir", "seed_text", "seed_metadata", "seed_path"]


def seed_path(name: str) -> Path:
    """The path of one file in the seeds folder (article.txt, people.json, ...)."""
    return seeds_dir() / name


def seed_text() -> str:
    """The seed article's text, exactly as published (no spaCy needed)."""
    return read_text_file(seed_path("article.txt"))


def seed_metadata() -> dict:
    """What is known, and not known, about where the seed article comes from."""
    return json.loads(seed_path("metadata.json").read_text(encoding="utf-8"))
