"""A shared install (`make shared-install PREFIX=...`) built once per test process into a
temporary PREFIX, and a way to run commands from it as another Unix user.

Used by tests/test_shared_install.py and tests/test_marking_week.py (an instructor without root).
Building takes a few minutes (pip's cache makes later builds quicker); everything is removed
when the process exits.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
NOGROUP = 65534


def cannot_switch_user() -> str | None:
    """Why this process cannot run commands as another user, or None when it can."""
    if os.getuid() != 0:
        return "needs root, to build a shared install and run it as user nobody"
    if shutil.which("setpriv") is None:
        return "needs setpriv (util-linux) to switch user"
    if shutil.which("make") is None:
        return "needs make"
    return None


def checkout_closed_to_others() -> str | None:
    """Why another user cannot read this checkout (a folder on its path not open to others, such as a clone
    into `mktemp -d`, mode 0700), or None when they can."""
    for folder in [REPO_ROOT, *REPO_ROOT.parents]:
        if folder.stat().st_mode & 0o005 != 0o005:
            return f"{folder} is not readable by other users (mode {folder.stat().st_mode & 0o777:o}): chmod o+rx it"
    return None


def world_readable_tempdir(prefix: str) -> Path:
    """A fresh folder under the system's temporary folder that every user can enter (mode 0755),
    removed when this process exits (pytest's own tmp_path sits in a root-only folder)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def shared_prefix() -> Path:
    """PREFIX of a shared install of this checkout, built once per process with the Makefile."""
    prefix = world_readable_tempdir("course-shared-install-") / "wagner-course"
    result = subprocess.run(["make", "--no-print-directory", "-C", str(REPO_ROOT), "shared-install",
                             f"PREFIX={prefix}"], capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"make shared-install failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return prefix


def run_as(uid: int, gid: int, argv: list[str], *, prefix: Path, home: Path, cwd: Path,
           timeout: float = 900, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `argv` as uid:gid with no supplementary groups and a clean environment whose PATH
    starts with PREFIX/bin (as a user's Jupyter server started by a hub would have)."""
    clean = {"HOME": str(home), "PATH": f"{prefix}/bin:/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})}
    command = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "env", "-i",
               *[f"{name}={value}" for name, value in clean.items()], *argv]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def give_to(path: Path, uid: int = NOBODY, gid: int = NOGROUP) -> None:
    """chown -R uid:gid path (no link is followed)."""
    for item in [path, *path.rglob("*")]:
        os.chown(item, uid, gid, follow_symlinks=False)
