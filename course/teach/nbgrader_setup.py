"""The course's nbgrader pipeline, in one place: `configure(c)` is called by nbgrader_config.py.

Because the protections live in the course's nbgrader configuration, they hold
for every route an instructor may take, not only `python -m course grade`:
plain `nbgrader autograde` and `generate_feedback`, and formgrader's buttons.

- Autograde: `JudgedExecute` (test cells judged outside the kernel, kernels in
  the sandbox), then `TruncateLargeOutputs`, then nbgrader's own steps.
- Feedback: the hidden tests are cut out (`HideHiddenTests`, leaving a line that
  says they ran), mark schemes too (nbgrader's `ClearMarkScheme`), and a test cell's outputs are reduced
  to what it printed when it passed, or one line when it failed
  (`OneLineTestOutputs`): never a traceback, never the hidden test's output.
"""

from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor

MAX_OUTPUT_CHARS = 100_000
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
HIDDEN_TESTS_NOTE = "### (hidden tests: they ran when grading; they are not shown)\n"


class TruncateLargeOutputs(NbGraderPreprocessor):
    """Cut any single output over MAX_OUTPUT_CHARS (nbgrader's LimitOutput only counts lines)."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and len(output.get("text", "")) > MAX_OUTPUT_CHARS:
                output["text"] = output["text"][:MAX_OUTPUT_CHARS] + "\n... [output truncated by the grader]\n"
            for value in list(output.get("data", {}).values()):
                if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
                    output["data"] = {"text/plain": "[output too large: removed by the grader]"}
                    break
        return cell, resources


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class OneLineTestOutputs(NbGraderPreprocessor):
    """A test cell shows what it printed if it passed, else only the first line of its error."""

    def preprocess_cell(self, cell, resources, index):
        if not is_test_cell(cell):
            return cell, resources
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            ename = str(errors[0].get("ename", "Error"))
            evalue = " ".join(str(errors[0].get("evalue", "")).split())[:500]
            errors[0]["traceback"] = [f"{ename}: {evalue}" if evalue else ename]
            errors[0]["evalue"] = evalue
            cell["outputs"] = [errors[0]]
        else:
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if o.get("output_type") == "stream" and o.get("name") == "stdout"]
        return cell, resources


class HideHiddenTests(NbGraderPreprocessor):
    """Cut every hidden-test block out of the page, leaving a line that says it was there."""

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell["source"] = HIDDEN_TESTS.sub(HIDDEN_TESTS_NOTE, cell.get("source", ""))
        return cell, resources


def configure(c) -> None:
    """Put the course's steps into an nbgrader config object `c` (see the module docstring)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearMarkScheme,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from course.teach.judge.execute import JudgedExecute

    c.Autograde.autograde_preprocessors = [
        JudgedExecute, TruncateLargeOutputs, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
        SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
    ]
    c.GenerateFeedback.preprocessors = [
        GetGrades, OneLineTestOutputs, HideHiddenTests, ClearMarkScheme, CSSHTMLHeaderPreprocessor,
    ]
    # nbgrader checks that mark schemes sit in the right kind of cell; feedback only needs them gone.
    c.ClearMarkScheme.enforce_metadata = False
