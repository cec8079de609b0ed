"""Does every pinned release install on a given Python? (Requires-Python of each pin.)

Reads every `name==version` pin in requirements/constraints.txt, requirements/model.txt,
pyproject.toml (dependencies and extras) and environment.yml, looks up each release's
Requires-Python (per file, from PyPI's JSON API, or from a recorded metadata file), and
prints the pins whose release admits no file for that Python, or was yanked.

    python tools/check_python_support.py 3.11.2                      # asks PyPI (network)
    python tools/check_python_support.py 3.11.2 --record FILE.json   # ... and records the answers
    python tools/check_python_support.py 3.11.2 --metadata FILE.json # offline, from a recording

Exit status: 0 when every pin admits the version, 1 when some do not (one line each),
2 when a pin's metadata could not be found. `make check-python-support` runs it against
PyPI for the oldest Python the README promises (the unit test runs it offline).

The recording is {"name": {"version": {"requires_python": [...], "yanked": null or "reason"}}}:
the distinct Requires-Python of the release's files ("" for a file that declares none) and the
reason it was yanked; names are normalised (PEP 503). A yanked pin fails the check too (pip
installs a yanked release only with a warning, and it is yanked for a reason: soupsieve 3.0
and 3.0.1 were, because Python before 3.11.5 breaks them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

REPO_ROOT = Path(__file__).resolve().parent.parent
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"\s*(?:-\s+)?([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*==\s*([^\s;#\\,]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins_in(lines: Iterable[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def environment_pip_lines(text: str) -> list[str]:
    """The requirement lines under `- pip:` in an environment.yml."""
    lines, in_pip = [], False
    for line in text.splitlines():
        if re.match(r"\s*-\s*pip:\s*$", line):
            in_pip = True
        elif in_pip and re.match(r"\s*-\s", line):
            lines.append(re.sub(r"^\s*-\s*", "", line))
        elif in_pip and line.strip() and not line.strip().startswith("#"):
            in_pip = False
    return lines


def project_pins(root: Path = REPO_ROOT) -> dict[str, tuple[str, list[str]]]:
    """{normalised name: (version, [files that pin it])} over every pin file of the project."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    sources = {
        "requirements/constraints.txt": (root / "requirements/constraints.txt").read_text().splitlines(),
        "requirements/model.txt": (root / "requirements/model.txt").read_text().splitlines(),
        "pyproject.toml": project["dependencies"]
        + [dep for extra in project.get("optional-dependencies", {}).values() for dep in extra],
        "environment.yml": environment_pip_lines((root / "environment.yml").read_text()),
    }
    pins: dict[str, tuple[str, list[str]]] = {}
    for source, lines in sources.items():
        for name, version in _pins_in(lines).items():
            if name in pins and pins[name][0] != version:
                raise SystemExit(f"error: {name} is pinned to {pins[name][0]} and to {version} ({source})")
            pins.setdefault(name, (version, []))[1].append(source)
    return pins


def fetch_release(name: str, version: str, timeout: float = 30) -> dict | None:
    """{"requires_python": [one per file], "yanked": reason or None} for one release, from PyPI's
    JSON API (None: no such release). A release counts as yanked when every file of it is."""
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=timeout) as response:
            data = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    releases = data.get("releases", {})
    files = releases.get(version)
    if files is None:  # the same version spelled differently (1.0 and 1.0.0)
        files = next((files for key, files in releases.items() if _same_version(key, version)), None)
    if files is None:
        return None
    live = [file for file in files if not file.get("yanked")]
    yanked = None if live or not files else (files[0].get("yanked_reason") or "no reason given")
    values = sorted({file.get("requires_python") or "" for file in (live or files)})
    if not values and data["info"]["version"] == version:
        values = [data["info"].get("requires_python") or ""]
    return {"requires_python": values, "yanked": yanked}


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:  # legacy version strings on PyPI
        return a == b


def admits(requires_python: str, python: str) -> bool:
    if not requires_python.strip():
        return True
    try:
        return SpecifierSet(requires_python).contains(python, prereleases=True)
    except InvalidSpecifier:  # pip ignores a malformed Requires-Python too
        return True


def check(pins: dict[str, tuple[str, list[str]]], metadata: dict[str, dict[str, dict]],
          python: str) -> tuple[list[str], list[str]]:
    """(one line per pin that excludes `python` or is yanked, one line per pin with no metadata)."""
    excluded, unknown = [], []
    for name, (version, sources) in sorted(pins.items()):
        release = metadata.get(name, {}).get(version)
        where = ", ".join(sources)
        if release is None:
            unknown.append(f"{name}=={version}: no metadata for this release ({where})")
            continue
        values = release["requires_python"]
        if not values:
            unknown.append(f"{name}=={version}: the release has no files ({where})")
        elif not any(admits(value, python) for value in values):
            wanted = " or ".join(values)
            excluded.append(f"{name}=={version} needs Python {wanted}, not {python} ({where})")
        elif release.get("yanked"):
            reason = " ".join(release["yanked"].split())
            excluded.append(f"{name}=={version} is yanked: {reason} ({where})")
    return excluded, unknown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("python", help="the Python version to check, e.g. 3.11.2")
    parser.add_argument("--metadata", type=Path, help="read Requires-Python from this recording (offline)")
    parser.add_argument("--record", type=Path, help="write what PyPI answered to this file")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the project folder (default: this checkout)")
    args = parser.parse_args(argv)

    pins = project_pins(args.root)
    if args.metadata:
        metadata = {normalise(name): releases for name, releases in json.loads(args.metadata.read_text()).items()}
    else:
        metadata = {}
        for name, (version, _) in sorted(pins.items()):
            release = fetch_release(name, version)
            if release is not None:
                metadata[name] = {version: release}
        if args.record:
            lines = [f"{json.dumps(name)}: {json.dumps(metadata[name], sort_keys=True)}" for name in sorted(metadata)]
            args.record.write_text("{\n" + ",\n".join(lines) + "\n}\n")  # one pin a line, for readable diffs

    excluded, unknown = check(pins, metadata, args.python)
    for line in excluded + unknown:
        print(line)
    status = 1 if excluded else 2 if unknown else 0
    if status == 0:
        print(f"all {len(pins)} pins admit Python {args.python}")
    else:
        print(f"{len(excluded)} of {len(pins)} pins exclude Python {args.python}; {len(unknown)} unknown",
              file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
