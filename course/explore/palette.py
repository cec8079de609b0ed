"""The course's colours: the Okabe-Ito palette and the named colours every view shares.

Okabe & Ito (2008, "Color Universal Design") chose these eight colours to stay
distinguishable under the common colour-vision deficiencies. The palette itself
is `course.core.palette.OKABE_ITO` (the instructors' reports use it too); the
names here are the explorers', apart from the charts, so lessons, HTML views and
the report can use them without importing matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable

from course.core.palette import OKABE_ITO as _OKABE_ITO

# A list, as before the palette moved to course.core.palette (lessons may index or copy it).
OKABE_ITO = list(_OKABE_ITO)

# Entity counts: merged mentions against the model's raw spans.
MERGED_COLOUR, RAW_COLOUR = OKABE_ITO[0], OKABE_ITO[1]
# Framing: the narrator's words against words inside a quotation.
NARRATOR_COLOUR, QUOTED_COLOUR = OKABE_ITO[0], OKABE_ITO[1]
# The report's call-outs ("check this yourself").
NOTE_COLOUR = OKABE_ITO[1]


def colours_for(keys: Iterable[str]) -> dict[str, str]:
    """One palette colour per distinct key, in order of first appearance.

    After eight keys the palette starts again: colour alone then no longer tells
    keys apart, so views that can show more also label each item.
    """
    return {key: OKABE_ITO[i % len(OKABE_ITO)] for i, key in enumerate(dict.fromkeys(keys))}
