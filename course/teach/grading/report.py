"""What the instructor gets back: one Outcome per student, a summary table and a grades CSV.

A grade that does not exist is left empty and explained, never written as 0
(plain `nbgrader export` writes 0).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course.teach.grading.gradebook import StoredGrades
from course.teach.grading.preflight import FLAGGED_NOTES

GRADED, NEEDS_MANUAL, FAILED, SKIPPED = "graded", "needs manual grading", "failed", "already graded"
KEPT = "kept from an earlier run (use --force to grade again)"
CSV_COLUMNS = ["student_id", "assignment", "status", "auto_score", "max_score", "manual_cells", "reason", "repairs"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one student's submission."""

    student: str
    status: str
    score: float | None
    max_score: float
    reason: str = ""
    manual_cells: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()


def outcome(student: str, stored: StoredGrades, *, repairs: Iterable[str] = (), failure: str = "") -> Outcome:
    """One student's row: failed (with the reason, and no score), to be checked by hand, or graded."""
    repairs = tuple(repairs)
    if stored.score is None:
        return Outcome(student, FAILED, None, stored.max_score, failure or "not graded", repairs=repairs)
    if failure or stored.ungraded:
        reason = failure or f"no automatic grade for {', '.join(stored.ungraded)}"
        return Outcome(student, FAILED, None, stored.max_score, reason, stored.manual, repairs)
    suspicious = [r for r in repairs if r.startswith(FLAGGED_NOTES)]
    status = NEEDS_MANUAL if stored.manual or suspicious else GRADED
    reason = "check by hand: " + suspicious[0] if suspicious else ""
    return Outcome(student, status, stored.score, stored.max_score, reason, stored.manual, repairs)


def write_grades_csv(outcomes: list[Outcome], assignment: str, path: Path) -> None:
    """One row per student; a grade that does not exist stays empty, with the reason."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for o in outcomes:
            writer.writerow([o.student, assignment, o.status, "" if o.score is None else f"{o.score:g}",
                             f"{o.max_score:g}", " ".join(o.manual_cells), o.reason, "; ".join(o.repairs)])


def summary_table(outcomes: list[Outcome]) -> str:
    """A plain-text table for the terminal: student, score and status, with the reason when there is one."""
    width = max([len(o.student) for o in outcomes] + [7])
    lines = [f"{'student':<{width}}  {'score':>11}  status"]
    for o in outcomes:
        score = "-" if o.score is None else f"{o.score:g}/{o.max_score:g}"
        detail = o.reason or (f"cells: {', '.join(o.manual_cells)}" if o.status == NEEDS_MANUAL else "")
        lines.append(f"{o.student:<{width}}  {score:>11}  {o.status}{': ' + detail if detail else ''}")
    return "\n".join(lines)
