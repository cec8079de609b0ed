"""A hostile class, graded: every student's outcome, a batch that always finishes, isolation,
and a gradebook that matches the CSV.

The class is graded once per session (`hostile_class.graded_hostile_class`) and shared with
tests/test_hostile_routes.py, which checks the attack catalogue it also holds."""

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from course.teach import sandbox
from course.teach.grading import AWAITING, FAILED, FLAGGED, grade_class, preflight, write_grades_csv
from hostile_class import build_class, graded_hostile_class, new_course, outputs

ASSIGNMENT = "00_warmup"
NEEDS_BWRAP = pytest.mark.skipif(
    not sandbox.bwrap_available() and os.environ.get("CI") != "true",
    reason="bubblewrap (Debian package 'bubblewrap') is not installed; isolation cannot be tested here",
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if not sandbox.bwrap_available():
        pytest.fail("bubblewrap is required under CI: `make test` installs it with apt when it can")
    return graded_hostile_class(tmp_path_factory.mktemp("hostile"), ASSIGNMENT)  # workers=2, timeout=5, budget=30


@pytest.fixture(scope="module")
def graded_class(hostile):
    return hostile.course_dir, hostile.outcomes


FULL, EXPECTED_SCORES = 4.0, {
    "correct": 4.0, "partial": 2.0, "blank": 0.0, "infinite_loop": 4.0, "sys_exit": 4.0, "huge_output": 4.0,
    "deleted_test_cell": 4.0, "edited_test_cell": 4.0, "duplicated_test_cell": 4.0, "changed_kernel": 4.0,
    "eq_cheat": 3.0, "reads_hidden_tests": 4.0, "writes_gradebook": 4.0, "reads_other_student": 4.0,
    "prints_fake_success": 0.0, "answer_hangs": 3.0,
}
EXPECTED_FAILURES = {
    "os_exit": "kernel died", "kernel_crash": "kernel died", "malformed_json": "not a readable notebook",
    "bare_except_loop": "longer than", "answer_swallows_interrupts": "longer than",
}


@NEEDS_BWRAP
@pytest.mark.parametrize("student", sorted(EXPECTED_SCORES))
def test_graded_students_get_their_score(graded_class, student):
    _, outcomes = graded_class
    outcome = outcomes[student]
    assert outcome.status == AWAITING, outcome
    assert outcome.score == EXPECTED_SCORES[student]
    assert outcome.manual_cells == ("provenance_reflection",)


@NEEDS_BWRAP
@pytest.mark.parametrize("student", sorted(EXPECTED_FAILURES))
def test_failed_students_say_why(graded_class, student):
    _, outcomes = graded_class
    outcome = outcomes[student]
    assert outcome.status == FAILED  # its score, if any, is the gradebook's total, not a mark (see report.py)
    assert EXPECTED_FAILURES[student] in outcome.reason


@NEEDS_BWRAP
def test_monkeypatched_helpers_are_flagged_for_a_person(graded_class):
    _, outcomes = graded_class
    outcome = outcomes["monkeypatches_checks"]
    assert outcome.status == FLAGGED and outcome.reason.startswith("check by hand: suspected tampering")
    assert "checks.expect_equal" in outcome.reason


@NEEDS_BWRAP
def test_every_student_has_an_outcome(hostile):
    submitted = {p.name for p in (hostile.course_dir / "submitted").iterdir()}
    expected = set(EXPECTED_SCORES) | set(EXPECTED_FAILURES) | {"monkeypatches_checks"} | set(hostile.attacks)
    assert set(hostile.outcomes) == submitted == expected


@NEEDS_BWRAP
def test_repairs_are_recorded(graded_class):
    _, outcomes = graded_class
    assert outcomes["duplicated_test_cell"].repairs == ("removed a copy of cell count_paragraphs_test",)
    assert outcomes["deleted_test_cell"].repairs == ("cell count_paragraphs_test was deleted; restored",)
    assert "edited" in outcomes["edited_test_cell"].repairs[0]
    assert "kernel changed" in outcomes["changed_kernel"].repairs[0]
    assert outcomes["correct"].repairs == ()


@NEEDS_BWRAP
def test_student_files_are_never_modified(graded_class):
    course_dir, _ = graded_class
    text = (course_dir / "submitted" / "duplicated_test_cell" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    assert text.count('"grade_id": "count_paragraphs_test"') == 2


@NEEDS_BWRAP
def test_student_code_cannot_reach_hidden_tests_gradebook_or_classmates(graded_class):
    course_dir, _ = graded_class
    autograded = course_dir / "autograded"
    assert "NO-LEAK" in outputs(autograded / "reads_hidden_tests" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert "BLOCKED" in outputs(autograded / "reads_other_student" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    gradebook = (course_dir / "gradebook.db").read_bytes()
    assert b"tampered" not in gradebook
    with sqlite3.connect(course_dir / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@NEEDS_BWRAP
def test_huge_output_is_truncated_and_feedback_hides_hidden_tests(graded_class):
    course_dir, _ = graded_class
    notebook = course_dir / "autograded" / "huge_output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.stat().st_size < 1_000_000
    feedback = (course_dir / "feedback" / "correct" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "hidden tests" in feedback and "Windows line endings and a line of spaces" not in feedback
    full = (course_dir / "autograded" / "correct" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in full  # the instructor's copy keeps them


@NEEDS_BWRAP
def test_gradebook_matches_the_csv(graded_class, tmp_path):
    from nbgrader.api import Gradebook

    course_dir, outcomes = graded_class
    path = tmp_path / "grades.csv"
    write_grades_csv(list(outcomes.values()), ASSIGNMENT, path)
    rows = {row["student_id"]: row for row in csv.DictReader(path.open())}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for student, row in rows.items():
            if row["status"] == FAILED and row["score"] == "":
                assert row["reason"]
                continue
            assert float(row["score"]) == gradebook.find_submission(ASSIGNMENT, student).score


@NEEDS_BWRAP
def test_rerun_skips_graded_students_and_keeps_their_grades(graded_class):
    from nbgrader.api import Gradebook

    course_dir, outcomes = graded_class

    def stored_scores():
        with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
            return {s: gradebook.find_submission(ASSIGNMENT, s).score for s in EXPECTED_SCORES}

    before = stored_scores()
    again = {o.student: o for o in grade_class(course_dir, ASSIGNMENT, timeout=5, budget=30, log=lambda line: None)}
    assert all("earlier run" in again[s].reason for s in EXPECTED_SCORES)
    assert {s: again[s].score for s in EXPECTED_SCORES} == {s: outcomes[s].score for s in EXPECTED_SCORES}
    assert stored_scores() == before
    assert all(again[s].status == FAILED for s in EXPECTED_FAILURES)  # failures are tried again


@pytest.mark.parametrize(
    "code, flagged",
    [
        ("checks.expect_equal = lambda *a: None", True),
        ("import course.checks as c\nsetattr(c, 'expect_digest', print)", False),
        ("setattr(checks, 'expect_digest', print)", True),
        ("checks = object()", True),
        ("import builtins\nbuiltins.AssertionError = Exception", True),
        ("from course.checks import expect_equal", False),
        ("from course import checks", False),
        ("import fake_helpers as checks", True),
        ("def count(text):\n    return len(text.split())\nresult = count('a b')", False),
        ("this is not python", False),
    ],
)
def test_tampering_detection(code, flagged):
    from course.teach.grading import tampering

    assert bool(tampering(code)) is flagged


def test_preflight_reports_a_malformed_notebook_without_touching_it(tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / f"{ASSIGNMENT}.ipynb").write_text("{oops")
    source = Path(__file__).parent.parent / "solutions" / ASSIGNMENT
    repairs, failure = preflight(submission, source, tmp_path / "staging")
    assert "not a readable notebook" in failure and (submission / f"{ASSIGNMENT}.ipynb").read_text() == "{oops"


def test_cli_grade_without_submissions_is_one_line(tmp_path):
    course_dir = new_course(tmp_path)
    result = subprocess.run([sys.executable, "-m", "course", "grade", ASSIGNMENT, "--course-dir", str(course_dir)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "no submissions" in result.stderr and "Traceback" not in result.stderr


def test_cli_grade_no_isolation_says_so(tmp_path):
    course_dir = new_course(tmp_path)
    build_class(ASSIGNMENT, course_dir, hostile=False)
    result = subprocess.run([sys.executable, "-m", "course", "grade", ASSIGNMENT, "--course-dir", str(course_dir),
                             "--no-isolation", "--timeout", "10"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "unisolated" in result.stderr
    assert "correct" in result.stdout and "4/6" in result.stdout
    rows = list(csv.DictReader((course_dir / f"grades-{ASSIGNMENT}.csv").open()))
    assert {r["student_id"]: r["score"] for r in rows} == {"correct": "4", "partial": "2", "blank": "0"}


def _run_in_kernel(km, code: str) -> str:
    """What `code` prints in the kernel of `km` (a started SandboxedKernelManager)."""
    import asyncio

    async def run() -> str:
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute(code)
            printed = []
            while True:
                msg = await client.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    printed.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    printed.append(f"ERROR {msg['content']['ename']}")
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(printed)
        finally:
            client.stop_channels()

    return asyncio.run(run())


@NEEDS_BWRAP
def test_a_prestarted_kernel_serves_one_student_in_a_fresh_sandbox(tmp_path, monkeypatch):
    """With prestart, starting a kernel starts the next one; the next student gets that one: a new
    process in a new sandbox, with their data files, and nothing the previous student left."""
    import asyncio

    monkeypatch.setenv(sandbox.SANDBOX_ROOT_ENV, str(tmp_path))
    tmp_path.chmod(0o711)
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir()
    second_dir.mkdir()
    (second_dir / "data.txt").write_text("second student's data")

    def start(folder):
        km = sandbox.SandboxedKernelManager(kernel_name="wagner-course", prestart=True)
        asyncio.run(km.start_kernel(cwd=str(folder)))
        return km

    first = start(first_dir)
    try:
        assert len(sandbox.PRESTARTED.waiting) == 1
        waiting = next(iter(sandbox.PRESTARTED.waiting.values()))
        assert waiting.private != first.private and waiting.process.poll() is None
        left = _run_in_kernel(first, "import os, sys, spacy\nspacy.LEFT_BY_FIRST = 1\nopen('/tmp/left', 'w').close()\n"
                                     "open('left.txt', 'w').close()\nprint(os.getpid(), 'spacy' in sys.modules)")
        assert left.split()[1] == "True"
        second = start(second_dir)
        try:
            assert second.private == waiting.private  # the pre-started kernel, taken over
            assert len(sandbox.PRESTARTED.waiting) == 1 and waiting not in sandbox.PRESTARTED.waiting.values()
            seen = _run_in_kernel(second, (
                "import os, sys\nprint('preloaded' if 'spacy' in sys.modules else 'cold')\n"
                "print(hasattr(sys.modules['spacy'], 'LEFT_BY_FIRST'), os.path.exists('/tmp/left'),\n"
                "      sorted(os.listdir('.')), open('data.txt').read(), os.getcwd() == sys.path[0])"))
            assert seen.splitlines() == ["preloaded",
                                         "False False ['.ipython', 'data.txt'] second student's data False"]
        finally:
            asyncio.run(second.shutdown_kernel(now=True))
    finally:
        asyncio.run(first.shutdown_kernel(now=True))
        leftover = list(sandbox.PRESTARTED.waiting.values())
        sandbox.discard_prestarted()
    assert not sandbox.PRESTARTED.waiting
    assert all(warm.process.poll() is not None and not warm.private.exists() for warm in leftover)
    assert not list(tmp_path.glob("course-kernel-*"))  # every private folder removed
    assert not [pid for pid, command in sandbox._command_lines() if os.fsencode(tmp_path) in command]


@NEEDS_BWRAP
def test_without_prestart_nothing_is_started_ahead(tmp_path, monkeypatch):
    import asyncio

    monkeypatch.setenv(sandbox.SANDBOX_ROOT_ENV, str(tmp_path))
    tmp_path.chmod(0o711)
    km = sandbox.SandboxedKernelManager(kernel_name="wagner-course")
    asyncio.run(km.start_kernel(cwd=str(tmp_path)))
    try:
        assert not sandbox.PRESTARTED.waiting
        assert _run_in_kernel(km, "import sys\nprint('spacy' in sys.modules)").strip() == "False"
    finally:
        asyncio.run(km.shutdown_kernel(now=True))
