"""An on-disk cache of parsed documents, so a fresh kernel skips the parse.

A cached doc is stored with spaCy's DocBin under a key made of the text's
hash, the model package and version, the spaCy version and the course's
pipeline version. A file that does not load, or that holds other text, is
deleted and rebuilt: the cache is never trusted blindly. When the cache
folder cannot be written (a read-only home, a sandboxed grader) parsing
simply goes uncached.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from course.core.nlp import PIPELINE_VERSION, ModelInfo
from course.core.paths import CACHE_FOLDER_NAME

CACHE_ENV = "COURSE_CACHE_DIR"


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


def load_doc(key: str, text: str, vocab) -> Doc | None:
    """Return the cached doc for `key`, or None if it is missing or unusable."""
    path = cache_path(key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        docs = list(DocBin().from_bytes(data).get_docs(vocab))
    except Exception:  # noqa: BLE001 - a corrupt file can fail in many ways (zlib, msgpack, ...)
        docs = []
    if len(docs) == 1 and docs[0].text == text:
        return docs[0]
    _discard(path)
    return None


def store_doc(key: str, doc: Doc) -> None:
    """Write `doc` under `key` atomically; a cache that cannot be written is skipped."""
    path = cache_path(key)
    data = DocBin(docs=[doc]).to_bytes()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError:
        return


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
