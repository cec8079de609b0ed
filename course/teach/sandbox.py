"""Student kernels in a bubblewrap sandbox, on every route that runs student code.

`SandboxedKernelManager` is the kernel manager of the course's Execute step
(`course.teach.judge.execute.JudgedExecute`, set in nbgrader_config.py), so
`course grade`, plain `nbgrader autograde` and formgrader's Autograde button
start kernels the same way:

    python -I -m course.teach.sandbox --private DIR --limits JSON -- KERNEL ARGV

`-I` keeps the launcher's working folder (the student's autograded folder) off
`sys.path`, so nothing a student submits is ever imported outside the sandbox.
The launcher copies the assignment's regular data files (never a notebook, a
link, a Python file or a folder) into a fresh working folder, sets resource
limits (for the whole sandbox through a cgroup when the grader is root; per
process otherwise) and runs the kernel with bubblewrap as user nobody (uid 65534 on the
host too, when the grader is root) in new PID, IPC, UTS, cgroup and *network*
namespaces, with no capabilities and only an allow-listed environment. The kernel talks to the grader
over Unix sockets (ZeroMQ's ipc transport) in a private 0700 folder that holds
its 0600 connection file, so it needs no network at all. Inside, the file
system holds only the system, Python, the virtual environment, the course
package and its seeds, read-only, and the working folder.

Without bubblewrap the manager starts the kernel directly, unisolated; the
grader says so in one line.

`course grade` pre-starts kernels (`prestart`, see "pre-started kernels" below):
the next student's launcher, sandbox and Python start while the current student
runs, import `preload` (spaCy) and wait; the student's data files and connection
file arrive only when that student's grading takes the kernel over. Every kernel
is still a new process in a new sandbox, used by one student only.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from traitlets import Bool, Integer, List, Unicode

if TYPE_CHECKING or __name__ != "__main__":
    from jupyter_client.manager import AsyncKernelManager
else:  # the launcher (python -m course.teach.sandbox) needs no kernel manager: 0.2 s less per kernel
    AsyncKernelManager = object

from course.core.paths import PACKAGE_DIR, seeds_dir

SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/alternatives", "/etc/ssl", "/etc/localtime")
NOBODY = 65534
# The only environment a student kernel gets (values from the grader's environment, if set).
PASSED_ENV = ("LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "COURSE_CACHE_DIR",
              "NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
DATA_SUFFIXES_REFUSED = {".ipynb", ".py", ".pyc", ".pth", ".so"}
MAX_DATA_FILE = 50 * 2**20
SANDBOX_ROOT_ENV = "COURSE_SANDBOX_ROOT"  # where kernels' private folders go (the grader's scratch folder)


def bwrap_available() -> bool:
    return sandbox_unavailable() is None


@functools.cache
def sandbox_unavailable() -> str | None:
    """Why student kernels cannot be sandboxed here, or None when they can.

    Without root, bubblewrap needs unprivileged user namespaces, which some systems switch off
    (a sysctl, an AppArmor policy, a container): a quick probe with the same namespaces
    `sandbox_command` asks for tells, so grading falls back to the unisolated route with its
    one-line warning instead of failing every student.
    """
    if not sys.platform.startswith("linux") or shutil.which("bwrap") is None:
        return "bubblewrap is not installed"
    if os.getuid() == 0:
        return None
    probe = ["bwrap", "--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL",
             "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap cannot run here ({error})"
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        return f"bubblewrap cannot create a sandbox without root here ({said})"
    return None


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel through the sandbox launcher, over ipc sockets in a private folder."""

    isolate = Bool(True, help="Run student kernels in the bubblewrap sandbox (when bwrap is installed).").tag(
        config=True)
    memory_mb = Integer(4096, help="Address-space limit of a student kernel, in MiB.").tag(config=True)
    processes = Integer(512, help="Process and thread limit of the sandbox user.").tag(config=True)
    cpu_seconds = Integer(900, help="CPU-time limit of a student kernel, in seconds.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file a student kernel may write, in MiB.").tag(config=True)
    prestart = Bool(False, help=(
        "While a kernel runs, start the next one (course grade's workers): each pre-started kernel is a new "
        "sandbox and process, given to one student only, that imports `preload` before any student code "
        "runs.")).tag(config=True)
    preload = List(Unicode(), ["spacy"], help="Modules a pre-started kernel imports while it waits.").tag(
        config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._use_private(Path(tempfile.mkdtemp(prefix="course-kernel-", dir=os.environ.get(SANDBOX_ROOT_ENV))))
        self.transport = "ipc"
        self._log: IO[bytes] | None = None
        self._kernel_argv: list[str] = []  # the kernel's own command, inside the sandbox
        self._prestart_key: str | None = None  # set when this kernel starts the next one
        self._warm: Prestarted | None = None  # the pre-started kernel this manager took over
        self.memory_peak: int | None = None  # bytes the whole sandbox held at most (known with a cgroup)

    def _use_private(self, private: Path) -> None:
        self.private = private
        self.ip = str(private / "socket")
        self.connection_file = str(private / "connection.json")

    @property
    def limits(self) -> dict[str, int]:
        return {"memory_mb": self.memory_mb, "processes": self.processes, "cpu_seconds": self.cpu_seconds,
                "file_size_mb": self.file_size_mb}

    @property
    def sandboxed(self) -> bool:
        return self.isolate and bwrap_available()

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if not self.sandboxed:
            return command
        # interrupts travel as messages: a signal would reach bubblewrap, not the kernel inside it
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        self._kernel_argv = command
        return [sys.executable, "-I", "-m", "course.teach.sandbox", "--private", str(self.private),
                "--limits", json.dumps(self.limits), "--parent", str(os.getpid()), "--", *command]

    def _prestart_key_for(self, kw: dict) -> str | None:
        """What a pre-started kernel must have been started with to serve this start (None: never pre-start)."""
        spec = self.kernel_spec
        provisioner = (spec.metadata.get("kernel_provisioner") or {}).get("provisioner_name") if spec else None
        if spec is None or provisioner not in (None, "local-provisioner") or "-m" not in spec.argv:
            return None
        env = {**(kw.get("env") or os.environ), **spec.env}
        return json.dumps([spec.argv, kw.get("extra_arguments") or [], self.limits, self.preload,
                           {name: env.get(name) for name in PASSED_ENV}, os.environ.get(SANDBOX_ROOT_ENV)])

    async def _async_pre_start_kernel(self, **kw):
        """The kernel's own start-up chatter (ipykernel's notes) goes to a log in its private
        folder, not to the grader's terminal: one line per student is what an instructor reads.

        A first start takes over the kernel this process pre-started for it, if one waits: its
        private folder becomes this manager's, before the connection file is written there."""
        first_start = not self._kernel_argv
        self._prestart_key = self._prestart_key_for(kw) if self.sandboxed and first_start else None
        self._warm = PRESTARTED.claim(self._prestart_key) if self._prestart_key else None
        if self._warm is not None:
            shutil.rmtree(self.private, ignore_errors=True)  # the empty folder made in __init__
            self._use_private(self._warm.private)
        command, kw = await super()._async_pre_start_kernel(**kw)
        if self._log is None:
            self._log = open(self.private / "kernel.log", "ab")  # noqa: SIM115 - closed at cleanup
        kw.setdefault("stdout", self._log)
        kw.setdefault("stderr", self._log)
        return command, kw

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        """Launch the kernel, or wake the pre-started one; then pre-start the next (with `prestart`)."""
        warm, self._warm = self._warm, None
        if warm is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        else:
            from jupyter_client.provisioning import LocalProvisioner

            provisioner = self.provisioner
            assert isinstance(provisioner, LocalProvisioner)
            cwd = Path(kw.get("cwd") or Path.cwd())
            warm.hand_over(cwd, Path(self.connection_file))
            provisioner.process, provisioner.pid, provisioner.cwd = warm.process, warm.process.pid, str(cwd)
            try:
                provisioner.pgid = os.getpgid(warm.process.pid)
            except OSError:
                provisioner.pgid = None
            self._reconcile_connection_info(provisioner.connection_info)
        if self._prestart_key is not None and self.prestart:
            PRESTARTED.start(self._prestart_key, self._kernel_argv, Path(self.connection_file), self.limits,
                             self.preload, kw.get("env"))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if not restart:
            end_processes(self.private)
            peak = memory_peak(self.private.name)
            if peak is not None:
                self.memory_peak = peak
                MEMORY_PEAKS.append(peak)
            leave_cgroup(self.private.name)
            if self._log is not None:
                self._log.close()
                self._log = None
            shutil.rmtree(self.private, ignore_errors=True)


# --- pre-started kernels: the next student's sandbox starts while the current one runs ---------------
#
# A pre-started kernel is the same launcher and sandbox, started before its student is known: inside, a
# fresh Python imports `preload` (trusted libraries only) and waits on its stdin. The manager that takes
# it over copies the student's data files into its working folder, writes the connection file, and
# sends "go"; only then does the kernel start (as `python -m ipykernel_launcher` would), so student code
# runs in a process no other student has touched. Each worker process keeps at most one waiting.

WARM_KERNEL = """\
def _wait():
    import importlib, os, sys
    for name in filter(None, sys.argv[1].split(",")):
        try:
            importlib.import_module(name)
        except Exception:
            pass
    line = b""
    while not line.endswith(b"\\n"):
        chunk = os.read(0, 1)
        if not chunk:
            os._exit(0)
        line += chunk
    if line != b"go\\n":
        os._exit(1)
    module = sys.argv[2]
    sys.argv[:] = [module, *sys.argv[3:]]
    sys.path[0] = os.getcwd()
    return module
_module = _wait()
del _wait
__import__("runpy")._run_module_as_main(globals().pop("_module"))
"""
MEMORY_PEAKS: list[int] = []  # the memory peak of each sandbox this process ended, in bytes (with cgroups)


@dataclass
class Prestarted:
    """A sandboxed kernel waiting for its student."""

    private: Path
    process: subprocess.Popen

    def hand_over(self, notebook_dir: Path, connection: Path) -> None:
        workdir = self.private / "work"
        copy_data_files(notebook_dir, workdir)
        hand_to_nobody([connection, *workdir.iterdir()])
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"go\n")
            self.process.stdin.close()  # as jupyter_client closes every kernel's stdin
        except OSError:
            pass  # it died meanwhile: the manager sees a dead kernel, as after any failed start

    def discard(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        end_processes(self.private)
        leave_cgroup(self.private.name)
        shutil.rmtree(self.private, ignore_errors=True)


class _Prestarter:
    def __init__(self) -> None:
        self.waiting: dict[str, Prestarted] = {}

    def claim(self, key: str) -> Prestarted | None:
        """The kernel pre-started for `key`, if it is still alive; any other waiting kernel is ended."""
        warm = self.waiting.pop(key, None)
        self.discard()
        if warm is not None and warm.process.poll() is not None:
            warm.discard()
            warm = None
        return warm

    def start(self, key: str, kernel_argv: list[str], connection: Path, limits: dict, preload: list[str],
              env: dict | None) -> None:
        if key in self.waiting or "-m" not in kernel_argv:
            return
        from jupyter_client.launcher import launch_kernel

        private = Path(tempfile.mkdtemp(prefix="course-kernel-", dir=os.environ.get(SANDBOX_ROOT_ENV)))
        argv = [arg.replace(str(connection), str(private / "connection.json")) for arg in kernel_argv]
        module_at = argv.index("-m")
        argv[module_at:module_at + 1] = ["-c", WARM_KERNEL, ",".join(preload)]
        command = [sys.executable, "-I", "-m", "course.teach.sandbox", "--private", str(private),
                   "--limits", json.dumps(limits), "--parent", str(os.getpid()), "--warm", "--", *argv]
        with open(private / "kernel.log", "ab") as log:
            process = launch_kernel(command, stdin=subprocess.PIPE, stdout=log.fileno(), stderr=log.fileno(),
                                    env=dict(env or os.environ), cwd=str(private))
        self.waiting[key] = Prestarted(private, process)

    def discard(self) -> None:
        for warm in self.waiting.values():
            warm.discard()
        self.waiting.clear()


PRESTARTED = _Prestarter()


def discard_prestarted() -> None:
    """End the kernels this process pre-started and no student took (a worker calls this when it stops)."""
    PRESTARTED.discard()


def take_memory_peaks() -> list[int]:
    """The memory peaks of the sandboxes ended since the last call, in bytes."""
    peaks = MEMORY_PEAKS[:]
    MEMORY_PEAKS.clear()
    return peaks


# --- the launcher: runs as the grader, ends by exec'ing bubblewrap ------------------------------------


def copy_data_files(notebook_dir: Path, workdir: Path) -> list[str]:
    """Copy the regular data files next to the notebook into `workdir`; return what was left out.

    Only plain files: never a notebook (the autograded one holds the hidden tests), Python code,
    a link, a folder or a special file, and nothing over MAX_DATA_FILE.
    """
    skipped = []
    for item in sorted(notebook_dir.iterdir()):
        if item.name.startswith(".") or item.suffix.lower() in DATA_SUFFIXES_REFUSED:
            continue
        if item.is_symlink() or not item.is_file() or item.stat().st_size > MAX_DATA_FILE:
            skipped.append(item.name)
            continue
        shutil.copyfile(item, workdir / item.name, follow_symlinks=False)
    return skipped


def _read_only_roots() -> list[str]:
    """Folders the kernel needs to read: system, Python install, venv, course package, seeds, parse cache."""
    roots = [d for d in SYSTEM_DIRS if os.path.exists(d)]
    roots += {sys.base_prefix, sys.prefix, sysconfig.get_paths()["purelib"]}
    roots += [str(folder) for folder in (PACKAGE_DIR, seeds_dir()) if folder.is_dir()]
    cache = os.environ.get("COURSE_CACHE_DIR")
    if cache and os.path.isdir(cache):
        roots.append(cache)
    return sorted(set(roots))


def sandbox_command(kernel_argv: list[str], private: Path, workdir: Path) -> list[str]:
    """The bwrap command line that runs `kernel_argv` inside the sandbox as user nobody.

    As root, bubblewrap mounts with root's rights (it must read a Python installed under
    /root) and `setpriv` then becomes nobody for real, with no capabilities left: the kernel
    is uid 65534 on the host too. As anyone else, an unprivileged user namespace maps the
    instructor's uid to nobody inside.
    """
    if os.getuid() == 0:
        namespaces = ["--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        become_nobody = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                         "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    else:
        namespaces = ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL"]
        become_nobody = []
    command = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--hostname", "sandbox",
               # Order matters: later mounts cover earlier ones, so the empty /tmp comes first.
               "--perms", "1777", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
    roots = _read_only_roots()
    # Folders above a bound one are made traversable (a Python under /root sits in a 0700 folder).
    for folder in sorted({str(parent) for root in [*roots, str(private)] for parent in Path(root).parents} - {"/"}):
        command += ["--perms", "0755", "--dir", folder]
    for root in roots:
        command += ["--ro-bind", root, root]
    command += ["--bind", str(private), str(private), "--chdir", str(workdir), "--clearenv",
                "--setenv", "HOME", str(workdir), "--setenv", "MPLCONFIGDIR", str(workdir),
                "--setenv", "PATH", os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])]
    for name in PASSED_ENV:
        if name in os.environ:
            command += ["--setenv", name, os.environ[name]]
    return command + become_nobody + kernel_argv


def set_limits(limits: dict) -> None:
    """Resource limits the kernel inherits (bubblewrap keeps them)."""
    mib = 2**20
    for which, value in ((resource.RLIMIT_AS, limits["memory_mb"] * mib),
                         (resource.RLIMIT_NPROC, limits["processes"]),
                         (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                         (resource.RLIMIT_FSIZE, limits["file_size_mb"] * mib),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))


CGROUP_ROOT = Path("/sys/fs/cgroup")


def cgroup_folders(name: str) -> list[tuple[Path, dict[str, str]]]:
    """Where a cgroup called `name` goes beside this process's own, and the limit files it takes:
    cgroup v2's memory.max and pids.max, or v1's memory and pids controllers."""
    lines = [line.split(":", 2) for line in Path("/proc/self/cgroup").read_text().splitlines() if line.count(":") >= 2]
    if (CGROUP_ROOT / "cgroup.controllers").exists():  # a pure cgroup v2 system
        unified = next((path for hierarchy, _, path in lines if hierarchy == "0"), "/")
        return [(CGROUP_ROOT / unified.lstrip("/") / name, {"memory": "memory.max", "pids": "pids.max"})]
    folders = []
    for controller, limit in (("memory", "memory.limit_in_bytes"), ("pids", "pids.max")):
        own = next((path for _, controllers, path in lines if controller in controllers.split(",")), None)
        if own is not None and (CGROUP_ROOT / controller).is_dir():
            folders.append((CGROUP_ROOT / controller / own.lstrip("/") / name, {controller: limit}))
    return folders


def enter_cgroup(name: str, limits: dict) -> bool:
    """As root, put this process (and so the whole sandbox) in a cgroup that caps memory and
    processes together: a per-process limit alone lets a forking cell hold many times the limit.
    Returns whether it worked; without it the per-process limits below are all there is."""
    if os.getuid() != 0:
        return False
    values = {"memory": str(limits["memory_mb"] * 2**20), "pids": str(limits["processes"])}
    try:
        for folder, files in cgroup_folders(name):
            folder.mkdir(exist_ok=True)
            for controller, limit_file in files.items():
                (folder / limit_file).write_text(values[controller])
            (folder / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        return False
    return True


def leave_cgroup(name: str, wait: float = 3.0) -> None:
    """Remove the kernel's cgroups once its processes have gone (an empty cgroup is removed with rmdir)."""
    deadline = time.monotonic() + wait
    for folder, _ in cgroup_folders(name):
        while folder.exists():
            with contextlib.suppress(OSError):
                folder.rmdir()
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)


def memory_peak(name: str) -> int | None:
    """The most memory the cgroup `name` held, in bytes (cgroup v2 memory.peak, v1 max_usage), or None."""
    for folder, files in cgroup_folders(name):
        if "memory" in files:
            for peak in ("memory.peak", "memory.max_usage_in_bytes"):
                with contextlib.suppress(OSError, ValueError):
                    return int((folder / peak).read_text())
    return None


def end_processes(folder: Path, wait: float = 5.0) -> None:
    """Kill every process that names `folder` (a sandbox's private folder, or a grader's scratch folder
    that holds them) on its command line, and wait up to `wait` seconds until they have gone.

    A sandbox's kernel runs under bubblewrap's own init, in a session of its own, so killing the launcher
    (bubblewrap) does not kill it: it dies a moment later, when --die-with-parent fires, or never, when
    the launcher died before bubblewrap could ask. Its command line names the folder, as bubblewrap's does."""
    marker = os.fsencode(folder)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        left = [pid for pid, command in _command_lines() if marker in command and pid != os.getpid()]
        if not left:
            return
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)


def _command_lines() -> Iterator[tuple[int, bytes]]:
    """(pid, command line) of every process this user can see (none without /proc); a zombie has none."""
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError), open(f"/proc/{entry.name}/cmdline", "rb") as file:
                    yield int(entry.name), file.read()


def remove_empty_cgroups() -> None:
    """Remove kernel cgroups left by a grader that was killed (only empty ones can be removed)."""
    for folder, _ in cgroup_folders(""):
        for leftover in folder.glob("course-kernel-*"):
            with contextlib.suppress(OSError):
                leftover.rmdir()


def hand_to_nobody(paths: list[Path]) -> None:
    """As root, give `paths` to user nobody, whom the kernel will run as (see `sandbox_command`)."""
    if os.getuid() == 0:
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


def die_with(parent: int | None) -> None:
    """Be killed when the grading process that started us dies, and stop now if it already has.

    bubblewrap's --die-with-parent only starts to watch once bubblewrap runs; a grader killed
    while this launcher starts up would otherwise leave a kernel running for ever. The setting
    survives the exec into bubblewrap.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -I -m course.teach.sandbox")
    parser.add_argument("--private", type=Path, required=True)
    parser.add_argument("--limits", type=json.loads, required=True)
    parser.add_argument("--parent", type=int, default=None)
    parser.add_argument("--warm", action="store_true", help="pre-started: data files and connection file come later")
    parser.add_argument("kernel", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    die_with(args.parent)
    kernel = args.kernel[1:] if args.kernel[:1] == ["--"] else args.kernel
    workdir = args.private / "work"
    workdir.mkdir(mode=0o700)
    if args.warm:  # the manager that takes it over copies the files and hands them to nobody (Prestarted)
        hand_to_nobody([args.private, workdir])
    else:
        copy_data_files(Path.cwd(), workdir)
        connection = Path(kernel[kernel.index("-f") + 1])
        hand_to_nobody([args.private, workdir, connection, *workdir.iterdir()])
    enter_cgroup(args.private.name, args.limits)
    set_limits(args.limits)
    command = sandbox_command(kernel, args.private, workdir)
    os.execvp(command[0], command)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
