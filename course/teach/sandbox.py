"""Run a student's notebook kernel in a bubblewrap sandbox.

nbgrader starts a kernel with the grader's rights, so student code could read
the hidden tests in its own autograded notebook, list other students' work or
write the gradebook (see shared notes nbgrader.md §7). The grader therefore
starts kernels through this launcher, named in a kernelspec that shadows the
course kernel while grading:

    python -m course.teach.sandbox PYTHON -m ipykernel_launcher -f CONNECTION_FILE

It copies the data files next to the notebook (never the notebook itself,
which holds the restored hidden tests) into a fresh working folder and runs
the kernel with bubblewrap (Debian package `bubblewrap`) as user nobody in new
user, PID and IPC namespaces with all capabilities dropped. Inside, the file
system holds only the system, Python, the virtual environment, the course
package and its seeds, read-only, and the working folder: no gradebook, no
course folder, no submissions, no solutions. The network namespace is shared
because the kernel talks to nbgrader over loopback.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from course.core.paths import REPO_ROOT

SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/alternatives", "/etc/ssl", "/etc/localtime")
NOBODY = "65534"
SANDBOX_ROOT_ENV = "COURSE_SANDBOX_ROOT"  # where working folders go; the grader removes it afterwards


def bwrap_available() -> bool:
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None


def _read_only_roots() -> list[str]:
    """Folders the kernel needs to read: system, Python install, venv, course package, seeds."""
    roots = [d for d in SYSTEM_DIRS if os.path.exists(d)]
    roots += {sys.base_prefix, sys.prefix, sysconfig.get_paths()["purelib"]}
    roots += [str(REPO_ROOT / "course"), str(REPO_ROOT / "seeds")]
    cache = os.environ.get("COURSE_CACHE_DIR")
    if cache and os.path.isdir(cache):
        roots.append(cache)
    return sorted(set(roots))


def sandbox_command(kernel_argv: list[str], connection_file: str, workdir: str) -> list[str]:
    """The bwrap command line that runs `kernel_argv` inside the sandbox."""
    # Order matters: later mounts cover earlier ones, so the empty /tmp comes first.
    command = ["bwrap", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
    for root in _read_only_roots():
        command += ["--ro-bind", root, root]
    command += [
        "--ro-bind", connection_file, connection_file,
        "--bind", workdir, workdir,
        "--unshare-user", "--uid", NOBODY, "--gid", NOBODY,
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--cap-drop", "ALL",
        "--chdir", workdir, "--setenv", "HOME", workdir,
        "--setenv", "MPLCONFIGDIR", workdir, "--unsetenv", "JUPYTER_PATH",
        # ipykernel exits when it cannot see its parent, which a new PID namespace hides
        "--unsetenv", "JPY_PARENT_PID",
    ]
    return command + kernel_argv


def prepare_workdir(notebook_dir: str) -> str:
    """A fresh folder holding the assignment's data files, without any notebook."""
    workdir = tempfile.mkdtemp(prefix="course-kernel-", dir=os.environ.get(SANDBOX_ROOT_ENV))
    for item in Path(notebook_dir).iterdir():
        if item.suffix == ".ipynb" or item.name.startswith("."):
            continue
        target = Path(workdir) / item.name
        (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)
    os.chmod(workdir, 0o777)
    return workdir


def main(argv: list[str]) -> int:
    connection_file = argv[argv.index("-f") + 1]
    workdir = prepare_workdir(os.getcwd())
    os.chmod(connection_file, 0o644)
    command = sandbox_command(argv, connection_file, workdir)
    os.execvp(command[0], command)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
