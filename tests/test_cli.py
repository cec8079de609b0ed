"""python -m course: good input gives output, bad input one line on stderr and exit 2."""

import json
import subprocess
import sys

import pytest


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd)


def test_paragraphs_json_for_the_seed_article():
    result = run_cli("paragraphs", "--json")
    assert result.returncode == 0, result.stderr
    paragraphs = json.loads(result.stdout)
    assert [p["number"] for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert set(paragraphs[0]) == {"number", "start", "end", "text"}


def test_paragraphs_table_for_a_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Ana Lee said it rained.\n\nBo agreed.\n", encoding="utf-8")
    result = run_cli("paragraphs", str(path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1].split()[0] == "2" and lines[1].endswith("Bo agreed.")


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("empty.txt", b"", "is empty"),
        ("binary.bin", bytes(range(256)), "binary"),
        ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8"),
        ("missing.txt", None, "no such file"),
    ],
)
@pytest.mark.parametrize("command", ["paragraphs", "entities", "quotes", "sources", "framing", "report"])
def test_bad_files_get_one_line_and_status_2(tmp_path, command, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_cli(command, str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error():
    result = run_cli("no-such-command")
    assert result.returncode == 2 and "Traceback" not in result.stderr
