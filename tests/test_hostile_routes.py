"""The attack catalogue (tools/hostile_class.py), graded on every route.

One class holds every attack; it is graded once isolated (with canaries outside the sandbox, grader
secrets in the environment and a TCP listener) and once unisolated (the attacks that need no
isolation to be defeated). Plain `nbgrader autograde` and `generate_feedback`, run as an instructor
would from the course folder, grade a cheat and a submission with links. A small class with tight
limits checks the time budget against a cell that swallows interrupts, and the memory limit.

For every attack: full automatic marks only for honest correct answers, 0 for every cheat (flagged
for a person or not), nothing outside the sandbox read or written, every student a row, and the CSV
equal to the gradebook.
"""

from __future__ import annotations

import csv
import html
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from course.teach import sandbox
from course.teach.grading import FAILED, FLAGGED, grade_class, write_grades_csv
from course.teach.release import nbgrader_env
from hostile_class import (
    FAILS_HIDDEN,
    FORK_MEMORY,
    MEMORY_BOMB,
    READS_LINKS,
    REPO_ROOT,
    SWALLOWS_INTERRUPTS,
    TAMPERING,
    _after_setup,
    _answered,
    _load,
    _replace_answer,
    _stubbed,
    _with_extra_cell,
    add_links,
    graded_hostile_class,
    new_graded_course,
    place_canaries,
    probe_write_folders,
    remove_canaries,
    sandbox_probe,
    student_course_package,
    write_submission,
)

ASSIGNMENT = "00_warmup"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
PAGE = f"{ASSIGNMENT}.html"
FULL = 4.0
NEEDS_BWRAP = pytest.mark.skipif(
    not sandbox.bwrap_available() and os.environ.get("CI") != "true",
    reason="bubblewrap (Debian package 'bubblewrap') is not installed; isolation cannot be tested here",
)

# Cheats: stub answers (functions returning None) plus a trick that would make the tests pass.
CHEATS = [*TAMPERING, "tamper_sys_modules", "input_transformer"]
ISOLATED_CHEATS = [*CHEATS, "course_package"]
# Attacks next to honest answers, which keep their marks.
HONEST_SCORES = {"bad_files": FULL, "metadata_tampering": FULL, "captures_caller": 3.0, "fails_hidden_tests": 2.0}
ISOLATED_HONEST_SCORES = {**HONEST_SCORES, "symlink_leaks": FULL, "sandbox_probe": FULL, "memory_bomb": FULL}
MODES = ["isolated", "unisolated"]


@pytest.fixture(scope="module")
def isolated(tmp_path_factory):
    if not sandbox.bwrap_available():
        pytest.fail("bubblewrap is required under CI: `make test` installs it with apt when it can")
    return graded_hostile_class(tmp_path_factory.mktemp("hostile"), ASSIGNMENT, isolation=True)


@pytest.fixture(scope="module")
def unisolated(tmp_path_factory):
    return graded_hostile_class(tmp_path_factory.mktemp("unisolated"), ASSIGNMENT, isolation=False)


def _graded(request, mode: str):
    if mode == "isolated" and not sandbox.bwrap_available() and os.environ.get("CI") != "true":
        pytest.skip("bubblewrap is not installed")
    return request.getfixturevalue(mode)


# --- helpers --------------------------------------------------------------------------------------------


def regular_files(folder: Path):
    """Every regular file under `folder`, never following a link."""
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath, name)
            if stat.S_ISREG(path.lstat().st_mode):
                yield path


def secrets_in(secrets: dict[str, str], places: dict[str, bytes]) -> list[str]:
    """Which secret turns up in which place ({name: content})."""
    return [f"{what} in {where}" for where, data in places.items()
            for what, value in secrets.items() if value.encode() in data]


def file_contents(*folders: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for folder in folders if folder.exists() for path in regular_files(folder)}


def page_text(page: str) -> str:
    """What a reader of an HTML page sees: no style sheet or script, tags dropped (so highlighted code
    reads as written), entities decoded, whitespace collapsed."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def hidden_lines() -> list[str]:
    """Every line of the assignment's hidden tests, as written in the source notebook."""
    nb = nbformat.read(REPO_ROOT / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in nb.cells)
    blocks = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", source, re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert len(lines) >= 8
    return lines


def hidden_text_in(page: str) -> list[str]:
    """The hidden tests' markers and lines that a page shows."""
    text = page_text(page)
    found = [marker for marker in ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS") if marker in text]
    return found + [line for line in hidden_lines() if " ".join(line.split()) in text]


def kernel_outputs(notebook: Path) -> str:
    """Everything the notebook's cells printed or displayed, errors included."""
    nb = nbformat.read(notebook, as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(value) for value in output.get("data", {}).values()]
            if output.get("output_type") == "error":
                parts.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "\n".join(parts)


def probe_lines(outputs: str, kind: str) -> list[str]:
    return [line for line in outputs.splitlines() if line.startswith(kind + " ")]


# --- every route: cheats score 0, honest answers keep their marks -----------------------------------------

CASES = [("isolated", s) for s in ISOLATED_CHEATS] + [("unisolated", s) for s in CHEATS]


@pytest.mark.parametrize("mode, student", CASES)
def test_cheats_get_no_automatic_marks(request, mode, student):
    graded = _graded(request, mode)
    outcome = graded.outcomes[student]
    assert outcome.score == 0.0 and outcome.status != FAILED, outcome


UNISOLATED_HONEST_SCORES = {"correct": FULL, "partial": 2.0, "blank": 0.0, **HONEST_SCORES}
HONEST = [("isolated", s, score) for s, score in ISOLATED_HONEST_SCORES.items()] + \
         [("unisolated", s, score) for s, score in UNISOLATED_HONEST_SCORES.items()]


@pytest.mark.parametrize("mode, student, score", HONEST)
def test_honest_answers_next_to_an_attack_keep_their_marks(request, mode, student, score):
    outcome = _graded(request, mode).outcomes[student]
    assert outcome.status != FAILED and outcome.score == score, outcome
    assert outcome.manual_cells == ("provenance_reflection",)  # the reflection question waits for a person


@pytest.mark.parametrize("mode", MODES)
def test_every_student_has_a_row_and_the_csv_equals_the_gradebook(request, mode, tmp_path):
    from nbgrader.api import Gradebook, MissingEntry

    graded = _graded(request, mode)
    submitted = sorted(p.name for p in (graded.course_dir / "submitted").iterdir())
    assert sorted(graded.outcomes) == submitted and set(graded.attacks) <= set(submitted)
    path = tmp_path / "grades.csv"
    write_grades_csv(list(graded.outcomes.values()), ASSIGNMENT, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [row["student_id"] for row in rows] == submitted
    with Gradebook(f"sqlite:///{graded.course_dir / 'gradebook.db'}") as gradebook:
        max_score = gradebook.find_assignment(ASSIGNMENT).max_score
        for row in rows:
            outcome = graded.outcomes[row["student_id"]]
            assert (row["status"], row["reason"]) == (outcome.status, outcome.reason)
            assert row["score"] == ("" if outcome.score is None else f"{outcome.score:g}")
            assert float(row["max_score"]) == max_score == 6.0
            try:
                submission = gradebook.find_submission(ASSIGNMENT, row["student_id"])
            except MissingEntry:
                submission = None
            if row["status"] == FAILED:  # no mark: the reason says why
                assert row["reason"] and (row["score"] == "" or float(row["score"]) == submission.score), row
                continue
            assert float(row["score"]) == submission.score, row
            manual = sorted(g.name for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
            assert row["awaiting_cells"].split() == manual


# --- 1. a `course/` package in the submission -------------------------------------------------------------


@NEEDS_BWRAP
def test_a_submitted_course_package_is_never_imported_outside_the_sandbox(isolated):
    canaries = isolated.canaries
    assert isolated.outcomes["course_package"].score == 0.0
    assert canaries.markers() == []
    # The package does leave its markers when imported: a plain Python started in the submission's folder.
    folder = isolated.course_dir / "submitted" / "course_package" / ASSIGNMENT
    assert set(student_course_package(canaries)) <= {str(p.relative_to(folder)) for p in regular_files(folder)}
    try:
        subprocess.run([sys.executable, "-c", "import course.checks"], cwd=folder, check=True, env={"PATH": "/usr/bin"})
        assert {p.name.rsplit("-", 1)[0] for p in canaries.markers()} >= {f"PWNED-{canaries.token}-init",
                                                                          f"PWNED-{canaries.token}-checks"}
    finally:
        for marker in canaries.markers():
            marker.unlink()


# --- 2. links to a root-only file and to the solutions ------------------------------------------------------


@NEEDS_BWRAP
def test_links_are_left_out_recorded_and_never_followed(isolated):
    outcome = isolated.outcomes["symlink_leaks"]
    assert outcome.repairs == ("left out leak.json (a link)", "left out leak.txt (a link)",
                               "left out solutions (a link)")
    for step in ("autograded", "feedback"):
        folder = isolated.course_dir / step / "symlink_leaks" / ASSIGNMENT
        assert sorted(os.listdir(folder)) == [NOTEBOOK if step == "autograded" else PAGE]
    printed = kernel_outputs(isolated.course_dir / "autograded" / "symlink_leaks" / ASSIGNMENT / NOTEBOOK)
    assert len(probe_lines(printed, "LEAK")) == 3
    assert all(line.endswith("MISSING FileNotFoundError") for line in probe_lines(printed, "LEAK")), printed


# --- every secret stays where it is --------------------------------------------------------------------------


@NEEDS_BWRAP
def test_no_secret_leaves_its_place_and_nothing_is_written_next_to_it(isolated, tmp_path):
    canaries = isolated.canaries
    secrets = canaries.secrets
    # the search finds a secret where it is
    assert secrets_in(secrets, file_contents(canaries.tmp_secret.parent)) == [f"tmp canary in {canaries.tmp_secret}"]
    csv_path = tmp_path / "grades.csv"
    write_grades_csv(list(isolated.outcomes.values()), ASSIGNMENT, csv_path)
    places = {**file_contents(isolated.course_dir / "feedback", isolated.course_dir / "autograded"),
              "gradebook.db": (isolated.course_dir / "gradebook.db").read_bytes(),
              "grades CSV": csv_path.read_bytes(),
              "outcomes": repr(isolated.outcomes).encode(),
              "log": "\n".join(line for _, line in isolated.log).encode()}
    assert len(places) > 2 * len(isolated.outcomes)
    assert secrets_in(secrets, places) == []
    assert canaries.neighbours() == isolated.before
    assert canaries.markers() == []
    assert isolated.written == []


# --- 3. hidden tests never reach feedback --------------------------------------------------------------------


def test_the_hidden_test_detector_finds_hidden_tests():
    """The detector below sees the hidden tests in a page made from the instructor's notebook."""
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_filename(str(REPO_ROOT / "solutions" / ASSIGNMENT / NOTEBOOK))
    assert len(hidden_text_in(page)) == len(hidden_lines()) + 2


# Students whose own cells raise: their feedback keeps that error's traceback (their code, not a test).
OWN_ERRORS = {"infinite_loop", "memory_bomb"}


@pytest.mark.parametrize("mode", MODES)
def test_hidden_tests_never_reach_feedback(request, mode):
    graded = _graded(request, mode)
    pages = {student: (graded.course_dir / "feedback" / student / ASSIGNMENT / PAGE).read_text(encoding="utf-8")
             for student in graded.outcomes if graded.outcomes[student].status != FAILED}
    assert len(pages) >= 15
    leaks = {student: hidden_text_in(page) for student, page in pages.items()}
    assert {student: found for student, found in leaks.items() if found} == {}
    tracebacks = {student for student, page in pages.items() if "Traceback" in page_text(page)}
    assert tracebacks <= OWN_ERRORS, tracebacks  # never from a test cell


@pytest.mark.parametrize("mode", MODES)
def test_a_failing_hidden_test_shows_one_line_and_no_code(request, mode):
    graded = _graded(request, mode)
    text = page_text((graded.course_dir / "feedback" / "fails_hidden_tests" / ASSIGNMENT / PAGE).read_text())
    assert "AssertionError: Windows line endings and a line of spaces" in text  # the hidden check's own message
    assert "last_line(" in text and "raised ValueError: carriage returns are not handled" in text
    assert "Traceback" not in text and "most recent call last" not in text and "[0;31m" not in text


@pytest.mark.parametrize("mode", MODES)
def test_answers_reading_their_callers_find_no_test(request, mode):
    graded = _graded(request, mode)
    printed = kernel_outputs(graded.course_dir / "autograded" / "captures_caller" / ASSIGNMENT / NOTEBOOK)
    frames = re.search(r"CAPTURED-FRAMES (\d+)", printed)
    assert frames and int(frames.group(1)) > 10  # the answers did walk their callers while being checked
    for needle in ("expect_equal", "expect_digest", "Windows line endings", "_test"):
        assert re.search(rf"^{re.escape(needle)} 0 \[\]$", printed, re.M), (needle, printed[-3000:])
    text = page_text((graded.course_dir / "feedback" / "captures_caller" / ASSIGNMENT / PAGE).read_text())
    assert "raised RuntimeError: CAPTURED" in text


# --- 5. one bad file does not stop the class -----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_fifo_a_device_and_a_dangling_link_are_left_out(request, mode):
    graded = _graded(request, mode)
    assert graded.outcomes["bad_files"].repairs == ("left out dangling.csv (a link)",
                                                    "left out null.csv (not a regular file)",
                                                    "left out pipe.csv (not a regular file)")
    assert sorted(os.listdir(graded.course_dir / "autograded" / "bad_files" / ASSIGNMENT)) == [NOTEBOOK]
    assert [s for s, o in graded.outcomes.items() if o.status == FAILED] == (
        ["answer_swallows_interrupts", "bare_except_loop", "kernel_crash", "malformed_json", "os_exit"]
        if mode == "isolated" else [])


# --- 6. the sandbox -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def probe(isolated):
    return kernel_outputs(isolated.course_dir / "autograded" / "sandbox_probe" / ASSIGNMENT / NOTEBOOK)


@NEEDS_BWRAP
def test_the_kernel_runs_as_nobody(probe):
    assert probe_lines(probe, "UID") == ["UID 65534 65534 65534 65534"]


@NEEDS_BWRAP
def test_the_kernel_sees_no_grader_environment(isolated, probe):
    (env,) = probe_lines(probe, "ENV")
    assert "'HOME'" in env and "'PATH'" in env
    assert len(probe_lines(probe, "PROCENV")) == 3
    for name, value in isolated.canaries.env.items():
        assert name not in probe and value not in probe


@NEEDS_BWRAP
def test_the_kernel_can_read_nothing_of_the_grader(probe):
    reads = probe_lines(probe, "READ")
    assert len(reads) == 3 and all(" BLOCKED " in line for line in reads), reads


@NEEDS_BWRAP
def test_the_kernel_cannot_write_outside_its_folder(isolated, probe):
    writes = probe_lines(probe, "WRITE")
    folders = probe_write_folders(isolated.canaries, isolated.course_dir)
    assert len(writes) == len(folders) and all(" BLOCKED " in line for line in writes), writes
    assert isolated.written == []


@NEEDS_BWRAP
def test_the_kernel_has_no_network(isolated, probe):
    attempts = probe_lines(probe, "NET")
    assert len(attempts) == len(isolated.canaries.hosts) and all(" BLOCKED " in line for line in attempts), attempts
    assert isolated.received == []


@NEEDS_BWRAP
def test_a_memory_bomb_is_refused_and_the_class_carries_on(isolated):
    outcome = isolated.outcomes["memory_bomb"]
    assert outcome.score == FULL and outcome.status != FAILED
    nb = nbformat.read(isolated.course_dir / "autograded" / "memory_bomb" / ASSIGNMENT / NOTEBOOK, as_version=4)
    (bomb,) = [c for c in nb.cells if c.source == MEMORY_BOMB.strip() or c.source == MEMORY_BOMB]
    assert [o.get("ename") for o in bomb.outputs if o.output_type == "error"] == ["MemoryError"]


# --- 10. grading metadata changed ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_changed_grading_metadata_is_flagged_and_honest_answers_keep_their_marks(request, mode):
    from nbgrader.api import Gradebook

    graded = _graded(request, mode)
    outcome = graded.outcomes["metadata_tampering"]
    assert outcome.status == FLAGGED and outcome.score == FULL
    assert outcome.reason.startswith("check by hand: graded cells were changed: "), outcome.reason
    flagged = " ".join(r for r in outcome.repairs if r.startswith("graded cells were changed"))
    for cell in ("count_paragraphs_renamed", "last_line_test", "bonus_points"):
        assert cell in flagged and cell in outcome.reason, outcome
    with Gradebook(f"sqlite:///{graded.course_dir / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "metadata_tampering")
        names = {g.name for nb in submission.notebooks for g in nb.grades}
        assert "bonus_points" not in names and "count_paragraphs_renamed" not in names
        assert submission.max_score == 6.0


# --- without isolation ----------------------------------------------------------------------------------


def test_an_unisolated_run_says_so_in_one_line(unisolated):
    lines = [line for _, line in unisolated.log if "unisolated" in line]
    assert len(lines) == 1 and "\n" not in lines[0], unisolated.log


@NEEDS_BWRAP
def test_an_isolated_run_gives_no_such_warning(isolated):
    assert [line for _, line in isolated.log if "unisolated" in line.lower()] == []


# --- 7. plain nbgrader, as formgrader's buttons run it --------------------------------------------------------


def _nbgrader(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "nbgrader"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "nbgrader", *args]


@pytest.fixture(scope="module")
def plain_nbgrader(tmp_path_factory):
    """A course graded with plain `nbgrader autograde --student` and `generate_feedback --force`, from its folder."""
    if not sandbox.bwrap_available():
        pytest.fail("bubblewrap is required under CI: `make test` installs it with apt when it can")
    course_dir = new_graded_course(tmp_path_factory.mktemp("plain"), ASSIGNMENT)
    canaries = place_canaries(course_dir)
    release, answers = _load(ASSIGNMENT)
    cheat = _after_setup(_stubbed(release), TAMPERING["tamper_alias"] + TAMPERING["tamper_kernel_replies"])
    write_submission(course_dir, ASSIGNMENT, "plain_cheat",
                     _with_extra_cell(cheat, sandbox_probe(canaries, course_dir), after_first_answer=False))
    links = _answered(release, answers)
    for grade_id, code in FAILS_HIDDEN.items():
        links = _replace_answer(links, grade_id, code)
    links = _with_extra_cell(links, READS_LINKS, after_first_answer=False)
    folder = write_submission(course_dir, ASSIGNMENT, "plain_links", links)
    add_links(folder, canaries, course_dir, ASSIGNMENT)
    env = {**nbgrader_env(), **canaries.env}
    runs = {}
    for student in ("plain_cheat", "plain_links"):
        runs[student] = subprocess.run(_nbgrader("autograde", ASSIGNMENT, "--student", student, "--force"),
                                       cwd=course_dir, env=env, capture_output=True, text=True, timeout=300)
    runs["feedback"] = subprocess.run(_nbgrader("generate_feedback", ASSIGNMENT, "--force"),
                                      cwd=course_dir, env=env, capture_output=True, text=True, timeout=300)
    written = [p for p in map(canaries.written, probe_write_folders(canaries, course_dir)) if p.exists()]
    for path in written:  # should the sandbox ever fail, leave nothing behind
        path.unlink()
    yield course_dir, canaries, runs, written
    remove_canaries(canaries)


@NEEDS_BWRAP
def test_plain_nbgrader_autograde_gives_a_cheat_nothing_and_keeps_it_sandboxed(plain_nbgrader):
    from nbgrader.api import Gradebook

    course_dir, canaries, runs, written = plain_nbgrader
    assert all(run.returncode == 0 for run in runs.values()), {k: r.stderr[-2000:] for k, r in runs.items()}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "plain_cheat").score == 0.0
        assert gradebook.find_submission(ASSIGNMENT, "plain_links").score == 2.0
    printed = kernel_outputs(course_dir / "autograded" / "plain_cheat" / ASSIGNMENT / NOTEBOOK)
    assert probe_lines(printed, "UID") == ["UID 65534 65534 65534 65534"]
    reads = probe_lines(printed, "READ")
    assert len(reads) == 3 and all(" BLOCKED " in line for line in reads), reads
    assert written == [] and len(probe_lines(printed, "WRITE")) == len(probe_write_folders(canaries, course_dir))
    places = {**file_contents(course_dir / "autograded" / "plain_cheat", course_dir / "feedback" / "plain_cheat"),
              **{f"nbgrader {name}": (run.stdout + run.stderr).encode() for name, run in runs.items()}}
    assert secrets_in(canaries.secrets, places) == []


@NEEDS_BWRAP
def test_plain_nbgrader_feedback_has_no_hidden_test_and_no_traceback(plain_nbgrader):
    course_dir, _, runs, _ = plain_nbgrader
    assert runs["feedback"].returncode == 0, runs["feedback"].stderr[-2000:]
    for student in ("plain_cheat", "plain_links"):
        page = (course_dir / "feedback" / student / ASSIGNMENT / PAGE).read_text(encoding="utf-8")
        text = page_text(page)
        assert "hidden tests: they ran when grading" in text
        assert hidden_text_in(page) == []
        assert "Traceback" not in text and "most recent call last" not in text and "[0;31m" not in text
        assert text.count("AssertionError: ") >= 1


@NEEDS_BWRAP
def test_plain_nbgrader_autograde_never_follows_a_link(plain_nbgrader):
    """nbgrader copies a submission with shutil.copy, which follows links: without the judge's clean-up a
    link to a root-only file or to the solutions becomes a real file in autograded/ and feedback/, and the
    sandbox launcher hands it to the kernel."""
    course_dir, canaries, runs, _ = plain_nbgrader
    assert runs["plain_links"].returncode == 0, runs["plain_links"].stderr[-2000:]
    printed = kernel_outputs(course_dir / "autograded" / "plain_links" / ASSIGNMENT / NOTEBOOK)
    leaked = {**file_contents(course_dir / "autograded" / "plain_links", course_dir / "feedback" / "plain_links"),
              "kernel outputs": printed.encode()}
    assert secrets_in(canaries.secrets, leaked) == []
    assert "BEGIN HIDDEN TESTS" not in printed
    for step in ("autograded", "feedback"):
        assert not {"leak.txt", "leak.json"} & set(os.listdir(course_dir / step / "plain_links" / ASSIGNMENT))


# --- 8. a cell that swallows interrupts, and the memory limit -------------------------------------------------

BUDGET, MEMORY_MB = 15, 1536
CELL_TIMEOUT = 10  # s: the forking-memory cell needs several seconds beside another student's kernel on 2 cores


@pytest.fixture(scope="module")
def tight_limits(tmp_path_factory):
    """A small class graded with a short budget and a small memory limit."""
    if not sandbox.bwrap_available():
        pytest.fail("bubblewrap is required under CI: `make test` installs it with apt when it can")
    course_dir = new_graded_course(tmp_path_factory.mktemp("limits"), ASSIGNMENT)
    release, answers = _load(ASSIGNMENT)
    correct = _answered(release, answers)
    write_submission(course_dir, ASSIGNMENT, "correct", correct)
    write_submission(course_dir, ASSIGNMENT, "swallows_interrupts", _with_extra_cell(correct, SWALLOWS_INTERRUPTS))
    write_submission(course_dir, ASSIGNMENT, "fork_memory",
                     _with_extra_cell(correct, FORK_MEMORY, after_first_answer=False))
    start, log = time.monotonic(), []
    limits = (("memory_mb", MEMORY_MB),)
    outcomes = grade_class(course_dir, ASSIGNMENT, workers=2, timeout=CELL_TIMEOUT, budget=BUDGET, limits=limits,
                           log=lambda line: log.append((time.monotonic() - start, line)))
    return course_dir, {o.student: o for o in outcomes}, log


@NEEDS_BWRAP
def test_a_cell_that_swallows_interrupts_runs_out_of_time_within_the_budget(tight_limits):
    _, outcomes, log = tight_limits
    outcome = outcomes["swallows_interrupts"]
    assert outcome.status == FAILED
    assert outcome.reason == f"grading took longer than {BUDGET} s and was stopped"
    assert outcomes["correct"].score == FULL and set(outcomes) == {"correct", "fork_memory", "swallows_interrupts"}
    # Two workers take correct and fork_memory; swallows_interrupts starts when the first of them is done.
    done = {student: min(t for t, line in log if student in line) for student in outcomes}
    ran = done["swallows_interrupts"] - min(done["correct"], done["fork_memory"])
    assert BUDGET - 1 <= ran <= BUDGET + 5, (ran, log)


def _cgroups_available() -> bool:
    """Whether this grader can cap a whole sandbox (root, and a cgroup it may create; see course.teach.sandbox)."""
    folders = getattr(sandbox, "cgroup_folders", None)
    if os.getuid() != 0 or folders is None:
        return False
    try:
        probes = [folder for folder, _ in folders(f"course-test-probe-{os.getpid()}")]
        for folder in probes:
            folder.mkdir()
            folder.rmdir()
    except OSError:
        return False
    return bool(probes)


@NEEDS_BWRAP
@pytest.mark.skipif(not _cgroups_available(), reason="memory is limited per process only here: the grader is "
                    "not root or cannot create cgroups, so a forking cell can hold several times the limit")
def test_the_memory_limit_holds_for_the_whole_sandbox(tight_limits):
    """RLIMIT_AS is per process: children that each allocate a little less than the limit would together
    hold several times memory_mb (4 x 500 MiB under 1536 MiB here; a whole class could exhaust the machine)."""
    course_dir, _, _ = tight_limits
    printed = kernel_outputs(course_dir / "autograded" / "fork_memory" / ASSIGNMENT / NOTEBOOK)
    held = re.search(r"HELD-AT-ONCE-MIB (\d+)", printed)
    assert held, printed[-2000:]
    assert int(held.group(1)) < MEMORY_MB
