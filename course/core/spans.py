"""Find which stored character spans cover or overlap a position, fast.

Quote and entity rules ask "is this token inside a quotation?" or "which
entity is mentioned here?" for every token. Scanning every span each time
makes long texts quadratic; this index keeps the spans sorted by start and
answers each question with a binary search, so a 1 MB text stays fast.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Non-overlapping or overlapping (start, end, value) spans, searchable by position."""

    def __init__(self, spans: Iterable[tuple[int, int, T]]):
        self._spans = sorted(spans, key=lambda s: (s[0], s[1]))
        self._starts = [s[0] for s in self._spans]
        self._longest = max((end - start for start, end, _ in self._spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Spans that share at least one character with [start, end), in order."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if s[0] < end and start < s[1]]

    def containing(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Spans that hold all of [start, end)."""
        return [s for s in self.overlapping(start, end) if s[0] <= start and end <= s[1]]

    def starting_in(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Spans whose start lies in [start, end), in order."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return self._spans[lo:hi]
