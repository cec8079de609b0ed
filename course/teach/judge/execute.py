"""nbgrader's Execute, with test cells judged outside the student's kernel.

Configured in the course's `nbgrader_config.py` (Autograde.autograde_preprocessors),
so `course grade`, plain `nbgrader autograde` and formgrader's Autograde button
all grade this way. For each cell of a notebook, by its role in the gradebook
(never by the notebook's own metadata, which the student controls):

- a read-only setup cell runs in the kernel as usual, and its gradebook source
  runs in the judge too, so the judge has its own `checks`, `text`, helpers;
- a test cell does not run in the kernel: its gradebook source runs in the
  judge, fetching the student's names through `remote.KernelLink`. Its outputs
  are the judge's: what it printed and, on failure, one line that says why
  (no traceback, so no hidden test line can show);
- every other cell runs in the kernel as usual.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import os
import shutil
import sys
import warnings
from pathlib import Path

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute

from course.core.feedback import not_defined_line, one_line
from course.teach.judge.remote import KernelLink, Missing, StudentCodeError
from course.teach.sandbox import SandboxedKernelManager

TEST, SETUP = "test", "setup"


def gradebook_roles(db_url: str, notebook: str, assignment: str) -> dict[str, tuple[str, str]]:
    """grade_id -> (TEST or SETUP, source) for the locked code cells of one notebook, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        nb = gradebook.find_notebook(notebook, assignment)
        graded = {cell.name for cell in nb.grade_cells}
        solutions = {cell.name for cell in nb.solution_cells}
        return {
            cell.name: (TEST if cell.name in graded else SETUP, cell.source)
            for cell in nb.source_cells
            if cell.cell_type == "code" and cell.locked and cell.name not in solutions
        }


def free_names(tree: ast.AST) -> set[str]:
    """Names a piece of code reads but never binds itself (over-approximated: any binding counts)."""
    loaded: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return loaded - bound - set(dir(builtins))


def error_output(ename: str, evalue: str) -> NotebookNode:
    line = f"{ename}: {evalue}" if evalue else ename
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[line])


def stream_output(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


@contextlib.contextmanager
def _no_relative_imports():
    """While judge code runs in the student's folder, `import x` must never find a file there
    ('' on sys.path means the current folder, as in a grader started from a notebook)."""
    saved = list(sys.path)
    sys.path[:] = [entry for entry in saved if entry not in ("", ".")]
    try:
        yield
    finally:
        sys.path[:] = saved


class JudgedExecute(Execute):
    """Execute, except that gradebook test cells run in the judge (see the module docstring),
    and kernels start in the sandbox (`course.teach.sandbox.SandboxedKernelManager`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        info = (resources or {}).get("nbgrader", {})
        if info:
            self._drop_followed_links(info, (resources or {}).get("metadata", {}).get("path"))
        self._roles = gradebook_roles(info["db_url"], info["notebook"], info["assignment"]) if info else {}
        self._judge_namespace: dict = {"__name__": "__judge__"}
        self._setup_names: dict[int, tuple[str, object]] = {}
        self._link: KernelLink | None = None
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if self._link is not None:
                self._link.client.stop_channels()

    def _drop_followed_links(self, info: dict, autograded: str | None) -> None:
        """nbgrader copies a submission with `shutil.copy`, which follows links: a submitted link to
        the gradebook or a root-only file arrives here as a real file. Remove every such copy before
        a kernel starts, so the plain `nbgrader autograde` route takes no more than `course grade`
        (whose pre-flight never copies links at all)."""
        from nbgrader.coursedir import CourseDirectory

        if not autograded:
            return
        coursedir = CourseDirectory(config=self.config)
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))
        if not submitted.is_dir():
            return
        for folder, dirs, files in os.walk(submitted):  # never follows a link
            for name in dirs + files:
                path = Path(folder) / name
                if path.is_symlink():
                    copy = Path(autograded) / path.relative_to(submitted)
                    if copy.is_dir() and not copy.is_symlink():
                        shutil.rmtree(copy, ignore_errors=True)
                    else:
                        copy.unlink(missing_ok=True)

    def preprocess_cell(self, cell, resources, index):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        role, source = self._roles.get(grade_id, (None, ""))
        if cell.cell_type == "code" and role == TEST:
            cell.outputs = self._judge(source, grade_id)
            cell.execution_count = None
            return cell, resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.cell_type == "code" and role == SETUP:
            self._run_in_judge(source, self._judge_namespace)
            self._setup_names.update({id(value): (name, value) for name, value in self._judge_namespace.items()
                                      if not name.startswith("_") and not isinstance(value, (str, int, float, bool))})
        return cell, resources

    def _kernel_link(self) -> KernelLink:
        if self._link is None:
            client = self.km.blocking_client()
            client.start_channels()
            client.wait_for_ready(timeout=self.startup_timeout)
            timeout = float(self.timeout or 60)
            self._link = KernelLink(client, timeout, lambda: self._interrupt(client), self._setup_names)
        return self._link

    @staticmethod
    def _interrupt(client) -> None:
        """Ask the kernel to stop the student's code (as a message: a signal would stop the sandbox)."""
        client.control_channel.send(client.session.msg("interrupt_request", content={}))

    def _run_in_judge(self, source: str, namespace: dict) -> BaseException | None:
        """Run trusted gradebook code in the judge, quietly; return what it raised, if anything."""
        with self._judge_context(io.StringIO()):
            try:
                exec(compile(source, "<setup cell>", "exec"), namespace)  # noqa: S102 - gradebook source only
            except Exception as err:  # noqa: BLE001 - reported by the test cell that needs it
                return err
        return None

    @contextlib.contextmanager
    def _judge_context(self, printed: io.StringIO):
        """Judge code runs where the notebook runs (its data files are there), printing into
        `printed`, with warnings kept off stderr."""
        folder = self.resources.get("metadata", {}).get("path") or "."
        with contextlib.chdir(folder), _no_relative_imports(), contextlib.redirect_stdout(printed), \
                contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield

    def _judge(self, source: str, grade_id: str) -> list[NotebookNode]:
        """Run one test cell in the judge; its outputs are what it printed and, on failure, one line."""
        namespace = dict(self._judge_namespace)
        printed = io.StringIO()
        failure: NotebookNode | None = None
        try:
            tree = ast.parse(source)
            link = self._kernel_link()
            for name in sorted(free_names(tree) - set(namespace)):
                with contextlib.suppress(Missing):
                    namespace[name] = link.fetch(name)
            with self._judge_context(printed):
                exec(compile(tree, f"<test cell {grade_id}>", "exec"), namespace)  # noqa: S102 - gradebook source
        except StudentCodeError as err:
            failure = error_output("AssertionError", one_line(str(err)))
        except NameError as err:
            name = getattr(err, "name", None) or str(err)
            failure = error_output("NameError", not_defined_line(name))
        except Exception as err:  # noqa: BLE001 - any failed check is the student's, in one line
            failure = error_output(type(err).__name__, one_line(str(err)))
        if failure is not None:
            return [failure]
        return [stream_output(printed.getvalue())] if printed.getvalue() else []
