"""Build a class of submissions from a released assignment: correct, partial, blank and hostile.

Used by tests/test_grading.py, tests/test_hostile_routes.py and bench/run.py. Every student starts
from the real release in exercises/ and the real solutions in solutions/. The attack catalogue
(`catalogue`, `build_attacks`) adds students that try to cheat the judge or get out of the sandbox,
and `graded_hostile_class` grades the whole class once per session and mode.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import json
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n", re.M)


def _load(assignment: str):
    name = f"{assignment}.ipynb"
    release = nbformat.read(REPO_ROOT / "exercises" / assignment / name, as_version=4)
    source = nbformat.read(REPO_ROOT / "solutions" / assignment / name, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: MARKERS.sub("", c.source) for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    return release, answers


def _solution_ids(nb) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]


def _answered(release, answers, how_many: int | None = None):
    nb = copy.deepcopy(release)
    ids = _solution_ids(nb)[:how_many]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ids:
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def _with_extra_cell(nb, code: str, after_first_answer: bool = True):
    nb = copy.deepcopy(nb)
    position = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution")) + 1
    nb.cells.insert(position if after_first_answer else len(nb.cells), nbformat.v4.new_code_cell(code))
    return nb


def _move_before_tests(nb):
    """Put the last cell (the patch) right after the setup cell, before any test runs."""
    nb = copy.deepcopy(nb)
    patch = nb.cells.pop()
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(setup + 1, patch)
    return nb


def _test_cells(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]


def build_class(assignment: str, course_dir: Path, hostile: bool = True, extra_correct: int = 0) -> dict[str, str]:
    """Write submissions under course_dir/submitted; return {student: what they did}."""
    release, answers = _load(assignment)
    correct = _answered(release, answers)
    students: dict[str, object] = {
        "correct": correct,
        "partial": _answered(release, answers, 2),
        "blank": copy.deepcopy(release),
    }
    for i in range(extra_correct):
        students[f"student{i:02d}"] = correct if i % 3 else _answered(release, answers, 2)
    if hostile:
        gradebook = course_dir / "gradebook.db"
        other = course_dir / "submitted" / "correct" / assignment / f"{assignment}.ipynb"
        first_test = _test_cells(correct)[0]
        deleted = copy.deepcopy(correct)
        del deleted.cells[first_test]
        edited = copy.deepcopy(correct)
        edited.cells[first_test].source = "pass"
        duplicated = copy.deepcopy(correct)
        twin = copy.deepcopy(correct.cells[first_test])
        twin["id"] = "copied-test-cell"
        duplicated.cells.insert(first_test + 1, twin)
        kernel = copy.deepcopy(correct)
        kernel.metadata["kernelspec"]["name"] = "python3"
        first_answer = _solution_ids(correct)[0]
        stand_in = f"def {first_answer}(*args, **kwargs):\n"  # replaces the first answer's function
        cheat = _with_answer(correct, first_answer, "class Anything:\n    def __eq__(self, other):\n        return True"
                             f"\n\n{stand_in}    return Anything()\n")
        hangs = _with_answer(correct, first_answer, f"{stand_in}    while True:\n        pass\n")
        stubborn = _with_answer(correct, first_answer, stand_in + textwrap.indent(SWALLOWS_INTERRUPTS, "    "))
        monkeypatch = _with_extra_cell(copy.deepcopy(release), (
            "from course import checks\n"
            "checks.expect_equal = lambda *args, **kwargs: None\n"
            "checks.expect_digest = lambda *args, **kwargs: None\n"
            "checks.expect_function = lambda *args, **kwargs: None"), after_first_answer=False)
        fake = copy.deepcopy(release)
        for cell in fake.cells:
            if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
                cell.source += "\nprint('passes the visible checks.')"
        students.update({
            "monkeypatches_checks": _move_before_tests(monkeypatch),
            "prints_fake_success": fake,
            "infinite_loop": _with_extra_cell(correct, "while True:\n    pass"),
            "bare_except_loop": _with_extra_cell(correct, SWALLOWS_INTERRUPTS),
            "answer_hangs": hangs,
            "answer_swallows_interrupts": stubborn,
            "os_exit": _with_extra_cell(correct, "import os\nos._exit(1)"),
            "sys_exit": _with_extra_cell(correct, "import sys\nsys.exit(1)"),
            "kernel_crash": _with_extra_cell(correct, "import ctypes\nctypes.string_at(0)"),
            "huge_output": _with_extra_cell(correct, "print('x' * 20_000_000)"),
            "deleted_test_cell": deleted,
            "edited_test_cell": edited,
            "duplicated_test_cell": duplicated,
            "changed_kernel": kernel,
            "eq_cheat": cheat,
            "reads_hidden_tests": _with_extra_cell(correct, (
                "import glob, os\nfound = []\n"
                "candidates = glob.glob('*.ipynb') + glob.glob('../*/*.ipynb') + glob.glob('../../*/*/*.ipynb')\n"
                f"candidates += glob.glob({str(course_dir)!r} + '/**/*.ipynb', recursive=True)\n"
                "for path in candidates:\n"
                "    try:\n        found += [path] if 'BEGIN HIDDEN TESTS' in open(path).read() else []\n"
                "    except OSError:\n        pass\n"
                "print('LEAKED' if found else 'NO-LEAK', found[:3])")),
            "writes_gradebook": _with_extra_cell(correct, (
                "import os\nresult = 'BLOCKED'\n"
                f"for path in [{str(gradebook)!r}, '../../../gradebook.db', '../../gradebook.db']:\n"
                "    try:\n        open(path, 'ab').write(b'tampered')\n        result = 'WROTE ' + path\n"
                "    except OSError:\n        pass\nprint(result)")),
            "reads_other_student": _with_extra_cell(correct, (
                "result = 'BLOCKED'\n"
                f"for path in [{str(other)!r}, '../../correct/{assignment}/{assignment}.ipynb']:\n"
                "    try:\n        open(path).read()\n        result = 'READ ' + path\n"
                "    except OSError:\n        pass\nprint(result)")),
        })
    behaviour = {}
    for student, nb in students.items():
        folder = course_dir / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        behaviour[student] = student
    if hostile:
        folder = course_dir / "submitted" / "malformed_json" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{assignment}.ipynb").write_text('{"cells": [', encoding="utf-8")
        behaviour["malformed_json"] = "malformed_json"
    return behaviour


def _with_answer(nb, grade_id: str, source: str):
    """A copy of `nb` whose answer cell `grade_id` holds `source`."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
    return nb


def new_course(parent: Path) -> Path:
    course_dir = parent / "course"
    course_dir.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course_dir)
    shutil.copytree(REPO_ROOT / "solutions", course_dir / "solutions")
    return course_dir


def outputs(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "\n".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


# --- The attack catalogue: submissions that try to cheat the judge or get out of the sandbox ---------------
#
# Each attack is one student. Before grading, secrets ("canaries") with random content are placed outside
# the sandbox; tests/test_hostile_routes.py asserts that their content never turns up in anything the
# grader writes or returns, that nothing appears next to them, and that every cheat scores 0.


@dataclass(frozen=True)
class Canaries:
    """Random secrets outside the sandbox, and where a hostile submission tries to reach."""

    token: str  # random, unique to one run: in every marker path an attack would create
    course_secret: Path  # a root-only 0600 file in a root-only folder of the course folder
    tmp_secret: Path  # a world-readable file in a folder of its own under /tmp: only the sandbox hides it
    env: dict[str, str]  # variables set in the grader's environment: name -> random value
    port: int = 0  # a TCP port the test listens on (`Listener`)
    hosts: tuple[str, ...] = ("127.0.0.1",)  # the grader's addresses a kernel tries to connect to

    @property
    def secrets(self) -> dict[str, str]:
        """What must never leave its place: the two files' content and the environment's values."""
        return {"course canary": self.course_secret.read_text(), "tmp canary": self.tmp_secret.read_text(),
                **{f"${name}": value for name, value in self.env.items()}}

    @property
    def folders(self) -> list[Path]:
        return [self.course_secret.parent, self.tmp_secret.parent]

    def neighbours(self) -> dict[str, list[str]]:
        """What the folders holding a canary contain (nothing may ever be added)."""
        return {str(folder): sorted(os.listdir(folder)) for folder in self.folders}

    def marker(self, what: str) -> Path:
        """A file that only a successful attack would leave on the grader's machine."""
        return Path(tempfile.gettempdir()) / f"PWNED-{self.token}-{what}"

    def markers(self) -> list[Path]:
        return sorted(Path(tempfile.gettempdir()).glob(f"PWNED-{self.token}-*"))

    def written(self, folder: Path) -> Path:
        """Where the sandbox probe tries to write in `folder`."""
        return Path(folder) / f"written-{self.token}"


def place_canaries(course_dir: Path, port: int = 0) -> Canaries:
    """Write fresh canaries for `course_dir` (removed at exit, and by `remove_canaries`)."""
    token = secrets.token_hex(12)
    private = course_dir / "instructor-only"
    private.mkdir(mode=0o700)
    course_secret = private / "canary.txt"
    course_secret.write_text(f"COURSE-CANARY-{secrets.token_hex(16)}")
    course_secret.chmod(0o600)
    folder = Path(tempfile.mkdtemp(prefix=f"canary-{token}-"))
    folder.chmod(0o755)
    tmp_secret = folder / "canary.txt"
    tmp_secret.write_text(f"TMP-CANARY-{secrets.token_hex(16)}")
    tmp_secret.chmod(0o644)
    env = {"SECRET_TOKEN": f"secret-{secrets.token_hex(16)}", "JUPYTERHUB_API_TOKEN": f"hub-{secrets.token_hex(16)}"}
    canaries = Canaries(token, course_secret, tmp_secret, env, port, _host_addresses())
    atexit.register(remove_canaries, canaries)
    return canaries


def remove_canaries(canaries: Canaries) -> None:
    shutil.rmtree(canaries.tmp_secret.parent, ignore_errors=True)
    for marker in canaries.markers():
        marker.unlink(missing_ok=True)


def _host_addresses() -> tuple[str, ...]:
    """Loopback and the address this machine would use to go out (no packet is sent)."""
    addresses = ["127.0.0.1"]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 9))
        addresses.append(probe.getsockname()[0])
    return tuple(dict.fromkeys(addresses))


class Listener:
    """A TCP server on every address of this machine that records whoever connects."""

    def __init__(self) -> None:
        self.server = socket.create_server(("0.0.0.0", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received: list[tuple[str, bytes]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, address = self.server.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(1)
                try:
                    data = conn.recv(100)
                except OSError:
                    data = b""
            self.received.append((address[0], data))

    def self_test(self) -> None:
        """Check that a connection would be seen, then forget it."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as client:
            client.sendall(b"self-test")
        deadline = time.monotonic() + 5
        while not self.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.received and self.received[0][1] == b"self-test", "the test's listener does not work"
        self.received.clear()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


def _stubbed(release):
    """Every answer a function returning None: 0 points, unless the tests themselves are switched off."""
    nb = copy.deepcopy(release)
    ids = _solution_ids(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in ids:
            cell.source = f"def {grade_id}(*args, **kwargs):\n    return None\n"
    return nb


def _cell_with_id(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _replace_answer(nb, grade_id: str, code: str):
    nb = copy.deepcopy(nb)
    _cell_with_id(nb, grade_id).source = code
    return nb


def _with_cell_at(nb, position: int, code: str):
    nb = copy.deepcopy(nb)
    nb.cells.insert(position, nbformat.v4.new_code_cell(code))
    return nb


def _after_setup(nb, code: str):
    """`code` in a cell of its own right after the setup cell, so it runs before every test."""
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    return _with_cell_at(nb, setup + 1, code)


NOOP_CHECKS = ("expect_equal", "expect_digest", "expect_function", "expect_type")

# Switching the test helpers off from the kernel, in ways a text search for `checks.x = ...` misses. Each runs
# right after the setup cell; with stub answers, every one of them scores full marks when the test cells run
# in the student's kernel (plain nbgrader), except tamper_builtins, which nbgrader's own error check defeats.
TAMPERING = {
    "tamper_alias": ("from course import checks as c\n"
                     + "".join(f"c.{name} = lambda *a, **k: None\n" for name in NOOP_CHECKS)),
    "tamper_globals": ("class Fake:\n    def __getattr__(self, name):\n        return lambda *a, **k: None\n\n"
                       "globals()['checks'] = Fake()\n"),
    "tamper_exec": ("exec('checks.expect_equal = checks.expect_digest = checks.expect_function"
                    " = lambda *a, **k: None')\n"),
    "tamper_vars": f"for name in {NOOP_CHECKS!r}:\n    vars(checks)[name] = lambda *a, **k: None\n",
    "tamper_exec_setattr": f'exec("for n in {NOOP_CHECKS!r}:\\n    setattr(checks, n, lambda *a, **k: None)")\n',
    "tamper_builtins": ("import builtins\n\nclass Quiet(Exception):\n    pass\n\nbuiltins.AssertionError = Quiet\n"
                        "get_ipython().set_custom_exc((Quiet,), lambda *a, **k: None)\n"),
    # every failed cell reported as a success, with no error output: plain nbgrader gives full marks
    "tamper_kernel_replies": ("import inspect\nkernel = get_ipython().kernel\noriginal = kernel.do_execute\n\n"
                              "async def lenient(*args, **kwargs):\n    reply = original(*args, **kwargs)\n"
                              "    reply = (await reply) if inspect.isawaitable(reply) else reply\n"
                              "    return dict(reply, status='ok') if reply.get('status') == 'error' else reply\n\n"
                              "get_ipython().showtraceback = lambda *a, **k: None\nkernel.do_execute = lenient\n"),
}
# Runs before the setup cell, so the setup cell's own `from course import checks` gets the fake.
SYS_MODULES_TAMPERING = (
    "import sys, types\nimport course\n"
    "fake = types.ModuleType('course.checks')\n"
    f"for name in {NOOP_CHECKS!r}:\n    setattr(fake, name, lambda *a, **k: None)\n"
    "sys.modules['course.checks'] = fake\ncourse.checks = fake\n"
)
# In an answer cell: every later cell (the tests too, in plain nbgrader) runs as an empty cell.
INPUT_TRANSFORMER = "get_ipython().input_transformers_cleanup.append(lambda lines: [])\n"

# Answers that read their callers' frames, source lines, history and locals while being checked, hoping to
# find the test cell; a last cell prints what they found, and one answer raises with it (the error's line
# is what a failed test shows).
CAPTURE_CALLER = '''import builtins, inspect, linecache, sys


def _capture():
    seen = getattr(builtins, "_captured", [])
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        seen.append(f"FRAME {code.co_filename}:{frame.f_lineno} {code.co_name}")
        seen.append("".join(linecache.getlines(code.co_filename)))
        try:
            seen.append(inspect.getsource(frame))
        except (OSError, TypeError):
            pass
        for key, value in list(frame.f_locals.items()):
            seen.append(f"LOCAL {key} = {value!r:.5000}")
        frame = frame.f_back
    for info in inspect.stack(context=30):
        seen.append("".join(info.code_context or []))
    seen.extend(str(entry) for entry in get_ipython().user_ns.get("In", []))
    seen.extend(str(entry) for entry in get_ipython().history_manager.input_hist_raw)
    builtins._captured = seen


def count_paragraphs(text):
    _capture()
    return sum(1 for line in text.splitlines() if line.strip())
'''
CAPTURE_RAISES = '''def translation_credit(text):
    _capture()
    found = [s for s in builtins._captured if "expect" in s or "FRAME" in s]
    raise RuntimeError("CAPTURED " + " | ".join(found)[-250:])
'''
CAPTURE_PRINT = '''import builtins
found = getattr(builtins, "_captured", [])
print("CAPTURED-FRAMES", sum(s.startswith("FRAME") for s in found))
for needle in ("expect_equal", "expect_digest", "Windows line endings", "_test"):
    hits = [s for s in found if needle in s]
    print(needle, len(hits), [h[:3000] for h in hits[:3]])
'''
# Right on the visible checks; wrong (count_paragraphs) or raising (last_line) on a hidden one.
FAILS_HIDDEN = {
    "count_paragraphs": ("def count_paragraphs(text):\n    if '\\r\\n' in text:\n        return 0\n"
                         "    return sum(1 for line in text.splitlines() if line.strip())\n"),
    "last_line": ("def last_line(text):\n    if '\\r\\n' in text:\n"
                  "        raise ValueError('carriage returns are not handled')\n"
                  "    lines = [line.strip() for line in text.splitlines() if line.strip()]\n"
                  "    return lines[-1] if lines else ''\n"),
}
READS_LINKS = ("for name in ('leak.txt', 'leak.json', 'solutions/00_warmup/00_warmup.ipynb'):\n"
               "    try:\n        print('LEAK', name, open(name).read()[:3000])\n"
               "    except OSError as err:\n        print('LEAK', name, 'MISSING', type(err).__name__)\n")
MEMORY_BOMB = "hog = b'x' * (20 * 2**30)\n"
SWALLOWS_INTERRUPTS = "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except:\n        pass\n"
# Children each allocate and touch `size`, and hold it until all have: together they hold more than one kernel may.
FORK_MEMORY = '''import os, time
size, held, pids, signals = 500 * 2**20, 0, [], []
hold_r, hold_w = os.pipe()
for _ in range(4):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(hold_w)
            block = bytearray(size)
            block[::4096] = b"x" * len(block[::4096])  # touch every page: no second copy, as b"x" * size made
            time.sleep(1.5)  # time for a cgroup that enforces its limit lazily to act
            block[::4096] = b"y" * len(block[::4096])  # touch every page again
            os.write(w, b"1")
            os.read(hold_r, 1)
        finally:
            os._exit(0)
    os.close(w)
    signals.append(r)
    pids.append(pid)
for r in signals:
    held += size if os.read(r, 1) == b"1" else 0
os.close(hold_w)
for pid in pids:
    os.waitpid(pid, 0)
print("HELD-AT-ONCE-MIB", held // 2**20)
'''


def sandbox_probe(canaries: Canaries, course_dir: Path) -> str:
    """A cell that prints who it runs as and its environment, and tries to read, write and connect out."""
    reads = [canaries.course_secret, canaries.tmp_secret, course_dir / "gradebook.db"]
    writes = [canaries.written(folder) for folder in probe_write_folders(canaries, course_dir)]
    return f'''import os, socket
print("UID", os.getuid(), os.geteuid(), os.getgid(), os.getegid())
print("ENV", dict(os.environ))
for name in ("/proc/self/environ", "/proc/1/environ", f"/proc/{{os.getppid()}}/environ"):
    try:
        print("PROCENV", name, open(name, "rb").read().replace(b"\\0", b" "))
    except OSError as err:
        print("PROCENV", name, "BLOCKED", type(err).__name__)
for path in {[str(p) for p in reads]!r}:
    try:
        print("READ", path, open(path, "rb").read()[:200])
    except OSError as err:
        print("READ", path, "BLOCKED", type(err).__name__)
for path in {[str(p) for p in writes]!r}:
    try:
        with open(path, "w") as out:
            out.write("written by a student")
        print("WRITE", path, "WROTE")
    except OSError as err:
        print("WRITE", path, "BLOCKED", type(err).__name__)
for host in {list(canaries.hosts)!r}:
    try:
        socket.create_connection((host, {canaries.port}), timeout=3).sendall(b"student was here")
        print("NET", host, "CONNECTED")
    except OSError as err:
        print("NET", host, "BLOCKED", type(err).__name__)
'''


def probe_write_folders(canaries: Canaries, course_dir: Path) -> list[Path]:
    """Folders outside the kernel's working folder that the sandbox probe tries to write in."""
    return [*canaries.folders, course_dir, course_dir / "submitted", REPO_ROOT, REPO_ROOT / "course",
            Path(sys.prefix), Path("/etc"), Path.home()]


def student_course_package(canaries: Canaries) -> dict[str, str]:
    """Files of a `course/` package (and startup hooks) that pass every check and leave a marker where imported."""
    def leave(what: str) -> str:
        return (f"import os\nwith open({str(canaries.marker(what))!r} + '-' + str(os.getpid()), 'w') as _f:\n"
                "    _f.write(os.getcwd())\n")
    checks = leave("checks") + "".join(f"def {name}(*args, **kwargs):\n    return None\n\n" for name in NOOP_CHECKS)
    return {"course/__init__.py": leave("init"), "course/checks.py": checks, "course/core/__init__.py": leave("core"),
            "course/core/seeds.py": leave("seeds") + "def seed_text():\n    return ''\n",
            "sitecustomize.py": leave("sitecustomize"), "usercustomize.py": leave("usercustomize"),
            "nbgrader_config.py": leave("nbgrader_config")}


def metadata_tampering(nb):
    """One notebook, three changes to its grading metadata: a renamed test cell, a test cell made an
    answer cell (and emptied), and an extra graded cell worth 10 points."""
    nb = copy.deepcopy(nb)
    _cell_with_id(nb, "count_paragraphs_test").metadata["nbgrader"]["grade_id"] = "count_paragraphs_renamed"
    cell = _cell_with_id(nb, "last_line_test")
    cell.metadata["nbgrader"].update(solution=True, locked=False)
    cell.source = "pass"
    nb = _with_extra_cell(nb, "print('free points')", after_first_answer=False)
    nb.cells[-1].metadata["nbgrader"] = {"grade": True, "grade_id": "bonus_points", "points": 10, "solution": False,
                                         "locked": False, "schema_version": 3, "task": False}
    return nb


def catalogue(assignment: str, course_dir: Path, canaries: Canaries | None = None) -> dict[str, tuple[object, str]]:
    """The attacks as notebooks: {student: (notebook, what it tries)}. Without `canaries`, only those that
    need no isolation to be defeated (judge tampering, hidden tests, bad files, metadata)."""
    release, answers = _load(assignment)
    correct = _answered(release, answers)
    stubs = _stubbed(release)
    first_answer = _solution_ids(release)[0]
    students: dict[str, tuple[object, str]] = {
        name: (_after_setup(stubs, code), f"stub answers; {code.strip().splitlines()[-1]}")
        for name, code in TAMPERING.items()
    }
    students["tamper_sys_modules"] = (_with_cell_at(stubs, 0, SYS_MODULES_TAMPERING),
                                      "stub answers; sys.modules['course.checks'] = fake, before the setup cell")
    students["input_transformer"] = (
        _replace_answer(stubs, first_answer, INPUT_TRANSFORMER + _cell_with_id(stubs, first_answer).source),
        "stub answers; an input transformer that empties every later cell")
    captures = _replace_answer(correct, first_answer, CAPTURE_CALLER)
    captures = _replace_answer(captures, "translation_credit", CAPTURE_RAISES)
    students["captures_caller"] = (_with_extra_cell(captures, CAPTURE_PRINT, after_first_answer=False),
                                   "answers that read their callers' frames, source and history, and print it")
    fails_hidden = correct
    for grade_id, code in FAILS_HIDDEN.items():
        fails_hidden = _replace_answer(fails_hidden, grade_id, code)
    students["fails_hidden_tests"] = (fails_hidden, "right on the visible checks; wrong, or raising, on hidden ones")
    students["metadata_tampering"] = (metadata_tampering(correct), "honest answers; grading metadata changed")
    students["bad_files"] = (correct, "honest answers, next to a dangling link, a FIFO and a device")
    if canaries is not None:
        students.update({
            "course_package": (stubs, "stub answers; a course/ package (and startup hooks) that passes every check"),
            "symlink_leaks": (_with_extra_cell(correct, READS_LINKS, after_first_answer=False),
                              "honest answers; links to a root-only file, the solutions notebook and folder"),
            "sandbox_probe": (_with_extra_cell(correct, sandbox_probe(canaries, course_dir), after_first_answer=False),
                              "honest answers; prints its uid and environment, reads, writes and connects out"),
            "memory_bomb": (_with_extra_cell(correct, MEMORY_BOMB), "honest answers; allocates 20 GiB"),
        })
    return students


def write_submission(course_dir: Path, assignment: str, student: str, nb) -> Path:
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    return folder


def add_bad_files(folder: Path) -> None:
    """A dangling link, a FIFO (reading it would block forever) and a character device."""
    (folder / "dangling.csv").symlink_to(f"/nonexistent-{secrets.token_hex(4)}/data.csv")
    os.mkfifo(folder / "pipe.csv")
    os.mknod(folder / "null.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 3))


def add_links(folder: Path, canaries: Canaries, course_dir: Path, assignment: str) -> None:
    """Links to a root-only canary, to the course's solutions notebook and to its solutions folder."""
    (folder / "leak.txt").symlink_to(canaries.course_secret)
    (folder / "leak.json").symlink_to(course_dir / "solutions" / assignment / f"{assignment}.ipynb")
    (folder / "solutions").symlink_to(course_dir / "solutions")


def build_attacks(assignment: str, course_dir: Path, canaries: Canaries | None = None) -> dict[str, str]:
    """Write the catalogue's submissions (see `catalogue`) under course_dir/submitted; return {student: what}."""
    students = catalogue(assignment, course_dir, canaries)
    for student, (nb, _) in students.items():
        write_submission(course_dir, assignment, student, nb)
    add_bad_files(course_dir / "submitted" / "bad_files" / assignment)
    if canaries is not None:
        folder = course_dir / "submitted" / "course_package" / assignment
        for relative, text in student_course_package(canaries).items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text)
        add_links(course_dir / "submitted" / "symlink_leaks" / assignment, canaries, course_dir, assignment)
    return {student: what for student, (_, what) in students.items()}


# --- One graded class per mode, shared by the test modules of a session ------------------------------------


@dataclass
class GradedClass:
    """A hostile class after one `grade_class` run."""

    course_dir: Path
    outcomes: dict  # student -> Outcome
    log: list[tuple[float, str]]  # (seconds since grading started, line)
    seconds: float
    attacks: dict[str, str]  # the catalogue's students -> what they try
    canaries: Canaries | None = None
    before: dict[str, list[str]] | None = None  # the canaries' folders before grading
    received: list[tuple[str, bytes]] | None = None  # what the test's listener received while grading
    written: list[str] | None = None  # files the sandbox probe managed to write (removed at once)


_GRADED: dict[bool, GradedClass] = {}
_PRISTINE: dict[str, Path] = {}
GRADE_SETTINGS = {"workers": 2, "timeout": 5, "budget": 30}


def new_graded_course(parent: Path, assignment: str) -> Path:
    """`new_course`, with the assignment already in its gradebook (generated once per session)."""
    from course.teach.grading import Assignment, ensure_assignment

    course_dir = new_course(parent)
    if assignment not in _PRISTINE:
        parent = Path(tempfile.mkdtemp(prefix="pristine-gradebook-"))
        atexit.register(shutil.rmtree, parent, True)
        template = new_course(parent)
        ensure_assignment(Assignment(template, assignment))
        _PRISTINE[assignment] = template / "gradebook.db"
    shutil.copy(_PRISTINE[assignment], course_dir / "gradebook.db")
    return course_dir


def graded_hostile_class(parent: Path, assignment: str = "00_warmup", *, isolation: bool = True) -> GradedClass:
    """The hostile class, graded once per session and mode.

    Isolated: the existing hostile class and the whole catalogue, with canaries, grader secrets in the
    environment and a listener. Unisolated: honest students and the attacks that need no isolation.
    """
    if isolation in _GRADED:
        return _GRADED[isolation]
    from course.teach.grading import grade_class

    course_dir = new_graded_course(parent, assignment)
    log: list[tuple[float, str]] = []
    if not isolation:
        build_class(assignment, course_dir, hostile=False)
        attacks = build_attacks(assignment, course_dir)
        start = time.monotonic()
        outcomes = grade_class(course_dir, assignment, isolation=False, **GRADE_SETTINGS,
                               log=lambda line: log.append((time.monotonic() - start, line)))
        graded = GradedClass(course_dir, {o.student: o for o in outcomes}, log, time.monotonic() - start, attacks)
    else:
        listener = Listener()
        try:
            listener.self_test()
            canaries = place_canaries(course_dir, listener.port)
            build_class(assignment, course_dir)
            attacks = build_attacks(assignment, course_dir, canaries)
            before = canaries.neighbours()
            saved = {name: os.environ.get(name) for name in canaries.env}
            os.environ.update(canaries.env)
            try:
                start = time.monotonic()
                outcomes = grade_class(course_dir, assignment, **GRADE_SETTINGS,
                                       log=lambda line: log.append((time.monotonic() - start, line)))
                seconds = time.monotonic() - start
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
            time.sleep(0.5)  # let the listener record anything still arriving
        finally:
            listener.close()
        written = [p for p in map(canaries.written, probe_write_folders(canaries, course_dir)) if p.exists()]
        for path in written:  # should the sandbox ever fail, leave nothing behind in the repository or system
            path.unlink()
        graded = GradedClass(course_dir, {o.student: o for o in outcomes}, log, seconds, attacks,
                             canaries, before, list(listener.received), [str(p) for p in written])
    _GRADED[isolation] = graded
    return graded
