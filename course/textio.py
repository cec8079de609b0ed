"""Read a text file for analysis, refusing what cannot be an article.

Every CLI command goes through `read_text_file`, so a missing, empty,
binary or non-UTF-8 file gets the same clear one-line `InputError`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError


def read_text_file(path: str | Path) -> str:
    """Return the file's text decoded as UTF-8 (a leading BOM is dropped)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a text file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read the file ({err.strerror})") from None
    return decode_text(data, name=str(path))


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode bytes as UTF-8 text, or raise `InputError` saying why not."""
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: is not UTF-8 text (bad byte at position {err.start}); "
            "save it as UTF-8 and try again"
        ) from None
    return check_text(text, name)


def check_text(text: str, name: str = "input") -> str:
    """Return `text` unchanged, or raise `InputError` if there is nothing to read."""
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return text
