"""What a text says, and does not say, about where it comes from.

A fact-checker's first question is "who is behind this?" (SIFT,
Civic Online Reasoning). These checks look for the marks of provenance a
careful outlet leaves (byline, date, outlet, translation credit, links) and
for page leftovers that show a text was copied from somewhere. The patterns
are data (data/provenance_patterns.tsv), so they can be read and extended.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from course.core.lexicons import table, word_list


@dataclass(frozen=True)
class ProvenanceCheck:
    """One item of the checklist: is it present, and the evidence line if so."""

    check: str
    description: str
    present: bool
    evidence: str | None


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    masthead = "|".join(re.escape(word) for word in word_list("outlet_words.txt"))
    return tuple((name, description, re.compile(pattern.replace("{MASTHEAD}", masthead), re.IGNORECASE | re.MULTILINE))
                 for name, description, pattern in table("provenance_patterns.tsv"))


def provenance_checklist(text: str) -> list[ProvenanceCheck]:
    """Each provenance item, present or missing, with the line that shows it."""
    checks = []
    for name, description, pattern in _patterns():
        match = pattern.search(text)
        evidence = None
        if match:
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            evidence = text[line_start: line_end if line_end != -1 else len(text)].strip()
        checks.append(ProvenanceCheck(name, description, match is not None, evidence))
    return checks
