"""A marking week: grade, hand-grade, re-run, edit during a run, crash, re-run. Nothing a person
entered is ever lost, and a killed grader converges to the same gradebook as an uninterrupted one."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course.teach import sandbox
from course.teach.grading import AWAITING, COMPLETE, FAILED, _isolation, grade_class, remove_stale_scratch
from course.teach.grading.batch import Assignment, GradeOptions
from course.teach.grading.gradebook import merge_submission
from hostile_class import build_class, new_course
from shared_prefix import NOBODY, NOGROUP, cannot_switch_user, give_to, run_as, shared_prefix, world_readable_tempdir

ASSIGNMENT = "00_warmup"
NEEDS_BWRAP = pytest.mark.skipif(not sandbox.bwrap_available(), reason="bubblewrap is not installed")
QUIET = {"log": lambda line: None, "workers": 2, "timeout": 20}


def _db(course_dir: Path) -> str:
    return f"sqlite:///{course_dir / 'gradebook.db'}"


def _cells(course_dir: Path) -> dict:
    """Every grade and comment in the gradebook, as plain values, by (student, cell)."""
    rows = {}
    with Gradebook(_db(course_dir)) as gradebook:
        for student in gradebook.students:
            try:
                submission = gradebook.find_submission(ASSIGNMENT, student.id)
            except Exception:  # noqa: BLE001 - no submission from this student
                continue
            for nb in submission.notebooks:
                for g in nb.grades:
                    rows[(student.id, g.name)] = (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                for c in nb.comments:
                    rows[(student.id, "comment:" + c.name)] = (c.auto_comment, c.manual_comment)
    return rows


def _hand_grade(course_dir: Path, student: str, score: float, comment: str, extra: float) -> str:
    """What a person does in formgrader: grade the written answer, comment on it, give extra credit
    on a test cell and override that test cell's automatic score. Returns the written cell's name."""
    with Gradebook(_db(course_dir)) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        grades = [g for nb in submission.notebooks for g in nb.grades]
        written = next(g for g in grades if g.needs_manual_grade)
        written.manual_score = score
        written.needs_manual_grade = False
        test = next(g for g in grades if g.auto_score is not None)
        test.extra_credit = extra
        test.manual_score = test.max_score / 2  # an override of the autograder
        comment_row = next(c for nb in submission.notebooks for c in nb.comments if c.name == written.name)
        comment_row.manual_comment = comment
        gradebook.db.commit()
        return written.name


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    course_dir = new_course(tmp_path_factory.mktemp("week"))
    build_class(ASSIGNMENT, course_dir, hostile=False)
    outcomes = {o.student: o for o in grade_class(course_dir, ASSIGNMENT, **QUIET)}
    return course_dir, outcomes


@NEEDS_BWRAP
def test_first_run_awaits_hand_grading_of_the_written_answer(week):
    _, outcomes = week
    assert outcomes["correct"].status == AWAITING and outcomes["correct"].manual_cells
    assert outcomes["blank"].status == AWAITING and outcomes["blank"].score == 0


@NEEDS_BWRAP
def test_hand_grading_survives_re_runs_with_and_without_force(week):
    course_dir, _ = week
    written = _hand_grade(course_dir, "correct", 2.0, "Clear and careful.", 1.0)
    before = _cells(course_dir)
    again = {o.student: o for o in grade_class(course_dir, ASSIGNMENT, **QUIET)}
    assert _cells(course_dir) == before, "a re-run without --force changed the gradebook"
    assert again["correct"].status == COMPLETE, again["correct"]
    forced = {o.student: o for o in grade_class(course_dir, ASSIGNMENT, force=True, **QUIET)}
    after = _cells(course_dir)
    person = {k: (v[1], v[2]) for k, v in before.items() if not k[1].startswith("comment:")}
    assert {k: (v[1], v[2]) for k, v in after.items() if not k[1].startswith("comment:")} == person
    assert after[("correct", "comment:" + written)][1] == "Clear and careful."
    assert after[("correct", written)][3] is False  # the person's decision stays
    assert forced["correct"].status == COMPLETE and forced["correct"].score == again["correct"].score


@NEEDS_BWRAP
def test_a_grade_entered_during_a_run_is_kept(week, tmp_path):
    """The merge writes only automatic columns, re-reading the row: an edit made meanwhile stays."""
    course_dir, _ = week
    private = tmp_path / "private.db"
    shutil.copy(course_dir / "gradebook.db", private)  # a worker's snapshot from before the edit
    with Gradebook(_db(course_dir)) as gradebook:
        grade = next(g for nb in gradebook.find_submission(ASSIGNMENT, "partial").notebooks for g in nb.grades
                     if g.auto_score is None)
        grade.manual_score, grade.needs_manual_grade = 1.5, False
        name = grade.name
        gradebook.db.commit()
    merge_submission(Assignment(course_dir, ASSIGNMENT), "partial", private)
    assert _cells(course_dir)[("partial", name)][1:] == (1.5, None, False)


def _run_grader(course_dir: Path, *flags: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "course", "grade", ASSIGNMENT, "--course-dir", str(course_dir), "--workers", "2",
         "--timeout", "20", "--no-feedback", *flags],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _leftovers(course_dir: Path, graders: list[int]) -> list[str]:
    """Processes of these graders (workers, sandboxed kernels) or their scratch folders still around,
    each process with its command line, so that a failure says what was left."""
    processes = subprocess.run(["pgrep", "-f", str(course_dir)], capture_output=True, text=True).stdout.split()
    scratch = [p.name for pid in graders for p in Path(tempfile.gettempdir()).glob(f"course-grading-{pid}-*")]
    kernels = subprocess.run(["pgrep", "-f", "|".join(f"course-grading-{pid}-" for pid in graders)],
                             capture_output=True, text=True).stdout.split() if graders else []
    return [f"{pid}: {_command_line(pid)}" for pid in processes + kernels] + scratch


def _leftovers_after(course_dir: Path, graders: list[int], seconds: float) -> list[str]:
    """`_leftovers` once they are gone, or as they are after `seconds` (a process ending takes a moment)."""
    deadline = time.monotonic() + seconds
    while (left := _leftovers(course_dir, graders)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _command_line(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:300]
    except OSError:
        return "(gone)"


@NEEDS_BWRAP
@pytest.mark.parametrize("kills", [20])
def test_killing_the_grader_at_random_moments_converges(tmp_path, kills):
    reference = new_course(tmp_path / "reference")
    build_class(ASSIGNMENT, reference, hostile=False, extra_correct=2)
    crashed = new_course(tmp_path / "crashed")
    build_class(ASSIGNMENT, crashed, hostile=False, extra_correct=2)
    for course_dir in (reference, crashed):  # graded once, then hand-graded the same way
        assert _run_grader(course_dir).wait(timeout=600) == 0
        written = _hand_grade(course_dir, "correct", 2.0, "Clear and careful.", 1.0)
    assert _run_grader(reference, "--force").wait(timeout=600) == 0
    rng = random.Random(1234)
    graders = []
    for _ in range(kills):  # re-runs killed at random moments, merges and folder swaps included
        grader = _run_grader(crashed, "--force")
        graders.append(grader.pid)
        time.sleep(rng.uniform(0.3, 9.0))
        grader.send_signal(signal.SIGKILL)
        grader.wait()
    time.sleep(1)  # the workers see their parent die (PR_SET_PDEATHSIG) and go, kernels with them
    assert _leftovers(crashed, []) == []
    last = _run_grader(crashed, "--force")
    assert last.wait(timeout=600) == 0
    assert _leftovers_after(crashed, graders + [last.pid], seconds=3) == []  # the last run cleared what the killed left
    assert _cells(crashed) == _cells(reference)
    assert _cells(crashed)[("correct", written)][1] == 2.0  # the person's grade survived every kill
    assert not list(crashed.glob("*/*/.*.incoming")) and not list(crashed.glob("*/*/.*.outgoing"))


def test_a_student_who_cannot_be_graded_makes_the_command_fail(tmp_path):
    course_dir = new_course(tmp_path)
    folder = course_dir / "submitted" / "broken" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "course", "grade", ASSIGNMENT, "--course-dir", str(course_dir)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert "broken" in result.stdout and FAILED in result.stdout
    assert "could not be graded: broken" in result.stderr


def test_force_manual_needs_confirmation(tmp_path):
    course_dir = new_course(tmp_path)
    result = subprocess.run([sys.executable, "-m", "course", "grade", ASSIGNMENT, "--course-dir", str(course_dir),
                             "--force-manual"], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 2 and "not confirmed" in result.stderr
    assert not (course_dir / "gradebook.db").exists()


def test_stale_scratch_of_a_dead_grader_is_removed_and_a_live_ones_kept(tmp_path):
    dead = Path(tempfile.mkdtemp(prefix="course-grading-999999999-"))
    live = Path(tempfile.mkdtemp(prefix=f"course-grading-{os.getpid()}-"))
    try:
        remove_stale_scratch()
        assert not dead.exists() and live.exists()
    finally:
        shutil.rmtree(dead, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)


def test_kernels_a_killed_grader_left_running_are_ended_with_its_scratch():
    """A kernel can outlive a killed grader: for a moment, or for good if its launcher died before bubblewrap
    could watch it. The next run ends every process that names the dead grader's scratch folder, and no live
    grader's."""
    dead = Path(tempfile.mkdtemp(prefix="course-grading-999999999-"))
    live = Path(tempfile.mkdtemp(prefix=f"course-grading-{os.getpid()}-"))
    orphan, kept = (subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)",
                                      str(folder / "course-kernel-x" / "connection.json")], start_new_session=True)
                    for folder in (dead, live))
    try:
        remove_stale_scratch()
        assert orphan.wait(timeout=10) == -signal.SIGKILL
        assert kept.poll() is None and live.exists() and not dead.exists()
    finally:
        for process in (orphan, kept):
            process.kill()
            process.wait()
        shutil.rmtree(dead, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)


# --- An instructor without root (issue #13): grading from the shared install, as another user ----------------


@pytest.fixture(scope="module")
def nonroot_class():
    """A class of four (correct, partial, blank, and a broken notebook) graded by user nobody with the
    shared install (`make shared-install`, built once per session into a temporary PREFIX): a Python
    every user can run, unlike a venv under /root. Returns (course folder, the grader's result)."""
    if reason := cannot_switch_user():
        pytest.skip(reason)
    prefix = shared_prefix()
    parent = world_readable_tempdir("course-nonroot-")
    course_dir = new_course(parent)
    build_class(ASSIGNMENT, course_dir, hostile=False)
    broken = course_dir / "submitted" / "broken" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [', encoding="utf-8")  # a forced failure
    (parent / "home").mkdir()
    give_to(parent)
    result = run_as(NOBODY, NOGROUP, [str(prefix / "bin" / "python"), "-m", "course", "grade", ASSIGNMENT,
                                      "--course-dir", str(course_dir), "--workers", "2"],
                    prefix=prefix, home=parent / "home", cwd=course_dir)
    return course_dir, result


def test_an_instructor_without_root_can_grade(nonroot_class):
    course_dir, result = nonroot_class
    assert "4 students: 0 complete, 3 awaiting hand grading, 0 flagged for a person, 1 failed" in result.stdout, (
        result.stdout[-2000:] + result.stderr[-2000:])
    with open(course_dir / f"grades-{ASSIGNMENT}.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert {s: (rows[s]["status"], rows[s]["score"]) for s in ("correct", "partial", "blank")} == {
        "correct": (AWAITING, "4"), "partial": (AWAITING, "2"), "blank": (AWAITING, "0")}
    assert all(p.stat().st_uid == NOBODY for p in course_dir.rglob("*")), "everything written as the instructor"
    for student in ("correct", "partial", "blank"):  # feedback written by `course grade`, without hidden tests
        page = (course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in page
    # Sandboxed through an unprivileged user namespace where the system allows it; else one warning line.
    warnings = [line for line in result.stderr.splitlines() if "UNISOLATED" in line]
    assert len(warnings) <= 1, warnings
    print("isolation:", warnings[0] if warnings else "bubblewrap, unprivileged user namespace")


def test_without_root_a_student_who_cannot_be_graded_fails_the_command(nonroot_class):
    course_dir, result = nonroot_class
    assert result.returncode == 1, result.stderr[-2000:]
    row = next(line for line in result.stdout.splitlines() if line.startswith("broken "))
    assert FAILED in row and len(row.split(FAILED, 1)[1].strip(" :")) > 0, row  # the reason is in the row
    assert "could not be graded: broken" in result.stderr


def test_without_user_namespaces_grading_falls_back_to_unisolated(tmp_path, monkeypatch):
    """Where the system refuses unprivileged user namespaces, bubblewrap fails; grading then takes the
    unisolated route with its one-line warning instead of failing every student."""
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(os, "getuid", lambda: 1000)
    sandbox.sandbox_unavailable.cache_clear()
    lines: list[str] = []
    try:
        reason = sandbox.sandbox_unavailable()
        assert not sandbox.bwrap_available()
        assert _isolation(GradeOptions(), lines.append) is False
    finally:
        sandbox.sandbox_unavailable.cache_clear()
    assert lines == [f"warning: {reason}, so student code runs UNISOLATED, with your rights"]
    assert reason == ("bubblewrap cannot create a sandbox without root here "
                      "(bwrap: No permissions to creating new namespace)")
