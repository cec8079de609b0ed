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
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import IO

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

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
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel through the sandbox launcher, over ipc sockets in a private folder."""

    isolate = Bool(True, help="Run student kernels in the bubblewrap sandbox (when bwrap is installed).").tag(
        config=True)
    memory_mb = Integer(4096, help="Address-space limit of a student kernel, in MiB.").tag(config=True)
    processes = Integer(512, help="Process and thread limit of the sandbox user.").tag(config=True)
    cpu_seconds = Integer(900, help="CPU-time limit of a student kernel, in seconds.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file a student kernel may write, in MiB.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.private = Path(tempfile.mkdtemp(prefix="course-kernel-", dir=os.environ.get(SANDBOX_ROOT_ENV)))
        self.transport = "ipc"
        self.ip = str(self.private / "socket")
        self.connection_file = str(self.private / "connection.json")
        self._log: IO[bytes] | None = None

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
        limits = {"memory_mb": self.memory_mb, "processes": self.processes, "cpu_seconds": self.cpu_seconds,
                  "file_size_mb": self.file_size_mb}
        return [sys.executable, "-I", "-m", "course.teach.sandbox", "--private", str(self.private),
                "--limits", json.dumps(limits), "--parent", str(os.getpid()), "--", *command]

    async def _async_pre_start_kernel(self, **kw):
        """The kernel's own start-up chatter (ipykernel's notes) goes to a log in its private
        folder, not to the grader's terminal: one line per student is what an instructor reads."""
        command, kw = await super()._async_pre_start_kernel(**kw)
        if self._log is None:
            self._log = open(self.private / "kernel.log", "ab")  # noqa: SIM115 - closed at cleanup
        kw.setdefault("stdout", self._log)
        kw.setdefault("stderr", self._log)
        return command, kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if not restart:
            leave_cgroup(self.private.name)
            if self._log is not None:
                self._log.close()
                self._log = None
            shutil.rmtree(self.private, ignore_errors=True)


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
    parser.add_argument("kernel", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    die_with(args.parent)
    kernel = args.kernel[1:] if args.kernel[:1] == ["--"] else args.kernel
    workdir = args.private / "work"
    workdir.mkdir(mode=0o700)
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
