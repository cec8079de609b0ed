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
def _patterns() -> tuple[tuple[str, str, tuple[re.Pattern, ...]], ...]:
    """(check, description, patterns) in the table's order; a check may have several rows, and the first one
    describes it."""
    masthead = "|".join(re.escape(word) for word in word_list("outlet_words.txt"))
    checks: dict[str, tuple[str, list[re.Pattern]]] = {}
    for name, description, pattern in table("provenance_patterns.tsv"):
        compiled = re.compile(pattern.replace("{MASTHEAD}", masthead), re.IGNORECASE | re.MULTILINE)
        checks.setdefault(name, (description, []))[1].append(compiled)
    return tuple((name, description, tuple(patterns)) for name, (description, patterns) in checks.items())


def provenance_checklist(text: str) -> list[ProvenanceCheck]:
    """Each provenance item, present or missing, with the line that shows it (the first in the text)."""
    checks = []
    for name, description, patterns in _patterns():
        # where each pattern's evidence starts: its group 'line' if it has one (a pattern that counts lines from the
        # text's start to find a header line), else the match
        found = [match.span("line") if "line" in pattern.groupindex else match.span()
                 for pattern in patterns if (match := pattern.search(text))]
        evidence = None
        if found:
            start, end = min(found)
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            evidence = text[line_start: line_end if line_end != -1 else len(text)].strip()
        checks.append(ProvenanceCheck(name, description, bool(found), evidence))
    return checks
