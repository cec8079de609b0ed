"""python -m course: good input gives output, bad input one line on stderr and exit 2.

The bad-input matrix calls `course.cli.main` in this process (a fresh
interpreter per case would load spaCy two dozen times); one case of it, and
the smoke tests, run the real `python -m course` in a subprocess.
"""

import json
import subprocess
import sys

import pytest

from course.cli import main


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


@pytest.mark.parametrize("command, text, line", [
    ("quotes", "Quiet day\n\nThe ferry ran on time.\n", "no quotations or reported speech found"),
    ("sources", "Quiet day\n\nThe ferry ran on time.\n", "no sources found: nothing in the article is attributed"),
    ("framing", "Quiet day\n\nThe ferry ran on time.\n", "no framing devices found"),
    ("entities", "Quiet\n\nThe ferry ran.\n", "no people, organisations or places found"),
])
def test_an_article_with_nothing_to_show_gets_one_line(tmp_path, capfd, command, text, line):
    path = tmp_path / "quiet.txt"
    path.write_text(text, encoding="utf-8")
    assert main([command, str(path)]) == 0
    out, err = capfd.readouterr()
    assert out.splitlines() == [out.strip()] and out.startswith(line), out
    assert main([command, "--json", str(path)]) == 0
    assert json.loads(capfd.readouterr().out) == []


BAD_FILES = [
    ("empty.txt", b"", "is empty"),
    ("binary.bin", bytes(range(256)), "binary"),
    ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8"),
    ("missing.txt", None, "no such file"),
]


def _bad_file(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize("name, content, fragment", BAD_FILES)
@pytest.mark.parametrize("command", ["paragraphs", "entities", "quotes", "sources", "framing", "report"])
def test_bad_files_get_one_line_and_status_2(tmp_path, capfd, monkeypatch, command, name, content, fragment):
    monkeypatch.chdir(tmp_path)  # `report` writes its HTML to the working folder when it gets that far
    status = main([command, _bad_file(tmp_path, name, content)])
    out, err = capfd.readouterr()
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and fragment in err


def test_a_bad_file_through_python_m_course(tmp_path):
    result = run_cli("report", _bad_file(tmp_path, *BAD_FILES[2][:2]), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and BAD_FILES[2][2] in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error():
    result = run_cli("no-such-command")
    assert result.returncode == 2 and "Traceback" not in result.stderr
