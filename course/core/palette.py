"""The Okabe-Ito palette: eight colours that stay distinguishable under the common colour-vision deficiencies.

Okabe & Ito (2008, "Color Universal Design"). Only the constant lives here, so
every layer (the explorers' views, the instructors' reports) draws with the
same colours; `course.explore.palette` names the colours its views share.
"""

from __future__ import annotations

# blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
