"""Read an article for analysis, refusing what cannot be one.

Every CLI command and `course.report` go through here, so bad input gets
the same clear one-line `InputError`: a missing, empty, binary or non-UTF-8
file, or text that is not English. Good input is normalised: a byte-order
mark is dropped, Windows line endings become "\\n", and a web page saved from
a browser (HTML) or a Markdown file is reduced to its article text, one
paragraph per line, by maintained libraries (trafilatura for HTML,
markdown-it-py for Markdown) rather than hand-written patterns.
"""

from __future__ import annotations

import re
from pathlib import Path

from course.errors import InputError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MIN_WORDS_FOR_LANGUAGE = 20
MIN_ENGLISH_STOPWORD_SHARE = 0.2
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def read_text_file(path: str | Path) -> str:
    """The article text in the file at `path`: plain text, Markdown or a saved web page."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a text file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read the file ({err.strerror})") from None
    return prepare_text(decode_text(data, name=str(path)), name=str(path), kind=_kind_from_suffix(path))


def _kind_from_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "auto"


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode bytes as UTF-8 text, or raise `InputError` saying why not."""
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: is not UTF-8 text (bad byte at position {err.start}); save it as UTF-8 and try again"
        ) from None


def prepare_text(text: str, name: str = "input", kind: str = "auto") -> str:
    """Article text from `text`, which may be plain text, Markdown or HTML (`kind`: auto/text/markdown/html)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if kind == "html" or (kind == "auto" and _HTML_START.match(text)):
        text = html_to_text(text, name)
    elif kind == "markdown":
        text = markdown_to_text(text)
    check_text(text, name)
    check_english(text, name)
    return text


def check_text(text: str, name: str = "input") -> str:
    """Return `text` unchanged, or raise `InputError` if there is nothing to read."""
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text


def check_english(text: str, name: str = "input") -> str:
    """Raise `InputError` unless `text` reads as English.

    English prose is about 40–50% function words (the, of, said, ...); other
    languages written in the Latin alphabet share few of them, so a text of
    some length with under 20% English stop words is refused rather than
    analysed with an English model that would produce nonsense.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return text
    share = sum(word in STOP_WORDS for word in words) / len(words)
    if share < MIN_ENGLISH_STOPWORD_SHARE:
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


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text: one line per heading, paragraph or list item (markdown-it-py)."""
    from markdown_it import MarkdownIt

    lines = []
    for token in MarkdownIt().parse(markdown):
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
    return "\n".join(line for line in lines if line.strip())
