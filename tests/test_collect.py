"""`python -m course collect`: a hostile inbound folder never leaks, never blocks the class.

The inbound folder is made by hand here, as a student who writes into the
exchange directly would make it: links to the gradebook, to the solution
notebook and to a root-only file, a FIFO, a folder loop, a hard link, a
submission under another student's name, a link where a submission folder
should be; a folder swapped for a link halfway through the copy, names that try to
forge or break the report, twenty thousand files, a backdated timestamp.txt.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from course import cli
from course.teach import collect as collecting

ASSIGNMENT = "00_warmup"
COURSE = "wagner-test"
STAMP = "2026-03-02 10:00:00.000000 UTC"
LATER = "2026-03-02 11:30:00.000000 UTC"
NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
SECRET = "the gradebook: nobody but the instructor reads this"


@pytest.fixture
def course(tmp_path):
    """(exchange root, course folder) with a gradebook, a solution and a root-only file outside both."""
    course_dir = tmp_path / "course"
    (course_dir / "solutions" / ASSIGNMENT).mkdir(parents=True)
    (course_dir / "gradebook.db").write_text(SECRET)
    (course_dir / "solutions" / ASSIGNMENT / "warmup.ipynb").write_text(json.dumps({"solution": SECRET}))
    (tmp_path / "root-only").write_text(SECRET)
    os.chmod(tmp_path / "root-only", 0o600)
    exchange = tmp_path / "exchange"
    (exchange / COURSE / "inbound").mkdir(parents=True)
    return exchange, course_dir


def submit(exchange: Path, student: str, stamp: str = STAMP, *, text: str = "answer") -> Path:
    """A submission folder as `nbgrader submit` writes it."""
    folder = exchange / COURSE / "inbound" / f"{student}+{ASSIGNMENT}+{stamp}+r4nd0m"
    folder.mkdir()
    (folder / "warmup.ipynb").write_text(json.dumps({**NOTEBOOK, "metadata": {"answer": text}}))
    (folder / "timestamp.txt").write_text(stamp)
    (folder / "submission_secret.txt").write_text("0123abcd")
    return folder


def plant_hostile(exchange: Path, course_dir: Path) -> Path:
    folder = submit(exchange, "mallory")
    root = course_dir.parent
    (folder / "warmup.ipynb").unlink()
    (folder / "warmup.ipynb").symlink_to(course_dir / "solutions" / ASSIGNMENT / "warmup.ipynb")
    (folder / "gradebook.db").symlink_to(course_dir / "gradebook.db")
    (folder / "shadow").symlink_to(root / "root-only")
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe")
    (folder / "loop").symlink_to(".")
    (folder / "deep").mkdir()
    (folder / "deep" / "up").symlink_to("../..")
    (folder / "deep" / "notes.txt").write_text("my own notes")
    os.link(root / "root-only", folder / "hardlink")
    os.mknod(folder / "sock", stat.S_IFSOCK | 0o600)  # a socket's node, as bind() leaves one
    return folder


def collected_files(course_dir: Path, student: str) -> dict[str, str]:
    base = course_dir / "submitted" / student / ASSIGNMENT
    return {str(p.relative_to(base)): p.read_text() for p in sorted(base.rglob("*")) if p.is_file()}


def assert_plain_tree(path: Path) -> None:
    """Only folders and regular files, with modes that let their owner delete them."""
    for item in [path, *path.rglob("*")]:
        info = os.lstat(item)
        assert stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode), item
        assert stat.S_IMODE(info.st_mode) == (0o755 if stat.S_ISDIR(info.st_mode) else 0o644), item


def test_honest_submissions_are_collected_with_their_timestamp(course):
    exchange, course_dir = course
    submit(exchange, "alice", text="alice's")
    submit(exchange, "bob", text="bob's")
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [(s.student, s.status, s.files) for s in report.students] == [("alice", "collected", 1),
                                                                         ("bob", "collected", 1)]
    files = collected_files(course_dir, "alice")
    assert files["timestamp.txt"] == STAMP and files["submission_secret.txt"] == "0123abcd"
    assert "alice's" in files["warmup.ipynb"]
    assert_plain_tree(course_dir / "submitted")


def test_links_and_special_files_are_left_out_and_reported(course):
    exchange, course_dir = course
    plant_hostile(exchange, course_dir)
    submit(exchange, "alice")
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    by_student = {s.student: s for s in report.students}
    assert by_student["alice"].status == "collected"
    mallory = by_student["mallory"]
    assert mallory.status == "collected", mallory.line()  # her own regular files only
    assert set(mallory.left_out) == {
        "'warmup.ipynb' (a link)", "'gradebook.db' (a link)", "'shadow' (a link)", "'timestamp.txt' (a link)",
        "'pipe' (a FIFO)", "'loop' (a link)", "'deep/up' (a link)", "'hardlink' (a hard link)",
        "'sock' (a socket)",
    }
    files = collected_files(course_dir, "mallory")
    assert files == {"deep/notes.txt": "my own notes", "submission_secret.txt": "0123abcd", "timestamp.txt": STAMP}
    for path in (course_dir / "submitted").rglob("*"):
        assert path.is_dir() or SECRET not in path.read_text()
    assert_plain_tree(course_dir / "submitted")
    assert "left out: " in mallory.line() and "'gradebook.db' (a link)" in mallory.line()


def test_a_link_or_a_file_in_place_of_a_submission_folder_is_not_followed(course):
    exchange, course_dir = course
    inbound = exchange / COURSE / "inbound"
    (inbound / f"eve+{ASSIGNMENT}+{STAMP}+x").symlink_to(course_dir / "solutions" / ASSIGNMENT)
    (inbound / f"ivy+{ASSIGNMENT}+{STAMP}+x").write_text("not a folder")
    os.mkfifo(inbound / f"joe+{ASSIGNMENT}+{STAMP}+x")
    (inbound / f"..+{ASSIGNMENT}+{STAMP}+x").mkdir()
    (inbound / f"kim+{ASSIGNMENT}+yesterday+x").mkdir()
    submit(exchange, "alice")
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [s.student for s in report.students] == ["alice"]
    assert any(note.startswith("'eve+") and "a link" in note for note in report.rejected)
    assert any(note.startswith("'joe+") and "a FIFO" in note for note in report.rejected)
    assert any(note.startswith("'kim+") and "timestamp" in note for note in report.rejected)
    assert any(note.startswith("'ivy+") and "not a folder" in note for note in report.rejected)
    assert any(note.startswith("'..+") and "not a valid student id" in note for note in report.rejected)
    assert len(report.rejected) == 5
    assert sorted(p.name for p in (course_dir / "submitted").iterdir()) == ["alice"]


def test_a_submission_under_another_students_name_is_refused(course, monkeypatch):
    exchange, course_dir = course
    submit(exchange, "alice")
    submit(exchange, "bob")
    me = os.getuid()
    monkeypatch.setattr(collecting, "_account_uid", lambda name: me + 1 if name == "alice" else me)
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [s.student for s in report.students] == ["bob"]
    assert len(report.rejected) == 1 and "claims to be alice's but is owned by" in report.rejected[0]


def test_one_students_failure_never_stops_the_others(course, monkeypatch):
    exchange, course_dir = course
    for student in ("alice", "bob", "carol"):
        submit(exchange, student)
    real = collecting._copy_folder

    def broken_for_bob(fd, target, relative, depth, result, budget):
        real(fd, target, relative, depth, result, budget)
        if result.student == "bob" and not relative:  # half-copied, then the disk fills
            raise OSError(28, "No space left on device", str(target / "warmup.ipynb"))

    monkeypatch.setattr(collecting, "_copy_folder", broken_for_bob)
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [(s.student, s.status) for s in report.students] == [("alice", "collected"), ("bob", "failed"),
                                                                ("carol", "collected")]
    assert report.failed == ["bob"] and "No space left on device" in report.students[1].line()
    assert sorted(p.name for p in (course_dir / "submitted" / "bob").iterdir()) == []  # no half copy left


def test_the_newest_submission_replaces_an_undeletable_older_copy(course):
    exchange, course_dir = course
    submit(exchange, "alice", STAMP, text="first")
    collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    old = course_dir / "submitted" / "alice" / ASSIGNMENT
    (old / "locked").mkdir()
    (old / "locked" / "file").write_text("x")
    os.chmod(old / "locked", 0o500)  # as plain `nbgrader collect` copies a student's read-only folder
    os.chmod(old, 0o500)
    submit(exchange, "alice", LATER, text="second")
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [(s.status, s.timestamp) for s in report.students] == [("collected", LATER)]
    assert "second" in collected_files(course_dir, "alice")["warmup.ipynb"]
    assert_plain_tree(course_dir / "submitted")
    again = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [s.status for s in again.students] == ["unchanged"]


def test_the_command_prints_one_line_per_student_and_fails_on_a_missing_exchange(course, capsys):
    exchange, course_dir = course
    plant_hostile(exchange, course_dir)
    submit(exchange, "alice")
    args = ["collect", ASSIGNMENT, "--course-dir", str(course_dir), "--exchange", str(exchange),
            "--course-id", COURSE]
    assert cli.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"alice: collected ({STAMP}), 1 file(s)"
    assert out[1].startswith(f"mallory: collected ({STAMP}), 1 file(s); left out: ")
    assert cli.main(["collect", ASSIGNMENT, "--course-dir", str(course_dir), "--exchange",
                     str(exchange / "nowhere"), "--course-id", COURSE]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_the_exchange_settings_come_from_nbgrader_config(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    (config / "nbgrader_config.py").write_text("c = get_config()\nc.Exchange.root = '/srv/x/exchange'\n"
                                               "c.CourseDirectory.course_id = 'from-config-path'\n")
    course_dir = tmp_path / "course"
    course_dir.mkdir()
    (course_dir / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(config))
    assert collecting.exchange_settings(course_dir) == (Path("/srv/x/exchange"), "mine")


def test_a_folder_swapped_for_a_link_halfway_through_is_not_followed(course, monkeypatch):
    exchange, course_dir = course
    folder = submit(exchange, "mallory")
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "mine.txt").write_text("my own notes")
    private = course_dir.parent / "instructor-private"
    (private / "b").mkdir(parents=True)
    (private / "b" / "grades.txt").write_text(SECRET)
    real_lstat, swapped = os.lstat, []

    def lstat_then_swap(name, *args, dir_fd=None, **kwargs):
        info = real_lstat(name, *args, dir_fd=dir_fd, **kwargs)
        if name == "b" and dir_fd is not None and not swapped:  # "a/b" checked: now "a" becomes a link
            swapped.append(name)
            os.rename(folder / "a", folder / "a_real")
            (folder / "a").symlink_to(private)
        return info

    monkeypatch.setattr(os, "lstat", lstat_then_swap)
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    monkeypatch.undo()
    assert swapped, "the swap never happened: the test no longer exercises the race"
    assert [s.status for s in report.students] == ["collected"]
    files = collected_files(course_dir, "mallory")
    assert "a/b/grades.txt" not in files and all(SECRET not in text for text in files.values())
    assert files["a/b/mine.txt"] == "my own notes"  # what was checked is what gets copied


def test_a_submission_folder_swapped_after_its_check_is_not_collected(course, monkeypatch):
    exchange, course_dir = course
    folder = submit(exchange, "mallory", text="checked")
    real = collecting._collected_timestamp

    def swap_then_look(target):  # runs after the folder was checked, before it is copied
        folder.rename(folder.with_name("elsewhere"))
        folder.mkdir()
        (folder / "warmup.ipynb").write_text("swapped in")
        return real(target)

    monkeypatch.setattr(collecting, "_collected_timestamp", swap_then_look)
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [(s.status, s.reason) for s in report.students] == [
        ("skipped", "the submission folder changed while being collected")]
    assert not (course_dir / "submitted" / "mallory" / ASSIGNMENT).exists()


def test_a_newline_never_passes_for_the_end_of_a_name(course):
    exchange, course_dir = course
    inbound = exchange / COURSE / "inbound"
    (inbound / f"daemon\n+{ASSIGNMENT}+{STAMP}+x").mkdir()  # '$' matches before a final newline
    (inbound / f"daemon\n+{ASSIGNMENT}+{STAMP}+x" / "warmup.ipynb").write_text("{}")
    (inbound / f"bob+{ASSIGNMENT}+2026-03-02\n10:00:00.000000 UTC+x").mkdir()
    submit(exchange, "alice")
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [s.student for s in report.students] == ["alice"]
    assert sorted(p.name for p in (course_dir / "submitted").iterdir()) == ["alice"]
    assert sorted(note.split(" (")[-1] for note in report.rejected) == ["no valid timestamp)",
                                                                         "not a valid student id)"]
    with pytest.raises(collecting.CourseError, match="not an assignment name"):
        collecting.collect(exchange, COURSE, ASSIGNMENT + "\n", course_dir)


def test_names_never_forge_or_break_a_report_line(course, capsys):
    exchange, course_dir = course
    folder = submit(exchange, "alice")
    forged = f"x\nnobody: collected ({STAMP}), 1 file(s)"
    (folder / forged).symlink_to("/etc/passwd")
    os.symlink("/etc/passwd", os.path.join(os.fsencode(folder), b"bad\xffname"))
    (folder / "caf\u00e9\u202e.txt").symlink_to("/etc/passwd")  # not ASCII, and a right-to-left override
    os.mkdir(os.path.join(os.fsencode(exchange / COURSE / "inbound"), f"x+{ASSIGNMENT}+\n".encode() + b"\xff"))
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [s.student for s in report.students] == ["alice"]
    assert ascii(forged) + " (a link)" in report.students[0].left_out
    assert "'bad\\udcffname' (a link)" in report.students[0].left_out
    lines = report.lines()
    assert len(lines) == 2 and lines[1].startswith("not collected: 'x+")
    for line in lines:
        line.encode("ascii")  # printable under any stdout encoding, strict or not
        assert line.isprintable() and "\n" not in line
    args = ["collect", ASSIGNMENT, "--course-dir", str(course_dir), "--exchange", str(exchange),
            "--course-id", COURSE]
    assert cli.main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].startswith("alice: unchanged") and out[1].startswith("not collected: ")


def test_thousands_of_left_out_files_are_summarised(course, monkeypatch):
    exchange, course_dir = course
    folder = submit(exchange, "alice")  # warmup.ipynb, timestamp.txt, submission_secret.txt
    for i in range(30):
        (folder / f"link{i:02d}").symlink_to("/etc/passwd")
    for i in range(200):
        (folder / f"z{i:03d}").write_text("x")
    monkeypatch.setattr(collecting, "MAX_ENTRIES", 40)
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    alice = report.students[0]
    assert alice.status == "collected" and alice.files == 8  # 40 entries: 30 links, 3, z000..z006
    assert len(alice.line()) < 1000
    assert alice.line().endswith("; and 10 more files left out (a link)"
                                 "; and 193 more files left out (too many files)")
    assert alice.left_out == [f"'link{i:02d}' (a link)" for i in range(20)]


def test_timestamp_txt_comes_from_the_submission_folders_name(course):
    exchange, course_dir = course
    folder = submit(exchange, "alice", LATER)
    (folder / "timestamp.txt").write_text(STAMP)  # backdated by hand, to look on time
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert [(s.status, s.timestamp) for s in report.students] == [("collected", LATER)]
    assert collected_files(course_dir, "alice")["timestamp.txt"] == LATER
    assert [s.status for s in collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir).students] == ["unchanged"]
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").mkdir()  # a folder in its place is left out, never copied into ours
    (course_dir / "submitted" / "alice" / ASSIGNMENT / "timestamp.txt").unlink()
    report = collecting.collect(exchange, COURSE, ASSIGNMENT, course_dir)
    assert report.students[0].left_out == ["'timestamp.txt' (a folder)"]
    assert collected_files(course_dir, "alice")["timestamp.txt"] == LATER
    assert_plain_tree(course_dir / "submitted")
