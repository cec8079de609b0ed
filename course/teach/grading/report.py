"""What the instructor gets back: one Outcome per student, a summary table and a grades CSV.

Each student ends in one status that says what to do next:
- complete: every answer has its grade, automatic or by hand; nothing to do;
- awaiting hand grading: the automatic part is done; the listed cells wait for a person;
- flagged for a person: graded, but something in the submission needs a look (the reason says what);
- failed: the automatic part could not be completed (the reason says why); run again after fixing it.

The CSV's score is the gradebook's total, exactly what `nbgrader export` reports, so the two
always agree; it is empty only when the gradebook holds no submission for the student. For a
failed student the gradebook's total is not a mark (nbgrader counts missing grades as 0):
read the status.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course.teach.grading.gradebook import StoredGrades
from course.teach.grading.preflight import FLAGGED_NOTES

COMPLETE, AWAITING, FLAGGED, FAILED = "complete", "awaiting hand grading", "flagged for a person", "failed"
KEPT = "kept from an earlier run (use --force to grade again)"
CSV_COLUMNS = ["student_id", "assignment", "status", "score", "max_score", "awaiting_cells", "reason", "repairs"]


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
    """One student's row, with the status that says what to do next (see the module docstring)."""
    repairs = tuple(repairs)
    if stored.score is None:
        return Outcome(student, FAILED, None, stored.max_score, failure or "not graded", repairs=repairs)
    if failure or stored.ungraded:
        reason = failure or f"no automatic grade for {', '.join(stored.ungraded)}"
        return Outcome(student, FAILED, stored.score, stored.max_score, reason, stored.manual, repairs)
    suspicious = [r for r in repairs if r.startswith(FLAGGED_NOTES)]
    if suspicious:
        return Outcome(student, FLAGGED, stored.score, stored.max_score, "check by hand: " + "; ".join(suspicious),
                       stored.manual, repairs)
    status = AWAITING if stored.manual else COMPLETE
    return Outcome(student, status, stored.score, stored.max_score, "", stored.manual, repairs)


def write_grades_csv(outcomes: list[Outcome], assignment: str, path: Path) -> None:
    """One row per student (see the module docstring for the score); written to a temporary file
    in the same folder and renamed into place, so an earlier CSV is never left half-written."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for o in outcomes:
            writer.writerow([o.student, assignment, o.status, "" if o.score is None else f"{o.score:g}",
                             f"{o.max_score:g}", " ".join(o.manual_cells), o.reason, "; ".join(o.repairs)])
    partial.replace(path)


def summary_table(outcomes: list[Outcome]) -> str:
    """A plain-text table for the terminal: student, score and status with its detail, then the counts."""
    width = max([len(o.student) for o in outcomes] + [7])
    lines = [f"{'student':<{width}}  {'score':>11}  status"]
    for o in outcomes:
        score = "-" if o.score is None or o.status == FAILED else f"{o.score:g}/{o.max_score:g}"
        detail = o.reason or (f"cells: {', '.join(o.manual_cells)}" if o.status == AWAITING else "")
        lines.append(f"{o.student:<{width}}  {score:>11}  {o.status}{': ' + detail if detail else ''}")
    counts = {status: sum(o.status == status for o in outcomes) for status in (COMPLETE, AWAITING, FLAGGED, FAILED)}
    lines.append(f"{len(outcomes)} students: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    return "\n".join(lines)
