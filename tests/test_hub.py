"""A class on the course hub, end to end (deploy/hub; `make hub`).

Real Unix accounts from a roster (deploy/hub/roster.py): an instructor, three students and one
hostile student. The hub runs as `make hub` runs it, on free loopback ports, and everything goes
through it: each user logs in with their password (PAM), gets a token from the hub's REST API,
and works in their own server (nbgrader's assignment-list and formgrader handlers, the contents
API, kernels). The instructor releases 00_warmup; the students fetch it, answer (the solution,
half of it, nothing) and submit; the hostile student plants links in the inbound folder; the
instructor collects with `python -m course collect`, grades with `python -m course grade` and
releases feedback; each student fetches theirs and sees their own score. Chromium does one
student's fetch and submit and opens the instructor's formgrader (screenshots in
test-artifacts/hub/).

Needs root (accounts, the spawner), the shared install (`make hub-install`) and Node's proxy;
skips with one line where they are missing, and fails instead under CI=true.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from harness import browser_problem, free_port, launch_chromium

pytestmark = pytest.mark.hub

REPO = Path(__file__).resolve().parents[1]
HUB = REPO / "deploy" / "hub"
PREFIX = Path(os.environ.get("COURSE_HUB_PREFIX", "/opt/wagner-course"))
STAMP = PREFIX / ".course-hub-installed"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
ARTIFACTS = REPO / "test-artifacts" / "hub"
COURSE = "wagner-media-literacy"
ASSIGNMENT = "00_warmup"
NOTEBOOK = "00_warmup.ipynb"
SECRET_NAMES = ("gradebook.db",)


def _problem() -> str | None:
    if os.geteuid() != 0:
        return "the hub test needs root (it creates Unix accounts, and the spawner runs as root)"
    if not shutil.which("useradd"):
        return "useradd not found: the hub test creates Unix accounts"
    if not PROXY.exists():
        return "configurable-http-proxy not installed: run `make hub-install` (needs Node.js 20 and npm)"
    if not (PREFIX / "bin" / "jupyterhub-singleuser").exists() or not STAMP.exists():
        return f"no shared install with the hub at {PREFIX}: run `make hub-install`"
    newest = max(p.stat().st_mtime for p in (REPO / "course").rglob("*.py"))
    if newest > STAMP.stat().st_mtime:
        return f"the shared install at {PREFIX} is older than course/: run `make hub-install`"
    return None


def _skip_or_fail(problem: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the hub test cannot run under CI: {problem}", pytrace=False)
    pytest.skip(problem)


# --------------------------------------------------------------------------- the hub ---


class Hub:
    """JupyterHub from deploy/hub/jupyterhub_config.py, as `make hub` starts it, on free ports."""

    def __init__(self, state: Path, env: dict[str, str]):
        self.state, self.env = state, env
        self.port = int(env["COURSE_HUB_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = ARTIFACTS / "hub.log"

    def start(self) -> None:
        import requests

        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [str(PREFIX / "bin" / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")],
            cwd=self.state, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"the hub did not answer:\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the hub stops every server (cleanup_servers)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self.process:
            self.log.close()


class User:
    """One account, logged in to the hub with its password; its token drives the hub and its server."""

    def __init__(self, hub: Hub, name: str, password: str):
        import requests

        self.hub, self.name, self.password = hub, name, password
        login = requests.Session()
        login.get(f"{hub.url}/hub/login", timeout=10)
        answer = login.post(f"{hub.url}/hub/login?next=/hub/home",
                            data={"username": name, "password": password, "_xsrf": login.cookies.get("_xsrf")},
                            timeout=30)
        assert answer.ok and "jupyterhub-session-id" in login.cookies, f"{name} cannot log in: {answer.status_code}"
        made = login.post(f"{hub.url}/hub/api/users/{name}/tokens", json={"note": "hub test", "expires_in": 3600},
                          headers={"X-XSRFToken": login.cookies.get("_xsrf")}, timeout=10)
        assert made.status_code == 201, made.text
        self.token = made.json()["token"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"

    def hub_api(self, method: str, path: str, **kwargs):
        return self.http.request(method, f"{self.hub.url}/hub/api/{path.lstrip('/')}", timeout=30, **kwargs)

    def server(self, method: str, path: str, owner: str | None = None, **kwargs):
        """A request to a user's server (their own unless `owner`), through the hub's proxy."""
        return self.http.request(method, f"{self.hub.url}/user/{owner or self.name}/{path.lstrip('/')}",
                                 timeout=kwargs.pop("timeout", 120), allow_redirects=False, **kwargs)

    def start_server(self) -> None:
        answer = self.hub_api("POST", f"users/{self.name}/server")
        assert answer.status_code in (201, 202), f"{self.name}: {answer.status_code} {answer.text}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            model = self.hub_api("GET", f"users/{self.name}").json()
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server did not start:\n{self.hub.tail()}")

    def nbgrader(self, action: str, **form) -> object:
        """nbgrader's assignment-list handlers in this user's server."""
        answer = self.server("POST", f"assignments/{action}", data={"course_id": COURSE, **form})
        assert answer.ok, f"{self.name} {action}: {answer.status_code} {answer.text[:300]}"
        return answer.json()

    def formgrader(self, method: str, path: str, owner: str | None = None):
        return self.server(method, f"formgrader/api/{path}", owner=owner)

    def run(self, code: str, timeout: float = 300) -> str:
        """Run Python in a fresh course kernel of this user's server (over its websocket); its output."""
        import websocket

        kernel = self.server("POST", "api/kernels", json={"name": "wagner-course"}).json()["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kernel}/channels",
            header=[f"Authorization: token {self.token}"], timeout=timeout)
        msg_id, out, replied, idle = uuid.uuid4().hex, [], False, False
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        try:
            while not (replied and idle):
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out.append(content["text"])
                elif kind == "error":
                    out.append("\n".join(content["traceback"]))
                    raise AssertionError(f"{self.name}'s kernel: {content['ename']}: {content['evalue']}\n"
                                         + re.sub(r"\x1b\[[0-9;]*m", "", "".join(out)))
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
        finally:
            ws.close()
            self.server("DELETE", f"api/kernels/{kernel}")
        return "".join(out)


# ------------------------------------------------------------------------- the class ---


@pytest.fixture(scope="module")
def klass():
    """(hub, instructor, [correct, partial, blank], hostile), all logged in with servers running."""
    problem = _problem()
    if problem:
        _skip_or_fail(problem)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tag = secrets.token_hex(3)
    names = {"instructor": f"hub{tag}t", "correct": f"hub{tag}a", "partial": f"hub{tag}b",
             "blank": f"hub{tag}c", "hostile": f"hub{tag}m"}
    state = Path(tempfile.mkdtemp(prefix="course-hub-"))
    os.chmod(state, 0o755)
    roster = state / "roster-in.csv"
    with open(roster, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email", "role"])
        for role, name in names.items():
            writer.writerow([name, role.title(), "Test", "", "instructor" if role == "instructor" else "student"])
    env = {**os.environ, "COURSE_HUB_DIR": str(state / "hub"), "COURSE_HUB_PREFIX": str(PREFIX),
           "COURSE_HUB_SOURCE": str(REPO), "COURSE_HUB_IP": "127.0.0.1", "COURSE_HUB_PORT": str(free_port()),
           "COURSE_HUB_API_PORT": str(free_port()), "COURSE_HUB_PROXY_API_PORT": str(free_port())}
    env.pop("JUPYTER_CONFIG_DIR", None)
    hub = Hub(state, env)
    try:
        made = subprocess.run([str(PREFIX / "bin" / "python"), str(HUB / "roster.py"), str(roster)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        again = subprocess.run([str(PREFIX / "bin" / "python"), str(HUB / "roster.py"), str(roster)], env=env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and again.stdout.count(": student, exists") == 4, again.stdout  # idempotent
        with open(state / "hub" / "initial-passwords.csv") as handle:
            passwords = {row["id"]: row["password"] for row in csv.DictReader(handle)}
        hub.start()
        users = {role: User(hub, name, passwords[name]) for role, name in names.items()}
        for user in users.values():
            user.start_server()
        yield hub, users
    finally:
        hub.stop()
        _remove_accounts(list(names.values()))
        shutil.rmtree(state, ignore_errors=True)


def _remove_accounts(names: list[str]) -> None:
    """Kill whatever still runs as the test's accounts (only those), then remove them and their homes."""
    import pwd

    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    for _ in range(2):
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        time.sleep(0.5)
    for name in names:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _release_cells(notebook: dict, solution: dict, grade_ids: set[str]) -> dict:
    """The released notebook with the solution's answer cells `grade_ids` filled in."""
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in solution["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")}
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in grade_ids:
            source = answers[grade_id]
            source = "".join(source) if isinstance(source, list) else source
            cell["source"] = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source, flags=re.M)
    return notebook


def _score(html: str) -> tuple[float, float]:
    found = re.search(r"\(Score: ([\d.]+) / ([\d.]+)\)", html)
    assert found, "no score in the feedback page"
    return float(found.group(1)), float(found.group(2))


PLANT = r"""
import os, json, pwd
inbound = {inbound!r}
me = pwd.getpwuid(os.getuid()).pw_name
planted = []
for owner, stamp in ((me, "2099-01-01 00:00:00.000000 UTC"), ({victim!r}, "2099-01-02 00:00:00.000000 UTC")):
    folder = os.path.join(inbound, owner + "+{assignment}+" + stamp + "+planted")
    os.mkdir(folder)
    os.chmod(folder, 0o755)
    os.symlink({notebook_target!r}, os.path.join(folder, {notebook!r}))
    os.symlink({gradebook!r}, os.path.join(folder, "gradebook.db"))
    os.symlink("/etc/shadow", os.path.join(folder, "shadow"))
    os.symlink(".", os.path.join(folder, "loop"))
    os.mkfifo(os.path.join(folder, "pipe"))
    with open(os.path.join(folder, "timestamp.txt"), "w") as handle:
        handle.write(stamp)
    planted.append(folder)
print(json.dumps(planted))
"""

PROBE = r"""
import json, os
tried = {{}}
for path in {paths!r}:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        tried[path] = "allowed"
    except OSError as err:
        tried[path] = type(err).__name__
print(json.dumps(tried))
"""

COMMAND = r"""
import json, os, subprocess, sys
done = subprocess.run([sys.executable, "-m", "course", *{args!r}], capture_output=True, text=True,
                      cwd=os.path.expanduser("~"))
print(json.dumps({{"code": done.returncode, "out": done.stdout, "err": done.stderr[-3000:]}}))
"""


def test_a_class_on_the_hub(klass):
    hub, users = klass
    started = time.monotonic()
    teacher, correct, partial, blank, hostile = (users[r] for r in ("instructor", "correct", "partial", "blank",
                                                                    "hostile"))
    students = [correct, partial, blank]
    home = {u.name: Path(f"/home/{u.name}") for u in users.values()}
    course_dir = home[teacher.name] / COURSE
    exchange = Path(hub.env["COURSE_HUB_DIR"]) / "exchange" / COURSE

    # Every server runs the course kernel, from the shared install, on 127.0.0.1 only.
    specs = blank.server("GET", "api/kernelspecs").json()
    assert specs["default"] == "wagner-course" and set(specs["kernelspecs"]) == {"wagner-course"}
    assert str(PREFIX) in blank.run("import sys; print(sys.executable)")
    where = blank.run("import os; print(os.environ['JUPYTERHUB_SERVICE_URL'])")
    assert where.startswith("http://127.0.0.1:"), where

    # The instructor releases the assignment from formgrader (their own server).
    assert teacher.formgrader("GET", "status").json()["status"] is True
    released = teacher.formgrader("POST", f"assignment/{ASSIGNMENT}/release").json()
    assert released["success"], released
    listed = correct.server("GET", "assignments", params={"course_id": COURSE}).json()
    assert [(a["assignment_id"], a["status"]) for a in listed["value"]] == [(ASSIGNMENT, "released")]

    # Students cannot reach formgrader: not the instructor's, not one of their own.
    assert correct.formgrader("GET", "assignments", owner=teacher.name).status_code in (403, 404)
    assert correct.server("GET", "formgrader", owner=teacher.name).status_code in (302, 403, 404)
    assert correct.formgrader("GET", "assignments").status_code == 404
    assert correct.server("GET", "formgrader").status_code == 404
    assert correct.server("GET", "api/contents", owner=partial.name).status_code in (403, 404)

    # Students fetch, answer and submit (the blank student does it in Chromium, below).
    solution = json.loads((REPO / "solutions" / ASSIGNMENT / NOTEBOOK).read_text())
    answer_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in solution["cells"]
                  if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"]
    nb_path = f"api/contents/{COURSE}/{ASSIGNMENT}/{NOTEBOOK}"
    for student, answers in ((correct, None), (partial, set(answer_ids[: len(answer_ids) // 2]))):
        student.nbgrader("fetch", assignment_id=ASSIGNMENT)
        released_nb = student.server("GET", nb_path).json()["content"]
        content = solution if answers is None else _release_cells(released_nb, solution, answers)
        saved = student.server("PUT", nb_path, json={"type": "notebook", "format": "json", "content": content})
        assert saved.status_code in (200, 201), saved.text
        submitted = student.nbgrader("submit", assignment_id=ASSIGNMENT)
        assert submitted.get("success", True) is not False, submitted
    _browser_fetch_and_submit(hub, blank)

    # The hostile student submits, then plants links in the inbound folder: one submission of
    # their own, and one under the name of the correct student.
    hostile.nbgrader("fetch", assignment_id=ASSIGNMENT)
    hostile.nbgrader("submit", assignment_id=ASSIGNMENT)
    planted = json.loads(hostile.run(PLANT.format(
        inbound=str(exchange / "inbound"), victim=correct.name, assignment=ASSIGNMENT, notebook=NOTEBOOK,
        notebook_target=str(course_dir / "solutions" / ASSIGNMENT / NOTEBOOK),
        gradebook=str(course_dir / "gradebook.db"))))
    assert len(planted) == 2

    # No student can list the inbound folder, or read another's files or the instructor's course.
    mine = hostile.run(PROBE.format(paths=[
        str(exchange / "inbound"), str(exchange / "feedback"), str(home[correct.name]),
        str(home[correct.name] / COURSE / ASSIGNMENT / NOTEBOOK), str(course_dir), str(course_dir / "gradebook.db"),
        str(course_dir / "submitted"), str(course_dir / "feedback"), str(exchange / "outbound" / ASSIGNMENT)]))
    probe = json.loads(mine)
    allowed = sorted(path for path, result in probe.items() if result == "allowed")
    assert allowed == [str(exchange / "outbound" / ASSIGNMENT)], probe

    # The instructor collects (links and special files left out and reported), then grades.
    collected = json.loads(teacher.run(COMMAND.format(args=["collect", ASSIGNMENT, "--course-dir", str(course_dir)])))
    assert collected["code"] == 0, collected
    lines = collected["out"]
    for student in students:
        assert f"{student.name}: collected" in lines, lines
    assert f"claims to be {correct.name}'s but is owned by '{hostile.name}'" in lines, lines
    hostile_line = next(line for line in lines.splitlines() if line.startswith(f"{hostile.name}:"))
    assert hostile_line.startswith(f"{hostile.name}: skipped"), hostile_line  # nothing of their own in it
    assert "'gradebook.db' (a link)" in hostile_line and "'pipe' (a FIFO)" in hostile_line, hostile_line
    assert f"'{NOTEBOOK}' (a link)" in hostile_line and "'shadow' (a link)" in hostile_line, hostile_line
    assert not (course_dir / "submitted" / hostile.name / ASSIGNMENT).exists()
    for path in (course_dir / "submitted").rglob("*"):
        assert not path.is_symlink() and (path.is_dir() or path.is_file()), path
        assert path.name not in SECRET_NAMES, path

    graded = json.loads(teacher.run(COMMAND.format(args=["grade", ASSIGNMENT, "--course-dir", str(course_dir)]),
                                    timeout=600))
    (ARTIFACTS / "grade-output.txt").write_text(graded["out"] + "\n" + graded["err"])
    assert graded["code"] == 0, graded
    with open(course_dir / f"grades-{ASSIGNMENT}.csv") as handle:
        scores = {row["student_id"]: float(row["score"] or 0) for row in csv.DictReader(handle)}
    auto_max = sum(c["metadata"]["nbgrader"].get("points", 0) for c in solution["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code")
    assert scores[correct.name] == auto_max, scores
    assert 0 < scores[partial.name] < auto_max, scores
    assert scores[blank.name] == 0, scores

    # Feedback goes back through the exchange; each student fetches their own and sees their score.
    released_feedback = teacher.formgrader("POST", f"assignment/{ASSIGNMENT}/release_feedback").json()
    assert released_feedback["success"], released_feedback
    for student in students:
        listed = student.nbgrader("fetch_feedback", assignment_id=ASSIGNMENT)
        entries = [a for a in listed["value"] if a["status"] == "submitted"]
        assert entries and any(s.get("has_local_feedback") for e in entries for s in e.get("submissions", [e])), listed
        folder = f"api/contents/{COURSE}/{ASSIGNMENT}/feedback"
        stamps = student.server("GET", folder).json()["content"]
        assert stamps, f"{student.name} has no feedback"
        pages = [item for stamp in stamps
                 for item in student.server("GET", f"{folder}/{stamp['name']}").json()["content"]
                 if item["name"].endswith(".html")]
        html = student.server("GET", pages[0]["path"].join(["api/contents/", ""])).json()["content"]
        score, _ = _score(html)
        assert score == scores[student.name], (student.name, score, scores)
    # ... and cannot read anyone else's: the feedback folder lets a student open only a page whose
    # name (a hash of their submission's secret) they know, and lists nothing.
    probe = json.loads(partial.run(PROBE.format(paths=[
        str(exchange / "feedback"), str(home[correct.name] / COURSE / ASSIGNMENT / "feedback"),
        str(course_dir / "feedback" / correct.name)])))
    assert set(probe.values()) == {"PermissionError"}, probe

    _browser_formgrader(hub, teacher)
    assert time.monotonic() - started < 300


# ---------------------------------------------------------------------------- Chromium ---


def _browser_or_skip():
    problem = browser_problem()
    if problem:
        _skip_or_fail(problem)


def _login(page, hub: Hub, user: User) -> None:
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user.name)
    page.fill("#password_input", user.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf".*/user/{user.name}/.*|.*/hub/home.*|.*/hub/spawn.*"), timeout=60_000)


@contextlib.contextmanager
def _logged_in_page(hub: Hub, user: User):
    """A Chromium page on a fresh profile, logged in to the hub as `user`; closed afterwards."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as playwright:
        context = launch_chromium(playwright, profile)
        try:
            page = context.new_page()
            _login(page, hub, user)
            yield page
        finally:
            context.close()


def _browser_fetch_and_submit(hub: Hub, student: User) -> None:
    """The student logs in, opens the Assignment List in JupyterLab, fetches and submits 00_warmup."""
    with _logged_in_page(hub, student) as page:
        page.goto(f"{hub.url}/user/{student.name}/lab")
        page.get_by_role("menuitem", name="Nbgrader").click(timeout=90_000)
        page.get_by_role("menuitem", name="Assignment List").click()
        fetch = page.get_by_role("button", name="Fetch", exact=True)
        fetch.click(timeout=60_000)
        submit = page.get_by_role("button", name="Submit", exact=True).first
        submit.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "student-fetched.png"))
        submit.click()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listed = student.server("GET", "assignments", params={"course_id": COURSE}).json()["value"]
            if any(a["status"] == "submitted" for a in listed):
                break
            time.sleep(0.5)
        else:
            raise AssertionError(f"the browser's submit did not arrive: {listed}")
        page.screenshot(path=str(ARTIFACTS / "student-submitted.png"))


def _browser_formgrader(hub: Hub, teacher: User) -> None:
    """The instructor opens formgrader through the hub and sees the assignment with its submissions."""
    with _logged_in_page(hub, teacher) as page:
        page.goto(f"{hub.url}/user/{teacher.name}/formgrader")
        page.get_by_text(ASSIGNMENT).first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "instructor-formgrader.png"), full_page=True)

