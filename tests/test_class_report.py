"""The item-analysis report (course.teach.class_report) on a made-up class whose figures are known.

The class: ten graded students, one without a submission (s11), one whose grading
failed (s12: a test cell with no grade), one whose submission never reached the
gradebook (s13: only its submitted folder). One notebook `nb`, four questions:

    student  q1_test (2)  q2_test (1)  q3 manual (4)  q4 task (1)  total
    s01         2            0             4              1          7
    s02         2            0             4              1          7
    s03         2            0             4              1          7
    s04         2            1             1              1          5
    s05         2            1          awaiting          1          4
    s06         2            1             0              1          4
    s07         0            1             2              1          4
    s08         0            1             1              1          3
    s09         0            1             1              1          3
    s10         0            1             1              1          3

27% of 10 students is 3 per group: upper s01-s03 (7), lower s08-s10 (3), no tie at either edge.
- q1: facility 12/20 = 0.6; discrimination (2 - 0)/2 = 1.
- q2: facility 7/10 = 0.7; discrimination (0 - 1)/1 = -1.
- q3: 9 students scored, facility 18/36 = 0.5; discrimination (4 - 1)/4 = 0.75; 1 awaiting.
- q4: facility 1, discrimination 0, point-biserial None (the item does not vary).
Blanks: q1 3 (s07 the stub, s08 the stub without its comment, s09 empty), q2 0, q3 1 (s06 left
"YOUR ANSWER HERE"), q4 2 (s09 kept the released "*Your answer:*", s10 emptied it).
Failures: q1 2x not answered (the judge's line for a stub, one naming a hidden test's call),
1x the visible message, 1x NameError for `double`; q2 2x the visible message (with a <script> in
it), 1x a hidden check. s12's failure is not counted.
"""

from __future__ import annotations

import csv
import json
import statistics
import warnings
from pathlib import Path

import pytest
from sqlalchemy.exc import SAWarning

from course.cli import main
from course.teach.class_report import (
    HIDDEN_FAILURE,
    NOT_ANSWERED,
    VisibleTests,
    class_report,
    group_size,
    heatmap_summary,
    histogram_summary,
    is_blank,
    write_class_report,
)

# Uses nbgrader's database API only (no nbgrader command, no kernel): fast, so a unit test.
pytestmark = pytest.mark.unit

A, NB = "hw", "nb"
STUB_1 = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
STUB_2 = "def label(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
TEST_1 = '''checks.expect_function(double, "double")
checks.expect_equal(double(2), 4,
    "double(2) should be 4: "
    "do you multiply by two?")
### BEGIN HIDDEN TESTS
checks.expect_equal(double(-3), -6, "SECRET negative input -3")
### END HIDDEN TESTS
print("double passes the visible checks.")
'''
TEST_2 = '''checks.expect_equal(label(1), "one", "<script>alert('x')</script> label(1) should be 'one'")
### BEGIN HIDDEN TESTS
checks.expect_equal(label(0), "zero", "SECRET zero case")
### END HIDDEN TESTS
'''
VISIBLE_1 = "double(2) should be 4: do you multiply by two?"
VISIBLE_2 = "<script>alert('x')</script> label(1) should be 'one'"
NAME_ERROR = "double is not defined: run the cell that defines it, then this one."
STUB_LINE = ("Not answered yet: {} still raises NotImplementedError; "
             "replace `raise NotImplementedError()` with your code.")
TASK_STUB = "*Your answer:*"

STUDENTS = [f"s{i:02d}" for i in range(1, 11)]
SCORES = {  # q1, q2, q3 (None: awaiting manual grading), q4
    "s01": (2, 0, 4, 1), "s02": (2, 0, 4, 1), "s03": (2, 0, 4, 1), "s04": (2, 1, 1, 1), "s05": (2, 1, None, 1),
    "s06": (2, 1, 0, 1), "s07": (0, 1, 2, 1), "s08": (0, 1, 1, 1), "s09": (0, 1, 1, 1), "s10": (0, 1, 1, 1),
}
ANSWER_1 = {"s07": STUB_1, "s08": "def double(x):\n\n    raise NotImplementedError()\n\n", "s09": "",
            "s10": "def double(x):\n    return x"}
FAILURES = {  # (student, test cell) -> (ename, evalue)
    ("s07", "q1_test"): ("AssertionError", STUB_LINE.format("double(2)")),
    ("s08", "q1_test"): ("AssertionError", STUB_LINE.format("double(-3) SECRET")),
    ("s09", "q1_test"): ("NameError", NAME_ERROR), ("s10", "q1_test"): ("AssertionError", VISIBLE_1),
    ("s01", "q2_test"): ("AssertionError", VISIBLE_2), ("s02", "q2_test"): ("AssertionError", VISIBLE_2),
    ("s03", "q2_test"): ("AssertionError", "SECRET zero case"),
    ("s12", "q1_test"): ("AssertionError", VISIBLE_1),
}


def _cell(cell_type: str, source: str, grade_id: str | None = None, outputs: list | None = None) -> dict:
    cell: dict = {"cell_type": cell_type, "metadata": {}, "source": source}
    if grade_id:
        cell["metadata"]["nbgrader"] = {"grade_id": grade_id}
    if cell_type == "code":
        cell.update(outputs=outputs or [], execution_count=None)
    return cell


def _outputs(student: str, test: str) -> list[dict]:
    if (student, test) not in FAILURES:
        return [{"output_type": "stream", "name": "stdout", "text": "passes the visible checks.\n"}]
    ename, evalue = FAILURES[(student, test)]
    return [{"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}]


def _notebook(student: str) -> dict:
    cells = [
        _cell("markdown", "## Question 1", "prompt_1"),
        _cell("code", ANSWER_1.get(student, "def double(x):\n    return 2 * x"), "a1"),
        _cell("code", TEST_1, "q1_test", _outputs(student, "q1_test")),
        _cell("code", "def label(x):\n    return 'one'", "a2"),
        _cell("code", TEST_2, "q2_test", _outputs(student, "q2_test")),
        _cell("markdown", "YOUR ANSWER HERE" if student == "s06" else "My essay.", "q3"),
        _cell("markdown", "## Question 4: a task", "q4"),
        _cell("markdown", {"s09": TASK_STUB, "s10": "  \n"}.get(student, "My plan.")),
        _cell("markdown", "## Hand in", "outro"),
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _write_notebook(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")


def _build_class(course_dir: Path) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        gb.add_assignment(A)
        gb.add_notebook(NB, A)
        gb.add_grade_cell("q1_test", NB, A, max_score=2, cell_type="code")
        gb.add_grade_cell("q2_test", NB, A, max_score=1, cell_type="code")
        gb.add_grade_cell("q3", NB, A, max_score=4, cell_type="markdown")
        gb.add_task_cell("q4", NB, A, max_score=1, cell_type="markdown")
        for name in ("a1", "a2", "q3"):
            gb.add_solution_cell(name, NB, A)
        for name, cell_type, source, locked in [
            ("a1", "code", STUB_1, False), ("q1_test", "code", TEST_1, True), ("a2", "code", STUB_2, False),
            ("q2_test", "code", TEST_2, True), ("q3", "markdown", "YOUR ANSWER HERE", False),
            ("q4", "markdown", "## Question 4: a task", True),
        ]:
            gb.add_source_cell(name, NB, A, cell_type=cell_type, source=source, locked=locked)
        for student in [*STUDENTS, "s11", "s12"]:
            gb.add_student(student)
        for student, (q1, q2, q3, q4) in SCORES.items():
            gb.add_submission(A, student)
            for name, score in [("q1_test", q1), ("q2_test", q2)]:
                grade = gb.find_grade(name, NB, A, student)
                grade.auto_score, grade.needs_manual_grade = score, False
            for name, score in [("q3", q3), ("q4", q4)]:
                grade = gb.find_grade(name, NB, A, student)
                grade.manual_score, grade.needs_manual_grade = score, score is None
        gb.add_submission(A, "s12")  # grading failed: q1 has neither a grade nor a request for a person
        for name, auto in [("q1_test", None), ("q2_test", 1)]:
            grade = gb.find_grade(name, NB, A, "s12")
            grade.auto_score, grade.needs_manual_grade = auto, False
        gb.db.commit()
    for student in [*STUDENTS, "s12"]:
        _write_notebook(course_dir / "autograded" / student / A / f"{NB}.ipynb", _notebook(student))
    (course_dir / "submitted" / "s13" / A).mkdir(parents=True)
    source = _notebook("source")
    source["cells"][7]["source"] = TASK_STUB
    _write_notebook(course_dir / "solutions" / A / f"{NB}.ipynb", source)


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    import nbgrader.api
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    folder = tmp_path_factory.mktemp("class")
    # A new gradebook asks the `alembic` command for the schema's version (seconds, and only if it is on
    # PATH); alembic's own API answers the same question in the process.
    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        patch.setattr(nbgrader.api, "get_alembic_version", lambda: head)
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission warns about its own session
        _build_class(folder)
    return folder


@pytest.fixture(scope="module")
def report(course_dir):
    return class_report(course_dir, A)


@pytest.fixture(scope="module")
def written(course_dir, tmp_path_factory):
    html, table = write_class_report(course_dir, A, tmp_path_factory.mktemp("out"))
    with open(table, newline="", encoding="utf-8") as rows:
        return html.read_text(encoding="utf-8"), table.read_text(encoding="utf-8"), list(csv.DictReader(rows))


def _by_name(report):
    return {s.question.name: s for s in report.questions}


def test_questions_in_notebook_order_with_points_and_kinds(report):
    assert [(s.question.name, s.question.kind, s.question.points) for s in report.questions] == [
        ("q1_test", "test", 2), ("q2_test", "test", 1), ("q3", "manual", 4), ("q4", "task", 1)]
    assert report.max_score == 8


def test_totals_and_groups(report):
    assert report.totals == {"s01": 7, "s02": 7, "s03": 7, "s04": 5, "s05": 4, "s06": 4, "s07": 4,
                             "s08": 3, "s09": 3, "s10": 3}
    assert group_size(10) == 3 and group_size(50) == 14 and group_size(2) == 1 and group_size(1) == 0


def test_facility_and_discrimination(report):
    stats = _by_name(report)
    figures = {name: (s.students, s.facility, s.discrimination, s.awaiting_manual) for name, s in stats.items()}
    assert figures == {
        "q1_test": (10, pytest.approx(0.6), pytest.approx(1.0), 0),
        "q2_test": (10, pytest.approx(0.7), pytest.approx(-1.0), 0),
        "q3": (9, pytest.approx(0.5), pytest.approx(0.75), 1),
        "q4": (10, pytest.approx(1.0), pytest.approx(0.0), 0),
    }


def test_point_biserial_against_the_rest_of_the_test(report):
    stats = _by_name(report)
    # item scores, and totals without the item, s01..s10 (s05 has no q3 score yet)
    q1, rest_1 = [2, 2, 2, 2, 2, 2, 0, 0, 0, 0], [5, 5, 5, 3, 2, 2, 4, 3, 3, 3]
    q2, rest_2 = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1], [7, 7, 7, 4, 3, 3, 3, 2, 2, 2]
    q3, rest_3 = [4, 4, 4, 1, 0, 2, 1, 1, 1], [3, 3, 3, 4, 4, 2, 2, 2, 2]
    assert stats["q1_test"].point_biserial == pytest.approx(statistics.correlation(q1, rest_1))
    assert stats["q2_test"].point_biserial == pytest.approx(statistics.correlation(q2, rest_2))
    assert stats["q3"].point_biserial == pytest.approx(statistics.correlation(q3, rest_3))
    assert stats["q2_test"].point_biserial < 0
    assert stats["q4"].point_biserial is None


def test_blanks(report):
    assert {name: s.blank for name, s in _by_name(report).items()} == {"q1_test": 3, "q2_test": 0, "q3": 1, "q4": 2}


def test_most_frequent_messages_hide_hidden_tests(report):
    stats = _by_name(report)
    assert stats["q1_test"].messages == (
        (NOT_ANSWERED, 2), (f"AssertionError: {VISIBLE_1}", 1), (f"NameError: {NAME_ERROR}", 1))
    assert stats["q2_test"].messages == ((f"AssertionError: {VISIBLE_2}", 2), (HIDDEN_FAILURE, 1))
    assert stats["q3"].messages == () and stats["q4"].messages == ()


def test_students_left_out_are_counted_apart(report, written):
    assert report.excluded.no_submission == ("s11",)
    assert report.excluded.grading_failed == ("s12", "s13")
    html, _, _ = written
    assert "No submission (left out of every figure): 1 (s11)" in html
    assert "Submitted, but grading failed or has not run (left out of every figure): 2 (s12, s13)" in html


def test_the_csv_has_one_row_per_question(written):
    _, text, rows = written
    assert [(r["question"], r["points"], r["students"], r["facility"], r["discrimination"], r["blank"],
             r["awaiting_manual"]) for r in rows] == [
        ("q1_test", "2", "10", "0.6", "1", "3", "0"),
        ("q2_test", "1", "10", "0.7", "-1", "0", "0"),
        ("q3", "4", "9", "0.5", "0.75", "1", "1"),
        ("q4", "1", "10", "1", "0", "2", "0"),
    ]
    assert rows[3]["point_biserial"] == "" and float(rows[1]["point_biserial"]) < 0
    assert (rows[0]["message_1"], rows[0]["count_1"]) == (NOT_ANSWERED, "2")
    assert (rows[0]["message_2"], rows[0]["count_2"]) == (f"AssertionError: {VISIBLE_1}", "1")
    assert (rows[1]["message_2"], rows[1]["count_2"]) == (HIDDEN_FAILURE, "1")
    assert (rows[1]["message_1"], rows[1]["message_3"]) == (f"AssertionError: {VISIBLE_2}", "")
    assert "SECRET" not in text


def test_the_page_is_self_contained_escaped_and_hides_hidden_tests(written):
    html, _, _ = written
    assert "SECRET" not in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; label(1)" in html
    assert html.count('src="data:image/png;base64,') == 2
    assert "http://" not in html and "https://" not in html and "<link" not in html


def test_the_plots_have_titles_labels_and_summaries(report, written):
    for fig in (report.histogram(), report.heatmap()):
        ax = fig.axes[0]
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert histogram_summary(report) == "10 students: mean 4.7 of 8, median 4, lowest 3, highest 7."
    assert heatmap_summary(report) == ("4 questions × 10 students: hardest q3 (facility 0.50), "
                                       "easiest q4 (1.00); 1 grade awaiting manual grading (orange).")
    html, _, _ = written
    assert histogram_summary(report) in html and heatmap_summary(report) in html


def test_which_messages_are_visible():
    visible = VisibleTests.of(TEST_1 + "### BEGIN HIDDEN TESTS\nchecks.expect_equal(helper(1), 1, 'x')\n"
                              "### END HIDDEN TESTS\n")
    assert visible.shown("AssertionError", "double(2)  should be 4:\n do you multiply by two?") == \
        f"AssertionError: {VISIBLE_1}"
    assert visible.shown("AssertionError", "SECRET negative input -3") == HIDDEN_FAILURE
    assert visible.shown("NameError", "name 'double' is not defined") == "NameError: name 'double' is not defined"
    assert visible.shown("NameError", "helper is not defined: run the cell that defines it") == HIDDEN_FAILURE
    assert visible.shown("AssertionError", "") == HIDDEN_FAILURE  # a bare assert: cannot tell where
    assert visible.shown("AssertionError", STUB_LINE.format("double(-3)")) == NOT_ANSWERED
    assert visible.shown("NotImplementedError", "") == NOT_ANSWERED
    assert VisibleTests.of("def broken(:\n").shown("AssertionError", "anything") == HIDDEN_FAILURE


def test_what_counts_as_blank():
    assert is_blank("") and is_blank("   \n") and is_blank(STUB_1, [STUB_1])
    assert is_blank("def double(x):\n    raise NotImplementedError()\n", [STUB_1])
    assert is_blank("raise NotImplementedError()") and is_blank("YOUR ANSWER HERE", code=False)
    assert not is_blank("def double(x):\n    return 2 * x", [STUB_1])
    assert not is_blank("# My heading", code=False)


def test_the_cli_writes_both_files(course_dir, tmp_path, capsys):
    assert main(["class-report", A, "--course-dir", str(course_dir), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / f"class-report-{A}.html").is_file() and (tmp_path / f"class-report-{A}.csv").is_file()
    assert str(tmp_path / f"class-report-{A}.html") in out


def test_the_cli_says_when_there_is_no_gradebook(tmp_path, capsys):
    assert main(["class-report", A, "--course-dir", str(tmp_path)]) == 2
    assert "no gradebook" in capsys.readouterr().err
