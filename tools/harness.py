"""The Jupyter/Chromium harness shared by the browser tests (tests/browser) and
the benchmarks (bench/run.py), so neither imports the other.

- `JupyterServer`: `jupyter lab` or `voila` on a free loopback port with a
  token, in temporary config/runtime folders; `stop()` always ends it and
  every kernel it started, so a failure leaves no process behind.
- `chromium()` / `launch_chromium()`: Debian's Chromium driven by Playwright on
  a throw-away profile; `browser_problem()` says why it cannot run here.
- `open_app`, `explorer_with`, `voila_kernel_id`, `time_selection_change`: the
  few page actions on the Voila explorer app that both tests and bench use.

Nothing here downloads a browser: Playwright only ever launches the system
Chromium at CHROMIUM (override with $COURSE_CHROMIUM). Every wait has a timeout.

Importing it: pytest puts tools/ on sys.path (pyproject `pythonpath`), and
bench/run.py inserts it itself; both then `import harness`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
# Headless, and quiet on a machine with no network beyond loopback.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Kernels talk over Unix sockets beside their connection files in the temporary
# runtime folder: no TCP ports to race for with kernels other processes start.
KERNEL_FLAGS = ["--KernelManager.transport=ipc"]
STARTUP_TIMEOUT = 90.0  # seconds for a server to answer
STOP_TIMEOUT = 10.0  # seconds for a polite shutdown before SIGKILL
ACTION_TIMEOUT_MS = 30_000  # default for every Playwright wait

# JupyterLab user settings for the tests: never autosave (the lesson notebooks
# in the repo stay untouched), render every cell (no windowing, so outputs
# far down a notebook are in the DOM), and no news or update pop-ups.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


class BrowserUnavailable(Exception):
    """Chromium or Playwright is missing; the message says how to install it."""


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                "(`make system-tools` does it when run as root with apt)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: run `make install` (it is in the dev extra)"
    return None


def launch_chromium(playwright, user_data_dir: str | os.PathLike):
    """A persistent Chromium context on a fresh profile; the caller closes it."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900}, timeout=60_000,
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(60_000)
    return context


@contextmanager
def chromium():
    """(playwright, context) for one Chromium on a throw-away profile; always closed."""
    problem = browser_problem()
    if problem:
        raise BrowserUnavailable(problem)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="course-chromium-") as profile, sync_playwright() as playwright:
        context = launch_chromium(playwright, profile)
        try:
            yield playwright, context
        finally:
            context.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc; empty elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry.parent.name))
    return found


class JupyterServer:
    """A `jupyter lab` or `voila` process on a free loopback port with a token.

    Its config, runtime, settings and workspace folders are temporary, so it
    neither reads nor writes the user's ~/.jupyter, and kernel connection
    files can be found in `runtime_dir`.
    """

    def __init__(self, kind: str, root_dir: Path, notebook: str | None = None, name: str | None = None):
        if kind not in ("lab", "voila"):
            raise ValueError(kind)
        self.kind, self.root_dir, self.notebook = kind, Path(root_dir), notebook
        self.name = name or kind
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._home = tempfile.TemporaryDirectory(prefix=f"course-{kind}-")
        self.home = home = Path(self._home.name)
        self.runtime_dir = home / "runtime"
        for sub in ("checkpoints", "config", "data", "runtime", "settings", "workspaces"):
            (home / sub).mkdir()
        for rel, settings in LAB_SETTINGS.items():
            path = home / "settings" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "PYTHONUNBUFFERED": "1",
        }
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"{self.name}-server.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    def command(self) -> list[str]:
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        if self.kind == "lab":
            return [
                sys.executable, "-m", "jupyter", "lab", "--no-browser", *root_flag,
                "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root_dir}", *KERNEL_FLAGS,
                # JupyterLab checkpoints a notebook when it opens one: not into the repository
                f"--FileCheckpoints.checkpoint_dir={self.home / 'checkpoints'}",
            ]
        return [
            sys.executable, "-m", "voila", self.notebook or "", "--no-browser",
            "--Voila.ip=127.0.0.1", f"--port={self.port}", f"--token={self.token}",
            f"--Voila.root_dir={self.root_dir}", f"--Voila.connection_dir_root={self.runtime_dir}", *KERNEL_FLAGS,
        ]

    def start(self, timeout: float = STARTUP_TIMEOUT) -> JupyterServer:
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            self.command(), cwd=self.root_dir, env=self.env, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def url(self, path: str = "") -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10.0):
        """JSON from the Jupyter server's REST API (None for an empty answer)."""
        request = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout: float) -> None:
        """Poll a cheap URL until the server answers (any HTTP status) or `timeout` passes."""
        probe = self.url("api/status" if self.kind == "lab" else "favicon.ico")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with status {self.process.returncode}:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(probe, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answered
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise TimeoutError(f"{self.kind} did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def kernel_ids(self) -> dict[str, str]:
        """{notebook path: kernel id} for the JupyterLab sessions open now."""
        return {s["path"]: s["kernel"]["id"] for s in self.api("api/sessions") if s.get("kernel")}

    def end_sessions(self) -> None:
        """Shut down every notebook session's kernel (JupyterLab), so idle kernels do not pile up."""
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE", timeout=STOP_TIMEOUT)

    def end_kernel(self, kernel_id: str) -> None:
        """Shut down one kernel (Voilà's own shutdown on page close fails its XSRF check under a token)."""
        try:
            self.api(f"api/kernels/{kernel_id}", method="DELETE", timeout=STOP_TIMEOUT)
        except urllib.error.HTTPError as err:
            if err.code != 404:  # already gone is fine
                raise

    def connection_file(self, kernel_id: str) -> Path:
        """The kernel's connection file (Voilà keeps them in a subfolder of the runtime folder)."""
        found = sorted(self.runtime_dir.rglob(f"kernel-{kernel_id}.json"))
        if not found:
            raise FileNotFoundError(f"no connection file for kernel {kernel_id} under {self.runtime_dir}")
        return found[0]

    def stop(self) -> None:
        """Shut down kernels and the server; SIGKILL whatever is still alive after STOP_TIMEOUT."""
        process, self.process = self.process, None
        try:
            if process is not None and process.poll() is None:
                kernels = _children(process.pid)  # kernels run in sessions of their own
                if self.kind == "lab":
                    try:
                        self.api("api/shutdown", method="POST", timeout=STOP_TIMEOUT)
                    except OSError:
                        process.terminate()
                else:
                    process.terminate()  # voila: SIGTERM stops the loop, then shuts down every kernel
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)  # its own session: pgid == pid
                    process.wait(STOP_TIMEOUT)  # SIGKILL cannot be refused
                for pid in kernels:  # normally gone already; never kill a reused pid
                    try:
                        if b"kernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                            os.kill(pid, signal.SIGKILL)
                    except (OSError, ProcessLookupError):
                        pass
        finally:
            if self._log:
                self._log.close()
                self._log = None
            self._home.cleanup()

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_in_kernel(server: JupyterServer, kernel_id: str, code: str, timeout: float = 60.0) -> str:
    """Run `code` in a live kernel of `server`, without touching any notebook; its stdout."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(server.connection_file(kernel_id)))
    client.load_connection_file()
    client.start_channels()
    out: list[str] = []
    try:
        client.wait_for_ready(timeout=timeout)

        def collect(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = client.execute_interactive(code, store_history=False, timeout=timeout, output_hook=collect,
                                           allow_stdin=False)
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel probe failed: {''.join(out)}")
    return "".join(out)


def copy_course(destination: Path, *parts: str) -> Path:
    """Copy nbgrader_config.py and the given folders of the repo to `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "nbgrader_config.py", destination / "nbgrader_config.py")
    for part in parts:
        shutil.copytree(REPO_ROOT / part, destination / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return destination


# --------------------------------------------------- the Voila explorer app ---


def explorer_with(container, control: str):
    """The innermost widget box holding the combobox named `control` (one explorer of several)."""
    page = getattr(container, "page", container)  # a Locator knows its page; a Page is one
    return container.locator(".widget-vbox").filter(
        has=page.get_by_role("combobox", name=control, exact=True)).last


def voila_kernel_id(page, timeout_ms: int = 5_000) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content(timeout=timeout_ms))["kernelId"]


class AppLoadTimeout(AssertionError):
    """The explorer app did not become interactive in time; the message ends with the server's log."""


def open_app(page, server: JupyterServer, timeout_ms: int = 90_000) -> float:
    """Open the Voilà explorer app; seconds until the first explorer is interactive (controls and chart shown)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    start = time.perf_counter()
    try:
        page.goto(server.url(""), timeout=timeout_ms)
        page.get_by_role("combobox", name="Entity type", exact=True).wait_for(timeout=timeout_ms)
        explorer_with(page, "Entity type").locator(".widget-output img").first.wait_for(timeout=timeout_ms)
    except PlaywrightTimeout as err:  # say what the server was doing, or a hang leaves nothing to go on
        raise AppLoadTimeout(f"the app did not load within {timeout_ms} ms ({err.message.splitlines()[0]}); "
                             f"the end of the {server.name} server's log:\n{server.log_tail()}") from err
    return time.perf_counter() - start


_TIME_CHANGE = """async (root, [control, option, quietMs, timeoutMs]) => {
    const box = [...root.querySelectorAll('.widget-dropdown')]
        .find(w => w.querySelector(':scope > label')?.textContent.trim() === control);
    const select = box.querySelector('select');
    const index = [...select.options].findIndex(o => o.textContent.replace(/\u00a0/g, ' ') === option);
    if (index < 0) throw new Error('no option ' + option + ' in ' + control);
    return await new Promise((resolve, reject) => {
        let last = null, quiet = null;
        const start = performance.now();
        const observer = new MutationObserver(() => {
            last = performance.now();
            clearTimeout(quiet);
            quiet = setTimeout(done, quietMs);
        });
        const done = () => { observer.disconnect(); clearTimeout(limit); resolve(last - start); };
        const limit = setTimeout(() => {
            observer.disconnect();
            reject(new Error('no update within ' + timeoutMs + ' ms'));
        }, timeoutMs);
        observer.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
        select.selectedIndex = index;
        select.dispatchEvent(new Event('change', {bubbles: true}));
    });
}"""


def time_selection_change(root, control: str, option: str, quiet_ms: int = 400,
                          timeout_ms: int = ACTION_TIMEOUT_MS) -> float:
    """Milliseconds from choosing `option` in the dropdown `control` to the last change the view makes.

    Measured inside the page (performance.now): the view counts as updated
    when nothing more has changed in it for `quiet_ms`.
    """
    return root.evaluate(_TIME_CHANGE, [control, option, quiet_ms, timeout_ms])
