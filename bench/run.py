"""Course benchmarks: `make bench` prints a Markdown table and writes bench/results.md.

Timings are medians of several runs on this machine; ratios compare numbers
measured in the same run, which is what to quote. Nothing here is a test:
machines are too noisy for timed assertions.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
RUNS = 5

LOAD_ARTICLE = "from course.article import load_article; load_article()"


def time_fresh_interpreter(code: str, env_cache: str) -> float:
    """Seconds for a fresh Python to run `code` with the doc cache at `env_cache`."""
    env = {**__import__("os").environ, "COURSE_CACHE_DIR": env_cache}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def bench_article_load() -> list[tuple[str, str]]:
    """Fresh interpreter to parsed seed article: no cache (cold) vs cache (warm)."""
    cold, warm = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(time_fresh_interpreter(LOAD_ARTICLE, cache))
            warm.append(time_fresh_interpreter(LOAD_ARTICLE, cache))
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    return [
        ("Fresh interpreter to parsed article, cold (no cache)", f"{cold_s:.2f} s"),
        ("Fresh interpreter to parsed article, warm (cache)", f"{warm_s:.2f} s"),
        ("Cold / warm", f"{cold_s / warm_s:.1f}×"),
    ]


def main() -> int:
    rows = bench_article_load()
    lines = [
        "# Benchmarks",
        "",
        f"Python {platform.python_version()} on {platform.machine()}, median of {RUNS} runs.",
        "",
        "| Measure | Value |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
    ]
    table = "\n".join(lines) + "\n"
    RESULTS.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
