"""The student edition: everything a student needs, and no answer key.

`write_student_edition(target)` copies the lessons (`notebooks/`), the released
exercises (`exercises/`), the `course` package, the seed article with its
annotations (`seeds/`) and what installs them (`pyproject.toml`, `requirements/`,
`environment.yml`), and writes a student README, a Makefile with the same two
set-up commands (`make lab`, `make test`; the install recipe is the main
Makefile's, copied from between its `# >>> install` and `# <<< install` lines)
and a set-up test. It never copies `solutions/` (solutions, hidden tests, mark
schemes), the wrong-answer catalogues, `tools/`, `tests/` or `bench/`.

Before the new folder is moved into place, every file in it is checked against
the answer keys (`release.answer_key_lines`): a hidden-test or mark-scheme line
anywhere, or a solution line in any notebook or text outside the package, stops
the build with a CourseError and leaves nothing behind.

`python -m course student-edition DIR` (or `make student`) runs it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from course.core.paths import KERNEL_NAME, REPO_ROOT
from course.errors import CourseError
from course.teach.release import assignment_names, marked_lines

COPIED = ("course", "seeds", "notebooks", "exercises", "requirements", "pyproject.toml", "environment.yml")
NEVER = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "mistakes.yaml", ".mypy_cache")
INSTALL_BEGIN, INSTALL_END = "# >>> install", "# <<< install"
TEMPLATES = Environment(loader=PackageLoader("course.teach", "templates"), undefined=StrictUndefined,
                        keep_trailing_newline=True, autoescape=False)  # Markdown and make, not HTML


def install_recipe(makefile: Path) -> str:
    """The lines between the install markers of the main Makefile (the one way the course installs)."""
    text = makefile.read_text(encoding="utf-8")
    begin, end = text.find(INSTALL_BEGIN), text.find(INSTALL_END)
    if begin < 0 or end < begin:
        raise CourseError(f"{makefile} has no '{INSTALL_BEGIN}' ... '{INSTALL_END}' block to copy")
    return text[text.index("\n", begin) + 1:end]


def write_student_edition(target: Path, root: Path = REPO_ROOT) -> Path:
    """Write the student edition into `target` (which must not exist, or be an empty folder)."""
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CourseError(f"{target} already exists and is not an empty folder: choose a new one")
    if any(target.is_relative_to((root / name).resolve()) for name in (*COPIED, "solutions")):
        raise CourseError(f"{target} is inside a folder the edition copies: choose a folder outside it")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".student-edition-", dir=target.parent) as tmp:
        build = Path(tmp) / "edition"
        build.mkdir()
        for name in COPIED:
            source = root / name
            if source.is_dir():
                shutil.copytree(source, build / name, symlinks=True, ignore=shutil.ignore_patterns(*NEVER))
            else:
                shutil.copy2(source, build / name)
        context = {"assignments": assignment_names(root), "kernel": KERNEL_NAME,
                   "install": install_recipe(root / "Makefile")}
        for template, name in (("student_README.md.j2", "README.md"), ("student_Makefile.j2", "Makefile"),
                               ("student_gitignore.j2", ".gitignore"),
                               ("student_test_setup.py.j2", "tests/test_setup.py")):
            (build / name).parent.mkdir(parents=True, exist_ok=True)
            (build / name).write_text(TEMPLATES.get_template(template).render(**context), encoding="utf-8")
        leaks = answer_key_leaks(build, root)
        if leaks:
            raise CourseError(f"the student edition would hold answer-key text ({leaks[0]}): nothing was written")
        if target.exists():
            target.rmdir()
        build.rename(target)
    return target


HANDED_OVER = 0.6  # a file holding this share of one solution's lines hands the answer over


def _solutions_and_secrets(root: Path) -> tuple[list[tuple[str, frozenset[str]]], set[str]]:
    """Each solution region's lines (with where it is from), and every hidden-test and mark-scheme line."""
    import nbformat

    solutions, secrets = [], set()
    for notebook in sorted((root / "solutions").glob("*/*.ipynb")):
        for index, cell in enumerate(nbformat.read(notebook, 4).cells):
            lines = frozenset(marked_lines(cell.source, "solution"))
            if lines:
                solutions.append((f"{notebook.parent.name} cell {index}", lines))
            secrets |= {line for kind in ("hidden", "mark scheme") for line in marked_lines(cell.source, kind)
                        if len(line) >= 12}
    return solutions, secrets


def answer_key_leaks(edition: Path, root: Path = REPO_ROOT) -> list[str]:
    """Where `edition` holds answer-key text, as 'file: what' (empty when it holds none).

    - a hidden-test or mark-scheme line (12 characters or more), in any file;
    - most of one solution (HANDED_OVER of its lines, and at least two of them; a one-line
      solution counts when it is 25 characters or more), in a notebook or text file outside
      the `course` package, whose own code may do what a question asks;
    - the catalogues of wrong answers, `solutions/` and `tools/`, which are never copied.
    """
    import nbformat

    solutions, secrets = _solutions_and_secrets(root)
    leaks = []
    for path in sorted(p for p in edition.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(edition)
        if path.name == "mistakes.yaml" or relative.parts[0] in ("solutions", "tools"):
            leaks.append(f"{relative}: not part of the edition")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in nbformat.reads(text, 4).cells)
        lines = {line.strip() for line in text.splitlines()}
        leaks += [f"{relative}: {line}" for line in sorted(lines & secrets)]
        if relative.parts[0] == "course":
            continue
        for where, solution in solutions:
            shared = solution & lines
            enough = len(shared) >= max(2, HANDED_OVER * len(solution))
            if enough or (solution == shared and len(solution) == 1 and len(next(iter(solution))) >= 25):
                leaks.append(f"{relative}: holds the solution of {where}")
    return leaks
