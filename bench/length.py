"""Parsing time and peak memory against text length: `length_sweep()` rows for bench/results.md.

Each size is a text built from the seed article's paragraphs, repeated (real news prose, not
lorem ipsum), parsed by `course.core.article.parse_article` (no cache) in a fresh Python, so
every measurement starts from the same empty process. Time is the parse alone (the model is
loaded first); peak memory is the child's maximum resident set size as the kernel reports it
when the child is reaped (os.wait4, ru_maxrss: model, text and parse together), beside what the
loaded model alone took. Run on its own: ``python bench/length.py 0.1 1 5``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARS_PER_MB = 1_000_000

Rows = list[tuple[str, str]]

# What runs in the child: load the model, then time the parse of the text file given.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from course.core import nlp
from course.core.article import parse_article

text = Path(sys.argv[1]).read_text(encoding="utf-8")
if len(sys.argv) > 2:
    nlp.PIECE_CHARS = nlp.WHOLE_TEXT_CHARS = int(sys.argv[2])
nlp.load_model()
model_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
article = parse_article(text, "bench", use_cache=False)
seconds = time.perf_counter() - start
assert article.doc.text == text
print(json.dumps({"seconds": seconds, "model_kb": model_kb, "tokens": len(article.doc)}))
"""


def article_text(chars: int, one_line: bool = False) -> str:
    """About `chars` characters (never more) of whole seed-article paragraphs, repeated in order.

    `one_line` joins them with spaces instead of line breaks: one paragraph of any length.
    """
    from course.core.seeds import seed_text

    paragraphs = [line.strip() for line in seed_text().splitlines() if line.strip()]
    separator = " " if one_line else "\n"
    parts, length, i = [], 0, 0
    while True:
        paragraph = paragraphs[i % len(paragraphs)]
        extra = len(paragraph) + (len(separator) if parts else 0)
        if length + extra > chars:
            break
        parts.append(paragraph)
        length += extra
        i += 1
    return separator.join(parts)


def measure(text: str, piece_chars: int | None = None) -> dict:
    """Parse `text` in a fresh Python: {"seconds", "peak_mb", "model_mb", "tokens"}.

    `piece_chars` overrides `course.core.nlp.PIECE_CHARS` and `WHOLE_TEXT_CHARS` in the child (tests use small pieces).
    """
    with tempfile.TemporaryDirectory(prefix="course-length-") as folder:
        path, out_path, err_path = (Path(folder) / name for name in ("text.txt", "out.json", "err.txt"))
        path.write_text(text, encoding="utf-8")
        env = {**os.environ, "COURSE_CACHE_DIR": folder}
        with out_path.open("wb") as out, err_path.open("wb") as err:
            # output to files, not pipes: the child is reaped with os.wait4, which gives its own rusage
            extra = [str(piece_chars)] if piece_chars else []
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), *extra], stdout=out, stderr=err,
                                     env=env, cwd=ROOT)
            _, status, usage = os.wait4(child.pid, 0)
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            tail = err_path.read_text(encoding="utf-8", errors="replace")[-500:]
            raise RuntimeError(f"parsing {len(text):,} characters failed (exit {code}): {tail}")
        result = json.loads(out_path.read_text(encoding="utf-8"))
    return {"seconds": result["seconds"], "peak_mb": usage.ru_maxrss / 1024, "model_mb": result["model_kb"] / 1024,
            "tokens": result["tokens"]}


def length_sweep(sizes_mb=(0.1, 1, 5, 10), one_line: bool = False) -> Rows:
    """One Markdown-ready row per size: (what was parsed, time and peak memory)."""
    rows = []
    for size in sizes_mb:
        text = article_text(int(size * CHARS_PER_MB), one_line=one_line)
        found = measure(text)
        shape = "one line" if one_line else "paragraphs"
        rows.append((
            f"Parse {size:g} MB of news text ({len(text):,} characters, {shape}, {found['tokens']:,} tokens)",
            f"{found['seconds']:.1f} s, peak {found['peak_mb']:,.0f} MB (model alone {found['model_mb']:,.0f} MB)",
        ))
    return rows


def main(argv: list[str]) -> None:
    sizes = tuple(float(arg) for arg in argv) or (0.1, 1, 5)
    print("| Text | Time and peak memory |\n|---|---|")
    for label, value in length_sweep(sizes):
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
