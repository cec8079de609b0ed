"""The course hub's settings and the folders it needs, shared by jupyterhub_config.py and roster.py.

Everything is read from the environment, with defaults for one machine:

    COURSE_HUB_DIR     /srv/wagner-hub       the hub's state: database, cookie secret, the roster it
                                             serves, the nbgrader exchange, the Jupyter config of each role
    COURSE_HUB_PREFIX  /opt/wagner-course    the shared, read-only install every server runs
                                             (`make shared-install PREFIX=... EXTRAS=hub`)
    COURSE_HUB_IP      127.0.0.1             where the hub listens (0.0.0.0 only behind TLS)
    COURSE_HUB_PORT    8000
    COURSE_HUB_COURSE  wagner-media-literacy the nbgrader course id (as in nbgrader_config.py)
    COURSE_HUB_SOURCE  this checkout         copied into the instructor's course folder, once

Only the standard library is used: roster.py runs before anything is installed.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HUB_DIR = Path(os.environ.get("COURSE_HUB_DIR", "/srv/wagner-hub"))
PREFIX = Path(os.environ.get("COURSE_HUB_PREFIX", "/opt/wagner-course"))
IP = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("COURSE_HUB_PORT", "8000"))
COURSE = os.environ.get("COURSE_HUB_COURSE", "wagner-media-literacy")
SOURCE = Path(os.environ.get("COURSE_HUB_SOURCE", str(REPO)))
KERNEL = "wagner-course"
ROLES = ("instructor", "student")
HEADER = "# Written by deploy/hub/hubconf.py at every hub start: edit that file, not this one."
# A portable Unix login name (Debian's adduser accepts these), never a '+' (nbgrader's separator).
NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
COLUMNS = ("id", "first_name", "last_name", "email", "role")
# What students do not get: the instructor tools of nbgrader's extensions (nbgrader docs,
# "Using nbgrader with JupyterHub", the table of extensions per account).
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
INSTRUCTOR_LAB_EXTENSIONS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                             "@jupyter/nbgrader:create-assignment")


class RosterError(Exception):
    """A roster problem, said in one line."""


@dataclass(frozen=True)
class Member:
    id: str
    first_name: str
    last_name: str
    email: str
    role: str


def formgrade_group() -> str:
    return f"formgrade-{COURSE}"


def nbgrader_group() -> str:
    return f"nbgrader-{COURSE}"


def exchange_dir() -> Path:
    return HUB_DIR / "exchange"


def roster_path() -> Path:
    return HUB_DIR / "roster.csv"


def course_folder(member: Member) -> Path:
    return Path(pwd.getpwnam(member.id).pw_dir) / COURSE


def read_roster(path: Path) -> list[Member]:
    """The roster CSV (id,first_name,last_name,email[,role]); exactly one instructor. Raises RosterError."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise RosterError(f"{path}: cannot read the roster ({err})") from None
    if not rows:
        raise RosterError(f"{path}: no one on the roster (columns: {','.join(COLUMNS)})")
    missing = [c for c in ("id", "first_name", "last_name") if c not in rows[0]]
    if missing:
        raise RosterError(f"{path}: missing column(s) {', '.join(missing)} (columns: {','.join(COLUMNS)})")
    members, seen = [], set()
    for number, row in enumerate(rows, start=2):
        name = (row.get("id") or "").strip()
        role = (row.get("role") or "student").strip().lower() or "student"
        where = f"{path}, line {number}"
        if not NAME.match(name):
            raise RosterError(f"{where}: {name!r} is not a valid account name (lower-case letters, digits, '_' "
                              "and '-', starting with a letter, at most 32)")
        if name in seen:
            raise RosterError(f"{where}: {name} is on the roster twice")
        if role not in ROLES:
            raise RosterError(f"{where}: role {role!r} is neither 'instructor' nor 'student'")
        fields = {k: (row.get(k) or "").strip() for k in ("first_name", "last_name", "email")}
        if any(ch in value for value in fields.values() for ch in ":,\n"):
            raise RosterError(f"{where}: names and e-mail may not contain ':' or ','")
        seen.add(name)
        members.append(Member(name, fields["first_name"], fields["last_name"], fields["email"], role))
    instructors = [m.id for m in members if m.role == "instructor"]
    if len(instructors) != 1:
        raise RosterError(f"{path}: the roster needs exactly one instructor, found {len(instructors)}"
                          + (f" ({', '.join(instructors)})" if instructors else ""))
    return members


def _mkdir(path: Path, mode: int, uid: int = 0, gid: int = 0) -> None:
    """`path` as a real folder (never through a link) with this owner and mode."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise RosterError(f"{path} exists and is not a folder: remove it")
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def prepare(members: list[Member]) -> None:
    """Create (or repair) the hub's folders: the exchange, each role's Jupyter config, the instructor's course.

    The exchange root is world-writable with the sticky bit, as nbgrader requires; the course's own
    folders in it are made here, owned by the instructor, before any student could claim the name:
    outbound 0755 (everyone reads releases), inbound 2733 (everyone may submit, no student can list
    it), feedback 0711 (a student opens only a page whose secret name they know).
    """
    instructor = next(m for m in members if m.role == "instructor")
    account = pwd.getpwnam(instructor.id)
    _mkdir(HUB_DIR, 0o755)
    _mkdir(HUB_DIR / "state", 0o700)
    exchange = exchange_dir()
    _mkdir(exchange, 0o1777)
    course = exchange / COURSE
    _mkdir(course, 0o755, account.pw_uid, account.pw_gid)
    _mkdir(course / "outbound", 0o755, account.pw_uid, account.pw_gid)
    _mkdir(course / "inbound", 0o2733, account.pw_uid, account.pw_gid)
    _mkdir(course / "feedback", 0o711, account.pw_uid, account.pw_gid)
    _write_role_configs(instructor)
    _course_folder(instructor, account)


def role_config_dir(role: str) -> Path:
    return HUB_DIR / "jupyter" / role


def _write_role_configs(instructor: Member) -> None:
    common = HUB_DIR / "jupyter" / "common"
    for folder in (HUB_DIR / "jupyter", common, *(role_config_dir(r) for r in ROLES)):
        _mkdir(folder, 0o755)
    _write(common / "nbgrader_config.py", f'''{HEADER}
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {COURSE!r}
c.Exchange.root = {str(exchange_dir())!r}
# nbgrader's documented JupyterHub set-up: the hub's groups say who is in the course
# (nbgrader-COURSE: students; formgrade-COURSE: instructors), and fetched
# assignments go to ~/COURSE/ASSIGNMENT.
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
''')
    server = {"MappingKernelManager": {"default_kernel_name": KERNEL},
              "KernelSpecManager": {"allowed_kernelspecs": [KERNEL]}}
    student_server = {**server, "ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS,
                                                                                   False)}}
    _write(common / "jupyter_server_config.json", json.dumps(server, indent=2))
    _write(role_config_dir("student") / "jupyter_server_config.json", json.dumps(student_server, indent=2))
    (role_config_dir("student") / "labconfig").mkdir(exist_ok=True)
    os.chmod(role_config_dir("student") / "labconfig", 0o755)
    _write(role_config_dir("student") / "labconfig" / "page_config.json",
           json.dumps({"disabledExtensions": dict.fromkeys(INSTRUCTOR_LAB_EXTENSIONS, True)}, indent=2))
    _write(role_config_dir("instructor") / "nbgrader_config.py", f'''{HEADER}
import os

c = get_config()  # noqa: F821
# The instructor's course folder (nbgrader docs: "One Class, One Grader").
c.CourseDirectory.root = os.path.expanduser("~/{COURSE}")
# Collecting never follows a student's link (course/teach/collect.py), also from formgrader's button.
c.ExchangeFactory.collect = "course.teach.collect.SafeExchangeCollect"
''')


def _course_folder(instructor: Member, account: pwd.struct_passwd) -> None:
    """The instructor's course folder, copied once from SOURCE (never overwritten: it holds the gradebook)."""
    target = Path(account.pw_dir) / COURSE
    if target.exists():
        return
    staging = target.with_name(f".{COURSE}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    shutil.copy2(SOURCE / "nbgrader_config.py", staging / "nbgrader_config.py")
    for part in ("solutions", "exercises"):
        shutil.copytree(SOURCE / part, staging / part, symlinks=False,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for folder, _, files in os.walk(staging):
        os.chown(folder, account.pw_uid, account.pw_gid)
        os.chmod(folder, 0o700 if folder == str(staging) else 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chown(path, account.pw_uid, account.pw_gid)
            os.chmod(path, 0o644 | (os.stat(path).st_mode & stat.S_IXUSR))
    os.rename(staging, target)
