"""Bad input never loses work: every case gets one line naming the real cause (exit 2 from the CLI,
`CourseError` from the API), the input file is unchanged, no partial output and no temporary
file is left, and the next run is correct."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin

import course
from course.cli import main
from course.core import doccache, nlp, textio
from course.core.article import parse_article
from course.errors import CourseError, InputError

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
STORY = (ARTICLES / "harbour_flood.txt").read_bytes()


def run_cli(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def one_line_error(err: str, fragment: str) -> None:
    assert err.count("\n") == 1 and err.startswith("error: ") and fragment in err, err
    assert "Traceback" not in err


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every entry of `folder`: a file's bytes, a link's target, or its kind."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            found[entry.name] = "-> " + os.readlink(entry)
        elif entry.is_file():
            found[entry.name] = entry.read_bytes()
        else:
            found[entry.name] = "folder" if entry.is_dir() else "special"
    return found


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "story.txt"
    path.write_bytes(STORY)
    return path


def _full_disk(out, payload):
    out.write(payload[: len(payload) // 2])  # half of it reaches the disk, then the disk is full
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# --- the output is the input ---------------------------------------------------------------------

@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_report_over_its_own_input_is_refused(tmp_path, story, capfd, how):
    output = {"same": story, "symlink": tmp_path / "link.html", "hardlink": tmp_path / "hard.html"}[how]
    if how == "symlink":
        output.symlink_to(story.name)
    elif how == "hardlink":
        os.link(story, output)
    before = listing(tmp_path)
    assert main(["report", str(story), "-o", str(output)]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    one_line_error(err, "is the input file")
    assert listing(tmp_path) == before and story.read_bytes() == STORY


def test_report_over_its_own_input_through_python_m_course(tmp_path, story):
    result = run_cli("report", story.name, "-o", story.name, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    one_line_error(result.stderr, "is the input file")
    assert story.read_bytes() == STORY and [p.name for p in tmp_path.iterdir()] == ["story.txt"]


def test_saving_a_report_over_the_file_it_was_read_from_is_refused(tmp_path, story):
    report = course.report(story)
    with pytest.raises(InputError, match="is the input file"):
        report.save(story)
    assert story.read_bytes() == STORY
    report.save(tmp_path / "audit.html")
    assert "Helen Park" in (tmp_path / "audit.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("target, fragment", [
    ("/dev/null", "is a device"),
    ("folder", "is a folder"),
    ("missing/out.html", "does not exist"),
])
def test_report_to_something_that_is_not_a_file_is_refused(tmp_path, story, capfd, target, fragment):
    (tmp_path / "folder").mkdir()
    before = listing(tmp_path)
    assert main(["report", str(story), "-o", target if target.startswith("/") else str(tmp_path / target)]) == 2
    one_line_error(capfd.readouterr().err, fragment)
    assert listing(tmp_path) == before
    assert Path("/dev/null").is_char_device()


def test_report_named_for_another_format_is_refused(tmp_path, story, capfd):
    before = listing(tmp_path)
    assert main(["report", str(story), "-o", str(tmp_path / "audit.md")]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    one_line_error(err, "ending in .html")
    assert listing(tmp_path) == before


# --- a failed write --------------------------------------------------------------------------------

def test_full_disk_keeps_the_good_report_and_leaves_no_temporary_file(tmp_path, story, capfd, monkeypatch):
    output = tmp_path / "audit.html"
    assert main(["report", str(story), "-o", str(output)]) == 0
    good = output.read_bytes()
    output.chmod(0o640)
    story.write_bytes(STORY.replace(b"Helen Park", b"Helen Parker"))
    capfd.readouterr()

    monkeypatch.setattr(textio, "_write_all", _full_disk)
    assert main(["report", str(story), "-o", str(output)]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    one_line_error(err, "No space left on device")
    assert output.read_bytes() == good, "the good report must survive a failed write"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.html", "story.txt"]

    monkeypatch.undo()
    assert main(["report", str(story), "-o", str(output)]) == 0  # the next run is correct
    assert "Helen Parker" in output.read_text(encoding="utf-8")
    assert output.stat().st_mode & 0o777 == 0o640, "a replaced file keeps its permissions"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.html", "story.txt"]


def test_atomic_write_removes_its_temporary_file_on_any_failure(tmp_path, monkeypatch):
    target = tmp_path / "data.json"
    target.write_text('{"good": true}')
    monkeypatch.setattr(textio, "_write_all", _full_disk)
    with pytest.raises(OSError) as info:
        textio.atomic_write(target, '{"new": "and longer than the old one"}')
    assert info.value.errno == errno.ENOSPC
    assert listing(tmp_path) == {"data.json": b'{"good": true}'}

    def interrupted(out, payload):
        raise KeyboardInterrupt

    monkeypatch.setattr(textio, "_write_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        textio.atomic_write(tmp_path / "new.json", "{}")
    assert listing(tmp_path) == {"data.json": b'{"good": true}'}
    monkeypatch.undo()
    textio.atomic_write(tmp_path / "new.json", "{}")
    assert listing(tmp_path) == {"data.json": b'{"good": true}', "new.json": b"{}"}


def test_a_failed_cache_write_leaves_nothing_behind(cache_dir, monkeypatch):
    text = "Ana Lee said it rained in Leeds."
    with monkeypatch.context() as patch:
        patch.setattr(textio, "_write_all", _full_disk)
        assert parse_article(text).doc.text == text  # the parse itself is not lost
        assert list(cache_dir.iterdir()) == []
    parse_article(text)
    assert [p.suffix for p in cache_dir.iterdir()] == [".spacy"]


def test_temporary_files_left_by_a_killed_process_are_swept(cache_dir):
    cache_dir.mkdir()
    stale, fresh = cache_dir / ".x.spacy.abc.tmp", cache_dir / ".y.spacy.def.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"in use")
    os.utime(stale, (0, 0))
    parse_article("Bo agreed.")
    assert not stale.exists() and fresh.exists()


# --- a cached parse that cannot be trusted ----------------------------------------------------------

def _plant(cache_dir: Path, text: str, doc) -> Path:
    """Put `doc` in the cache under the key of `text`, as another program or version might have."""
    cache_dir.mkdir(exist_ok=True)
    path = doccache.cache_path(doccache.cache_key(text, nlp.find_model()))
    path.write_bytes(DocBin(docs=[doc], store_user_data=True).to_bytes())
    return path


def _blank_parse(text):
    import spacy

    return spacy.blank("en")(text)


def _other_version_parse(text):
    doc = nlp.parse(text)
    doc.user_data[nlp.PARSE_INFO_KEY] = doccache.parse_info(nlp.ModelInfo(nlp.find_model().package, "0.0.1"),
                                                            doc.user_data[nlp.PARSE_INFO_KEY]["pipeline"])
    return doc


@pytest.mark.parametrize("make", [_blank_parse, _other_version_parse])
def test_untrustworthy_cached_parse_is_rebuilt_and_replaced(tmp_path, cache_dir, capfd, monkeypatch, make):
    story = tmp_path / "story.txt"
    story.write_bytes(STORY)
    from course.core.textio import read_text_file

    planted = _plant(cache_dir, read_text_file(story), make(read_text_file(story)))
    bad = planted.read_bytes()
    for command, expected in [("entities", "Helen Park"), ("quotes", "Helen Park"), ("sources", "Helen Park")]:
        assert main([command, str(story)]) == 0, capfd.readouterr().err
        out, err = capfd.readouterr()
        assert expected in out and err == ""
    assert planted.read_bytes() != bad, "the untrustworthy file is replaced by a good parse"
    assert [p.name for p in cache_dir.iterdir()] == [planted.name]

    monkeypatch.setattr(nlp, "parse", lambda *a, **k: pytest.fail("parsed again although the cache is good"))
    assert main(["framing", str(story)]) == 0  # the next run trusts the replacement
    assert story.read_bytes() == STORY


def test_cached_parse_missing_an_annotation_is_not_trusted(cache_dir):
    text = "Ana Lee said it rained in Leeds."
    doc = parse_article(text).doc
    for attribute in ("DEP", "ENT_IOB", "POS", "SENT_START"):
        path = _plant(cache_dir, text, doc)
        keep = [a for a in ("ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "POS", "SENT_START")
                if a != attribute and not (attribute == "DEP" and a == "HEAD")]
        path.write_bytes(DocBin(attrs=keep, docs=[doc], store_user_data=True).to_bytes())
        assert doccache.load_doc(path.stem, text, nlp.english_vocab()) is None, attribute
        assert not path.exists()


# --- files that are not regular files --------------------------------------------------------------

READ_EACH = """
import sys
from course.core.textio import read_text_file
from course.errors import InputError
for path in sys.argv[1:]:
    try:
        read_text_file(path)
    except InputError as err:
        print(err)
"""


def test_a_fifo_and_dev_zero_are_refused_at_once(tmp_path):
    """In a child with a timeout: before the fix a FIFO hung forever and /dev/zero ate all memory."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-c", READ_EACH, str(fifo), "/dev/zero"], capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.splitlines() == [
        f"{fifo}: is a named pipe (FIFO), not a regular file; save what it carries to a file first",
        "/dev/zero: is a device, not a regular file; save what it carries to a file first",
    ]
    assert result.stderr == ""


def test_a_fifo_through_the_cli_and_the_api(tmp_path, capfd):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert main(["report", str(fifo), "-o", str(tmp_path / "out.html")]) == 2
    one_line_error(capfd.readouterr().err, "is a named pipe (FIFO)")
    with pytest.raises(InputError, match="named pipe"):
        course.report(fifo)
    assert main(["quotes", "/dev/zero"]) == 2
    one_line_error(capfd.readouterr().err, "/dev/zero: is a device")
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.txt"]


def test_a_folder_is_refused(tmp_path, capfd):
    assert main(["quotes", str(tmp_path)]) == 2
    one_line_error(capfd.readouterr().err, "is a folder")


def test_a_file_over_the_size_cap_is_refused_without_reading_it(tmp_path, capfd):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(textio.MAX_FILE_BYTES + 1)  # sparse: nothing is written, fstat says how big
    assert main(["paragraphs", str(huge)]) == 2
    one_line_error(capfd.readouterr().err, "is too large")


def test_text_over_the_length_cap_is_refused(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(textio, "MAX_TEXT_CHARS", 500)
    long = tmp_path / "long.txt"
    long.write_bytes(STORY)
    assert main(["entities", str(long)]) == 2
    one_line_error(capfd.readouterr().err, "is too long to analyse")
    with pytest.raises(InputError, match="too long"):
        parse_article(STORY.decode())
    assert long.read_bytes() == STORY


def test_a_growing_file_is_read_only_to_the_cap(tmp_path, monkeypatch):
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 10)
    monkeypatch.setattr(textio, "READ_CHUNK_BYTES", 4)
    with pytest.raises(InputError, match="too large"):
        textio.read_file_bytes(path, limit=8)


# --- names of files that cannot be opened -------------------------------------------------------------

def test_a_symlink_loop_is_named_as_such(tmp_path, capfd):
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    assert main(["paragraphs", str(tmp_path / "a.txt")]) == 2
    err = capfd.readouterr().err
    one_line_error(err, "too many levels of symbolic links")
    assert "no such file" not in err


def test_a_broken_symlink_names_its_target(tmp_path, capfd):
    (tmp_path / "a.txt").symlink_to("gone.txt")
    assert main(["paragraphs", str(tmp_path / "a.txt")]) == 2
    one_line_error(capfd.readouterr().err, "broken symbolic link (its target gone.txt does not exist)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_says_permission_denied(story, capfd):
    story.chmod(0)
    assert main(["paragraphs", str(story)]) == 2
    one_line_error(capfd.readouterr().err, "permission denied")


def test_a_file_name_with_control_characters_stays_on_one_line(tmp_path, capfd):
    assert main(["paragraphs", str(tmp_path / "two\nlines\u202e.txt")]) == 2
    one_line_error(capfd.readouterr().err, "two\\nlines\\u202e.txt: no such file")


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.mkdir(), "is a folder, not an alias file"),
    (lambda p: None, "no such alias file"),
    (lambda p: os.mkfifo(p), "named pipe"),
    (lambda p: p.write_bytes(b"\xff\xfe[[merge]]"), "not a valid alias file"),
])
def test_a_bad_aliases_path_is_one_line(tmp_path, capfd, story, make, fragment):
    aliases = tmp_path / "aliases.toml"
    make(aliases)
    assert main(["entities", str(story), "--aliases", str(aliases)]) == 2
    one_line_error(capfd.readouterr().err, fragment)


# --- encodings and invisible characters ------------------------------------------------------------

TEXT = "The minister said on Monday that the bridge would reopen.\nCrews had worked on it for a year.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, capfd, encoding):
    path = tmp_path / "story.txt"
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-be", "utf-32-be"):
        data = "\ufeff".encode(encoding) + data
    path.write_bytes(data)
    assert textio.read_text_file(path) == TEXT
    assert main(["paragraphs", str(path)]) == 0
    assert capfd.readouterr().out.splitlines()[1].endswith("Crews had worked on it for a year.")


def test_utf16_without_a_bom_is_named(tmp_path, capfd):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    assert main(["paragraphs", str(path)]) == 2
    one_line_error(capfd.readouterr().err, "UTF-16 text without a byte-order mark")


BIDI = "Yevgeny \u202eProgizhin\u202c, a Wagner commander, said the men\u200b would stay.\n" \
       "Progizhin\u00ad added that the convoy had left. Yevgeny Progizhin later denied it.\n"


def test_bidi_and_format_characters_are_removed_and_noted(tmp_path, capfd):
    path = tmp_path / "bidi.txt"
    path.write_text(BIDI, encoding="utf-8")
    assert main(["entities", str(path), "--json"]) == 0
    out, err = capfd.readouterr()
    names = [c["name"] for c in __import__("json").loads(out)]
    assert "Yevgeny Progizhin" in names
    assert not any(ch in out for ch in "\u202e\u202c\u200b\u00ad")
    assert err == "note: " + str(path) + ": removed 4 invisible control or formatting characters " \
                                         "(such as bidi overrides or zero-width spaces)\n"
    assert path.read_text(encoding="utf-8") == BIDI


def test_text_given_to_the_api_loses_its_invisible_characters_too():
    article = parse_article(BIDI)
    assert article.doc.text == article.text == textio.strip_invisible(BIDI)[0]
    assert all(article.text[p.start:p.end] == p.text for p in article.paragraphs)
    assert not any(ch in ent.text for ent in article.doc.ents for ch in "\u202e\u202c\u200b\u00ad")
    assert textio.strip_invisible("a\x0cb\u2028c\td") == ("a\nb\nc\td", 2)


# --- the Python API ------------------------------------------------------------------------------

def test_course_report_refuses_a_path_given_as_a_string(story):
    with pytest.raises(CourseError) as info:
        course.report(str(story))
    message = str(info.value)
    assert "\n" not in message and f"course.report(Path({str(story)!r}))" in message


def test_course_report_refuses_a_path_shaped_string_of_a_missing_file():
    with pytest.raises(CourseError, match=r"no such file.*course\.report\(Path\("):
        course.report("/path/to/article.txt")


def test_course_report_reads_a_path(story):
    report = course.report(story)
    assert report.name == str(story) and "Helen Park" in set(report.sources["source"])
    assert story.read_bytes() == STORY
    with pytest.raises(InputError, match="not int"):
        course.report(3)  # type: ignore[arg-type]


# --- round 50: a hostile user's catalogue -----------------------------------------------------------

def test_saving_over_the_file_read_is_refused_from_another_folder_and_under_its_name(
        tmp_path, story, monkeypatch):
    report = course.report(story, name="Harbour story")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    with pytest.raises(InputError, match="is the input file"):
        report.save("../story.txt")  # the name given is only a label: the file read is what is protected
    assert story.read_bytes() == STORY
    from course.explore.report import source_audit

    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="is the input file"):  # a name that is a file's path is protected too
        source_audit(STORY.decode("utf-8"), "story.txt").save("story.txt")
    assert story.read_bytes() == STORY


@pytest.mark.parametrize("target", [None, "x\0.html", ""])
def test_saving_to_no_path_or_a_nul_path_is_one_line(tmp_path, story, target):
    report = course.report(story)
    with pytest.raises(InputError) as err:
        report.save(target)
    assert "\n" not in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["story.txt"]


@pytest.mark.parametrize("target, fragment", [("", "no path was given"), ("newdir/", "no such folder")])
def test_report_to_no_path_or_a_missing_folder_is_refused_before_the_analysis(
        tmp_path, story, capfd, monkeypatch, target, fragment):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(nlp, "parse", lambda *a, **k: pytest.fail("analysed before the output was checked"))
    before = listing(tmp_path)
    assert main(["report", str(story), "-o", target]) == 2
    one_line_error(capfd.readouterr().err, fragment)
    assert listing(tmp_path) == before


def test_a_file_name_with_a_nul_byte_and_a_lone_surrogate_are_course_errors():
    with pytest.raises(course.CourseError, match="NUL byte"):
        course.report(Path("a\0.txt"))
    with pytest.raises(course.CourseError, match="lone surrogate"):
        course.report("Bridge\n\nThe mayor said the \udcff bridge would reopen in May.")


def test_a_long_run_of_one_punctuation_mark_is_refused_at_once(tmp_path):
    """In a child with a timeout: before the fix 40,000 '=' kept the tokenizer busy for minutes."""
    path = tmp_path / "rule.txt"
    path.write_text("Bridge\n\nThe mayor said the bridge would reopen.\n" + "=" * 40_000 + "\n", encoding="utf-8")
    result = run_cli("quotes", str(path), timeout=60)
    assert result.returncode == 2
    one_line_error(result.stderr, "run of 40,000 '=' characters")
    path.write_text("Bridge\n\n" + "—" * 1200 + "\nThe mayor said the bridge would reopen.\n", encoding="utf-8")
    assert run_cli("quotes", str(path), timeout=120).returncode == 0  # a redaction is writing


def test_a_fifo_or_a_link_to_dev_zero_at_the_cache_path_is_a_miss(tmp_path, cache_dir):
    """In a child with a timeout: before the fix a FIFO hung every run and /dev/zero ended in MemoryError."""
    text = "Ana Lee said the bridge would reopen in May."
    cache_dir.mkdir()
    path = doccache.cache_path(doccache.cache_key(text, nlp.find_model()))
    for make in (os.mkfifo, lambda p: os.symlink("/dev/zero", p)):
        make(path)
        code = f"from course.core.article import parse_article; print(parse_article({text!r}).doc[0].text)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                                env={**os.environ, "COURSE_CACHE_DIR": str(cache_dir)})
        assert (result.returncode, result.stdout, result.stderr) == (0, "Ana\n", "")
        assert path.is_file() and not path.is_symlink()  # replaced by a good parse
        path.unlink()


def test_the_cache_sweep_removes_only_its_own_temporary_files(cache_dir):
    cache_dir.mkdir()
    mine, theirs = cache_dir / ".x.spacy.abc.tmp", cache_dir / ".essay.tmp"
    for path in (mine, theirs):
        path.write_bytes(b"old")
        os.utime(path, (0, 0))
    parse_article("Bo agreed to sell.")
    assert not mine.exists() and theirs.read_bytes() == b"old"


@pytest.mark.parametrize("env, target, fragment", [
    ({}, "/dev/full", "cannot write the output (No space left on device)"),
    ({"PYTHONIOENCODING": "ascii"}, None, "set PYTHONIOENCODING=utf-8"),
])
def test_output_that_cannot_be_written_is_one_line(story, env, target, fragment):
    with open(target or os.devnull, "w") as out:
        result = subprocess.run([sys.executable, "-m", "course", "quotes", str(story)], stdout=out if target else
                                subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120,
                                env={**os.environ, **env})
    assert result.returncode == 2
    one_line_error(result.stderr, fragment)


def test_a_closed_standard_output_is_no_traceback(story, tmp_path):
    result = subprocess.run(f'"{sys.executable}" -m course report "{story}" -o "{tmp_path / "out.html"}" >&-',
                            shell=True, capture_output=False, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "out.html").is_file()


def test_a_path_with_a_line_break_stays_on_one_line_in_every_message(tmp_path, capfd, story):
    aliases = tmp_path / "a\nerror: forged.toml"
    aliases.write_text("[[merge]]\nnames = 3\n", encoding="utf-8")
    assert main(["entities", str(story), "--aliases", str(aliases)]) == 2
    one_line_error(capfd.readouterr().err, "needs names")
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone\nerror: forged")
    assert main(["quotes", str(link)]) == 2
    one_line_error(capfd.readouterr().err, "broken symbolic link")


def test_alias_names_lose_invisible_characters_and_a_byte_order_mark_is_read(tmp_path, story):
    aliases = tmp_path / "aliases.toml"
    aliases.write_bytes('\ufeff[[merge]]\nnames = ["Helen\u200b Park", "Mr Tanaka"]\n'.encode("utf-8"))
    from course.analysis.entities import load_aliases

    loaded = load_aliases(aliases)
    assert loaded.merge == (("Helen Park", "Mr Tanaka"),)


def test_an_alias_file_over_its_cap_is_told_so_in_its_own_words(tmp_path, capfd, story):
    aliases = tmp_path / "aliases.toml"
    aliases.write_bytes(b"#" * 1_000_001)
    assert main(["entities", str(story), "--aliases", str(aliases)]) == 2
    err = capfd.readouterr().err
    one_line_error(err, "too large for an alias file")
    assert "split it" not in err


def test_markdown_blocks_that_are_not_paragraphs_keep_their_words(tmp_path, capfd):
    path = tmp_path / "story.md"
    path.write_text("Bridge\n\nThe council met.\n\n    \"We will rebuild,\" the mayor said.\n\n```\necho \"hello\" "
                    "said the shell\n```\n\n<p>Tom Ruiz said the plan &amp; budget were fine.</p>\n\n"
                    "<!-- Ana Lee said the story is unverified. -->\n", encoding="utf-8")
    assert main(["quotes", str(path)]) == 0
    out = capfd.readouterr().out
    assert "We will rebuild" in out and "the plan & budget were fine" in out, out
    assert "hello" not in out and "unverified" not in out, out  # a fence is code; a comment is never shown


def test_an_article_pasted_into_a_fence_is_the_article(tmp_path, capfd):
    path = tmp_path / "story.md"
    path.write_text("# Harbour news\n\n```text\nThe mayor, Ana Ruiz, said the harbour would reopen on Monday.\n\n"
                    "\"We are ready,\" Ruiz said.\n```\n", encoding="utf-8")
    assert main(["quotes", str(path)]) == 0
    out = capfd.readouterr().out
    assert "We are ready" in out and "the harbour would reopen" in out, out
    path.write_text("# Setup\n\nRun it so.\n\n```\necho \"hello\" said the shell\n```\n", encoding="utf-8")
    assert main(["quotes", str(path)]) == 0
    assert "hello" not in capfd.readouterr().out  # beside a paragraph, a fence is code
    path.write_text("# Tool\n\n```\nphotocheck --scan image.jpg\nSELECT name FROM users\n```\n", encoding="utf-8")
    assert main(["entities", str(path)]) == 0
    assert "scan" not in capfd.readouterr().out.lower()  # commands are no article (review)


def test_a_misspelt_alias_table_is_named(tmp_path, capfd, story):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[[mrege]]\nnames = ["Helen Park", "Mr Tanaka"]\n', encoding="utf-8")
    assert main(["entities", str(story), "--aliases", str(aliases)]) == 2
    one_line_error(capfd.readouterr().err, "unknown table [[mrege]]")
    aliases.write_text('title = "Harbour names"\n[[merge]]\nnames = ["Helen Park", "Ms Park"]\n', encoding="utf-8")
    assert main(["entities", str(story), "--aliases", str(aliases)]) == 0  # a key of its own is a note


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any folder")
def test_an_unwritable_output_folder_is_refused_before_the_analysis(tmp_path, story, capfd, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    monkeypatch.setattr(nlp, "parse", lambda *a, **k: pytest.fail("analysed before the output was checked"))
    assert main(["report", str(story), "-o", str(folder / "out.html")]) == 2
    one_line_error(capfd.readouterr().err, "is not writable")
