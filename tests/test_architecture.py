"""The package's layers, enforced: each layer imports only the layers below it.

    core  <-  analysis  <-  evaluation | explore | teach      (errors: everyone; checks: core.feedback only)

Read from the source with `ast`, so imports inside functions count too.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from course.core.paths import PACKAGE_DIR, seeds_dir

ALLOWED = {
    "core": {"core"},
    "analysis": {"core", "analysis"},
    "evaluation": {"core", "analysis", "evaluation"},
    "explore": {"core", "analysis", "explore"},
    "teach": {"core", "teach"},
    "checks": {"core"},  # only course.core.feedback: see test_checks_import_only_the_feedback_wording
}
EVERYONE = {"errors"}


def _layer(module: str) -> str:
    """'course.analysis.quotes' -> 'analysis'; 'course.errors' -> 'errors'."""
    return module.split(".")[1] if module.count(".") else ""


def _course_imports(path: Path) -> set[str]:
    package = ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("course.")}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}".rstrip(".")
            if module == "course":
                found |= {f"course.{alias.name}" for alias in node.names}
            elif module.startswith("course."):
                found.add(module)
    return found


def _modules(layer: str) -> list[Path]:
    folder = PACKAGE_DIR / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE_DIR / f"{layer}.py"]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = {
        f"{path.relative_to(PACKAGE_DIR)} imports {module}"
        for path in _modules(layer)
        for module in _course_imports(path)
        if _layer(module) not in ALLOWED[layer] | EVERYONE
    }
    assert not wrong, sorted(wrong)


def test_the_import_scan_sees_lazy_and_relative_imports(tmp_path):
    probe = PACKAGE_DIR / "analysis" / "_layer_probe.py"
    probe.write_text("def f():\n"
                     "    from course.teach.release import assignment_names\n"
                     "    from ..explore.plots import plot_entity_counts\n")
    try:
        assert _course_imports(probe) == {"course.teach.release", "course.explore.plots"}
    finally:
        probe.unlink()


def _seed_facts() -> set[str]:
    """Names and spellings of every person in the seed article (longer than 3 letters)."""
    people = json.loads((seeds_dir() / "people.json").read_text(encoding="utf-8"))["people"]
    words = {p["name"] for p in people} | {s for p in people for s in p.get("spellings", [])}
    return {w for w in words if len(w) > 3}


def test_the_package_knows_no_fact_about_the_seed_article():
    facts = _seed_facts()
    assert facts, "seeds/people.json lists nobody"
    hits = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        readable = path.suffix in {".py", ".txt", ".tsv", ".toml", ".j2", ".html"}
        if path.is_file() and readable and "_seeds" not in path.parts:
            text = path.read_text(encoding="utf-8")
            hits += [f"{path.relative_to(PACKAGE_DIR)}: {fact}" for fact in facts if fact in text]
    assert not hits, hits


def test_checks_import_only_the_feedback_wording():
    """Every test cell imports course.checks, in the kernel and in the judge: it stays light."""
    modules = _course_imports(PACKAGE_DIR / "checks.py")
    assert modules <= {"course.core.feedback", "course.core"}, modules
