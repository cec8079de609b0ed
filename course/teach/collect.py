"""Collect submissions from nbgrader's exchange, safely: `python -m course collect ASSIGNMENT`.

Students can write into the exchange's inbound folder directly, not only
through `nbgrader submit`, so everything in it is treated as hostile. Plain
`nbgrader collect` follows links (a link to the instructor's gradebook or to a
solution notebook is copied into the student's submission, and later into the
feedback released to them), stops the whole class on one unreadable file, and
keeps modes that leave folders the instructor cannot delete. Here:

- only regular files and real folders are taken, each opened without following
  a link (`O_NOFOLLOW`, checked again with `fstat` after opening) and relative to
  its parent folder's open descriptor, so a folder swapped for a link halfway
  through is never followed; links, FIFOs,
  sockets, devices, hard links (a regular file with more than one name), files the
  instructor cannot read, and anything past the size and count caps are left out,
  and each is reported (at most MAX_LISTED by name, the rest counted);
- every name a student chose is reported quoted with `ascii()`, so a report line is
  one line of plain ASCII that no name can forge or break;
- `timestamp.txt` is always written from the submission folder's name (set by the
  exchange at submit time), never taken from the student;
- a submission folder must be owned by the account whose name it carries (when that
  account exists here), so a student cannot submit as somebody else;
- every student is collected on their own: one student's bad entry is reported on
  their line and never stops the others;
- a student's newest submission is copied into a fresh folder with ordinary modes
  (folders 0755, files 0644, owned by whoever collects) and only then swapped into
  `submitted/STUDENT/ASSIGNMENT/`; an older copy there is removed even if its modes
  would have blocked deletion, and a failed copy leaves nothing behind.

nbgrader's own pieces are used for what they are trusted with: its configuration
files say where the exchange is (`Exchange.root`, `CourseDirectory.course_id`), and
`SafeExchangeCollect` plugs this collector into nbgrader itself
(`c.ExchangeFactory.collect`), so formgrader's Collect button is just as safe.
"""

from __future__ import annotations

import errno
import functools
import os
import pwd
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from course.errors import CourseError

MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20
MAX_ENTRIES = 2000
MAX_DEPTH = 4
MAX_LISTED = 20  # left-out entries named on a student's line; the rest are counted
# A student id nbgrader can use in a path and a submission name: no '/', no '+', not '.' or '..'.
# Always used with `fullmatch` (a `$` would let a trailing newline through).
STUDENT_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}")
# A submission timestamp as nbgrader writes it ("2026-03-02 10:00:00.000000 UTC"): printable, no '/'.
STAMP_TEXT = re.compile(r"[0-9][0-9A-Za-z :.,_-]{0,63}")
FILE_MODE, FOLDER_MODE = 0o644, 0o755
BOOKKEEPING = {"timestamp.txt", "submission_secret.txt"}  # what nbgrader submit adds; not work


@dataclass
class Collected:
    """What happened to one student's submission."""

    student: str
    status: str  # "collected", "unchanged" (already collected), "skipped" (nothing usable), "failed"
    timestamp: str = ""
    files: int = 0
    left_out: list[str] = field(default_factory=list)  # "'name' (why)", the first MAX_LISTED
    reason: str = ""
    unlisted: dict[str, int] = field(default_factory=dict)  # why -> how many more were left out

    def leave_out(self, path: str, why: str) -> None:
        """Note that `path` (a name the student chose) was left out, and why."""
        if len(self.left_out) < MAX_LISTED and why != "too many files":
            self.left_out.append(f"{ascii(path)} ({why})")
        else:
            key = "too large" if why.startswith("too large") else why
            self.unlisted[key] = self.unlisted.get(key, 0) + 1

    def line(self) -> str:
        """One line of plain ASCII, whatever the student named their files."""
        text = f"{self.student}: {self.status}"
        if self.timestamp:
            text += f" ({self.timestamp})"
        if self.status == "collected":
            text += f", {self.files} file(s)"
        if self.reason:
            text += f": {self.reason}"
        if self.left_out:
            text += "; left out: " + ", ".join(self.left_out)
        for why, count in sorted(self.unlisted.items()):
            text += f"; and {count:,} more file{'s' if count > 1 else ''} left out ({why})"
        return _one_line(text)


@dataclass
class Report:
    """Every student's line, and the inbound entries that belong to no student."""

    students: list[Collected] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [s.student for s in self.students if s.status == "failed"]

    def lines(self) -> list[str]:
        return [s.line() for s in self.students] + [_one_line(f"not collected: {note}") for note in self.rejected]


@dataclass(frozen=True)
class _Candidate:
    student: str
    name: str
    timestamp: datetime
    stamp_text: str
    identity: tuple[int, int]  # (st_dev, st_ino) of the folder that was checked


def exchange_settings(course_dir: Path) -> tuple[Path, str]:
    """(Exchange.root, course id) as nbgrader reads them: the Jupyter config path, then the course folder."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(course_dir)]:
        if os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    root = config.Exchange.get("root", "/usr/local/share/nbgrader/exchange")
    course_id = config.CourseDirectory.get("course_id", "")
    if not course_id:
        raise CourseError("no course id: set c.CourseDirectory.course_id in nbgrader_config.py, or pass --course-id")
    return Path(root), course_id


def collect(exchange_root: Path, course_id: str, assignment: str, course_dir: Path, *,
            students: list[str] | None = None) -> Report:
    """Collect the newest submission of `assignment` by each student into `course_dir`/submitted."""
    if not STUDENT_ID.fullmatch(assignment):
        raise CourseError(f"{ascii(assignment)} is not an assignment name")
    inbound = Path(exchange_root) / course_id / "inbound"
    try:
        info = os.lstat(inbound)
    except OSError as err:
        raise CourseError(f"{inbound}: no inbound folder ({err.strerror}); has the assignment been released?") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CourseError(f"{inbound}: not a folder (a link or a file): refusing to collect from it")
    report = Report()
    newest: dict[str, list[_Candidate]] = {}
    try:
        inbound_fd = os.open(inbound, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as err:
        raise CourseError(f"{inbound}: cannot open it ({_why(err)}); collect as the instructor") from None
    try:
        try:
            names = sorted(os.listdir(inbound_fd))
        except OSError as err:
            raise CourseError(f"{inbound}: cannot list it ({err.strerror}); collect as the instructor") from None
        for name in names:
            candidate = _candidate(inbound_fd, name, assignment, report)
            if candidate and (students is None or candidate.student in students):
                newest.setdefault(candidate.student, []).append(candidate)
        for student in sorted(newest):
            options = sorted(newest[student], key=lambda c: c.timestamp, reverse=True)
            report.students.append(_collect_one(inbound_fd, options[0], Path(course_dir), assignment))
    finally:
        os.close(inbound_fd)
    return report


def _candidate(inbound_fd: int, name: str, assignment: str, report: Report) -> _Candidate | None:
    """The submission `name` stands for, or None (reported) when it cannot be one."""
    from nbgrader.utils import parse_utc

    parts = name.rsplit("+", 3)
    if len(parts) < 3 or parts[1] != assignment:
        if f"+{assignment}+" in name:
            report.rejected.append(f"{ascii(name)} (not a submission name)")
        return None  # another assignment's submission
    student, _, stamp = parts[0], parts[1], parts[2]
    if not STUDENT_ID.fullmatch(student):
        report.rejected.append(f"{ascii(name)} (not a valid student id)")
        return None
    try:
        info = os.lstat(name, dir_fd=inbound_fd)
    except OSError as err:
        report.rejected.append(f"{ascii(name)} ({_why(err)})")
        return None
    if not stat.S_ISDIR(info.st_mode):
        report.rejected.append(f"{ascii(name)} ({_kind(info.st_mode)}, not a folder)")
        return None
    owner = _account_uid(student)
    if owner is not None and info.st_uid != owner:
        report.rejected.append(f"{ascii(name)} (claims to be {student}'s but is owned by "
                               f"{ascii(_user_name(info.st_uid))})")
        return None
    try:
        if not STAMP_TEXT.fullmatch(stamp):
            raise ValueError(stamp)
        when = parse_utc(stamp)
    except (ValueError, OverflowError):
        report.rejected.append(f"{ascii(name)} (no valid timestamp)")
        return None
    return _Candidate(student, name, when, stamp, (info.st_dev, info.st_ino))


def _collect_one(inbound_fd: int, candidate: _Candidate, course_dir: Path, assignment: str) -> Collected:
    """Copy one student's submission into place; any problem is theirs alone."""
    result = Collected(candidate.student, "collected", timestamp=candidate.stamp_text)
    target = course_dir / "submitted" / candidate.student / assignment
    staging: Path | None = None
    folder_fd: int | None = None
    try:
        if _collected_timestamp(target) == candidate.stamp_text:
            result.status = "unchanged"
            return result
        try:
            folder_fd = os.open(candidate.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=inbound_fd)
        except OSError as err:
            result.status, result.reason = "skipped", f"the submission folder could not be opened ({_why(err)})"
            return result
        info = os.fstat(folder_fd)
        if (info.st_dev, info.st_ino) != candidate.identity:
            result.status, result.reason = "skipped", "the submission folder changed while being collected"
            return result
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".collect-{assignment}-", dir=target.parent))
        os.chmod(staging, FOLDER_MODE)
        budget = {"bytes": MAX_TOTAL_BYTES, "entries": MAX_ENTRIES, "files": 0}
        _copy_folder(folder_fd, staging, "", 0, result, budget)
        # Always from the folder's name, which the exchange set at submit time and which was checked.
        stamp_fd = os.open(staging / "timestamp.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                           FILE_MODE)
        try:
            os.write(stamp_fd, candidate.stamp_text.encode("ascii"))
            os.fchmod(stamp_fd, FILE_MODE)
        finally:
            os.close(stamp_fd)
        result.files = budget["files"]
        if not result.files:
            result.status, result.reason = "skipped", "no file of the student's own in the submission"
            return result
        if target.exists() or target.is_symlink():
            remove_tree(target)
        os.rename(staging, target)
        staging = None
    except OSError as err:
        where = f" ({ascii(Path(err.filename).name)})" if isinstance(err.filename, str) else ""
        result.status, result.reason = "failed", f"{err.strerror or type(err).__name__}{where}"
    finally:
        if folder_fd is not None:
            os.close(folder_fd)
        if staging is not None:
            remove_tree(staging)
    return result


def _copy_folder(fd: int, target: Path, relative: str, depth: int, result: Collected, budget: dict) -> None:
    """Copy the regular files and real folders in the open folder `fd` into `target`; note everything else.

    Every entry is reached relative to its parent's descriptor (`dir_fd`), never by a path:
    a folder the student swaps for a link after it was checked is never followed.
    """
    try:
        names = sorted(os.listdir(fd))
    except OSError as err:
        result.leave_out(relative or ".", _why(err))
        return
    for name in names:
        shown = f"{relative}/{name}" if relative else name
        budget["entries"] -= 1
        if budget["entries"] < 0:
            result.leave_out(shown, "too many files")
            continue
        try:
            info = os.lstat(name, dir_fd=fd)
        except OSError as err:
            result.leave_out(shown, _why(err))
            continue
        if stat.S_ISDIR(info.st_mode):
            if depth >= MAX_DEPTH:
                result.leave_out(shown, "a folder too deep")
            elif not relative and name == "timestamp.txt":
                result.leave_out(shown, "a folder")
            else:
                _copy_subfolder(fd, name, target, shown, depth, result, budget)
        elif not stat.S_ISREG(info.st_mode):
            result.leave_out(shown, _kind(info.st_mode))
        elif info.st_nlink > 1:
            result.leave_out(shown, "a hard link")
        elif not relative and name == "timestamp.txt":
            continue  # written from the submission folder's name instead
        elif info.st_size > min(MAX_FILE_BYTES, budget["bytes"]):
            result.leave_out(shown, f"too large: {info.st_size // 2**20} MiB")
        else:
            try:
                budget["bytes"] -= _copy_file(fd, name, target / name)
                budget["files"] += shown not in BOOKKEEPING
            except OSError as err:
                result.leave_out(shown, _why(err))
                (target / name).unlink(missing_ok=True)


def _copy_subfolder(parent_fd: int, name: str, target: Path, shown: str, depth: int, result: Collected,
                    budget: dict) -> None:
    """Open the folder `name` relative to `parent_fd` (never through a link) and copy it."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent_fd)
    except OSError as err:
        result.leave_out(shown, _why(err))
        return
    try:
        (target / name).mkdir(mode=FOLDER_MODE)
        os.chmod(target / name, FOLDER_MODE)
        _copy_folder(fd, target / name, shown, depth + 1, result, budget)
    finally:
        os.close(fd)


def _copy_file(folder_fd: int, name: str, target: Path) -> int:
    """Copy one regular file, never through a link or into a FIFO's wait; the bytes copied."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            raise OSError(0, "changed while being collected")
        copied = 0
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            while chunk := os.read(fd, 1 << 20):
                copied += len(chunk)
                if copied > MAX_FILE_BYTES:
                    raise OSError(0, "grew past the size cap while being collected")
                os.write(out, chunk)
            os.fchmod(out, FILE_MODE)
        finally:
            os.close(out)
        return copied
    finally:
        os.close(fd)


def _collected_timestamp(target: Path) -> str | None:
    """The timestamp of what is already collected in `target` (our own regular file), or None."""
    path = target / "timestamp.txt"
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > 200:
        return None
    return path.read_text(errors="replace").strip()


def remove_tree(path: Path) -> None:
    """Remove `path` and everything under it, first giving back the owner's rights a copy may have lost."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    for folder, subfolders, _ in os.walk(path):
        for name in subfolders:
            sub = os.path.join(folder, name)
            if not os.path.islink(sub):
                try:
                    os.chmod(sub, FOLDER_MODE | stat.S_IRWXU)
                except OSError:
                    pass
    os.chmod(path, FOLDER_MODE)
    shutil.rmtree(path)


def _account_uid(name: str) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _why(err: OSError) -> str:
    if err.errno == errno.ELOOP:  # O_NOFOLLOW met a link swapped in after the check
        return "a link"
    if err.errno == errno.ENOTDIR:  # O_DIRECTORY met something swapped in after the check
        return "not a folder"
    if isinstance(err, PermissionError):
        return "not readable by the instructor"
    return err.strerror or type(err).__name__  # never str(err): it carries the student's file name


def _one_line(text: str) -> str:
    """`text` as one line of printable ASCII: anything else escaped (names are already quoted with ascii())."""
    return "".join(c if " " <= c <= "~" else ascii(c)[1:-1] for c in text)


@functools.cache
def _nbgrader_collect_class():
    from nbgrader.exchange.default.collect import ExchangeCollect

    class SafeExchangeCollect(ExchangeCollect):
        """nbgrader's collect step (CLI, formgrader's button) done by `collect` above.

        Enable with `c.ExchangeFactory.collect = "course.teach.collect.SafeExchangeCollect"`.
        """

        def init_src(self):  # the inbound folder is read by `collect` itself, never globbed
            if not self.coursedir.course_id:
                self.fail("No course id specified. Re-run with --course flag.")

        def copy_files(self):
            students = [self.coursedir.student_id] if self.coursedir.student_id not in ("", "*") else None
            try:
                report = collect(Path(self.root), self.coursedir.course_id, self.coursedir.assignment_id,
                                 Path(self.coursedir.root), students=students)
            except CourseError as err:
                self.fail(str(err))
            for line in report.lines():
                (self.log.warning if ("left out" in line or "not collected" in line or ": failed" in line)
                 else self.log.info)(line)
            if report.failed:
                self.fail(f"could not collect: {', '.join(report.failed)}")

    return SafeExchangeCollect


def __getattr__(name: str):
    if name == "SafeExchangeCollect":  # built on first use, so importing this module never imports nbgrader
        return _nbgrader_collect_class()
    raise AttributeError(name)
