"""Recompute the answer digests in the solution notebooks after a rule change.

Each graded test cell in `solutions/*/*.ipynb` may hold calls such as

    checks.expect_digest("attr_quoted_spans", find_quoted_spans(text), "<hex digest>", "hint")

whose digest is `course.checks.answer_digest(question_id, value)` of the value the solution
computes on the seed article. When the course's rules change what the article yields, those
digests go stale. This tool executes every solution notebook top to bottom in the course kernel,
with `checks.expect_digest` replaced by a recorder (so each expression is evaluated exactly where
the test cell evaluates it, after the cells that define it), and rewrites every digest whose value
changed in the notebook file (only the hex string; nothing else in the file is touched).

It prints what changed, one line per digest, for a person to review; `make digests` runs it and
then regenerates the student release. `--check` only reports (exit status 1 if anything changed).

Usage: python tools/digests.py [--check] [solutions/NN_name ...]
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
KERNEL = "wagner-course"
MARKER = "__COURSE_DIGESTS__"

RECORDER = """\
import course.checks as _digest_checks
_digest_log = {}
def _record_digest(question_id, value, digest, hint=""):
    _digest_log[question_id] = _digest_checks.answer_digest(question_id, value)
_digest_checks.expect_digest = _record_digest
"""
DUMP = f"import json as _digest_json\nprint({MARKER!r} + _digest_json.dumps(_digest_log))\n"


@dataclass(frozen=True)
class DigestCall:
    """One `checks.expect_digest(...)` in a notebook: its question id, expression and stored digest."""

    notebook: Path
    question_id: str
    expression: str
    digest: str


def digest_calls(notebook: Path) -> list[DigestCall]:
    """Every expect_digest call in the notebook's code cells, in order."""
    calls = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or "expect_digest" not in cell.source:
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "expect_digest" and len(node.args) >= 3):
                continue
            qid, expr, digest = node.args[:3]
            if not (isinstance(qid, ast.Constant) and isinstance(digest, ast.Constant)):
                raise SystemExit(f"{notebook}: an expect_digest call without literal id and digest")
            calls.append(DigestCall(notebook, str(qid.value), ast.get_source_segment(cell.source, expr) or "",
                                    str(digest.value)))
    return calls


def computed_digests(notebook: Path, timeout: int = 900) -> dict[str, str]:
    """Run the solution notebook in the course kernel and return {question id: digest of its value}."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORDER))
    nb.cells.append(nbformat.v4.new_code_cell(DUMP))
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if MARKER in text:
            return json.loads(text.split(MARKER, 1)[1])
    raise SystemExit(f"{notebook}: the notebook ran but reported no digests")


def update(notebook: Path, write: bool) -> list[tuple[DigestCall, str]]:
    """(call, new digest) for every digest of `notebook` that changed; rewritten in place if `write`."""
    calls = digest_calls(notebook)
    if not calls:
        return []
    computed = computed_digests(notebook)
    changed = []
    for call in calls:
        if call.question_id not in computed:
            raise SystemExit(f"{notebook}: {call.question_id} was never checked when the notebook ran")
        if computed[call.question_id] != call.digest:
            changed.append((call, computed[call.question_id]))
    if write and changed:
        raw = notebook.read_text(encoding="utf-8")
        for call, new in changed:
            if raw.count(call.digest) != 1:
                raise SystemExit(f"{notebook}: digest of {call.question_id} is not unique in the file")
            raw = raw.replace(call.digest, new)
        notebook.write_text(raw, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="solution folders (default: every one)")
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if a digest changed")
    args = parser.parse_args(argv)
    folders = args.folders or sorted(p for p in (REPO / "solutions").iterdir() if p.is_dir())
    notebooks = [nb for folder in folders for nb in sorted(Path(folder).glob("*.ipynb"))]
    total = 0
    for notebook in notebooks:
        changed = update(notebook, write=not args.check)
        name = notebook.relative_to(REPO) if notebook.is_relative_to(REPO) else notebook
        print(f"{name}: {len(digest_calls(notebook))} digests, {len(changed)} changed")
        for call, new in changed:
            print(f"  {call.question_id}: {call.expression}\n    - {call.digest}\n    + {new}")
        total += len(changed)
    verb = "would change" if args.check else "changed"
    review = " Review the lines above and `git diff solutions/`; `make digests` also regenerates exercises/."
    print(f"{total} digest(s) {verb}." + ("" if args.check or not total else review))
    return 1 if args.check and total else 0


if __name__ == "__main__":
    sys.exit(main())
