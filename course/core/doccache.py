"""An on-disk cache of parsed documents, so a fresh kernel skips the parse.

A cached doc is stored with spaCy's DocBin under a key made of the text's
hash, the model package and version, the spaCy version and the course's
pipeline version. The cache is never trusted blindly: a cached doc is used
only if it loads, holds exactly the text asked for, records (in
``doc.user_data``, stored with it) the model package and version, spaCy
version, course pipeline version and pipeline components this code would
use, and carries every annotation the analyses read (sentence boundaries,
entities, part-of-speech tags, dependencies). Anything else (a corrupt file,
a parse made with a blank pipeline or another version) is deleted, parsed
again and replaced. Files are written to a temporary file and renamed into
place (`course.core.textio.atomic_write`), so a full disk or a killed
process never leaves a half-written cache file; temporary files that a
killed process did leave are swept up later. When the cache folder cannot be
written (a read-only home, a sandboxed grader) parsing simply goes uncached, and so do texts
over `CACHE_MAX_CHARS` (serialising them would double the memory a parse takes).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from course.core.nlp import PARSE_INFO_KEY, PIPELINE_VERSION, ModelInfo, expected_pipeline
from course.core.paths import CACHE_FOLDER_NAME
from course.core.textio import atomic_write, read_file_bytes
from course.errors import InputError

CACHE_ENV = "COURSE_CACHE_DIR"
# What a parse must carry to be used: sentence starts, entities, POS tags, dependencies.
REQUIRED_ANNOTATIONS = ("SENT_START", "ENT_IOB", "POS", "TAG", "DEP")
# Longer texts are not cached: serialising a Doc (DocBin) takes about 300 bytes a token more
# while it runs, which for 10 MB of text would push parsing past 1 GB of memory.
CACHE_MAX_CHARS = 2_000_000
# A cached parse of the longest text cached is far smaller than this; a bigger file is no parse of ours.
CACHE_MAX_BYTES = 100 * CACHE_MAX_CHARS
# A temporary file older than this was left by a process that died mid-write.
STALE_TEMP_SECONDS = 3600


def cache_dir() -> Path:
    """Where parsed docs live: $COURSE_CACHE_DIR, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / CACHE_FOLDER_NAME


def cache_key(text: str, model: ModelInfo) -> str:
    """A file-name-safe key naming everything the parse depends on."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return (
        f"{digest}-{model.package}-{model.version}"
        f"-spacy{spacy.__version__}-pipeline{PIPELINE_VERSION}"
    )


def cache_path(key: str) -> Path:
    return cache_dir() / f"{key}.spacy"


def parse_info(model: ModelInfo, pipeline: tuple[str, ...] | list[str] | None = None) -> dict:
    """What a parse records about how it was made (`pipeline`: its components; default: the expected ones)."""
    names = expected_pipeline(model) if pipeline is None else pipeline
    return {"model": model.package, "version": model.version, "spacy": spacy.__version__,
            "pipeline_version": PIPELINE_VERSION, "pipeline": list(names or ())}


def problem_with(doc: Doc, text: str, model: ModelInfo) -> str:
    """Why `doc` is not a trustworthy parse of `text` by `model`, or "" if it is."""
    if doc.text != text:
        return "it holds another text"
    info = doc.user_data.get(PARSE_INFO_KEY)
    expected = parse_info(model)
    if not expected["pipeline"]:
        return "the model's pipeline is unknown"
    if not isinstance(info, dict):
        return "it does not say how it was made"
    for field, wanted in expected.items():
        found = info.get(field)
        if (list(found) if isinstance(found, list | tuple) else found) != wanted:  # msgpack gives tuples back
            return f"it was made with {field} {found!r}, not {wanted!r}"
    missing = [name for name in REQUIRED_ANNOTATIONS if not doc.has_annotation(name)]
    if missing and len(doc) and any(not token.is_space for token in doc):
        return f"it lacks {', '.join(missing)} annotations"
    return ""


def load_doc(key: str, text: str, vocab, model: ModelInfo | None = None) -> Doc | None:
    """Return the cached doc for `key`, or None if it is missing or not trustworthy (then it is deleted)."""
    from course.core.nlp import find_model

    path = cache_path(key)
    try:  # as inputs are read: a named pipe or a device at the cache path is no parse, and neither is a huge file
        data = read_file_bytes(path, limit=CACHE_MAX_BYTES, what="cache file")
    except InputError:
        _discard(path)  # nothing there, or nothing that could be a parse: the next store replaces it
        return None
    try:
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(vocab))
    except Exception:  # noqa: BLE001 - a corrupt file can fail in many ways (zlib, msgpack, ...)
        docs = []
    if len(docs) == 1 and not problem_with(docs[0], text, model or find_model()):
        return docs[0]
    _discard(path)
    return None


def store_doc(key: str, doc: Doc, model: ModelInfo | None = None) -> None:
    """Write `doc` under `key` atomically, with how it was made; a cache that cannot be written is skipped.

    Only the parse and its record are stored: whatever analyses have since kept in ``doc.user_data``
    stays out of the file.
    """
    from course.core.nlp import find_model

    if len(doc.text) > CACHE_MAX_CHARS:
        return
    model = model or find_model()
    made_with = doc.user_data.get(PARSE_INFO_KEY, {})
    pipeline = made_with.get("pipeline") if isinstance(made_with, dict) else None
    kept = doc.user_data
    doc.user_data = {PARSE_INFO_KEY: parse_info(model, pipeline or [])}
    try:
        data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    finally:
        doc.user_data = kept
    path = cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError:
        return
    _sweep_stale_temporaries(path.parent)


def _sweep_stale_temporaries(folder: Path) -> None:
    """Remove temporary files that a killed process left in the cache (never a fresh one: it may be in use)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in folder.glob(".*.spacy.*.tmp"):  # atomic_write's names for a parse, nobody else's
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > STALE_TEMP_SECONDS:
                    leftover.unlink()


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
