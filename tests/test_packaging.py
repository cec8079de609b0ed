"""The wheel carries everything the package reads at run time: its modules, course/data,
the explorer templates, and the seeds (seeds/ as course/_seeds/, byte for byte), and an
installed copy finds its seeds without a checkout.

Builds the wheel with pip from a copy of the project (so nothing is written into the
checkout); pip gets setuptools for the build from its cache or the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course.core.seeds import seed_text

pytestmark = pytest.mark.packaging

REPO_ROOT = Path(__file__).resolve().parent.parent
# What the build reads: the project metadata, its readme, the package and the seeds.
BUILD_INPUTS = ["pyproject.toml", "README.md", "course", "seeds"]


def _files(folder: Path) -> dict[str, Path]:
    """{path relative to `folder`: path} for every file under it, caches left out."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project built as a wheel, from a copy of the checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        path = REPO_ROOT / name
        if path.is_dir():  # symlinks=True keeps course/_seeds a link to ../seeds, as in the checkout
            shutil.copytree(path, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def contents(wheel) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def test_the_wheel_has_every_module(contents):
    modules = {f"course/{name}" for name in _files(REPO_ROOT / "course") if name.endswith(".py")}
    assert modules - set(contents) == set()


@pytest.mark.parametrize("folder", ["data", "explore/templates", "teach/templates"])
def test_the_wheel_has_the_package_data(contents, folder):
    files = _files(REPO_ROOT / "course" / folder)
    if folder == "data":
        assert any(name.endswith(".tsv") for name in files)
    for name, path in files.items():
        assert contents.get(f"course/{folder}/{name}") == path.read_bytes(), f"course/{folder}/{name}"


def test_the_wheel_has_the_seeds_byte_for_byte(contents):
    seeds = _files(REPO_ROOT / "seeds")
    assert "article.txt" in seeds and any(name.startswith("eval/") for name in seeds)
    shipped = {name.removeprefix("course/_seeds/"): data for name, data in contents.items()
               if name.startswith("course/_seeds/")}
    assert sorted(shipped) == sorted(seeds)
    assert [name for name, path in seeds.items() if shipped[name] != path.read_bytes()] == []


def test_an_installed_wheel_reads_its_own_seeds(contents, tmp_path):
    for name, data in contents.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    # The unpacked wheel comes first on sys.path, before the editable install's finder.
    code = ("import course; from course.core.seeds import seed_text, seeds_dir; "
            "print(course.__file__); print(seeds_dir()); print(len(seed_text()))")
    command = [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {code}"]
    env = {k: v for k, v in os.environ.items() if k != "COURSE_SEEDS_DIR"}
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    package, where, length = result.stdout.split()
    assert Path(package) == tmp_path / "course" / "__init__.py"
    assert Path(where) == tmp_path / "course" / "_seeds"
    assert int(length) == len(seed_text())
