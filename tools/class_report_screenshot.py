"""Make the README's picture of `course class-report`: a made-up class, graded for real, then shown in Chromium.

Each of the STUDENTS students answers every question of ASSIGNMENT with the solution or, by a seeded
draw, with one of the wrong answers catalogued in solutions/ASSIGNMENT/mistakes.yaml (some leave a
question blank), so the report shows the messages real mistakes get. The class is graded with
`course.teach.grading.grade_class` (judged and sandboxed, as `course grade` does), the report is
written with `write_class_report`, and its page is saved as docs/class-report.png.

    .venv/bin/python tools/class_report_screenshot.py [ASSIGNMENT]
"""

from __future__ import annotations

import copy
import random
import sys
import tempfile
from pathlib import Path

import harness
import hostile_class
import mistakes
from course.teach.class_report import write_class_report
from course.teach.grading import grade_class

STUDENTS = 16
SEED = 2026
OUT = Path(__file__).resolve().parents[1] / "docs" / "class-report.png"


def made_up_class(assignment: str, course_dir: Path, students: int = STUDENTS, seed: int = SEED) -> None:
    """Write `students` submissions mixing solutions, catalogued wrong answers and blanks."""
    draw = random.Random(seed)
    release, answers = hostile_class._load(assignment)
    wrong: dict[str, list[str]] = {}
    for mistake in mistakes.load_catalogue(assignment):
        wrong.setdefault(mistake.question, []).append(mistake.code)
    for number in range(1, students + 1):
        skill = number / students  # stronger students make fewer mistakes
        chosen = {}
        for question, solution in answers.items():
            roll = draw.random()
            if roll < 0.1 * (1 - skill):
                continue  # left blank: the release's stub stays
            chosen[question] = draw.choice(wrong[question]) if roll < 0.8 * (1 - skill) else solution
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in chosen:
                cell.source = chosen[grade_id]
        hostile_class.write_submission(course_dir, assignment, f"s{number:02d}", nb)


def main(assignment: str = "00_warmup") -> Path:
    with tempfile.TemporaryDirectory(prefix="class-report-") as tmp:
        course_dir = hostile_class.new_graded_course(Path(tmp), assignment)
        made_up_class(assignment, course_dir)
        grade_class(course_dir, assignment, workers=2, timeout=120, budget=900)
        html_path, _ = write_class_report(course_dir, assignment)
        OUT.parent.mkdir(exist_ok=True)
        with harness.chromium() as (_, context):
            page = context.new_page()
            page.set_viewport_size({"width": 1100, "height": 900})
            page.goto(html_path.as_uri())
            page.screenshot(path=str(OUT), full_page=True)
    return OUT


if __name__ == "__main__":
    print(main(*sys.argv[1:2]))
