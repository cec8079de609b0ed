"""Read an article for analysis, refusing what cannot be one, and write results without losing work.

Every CLI command and `course.report` go through here, so bad input gets
the same clear one-line `InputError` naming the real cause: a missing file
(or a broken symbolic link, or a symbolic-link loop), something that is not
a regular file (a folder, a named pipe, a device), a file over the size cap,
an empty, binary or undecodable file, or text that is not English.

Reading: only regular files are read. The file is opened with O_NONBLOCK (so
opening a named pipe cannot hang), checked with fstat before a byte is read,
and read in chunks of `READ_CHUNK_BYTES`, stopping past `MAX_FILE_BYTES`, so
neither a FIFO nor /dev/zero nor a huge file can hang or exhaust memory.

Good input is normalised: UTF-8 (with or without a byte-order mark) and
UTF-16 or UTF-32 with a byte-order mark are decoded, Windows line endings
become "\\n", and a web page saved from a browser (HTML) or a Markdown file
is reduced to its article text, one paragraph per line, by maintained
libraries (trafilatura for HTML, markdown-it-py for Markdown) rather than
hand-written patterns.

Invisible characters: control and formatting characters (Unicode categories
Cc and Cf except tab and newline: bidi overrides such as U+202E, zero-width
spaces and joiners, soft hyphens, stray byte-order marks) are removed from
the text here, when it is loaded, rather than from each name later. They
can reorder what a reader sees ("Yevgeny \\u202eProgizhin\\u202c") or split a
name in two for the model, and removing them at load time means the text
that is parsed, every offset into it and every name shown all agree; only
offsets into the original file shift (by the number removed, which
`strip_invisible` reports and the CLI notes on stderr). Line-like controls
(vertical tab, form feed, U+0085, U+2028, U+2029) become "\\n" instead, so
paragraphs stay apart.

Writing: `atomic_write` writes to a temporary file in the target's folder
and renames it into place, removing the temporary file on any failure (a
full disk included), so a good file at the output path is never replaced by
a truncated one; `check_output_path` refuses an output that is one of the
inputs (the same file by device and inode, so also through a symbolic or
hard link) or is not a regular file.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import html
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from course.errors import InputError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MIN_WORDS_FOR_LANGUAGE = 20
MIN_LOWER_CASE_WORDS = 10  # enough words written in lower case to judge by them alone
# The four commonest English words: a text of some length with none of them is no English, whatever other stop words
# it shares ('In Köln ist am Dienstag ein Feuer ...' shares 'in' and 'am').
ENGLISH_CORE_WORDS = frozenset({"the", "of", "and", "to"})
MIN_ENGLISH_STOPWORD_SHARE = 0.2
# The language check reads this much of a text: enough words to judge, a bounded cost at any length.
LANGUAGE_SAMPLE_CHARS = 200_000
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)

# The longest text the course analyses: 10 million characters, about 10 MB of English text
# (some 2,000 news articles). Longer texts are refused with one line rather than parsed for
# an hour; course.core.nlp parses anything up to this in bounded memory.
MAX_TEXT_CHARS = 10_000_000
# The largest file read: room for MAX_TEXT_CHARS in UTF-32 (4 bytes a character) or a saved web
# page around that much text. Reading stops here, so /dev/zero-like input cannot exhaust memory.
MAX_FILE_BYTES = 4 * MAX_TEXT_CHARS + 4
READ_CHUNK_BYTES = 1 << 20

# Byte-order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Controls that separate lines or pages: they become "\n" so paragraphs stay apart.
_LINE_LIKE = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


# --- reading files ------------------------------------------------------------------------------

NUL_IN_NAME = "a file name cannot contain a NUL byte"


def read_text_file(path: str | os.PathLike[str], notes: list[str] | None = None) -> str:
    """The article text in the file at `path`: plain text, Markdown or a saved web page.

    `notes`, when given, collects what was changed silently (invisible characters removed).
    """
    path = Path(path)
    name = shown_path(path)
    data = read_file_bytes(path)
    return prepare_text(decode_text(data, name=name), name=name, kind=_kind_from_suffix(path), notes=notes)


def read_file_bytes(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES, what: str = "text file") -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, or one-line `InputError`.

    Opened with O_NONBLOCK and checked with fstat before reading, so a named pipe, a device or a
    folder is refused at once instead of hanging or being read forever; read in bounded chunks.
    """
    name = shown_path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise InputError(f"{name}: {open_error(path, err, what)}") from None
    except ValueError:
        raise InputError(f"{name}: {NUL_IN_NAME}") from None
    try:
        info = os.fstat(fd)
        problem = not_regular(info.st_mode, what)
        if problem:
            raise InputError(f"{name}: {problem}")
        if info.st_size > limit:
            raise InputError(f"{name}: {_too_big(info.st_size, limit, what)}")
        chunks, total = [], 0
        while chunk := os.read(fd, READ_CHUNK_BYTES):
            total += len(chunk)
            if total > limit:  # the file grew while we read it, or fstat did not know its size
                raise InputError(f"{name}: {_too_big(total, limit, what)}")
            chunks.append(chunk)
    except OSError as err:
        raise InputError(f"{name}: cannot read the file ({_reason(err)})") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def open_error(path: str | os.PathLike[str], err: OSError, what: str = "file") -> str:
    """The real reason `path` could not be opened, as a short phrase."""
    if err.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"is a broken symbolic link (its target {shown_path(os.readlink(path))} does not exist)"
        return f"no such {'file' if what == 'text file' else what}"
    if err.errno == errno.ELOOP:
        return "too many levels of symbolic links (a loop of symbolic links)"
    if err.errno == errno.EISDIR:
        return f"is a folder, not {_a(what)}"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.ENOTDIR:
        return "not a file: a part of the path is not a folder"
    return f"cannot open the file ({_reason(err)})"


def not_regular(mode: int, what: str = "text file") -> str:
    """Why a file of this `st_mode` cannot be read as one, or "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return f"is a folder, not {_a(what)}"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file; save what it carries to a file first"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file; save what it carries to a file first"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _too_big(size: int, limit: int, what: str = "text file") -> str:
    if what != "text file":  # an alias file or a cache file: no article to split
        return f"is too large for {_a(what)} ({size / 1e6:,.1f} MB or more; the limit is {limit / 1e6:,.0f} MB)"
    return (f"is too large ({size / 1e6:,.1f} MB or more; the limit is {limit / 1e6:,.0f} MB, "
            f"about {MAX_TEXT_CHARS / 1e6:,.0f} MB of text): split it into smaller files")


def _reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()


def shown_path(path: str | os.PathLike[str]) -> str:
    """`path` as text for a one-line message: control and bidi characters escaped, never acted on."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") or c in _LINE_LIKE for c in text):
        return text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text


def _kind_from_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "auto"


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode bytes as text, or raise `InputError` saying why not.

    UTF-8 (a byte-order mark is dropped) is expected; UTF-16 and UTF-32 are decoded when the file
    starts with their byte-order mark, as Windows Notepad and Word write it.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts like {label} text but is not valid {label} "
                                 f"(bad bytes at position {err.start}); save it as UTF-8 and try again") from None
            if "\x00" in text:
                raise InputError(f"{name}: looks like a binary file, not text")
            return text
    if b"\x00" in data:
        if _looks_like_bomless_utf16(data):
            raise InputError(f"{name}: looks like UTF-16 text without a byte-order mark; "
                             "save it as UTF-8 and try again")
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: is not UTF-8 text (bad byte at position {err.start}); save it as UTF-8 and try again"
        ) from None


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """Most of one byte of every pair is zero: ASCII-range text in UTF-16 without its mark."""
    sample = data[:4096]
    pairs = len(sample) // 2
    return pairs >= 8 and max(sample[0::2].count(0), sample[1::2].count(0)) > 0.8 * pairs


# --- invisible characters -----------------------------------------------------------------------

@functools.cache
def _invisible_table() -> dict[int, str | None]:
    """str.translate table: Cc/Cf characters removed (tab and newline kept), line-like ones to "\\n"."""
    table: dict[int, str | None] = {}
    # Planes 0 and 1 and the tag block hold every Cc and Cf character (scanning all 17 planes is 10x slower).
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        char = chr(code)
        if char in "\t\n":
            continue
        if char in _LINE_LIKE:
            table[code] = "\n"
        elif unicodedata.category(char) in ("Cc", "Cf"):
            table[code] = None
    return table


@functools.cache
def _invisible_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(code)) for code in _invisible_table()) + "]")


def strip_invisible(text: str) -> tuple[str, int]:
    """`text` without control and formatting characters (see the module docstring), and how many
    characters were removed or turned into line breaks."""
    if text.isascii() and text.isprintable():
        return text, 0
    found = len(_invisible_pattern().findall(text))
    if not found:
        return text, 0
    return text.translate(_invisible_table()), found


# --- writing files ------------------------------------------------------------------------------

def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether `a` and `b` are one file (same device and inode: also through symbolic and hard links)."""
    try:
        first, second = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def check_output_path(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = (),
                      what: str = "output") -> Path:
    """`output` as a Path if it can be written without losing work, else one-line `InputError`.

    Refused: one of `inputs` (the same file, also through a link), a folder or other non-regular
    file (a rename would replace /dev/null itself), and a path whose folder does not exist or is not writable.
    """
    if not isinstance(output, (str, os.PathLike)):
        raise InputError(f"the {what} needs a file path (a str or a pathlib.Path), not {type(output).__name__}")
    shown, written = shown_path(output), os.fsdecode(os.fspath(output))
    if not written:
        raise InputError(f"no path was given for the {what}: name a file, e.g. report.html")
    if "\0" in written:
        raise InputError(f"{shown}: {NUL_IN_NAME}")
    if written.endswith(("/", os.sep)) and not os.path.isdir(output):
        raise InputError(f"{shown}: names a folder, and there is no such folder: name a file, e.g. report.html")
    for source in inputs:
        if same_file(output, source):
            raise InputError(f"{shown}: is the input file {shown_path(source)}; writing the {what} there "
                             f"would destroy it: choose another output path")
    try:
        info = os.stat(output)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise InputError(f"{shown}: cannot write the {what} ({open_error(output, err, 'file')})") from None
    if info is not None and (problem := not_regular(info.st_mode, "file")):
        raise InputError(f"{shown}: cannot write the {what} there: it {problem.split(';')[0]}")
    folder = os.path.dirname(os.path.realpath(output)) or "."
    if not os.path.isdir(folder):
        raise InputError(f"{shown}: cannot write the {what}: the folder {shown_path(folder)} does not exist")
    if not os.access(folder, os.W_OK):  # found now, not after the whole analysis
        raise InputError(f"{shown}: cannot write the {what}: the folder {shown_path(folder)} is not writable "
                         f"(permission denied)")
    return Path(output)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` (str as UTF-8) to `path` all at once: to a temporary file in the same folder, then
    renamed into place. On any failure (a full disk, an interrupt) the temporary file is removed, the
    error is raised, and whatever was at `path` before is still there, whole.

    A symbolic link at `path` is followed, so the file it points to is replaced, not the link.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = os.path.realpath(path)
    folder, base = os.path.split(target)
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _write_all(out, payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(out, payload: bytes) -> None:
    """The one place bytes are written (tests replace it to simulate a full disk)."""
    out.write(payload)


def _mode_for(target: str) -> int:
    """Permissions for the new file: those of the file it replaces, else the usual ones (umask)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


# --- text -----------------------------------------------------------------------------------------

def prepare_text(text: str, name: str = "input", kind: str = "auto", notes: list[str] | None = None) -> str:
    """Article text from `text`, which may be plain text, Markdown or HTML (`kind`: auto/text/markdown/html).

    Invisible control and formatting characters are removed (see the module docstring); `notes`,
    when given, gets a line saying how many.
    """
    if len(text) > MAX_FILE_BYTES:  # before any work on it: nothing this long can be an article
        check_length(text, name)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if kind == "html" or (kind == "auto" and _HTML_START.match(text)):
        text = html_to_text(text, name)
    elif kind == "markdown":
        text = markdown_to_text(text)
    text, removed = strip_invisible(text)
    if removed and notes is not None:
        notes.append(f"{name}: removed {removed} invisible control or formatting character"
                     f"{'s' if removed != 1 else ''} (such as bidi overrides or zero-width spaces)")
    check_text(text, name)
    check_english(text, name)
    return text


def check_text(text: str, name: str = "input") -> str:
    """Return `text` unchanged, or raise `InputError` if there is nothing to read or too much."""
    if not text.strip():
        raise InputError(f"{name}: is empty")
    if run := _PUNCTUATION_RUN.search(text):
        raise InputError(f"{name}: holds a run of {len(run.group()):,} {ascii(run.group()[0])} characters, which is "
                         f"no writing and slows the parser by its square: shorten it")
    if _SURROGATE.search(text):
        raise InputError(f"{name}: holds a lone surrogate (U+D800 to U+DFFF), which is no character: decode the "
                         f"bytes as UTF-8 with errors='replace' before passing the text")
    return check_length(text, name)


_SURROGATE = re.compile("[\ud800-\udfff]")
# spaCy's tokenizer splits such a run one character at a time, in time that grows with its square: 5,000 '=' take
# about 6 s, 40,000 some minutes. A rule, a redaction or a row of emoji is far shorter.
_PUNCTUATION_RUN = re.compile(r"([^\w\s])\1{4999,}")


def check_length(text: str, name: str = "input") -> str:
    """Return `text` unchanged, or raise `InputError` if it is longer than `MAX_TEXT_CHARS`."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{name}: is too long to analyse ({len(text):,} characters; the limit is "
                         f"{MAX_TEXT_CHARS:,}, about {MAX_TEXT_CHARS / 1e6:,.0f} MB of text): split it into parts")
    return text


def check_english(text: str, name: str = "input") -> str:
    """Raise `InputError` unless `text` reads as English.

    English prose is about 40–50% function words (the, of, said, ...); other
    languages written in the Latin alphabet share few of them, so a text of
    some length with under 20% English stop words is refused rather than
    analysed with an English model that would produce nonsense. The share is
    taken over the words written in lower case, as function words are, so that
    a brief full of names ('Storm Ingrid hit Glasgow ...') is no less English,
    or over all words where fewer than `MIN_LOWER_CASE_WORDS` are; and the
    text must hold one of `ENGLISH_CORE_WORDS`, which German or Danish briefs
    lack. Only the first `LANGUAGE_SAMPLE_CHARS` characters are read, so the
    check costs the same for any length.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+", text[:LANGUAGE_SAMPLE_CHARS])
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return text
    core = not ENGLISH_CORE_WORDS.isdisjoint(word.lower() for word in words)
    lower = [word for word in words if word.islower()]
    words = lower if len(lower) >= MIN_LOWER_CASE_WORDS else [word.lower() for word in words]
    share = sum(word in STOP_WORDS for word in words) / len(words)
    if share < MIN_ENGLISH_STOPWORD_SHARE or not core:
        raise InputError(f"{name}: does not look like English text (the course's tools analyse English only)")
    return text


def html_to_text(html: str, name: str = "input") -> str:
    """The main article text of a web page, one paragraph per line (trafilatura).

    The byline, date and site name that pages keep in markup rather than in
    the article body are put back as lines of their own ("By ...",
    "Published ...", "Source: ..."), because they are what a reader checks
    first. Dates are read only from explicit markup, never guessed from
    copyright notices.
    """
    import trafilatura
    from trafilatura.settings import Document

    page = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_recall=True, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )  # a Document, or None when nothing was found (a dict only with as_dict=True)
    if not isinstance(page, Document) or not (body := (page.text or "").strip()):
        raise InputError(f"{name}: no article text found in this web page")
    lines = body.splitlines()
    header = []
    if page.author and page.author not in body:
        header.append(f"By {page.author}")
    if page.date and page.date not in body:
        header.append(f"Published {page.date}")
    title_first = page.title is not None and lines[0].strip() == page.title.strip()
    footer = [f"Source: {page.sitename}"] if page.sitename and page.sitename not in body else []
    notice = _copyright_notice(html)
    if notice and notice not in body:
        footer.append(notice)
    text = "\n".join(lines[:1] + header + lines[1:] if title_first else header + lines)
    return text + ("\n" + "\n".join(footer) if footer else "")


def _copyright_notice(html: str) -> str:
    """The page's copyright line (usually in a footer that article extraction drops)."""
    import lxml.html

    try:
        texts = lxml.html.fromstring(html).xpath("//footer//text() | //*[contains(@class, 'copyright')]//text()")
    except Exception:  # noqa: BLE001 - a page lxml cannot parse simply has no notice
        return ""
    for text in texts:
        if "©" in text or "copyright" in text.lower():
            return " ".join(text.split())
    return ""


# the info strings of a fenced block that say it holds prose rather than code
_PROSE_FENCES = frozenset({"text", "txt", "plain", "plaintext", "markdown", "md"})


def _holds_prose(info: str, content: str) -> bool:
    """True for a fenced block marked as text or Markdown, or one marked as nothing of thirty words or more whose
    lines mostly end as sentences do (an article pasted into '```'), not as commands, queries or a log do."""
    if info.strip().lower() in _PROSE_FENCES:
        return True
    lines = [line.rstrip() for line in content.splitlines() if line.strip()]
    sentences = sum(line.endswith((".", "!", "?", '"', "”", "’")) for line in lines)
    return not info.strip() and sentences * 2 > len(lines) and len(content.split()) >= 30


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text: one line per heading, paragraph or list item (markdown-it-py), and per paragraph of
    an indented or raw HTML block. A fenced block is code and stays out, unless the file has no paragraph or other
    block of text outside its fences: then an article pasted into a fence (`_holds_prose`) is the article."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parse(markdown)
    no_prose = not any(t.type in {"paragraph_open", "html_block", "code_block"} for t in tokens)
    lines = []
    for token in tokens:
        if token.type == "inline":
            parts, links = [], []
            for child in token.children or []:
                if child.type in {"softbreak", "hardbreak"}:
                    parts.append(" ")
                elif child.type in {"text", "code_inline"}:
                    parts.append(child.content)
                elif child.type == "link_open":
                    links.append(child.attrs.get("href", ""))
                elif child.type == "link_close" and links and links[-1]:
                    parts.append(f" ({links.pop()})")  # keep link targets: they are provenance
            lines.append("".join(parts) or token.content)
        elif token.type in {"code_block", "html_block"}:
            # an indented quotation, a raw HTML paragraph: words all the same; not a fenced block, which is code
            content = token.content
            if token.type == "html_block":
                content = html.unescape(_TAG.sub(" ", _HIDDEN_HTML.sub(" ", content)))
            lines += [" ".join(paragraph.split()) for paragraph in re.split(r"\n\s*\n", content)]
        elif token.type == "fence" and no_prose and _holds_prose(token.info, token.content):
            lines.append(markdown_to_text(token.content))
    return "\n".join(line for line in lines if line.strip())


_TAG = re.compile(r"<[^>]*>")
# what a browser never shows: comments, scripts and styles
_HIDDEN_HTML = re.compile(r"<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
