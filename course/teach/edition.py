"""The student edition: everything a student needs, and no answer key.

`write_student_edition(target)` copies the lessons (`notebooks/`), the released
exercises (`exercises/`), the `course` package, the seed article with its
annotations (`seeds/`) and what installs them (`pyproject.toml`, `requirements/`,
`environment.yml`), and writes a student README, a Makefile with the same two
set-up commands (`make lab`, `make test`; the install recipe is the main
Makefile's, copied from between its `# >>> install` and `# <<< install` lines)
and a set-up test. It never copies `solutions/` (solutions, hidden tests, mark
schemes), the wrong-answer catalogues, `tools/`, `tests/`, `bench/` or the development set of other news
(`seeds/eval/`, the maintainers' measure of the rules, in MAINTAINERS_ONLY).

What is copied (`edition_files`): in a git checkout only the files git tracks
(scratch files never go out); elsewhere the working tree, less NEVER. Every
copied notebook is stripped to its sources (no outputs, execution counts or
metadata beyond kernelspec, language_info and the standard cell keys; released
exercises keep their nbgrader cell metadata). No symbolic link is copied but
`course/_seeds` → `../seeds`: any other stops the build.

Before the new folder is moved into place, every file in it is checked against
the answer keys in `solutions/` (`answer_key_leaks`), each comparison made on a
normalised form, so that renaming, reflowing or joining lines does not hide it:

- every file must be UTF-8 text (the edition holds no binary file);
- a hidden-test line, as Python tokens with names, strings and numbers
  replaced by placeholders (`code_tokens`), in any file, the package included;
- half the word 8-grams of a mark scheme, in any file;
- a solution, as tokens, in a file outside the package (whose own code may do
  what a question asks); and, as before, any hidden-test or mark-scheme line
  verbatim, or most of a solution's lines verbatim.

Any leak stops the build with a CourseError and leaves nothing behind.

`python -m course student-edition DIR` (or `make student`) runs it.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import io
import keyword
import math
import os
import re
import shutil
import subprocess
import tempfile
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from course.core.paths import KERNEL_NAME, REPO_ROOT
from course.errors import CourseError
from course.teach.release import assignment_names, marked_lines, marked_regions

COPIED = ("course", "seeds", "notebooks", "exercises", "requirements", "pyproject.toml", "environment.yml")
NEVER = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "mistakes.yaml", ".mypy_cache")
MAINTAINERS_ONLY = (Path("seeds", "eval"),)  # folders under COPIED that stay out
SEEDS_LINK, SEEDS_TARGET = Path("course", "_seeds"), "../seeds"  # the one link: the package finds the seeds
NOTEBOOK_METADATA = ("kernelspec", "language_info")
CELL_METADATA = ("collapsed", "scrolled", "deletable", "editable", "format", "name", "tags", "jupyter")
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


def edition_files(root: Path = REPO_ROOT) -> list[Path]:
    """The paths (relative to `root`) the edition copies: under COPIED, tracked by git when `root` is a
    git checkout (every file otherwise, symbolic links included), none matching NEVER."""
    if (root / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "--", *COPIED], cwd=root, capture_output=True)
        if listed.returncode != 0:
            raise CourseError(f"git ls-files failed in {root}: {listed.stderr.decode(errors='replace').strip()}")
        paths = [Path(name) for name in listed.stdout.decode("utf-8").split("\0") if name]
        paths = [path for path in paths if os.path.lexists(root / path)]  # deleted, not yet committed
    else:
        paths = [Path(name) for name in COPIED if (root / name).is_file() or (root / name).is_symlink()]
        for name in (name for name in COPIED if (root / name).is_dir() and not (root / name).is_symlink()):
            for folder, folders, files in os.walk(root / name):
                links = [entry for entry in folders if Path(folder, entry).is_symlink()]  # never walked into
                paths += [Path(folder, entry).relative_to(root) for entry in (*files, *links)]
    return sorted(path for path in paths
                  if not any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in NEVER)
                  and not any(path.is_relative_to(folder) for folder in MAINTAINERS_ONLY))


def strip_notebook(notebook, keep_nbgrader: bool):
    """`notebook` (an nbformat node) with no outputs, execution counts, attachments or non-standard metadata."""
    notebook.metadata = {key: value for key, value in notebook.metadata.items() if key in NOTEBOOK_METADATA}
    kept = CELL_METADATA + (("nbgrader",) if keep_nbgrader else ())
    for cell in notebook.cells:
        cell.metadata = {key: value for key, value in cell.metadata.items() if key in kept}
        cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def copy_into(build: Path, relative: Path, root: Path) -> None:
    """Copy one file of `edition_files` into `build`: a regular file, a stripped notebook or the seeds link."""
    import nbformat

    source, copy = root / relative, build / relative
    copy.parent.mkdir(parents=True, exist_ok=True)
    if relative == SEEDS_LINK and source.is_symlink() and os.readlink(source) == SEEDS_TARGET:
        copy.symlink_to(SEEDS_TARGET)
    elif source.is_symlink() or os.path.realpath(source) != os.path.join(os.path.realpath(root), relative):
        raise CourseError(f"{relative} is (or is inside) a symbolic link: the edition copies none "
                          f"but {SEEDS_LINK} -> {SEEDS_TARGET}")
    elif not source.is_file():
        raise CourseError(f"{relative} is not a regular file")
    elif source.suffix == ".ipynb":
        notebook = strip_notebook(nbformat.read(source, 4), keep_nbgrader=relative.parts[0] == "exercises")
        nbformat.write(notebook, copy)
    else:
        shutil.copy2(source, copy)


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
        for relative in edition_files(root):
            copy_into(build, relative, root)
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
SOLUTION_TOKENS = 12  # a solution region this long (in code_tokens) is sought as tokens outside the package
# A hidden-test line of HIDDEN_TOKENS tokens or more is sought everywhere, in runs of HIDDEN_SHARE of its
# tokens (a new failure message does not hide it) holding one of its strings. Its names and literals are
# kept: visible tests share its shape and often its strings, with other fixtures.
HIDDEN_TOKENS, HIDDEN_SHARE = 10, 0.8
SCHEME_WORDS, SCHEME_SHARE = 8, 0.5  # a file holding half a mark scheme's word 8-grams holds the scheme
DROPPED = (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER)


def _placeholder(token: tokenize.TokenInfo, literals: bool) -> str:
    if token.type in DROPPED or token.string == ";" or not token.string.strip():
        return ""
    if token.type == tokenize.NAME:
        return token.string if keyword.iskeyword(token.string) or literals else "N"
    if token.type in (tokenize.STRING, tokenize.NUMBER) and not literals:
        return "S" if token.type == tokenize.STRING else "#"
    if token.type in (tokenize.STRING, tokenize.NUMBER):
        try:
            with warnings.catch_warnings():  # "\w" in a string that is not raw
                warnings.simplefilter("ignore")
                return repr(ast.literal_eval(token.string))  # "a" and 'a', 1_0 and 10 alike
        except (ValueError, SyntaxError):  # an f-string
            return token.string
    return token.string


def code_tokens(text: str, literals: bool = False) -> list[str]:
    """`text` lexed as Python, layout, comments and `;` dropped, so joining lines changes nothing; unless
    `literals` (then strings and numbers are their values), every name but a keyword becomes N, every
    string S, every number #, so renaming changes nothing either. Lexing goes on after a line it cannot
    lex (an unclosed string, say)."""
    return list(_code_tokens(text, literals))


@functools.lru_cache(maxsize=2048)  # the package's files are lexed once per process, not once per edition checked
def _code_tokens(text: str, literals: bool) -> tuple[str, ...]:
    lines = [line.strip() for line in text.splitlines()]
    tokens: list[str] = []
    start = 0
    while start < len(lines):
        reached = 1  # the last line lexed, counted from `start`
        try:
            for token in tokenize.generate_tokens(io.StringIO("\n".join(lines[start:]) + "\n").readline):
                reached = token.end[0]
                tokens.append(_placeholder(token, literals))
            break
        except (tokenize.TokenError, SyntaxError):
            start += reached
    return tuple(token for token in tokens if token)


def joined(tokens: list[str]) -> str:
    """Tokens as one string, fit for finding a run of them with `in`."""
    return "\x1f" + "\x1f".join(tokens) + "\x1f"


def hidden_runs(tokens: list[str]) -> list[str]:
    """The runs of a hidden-test line's tokens that are sought (joined): HIDDEN_SHARE of it, and telling."""
    if len(tokens) < HIDDEN_TOKENS:
        return []
    n = max(HIDDEN_TOKENS, math.ceil(HIDDEN_SHARE * len(tokens)))
    return [joined(run) for run in (tokens[i:i + n] for i in range(len(tokens) - n + 1)) if _telling(run)]


def _telling(run: list[str]) -> bool:
    """Whether a run of a hidden test's tokens holds what makes the test its own: a string of 3 characters or
    more (its made-up input or answer); a run of names and brackets is the shape of any code."""
    return any(token[0] in "'\"" and len(token) >= 5 for token in run)


def word_grams(text: str, n: int = SCHEME_WORDS) -> set[tuple[str, ...]]:
    """Every run of `n` words in `text`, lower-cased (punctuation and layout dropped)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@dataclass
class AnswerKey:
    """What `solutions/` holds that no student may receive, in the forms the leak check compares."""

    lines: set[str] = field(default_factory=set)  # hidden-test and mark-scheme lines of 12 characters or more
    hidden: dict[str, str] = field(default_factory=dict)  # a run of a hidden test's tokens (hidden_runs): its line
    schemes: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)  # where: its mark scheme's 8-grams
    solution_lines: dict[str, frozenset[str]] = field(default_factory=dict)  # where: its solution's lines
    solution_tokens: dict[str, list[str]] = field(default_factory=dict)  # where: each region's tokens, joined


def read_answer_key(root: Path = REPO_ROOT) -> AnswerKey:
    import nbformat

    key = AnswerKey()
    for notebook in sorted((root / "solutions").glob("*/*.ipynb")):
        for index, cell in enumerate(nbformat.read(notebook, 4).cells):
            where = f"{notebook.parent.name} cell {index}"
            key.lines |= {line for kind in ("hidden", "mark scheme") for line in marked_lines(cell.source, kind)
                          if len(line) >= 12}
            for line in marked_lines(cell.source, "hidden"):
                key.hidden.update(dict.fromkeys(hidden_runs(code_tokens(line, literals=True)), line))
            if scheme := word_grams("\n".join(marked_lines(cell.source, "mark scheme"))):
                key.schemes[where] = scheme
            if solution := frozenset(marked_lines(cell.source, "solution")):
                key.solution_lines[where] = solution
            regions = [code_tokens(region) for region in marked_regions(cell.source, "solution")]
            key.solution_tokens[where] = [joined(tokens) for tokens in regions if len(tokens) >= SOLUTION_TOKENS]
    return key


def _texts(path: Path) -> list[str] | None:
    """What of a file is compared: each cell's source of a notebook, else the whole file (None if not text)."""
    import nbformat

    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in text:  # UTF-16 without a byte-order mark decodes as UTF-8
        return None
    return [cell.source for cell in nbformat.reads(text, 4).cells] if path.suffix == ".ipynb" else [text]


def _leaks_in(texts: list[str], key: AnswerKey, relative: Path) -> list[str]:
    """The answer-key text that `texts` (the file `relative`'s) hold; a solution counts only outside the
    package."""
    lines = {line.strip() for text in texts for line in text.splitlines()}
    code = joined([token for text in texts for token in code_tokens(text)])
    literal_code = joined([token for text in texts for token in code_tokens(text, literals=True)])
    grams = set().union(*(word_grams(text) for text in texts))
    found = sorted(lines & key.lines)
    found += sorted({f"a hidden test ({line})" for run, line in key.hidden.items() if run in literal_code})
    found += [f"the mark scheme of {where}" for where, scheme in key.schemes.items()
              if len(scheme & grams) >= SCHEME_SHARE * len(scheme)]
    if relative.parts[0] == "course":
        return found
    for where, solution in key.solution_lines.items():
        shared = solution & lines
        enough = len(shared) >= max(2, HANDED_OVER * len(solution))
        if enough or (solution == shared and len(solution) == 1 and len(next(iter(solution))) >= 25):
            found.append(f"holds the solution of {where}")
    for where, regions in key.solution_tokens.items():
        if any(tokens in code for tokens in regions):
            found.append(f"holds the solution of {where}, renamed or reflowed")
    return found


def answer_key_leaks(edition: Path, root: Path = REPO_ROOT) -> list[str]:
    """Where `edition` holds answer-key text (see the module's docstring), as 'file: what'; empty when none.

    Besides, a symbolic link (but the seeds link), a file that is not UTF-8 text, the catalogues of
    wrong answers, `solutions/` and `tools/` are leaks in themselves.
    """
    key = read_answer_key(root)
    leaks = []
    for path in sorted(edition.rglob("*")):
        relative = path.relative_to(edition)
        if path.is_symlink():
            if relative != SEEDS_LINK or os.readlink(path) != SEEDS_TARGET:
                leaks.append(f"{relative}: a symbolic link")
            continue
        if not path.is_file():
            continue
        if path.name == "mistakes.yaml" or relative.parts[0] in ("solutions", "tools"):
            leaks.append(f"{relative}: not part of the edition")
            continue
        texts = _texts(path)
        if texts is None:
            leaks.append(f"{relative}: not UTF-8 text")
            continue
        leaks += [f"{relative}: {what}" for what in _leaks_in(texts, key, relative)]
    return leaks
