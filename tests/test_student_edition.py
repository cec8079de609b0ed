"""The student edition (`python -m course student-edition DIR`): all a student needs, no answer key."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course.errors import CourseError
from course.teach import edition
from course.teach.release import ANSWER_KEY_MARKERS, marked_lines

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> Path:
    return edition.write_student_edition(tmp_path_factory.mktemp("edition") / "student")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_it_holds_lessons_exercises_package_and_seeds_and_nothing_of_the_instructors(student):
    top = sorted(p.name for p in student.iterdir())
    assert top == sorted([".gitignore", "Makefile", "README.md", "course", "environment.yml", "exercises",
                          "notebooks", "pyproject.toml", "requirements", "seeds", "tests"])
    assert _files(student / "tests") == ["test_setup.py"]
    for folder in ("notebooks", "exercises", "seeds"):
        repo = [name for name in _files(REPO_ROOT / folder) if ".ipynb_checkpoints" not in name
                and not (REPO_ROOT / folder / name).is_relative_to(REPO_ROOT / "seeds" / "eval")]
        assert _files(student / folder) == repo
    assert (student / "seeds" / "people.json").is_file() and not (student / "seeds" / "eval").exists()
    assert not list(student.rglob("mistakes.yaml")) and not list(student.rglob("__pycache__"))


def test_no_solution_hidden_test_or_mark_scheme_text_is_in_it(student):
    texts = {}
    for path in student.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                texts[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    everything = "\n".join(texts.values())
    assert "BEGIN SOLUTION" not in everything.replace("### BEGIN SOLUTION\", \"### END SOLUTION\"", "")
    notebooks = "\n".join(cell.source for path in texts if path.suffix == ".ipynb"
                          for cell in nbformat.read(path, 4).cells)
    for source in sorted((REPO_ROOT / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(source, 4).cells:
            for kind in ("hidden", "mark scheme"):
                leaked = [line for line in marked_lines(cell.source, kind) if len(line) >= 12 and line in everything]
                assert leaked == [], f"{source.name}: {kind} text in the edition"
            solution = marked_lines(cell.source, "solution")
            shown = [line for line in solution if line in notebooks.splitlines() or f"\n{line}\n" in notebooks]
            assert len(shown) < max(2, 0.6 * len(solution)), f"{source.name}: a solution is in a notebook"


def test_its_makefile_installs_exactly_as_the_course_does(student):
    recipe = edition.install_recipe(REPO_ROOT / "Makefile")
    makefile = (student / "Makefile").read_text()
    assert recipe.strip() and recipe in makefile
    readme = (student / "README.md").read_text()
    assert "make lab" in readme.split("\n\n")[1] and "make test" in readme.split("\n\n")[1]
    dry = subprocess.run(["make", "-n", "test"], cwd=student, capture_output=True, text=True)
    assert dry.returncode == 0 and "pytest" in dry.stdout


def test_its_own_test_passes_with_the_edition_package(student):
    env = dict(os.environ, PYTHONPATH=str(student))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests",
                          "-o", "addopts=", "--rootdir", str(student)],
                         cwd=student, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    probe = subprocess.run([sys.executable, "-c", "import course; print(course.__file__)"],
                           cwd=student, env=env, capture_output=True, text=True)
    assert probe.stdout.strip().startswith(str(student))


MARK_SCHEME = ("=== BEGIN MARK SCHEME ===\n- Full marks: names the source of every quote and says why one is missing.\n"
               "- Half marks: names most of the sources but gives no reason for the missing ones.\n"
               "=== END MARK SCHEME ===")


def _fake_course(root: Path, lesson_code: str) -> Path:
    """A course folder (no git checkout) with one assignment: `f` (returns 42), `g` (counts words twice),
    their hidden tests and a mark scheme."""
    shutil.copytree(REPO_ROOT, root, symlinks=True, ignore=shutil.ignore_patterns(  # the seeds link stays a link
        ".venv", ".git", "solutions", "exercises", "test-artifacts", "*.egg-info", "__pycache__", "dist", ".*_cache"))
    (root / "solutions" / "00_x").mkdir(parents=True)
    (root / "exercises" / "00_x").mkdir(parents=True)
    source = new_notebook(cells=[new_code_cell(
        "def f():\n    ### BEGIN SOLUTION\n    value = 6 * 7\n    return value\n    ### END SOLUTION\n",
        metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "f", "locked": False,
                               "schema_version": 3}}),
        new_code_cell("def g(text):\n    ### BEGIN SOLUTION\n    words = [word.strip('.,') for word in text.split()"
                      " if word]\n    return len(words) * 2\n    ### END SOLUTION\n"),
        new_code_cell("### BEGIN HIDDEN TESTS\nassert f() == 42, 'the hidden answer'\n"
                      "checks.expect_equal(g('Mira met Lind, twice.'), 8, 'four words, twice')\n"
                      "### END HIDDEN TESTS\n"),
        new_markdown_cell(MARK_SCHEME)])
    nbformat.write(source, root / "solutions" / "00_x" / "00_x.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("def f():\n    raise NotImplementedError()")]),
                   root / "exercises" / "00_x" / "00_x.ipynb")
    for lesson in (root / "notebooks").glob("*.ipynb"):
        lesson.unlink()
    nbformat.write(new_notebook(cells=[new_code_cell(lesson_code)]), root / "notebooks" / "00_lesson.ipynb")
    return root


@pytest.mark.parametrize("lesson_code", [
    "value = 6 * 7\nreturn value",  # the solution, in a lesson
    "assert f() == 42, 'the hidden answer'",  # a hidden test, in a lesson
])
def test_an_edition_that_would_leak_is_refused_and_nothing_is_written(tmp_path, lesson_code):
    root = _fake_course(tmp_path / "course", lesson_code)
    target = tmp_path / "out"
    with pytest.raises(CourseError, match="answer-key text"):
        edition.write_student_edition(target, root)
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["course"]


@pytest.mark.parametrize("lesson_code", [
    "wl = [x.strip('.,') for x in t.split() if x]; return len(wl) * 2",  # a solution renamed, on one line
    "n = [\n  w.strip(\".,\")\n  for w in s.split() if w\n]\nreturn len(n) * 2  # mine",  # reflowed, requoted
    "checks.expect_equal(g(\"Mira met Lind, twice.\"), 8, 'counts')",  # a hidden test, another message
    "Full marks names the source of every quote and says why one is missing; half marks names most of the "
    "sources but gives no reason for the missing ones",  # a mark scheme in one paragraph
])
def test_a_reworded_answer_key_is_refused_too(tmp_path, lesson_code):
    root = _fake_course(tmp_path / "course", lesson_code)
    with pytest.raises(CourseError, match="answer-key text"):
        edition.write_student_edition(tmp_path / "out", root)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("link", ["notebooks/key.ipynb", "seeds/more", "course/_seeds"])
def test_a_symbolic_link_is_refused_but_the_seeds_link(tmp_path, link):
    root = _fake_course(tmp_path / "course", "print('hello')")
    target = {"notebooks/key.ipynb": root / "solutions" / "00_x" / "00_x.ipynb", "seeds/more": root / "solutions",
              "course/_seeds": root / "seeds"}[link]
    if (root / link).is_symlink():
        (root / link).unlink()
    shutil.rmtree(root / link, ignore_errors=True)
    (root / link).symlink_to(target)  # absolute: even the seeds link must be ../seeds
    with pytest.raises(CourseError, match=link):
        edition.write_student_edition(tmp_path / "out", root)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "latin-1"])
def test_a_file_that_is_not_utf8_text_is_refused(tmp_path, encoding):
    root = _fake_course(tmp_path / "course", "print('hello')")
    (root / "seeds" / "notes.txt").write_bytes("café\nvalue = 6 * 7\nreturn value\n".encode(encoding))
    with pytest.raises(CourseError, match="notes.txt: not UTF-8 text"):
        edition.write_student_edition(tmp_path / "out", root)


def test_notebooks_go_out_without_outputs_or_metadata_but_exercises_keep_nbgraders(tmp_path):
    root = _fake_course(tmp_path / "course", "print(answer)")
    lesson = nbformat.read(root / "notebooks" / "00_lesson.ipynb", 4)
    lesson.cells[0].outputs = [new_output("stream", name="stdout", text="value = 6 * 7\nreturn value\n")]
    lesson.cells[0].execution_count = 3
    lesson.cells[0].metadata.update(note="value = 6 * 7; return value", tags=["kept"])
    lesson.metadata.update(kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
                           secret="the key")
    nbformat.write(lesson, root / "notebooks" / "00_lesson.ipynb")
    exercise = nbformat.read(root / "exercises" / "00_x" / "00_x.ipynb", 4)
    exercise.cells[0].metadata["nbgrader"] = {"grade_id": "f", "solution": True}
    nbformat.write(exercise, root / "exercises" / "00_x" / "00_x.ipynb")
    out = edition.write_student_edition(tmp_path / "out", root)
    cell = nbformat.read(out / "notebooks" / "00_lesson.ipynb", 4).cells[0]
    assert cell.outputs == [] and cell.execution_count is None and dict(cell.metadata) == {"tags": ["kept"]}
    assert set(nbformat.read(out / "notebooks" / "00_lesson.ipynb", 4).metadata) == {"kernelspec"}
    assert nbformat.read(out / "exercises" / "00_x" / "00_x.ipynb", 4).cells[0].metadata["nbgrader"]["grade_id"] == "f"


def test_in_a_git_checkout_only_tracked_files_go_out(tmp_path, monkeypatch):
    root = _fake_course(tmp_path / "course", "print('hello')")
    (root / ".git").mkdir()
    (root / "notebooks" / "scratch.ipynb").write_text((root / "notebooks" / "00_lesson.ipynb").read_text())
    tracked = subprocess.run(["find", *edition.COPIED, "-not", "-type", "d", "-not", "-name", "scratch.ipynb"],
                             cwd=root, capture_output=True, text=True).stdout.split()
    listed = subprocess.CompletedProcess([], 0, "\0".join(tracked).encode(), b"")
    monkeypatch.setattr(edition.subprocess, "run", lambda command, **kwargs: listed)  # stands for git ls-files
    out = edition.write_student_edition(tmp_path / "out", root)
    assert (out / "notebooks" / "00_lesson.ipynb").is_file() and not (out / "notebooks" / "scratch.ipynb").exists()


def test_a_lesson_that_shares_one_short_line_with_a_solution_is_fine(tmp_path):
    root = _fake_course(tmp_path / "course", "return value")
    assert (edition.write_student_edition(tmp_path / "out", root) / "notebooks" / "00_lesson.ipynb").is_file()


@pytest.mark.parametrize("where", ["existing", "inside"])
def test_it_never_writes_over_a_folder_or_into_the_course(tmp_path, where):
    target = tmp_path / "full" if where == "existing" else REPO_ROOT / "notebooks" / "edition"
    if where == "existing":
        target.mkdir()
        (target / "keep.txt").write_text("mine")
    with pytest.raises(CourseError):
        edition.write_student_edition(target)
    if where == "existing":
        assert (target / "keep.txt").read_text() == "mine"
    else:
        assert not target.exists()


def test_the_command_writes_it_and_says_where(tmp_path):
    target = tmp_path / "edition"
    run = subprocess.run([sys.executable, "-m", "course", "student-edition", str(target)],
                         capture_output=True, text=True, cwd=REPO_ROOT)
    assert run.returncode == 0 and str(target) in run.stdout
    again = subprocess.run([sys.executable, "-m", "course", "student-edition", str(target)],
                           capture_output=True, text=True, cwd=REPO_ROOT)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr
    assert json.loads((target / "exercises" / "00_warmup" / "00_warmup.ipynb").read_text())["cells"]
    assert set(ANSWER_KEY_MARKERS) == {"solution", "hidden", "mark scheme"}
