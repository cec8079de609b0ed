"""Where things are: the one place for the course's paths and names.

- `PACKAGE_DIR`: the installed `course` package; `DATA_DIR` its word lists.
- `REPO_ROOT`: the course folder (solutions/, exercises/, notebooks/), when the
  package runs from a checkout; instructor tools need it, analyses never do.
- `seeds_dir()`: the seed article and its annotations, from `$COURSE_SEEDS_DIR`,
  the checkout's `seeds/`, or the copy shipped inside an installed wheel.
- `KERNEL_NAME`: the Jupyter kernel every notebook and the grader use.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_ROOT = PACKAGE_DIR.parent
KERNEL_NAME = "wagner-course"
KERNEL_DISPLAY_NAME = "Python 3 (Wagner course)"
CACHE_FOLDER_NAME = "wagner-course"
SEEDS_ENV = "COURSE_SEEDS_DIR"
# An installed wheel carries the seeds as package data: in a checkout course/_seeds is a
# symlink to seeds/, which the build copies into the wheel (see pyproject.toml).
_SHIPPED_SEEDS = PACKAGE_DIR / "_seeds"


def seeds_dir() -> Path:
    """The folder holding the seed article and its annotations."""
    if os.environ.get(SEEDS_ENV):
        return Path(os.environ[SEEDS_ENV])
    checkout = REPO_ROOT / "seeds"
    return checkout if checkout.is_dir() else _SHIPPED_SEEDS
