"""Course benchmarks: `make bench` prints Markdown tables and writes bench/results.md.

Timings are medians of several runs on this machine; ratios compare numbers
measured in the same run, which is what to quote. Nothing here is a test:
machines are too noisy for timed assertions.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
# tools/harness.py: the Jupyter server and Chromium harness, shared with tests/browser.
sys.path.insert(0, str(ROOT / "tools"))
RUNS = 5

Rows = list[tuple[str, str]]


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_fresh_interpreter(code: str, cache: str) -> float:
    """Seconds for a fresh Python to run `code` with the doc cache at `cache`."""
    env = {**os.environ, "COURSE_CACHE_DIR": cache}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def bench_article_load() -> Rows:
    """Fresh interpreter to parsed seed article: no cache (cold) vs cache (warm)."""
    code = "from course.core.article import load_article; load_article()"
    cold, warm = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(time_fresh_interpreter(code, cache))
            warm.append(time_fresh_interpreter(code, cache))
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    return [
        ("Fresh interpreter to parsed article, cold (no cache)", f"{cold_s:.2f} s"),
        ("Fresh interpreter to parsed article, warm (cache)", f"{warm_s:.2f} s"),
        ("Cold / warm", f"{cold_s / warm_s:.1f}×"),
    ]


def parse_seconds() -> float:
    """Median time to parse the seed article with a loaded model (the unit for ratios)."""
    from course.core import nlp
    from course.core.seeds import seed_text

    text = seed_text()
    nlp.load_model()
    return median_seconds(lambda: nlp.parse(text))


def bench_entities(parse_s: float) -> Rows:
    """How well entity clusters reproduce seeds/people.json, against raw spaCy spans."""
    from course.analysis.entities import cluster_entities, load_aliases, raw_entities, raw_model_clusters
    from course.core.article import load_article
    from course.core.seeds import seeds_dir
    from course.evaluation.gold import load_gold_people
    from course.evaluation.scores import score_clusters

    doc = load_article().doc
    gold = load_gold_people(seeds_dir() / "people.json")
    runs = {
        "raw spaCy spans (grouped by identical text)": raw_model_clusters(raw_entities(doc)),
        "course.analysis.entities (rules only)": cluster_entities(doc),
        "course.analysis.entities + seeds/aliases.toml":
            cluster_entities(doc, aliases=load_aliases(seeds_dir() / "aliases.toml")),
    }
    rows = []
    for name, clusters in runs.items():
        s = score_clusters(clusters, gold)
        rows.append((
            f"People, {name}",
            f"found {s.found}/{s.gold_entities}; exactly one cluster {s.exactly_one}; "
            f"false splits {s.false_splits}; false merges {s.false_merges}; "
            f"exact counts {s.exact_counts}/{s.gold_entities}; "
            f"mention P {s.mention_precision:.3f} R {s.mention_recall:.3f}",
        ))
    cluster_s = median_seconds(lambda: cluster_entities(doc))
    rows.append(("Entity clustering on the parsed article / parse",
                 f"{cluster_s * 1000:.0f} ms / {parse_s * 1000:.0f} ms = {cluster_s / parse_s:.2f}×"))
    return rows


def textacy_direct_quotes(doc, clusters):
    """textacy's direct_quotations on the same Doc, speakers mapped to the same clusters."""
    from types import SimpleNamespace

    from textacy.extract.triples import direct_quotations

    found = []
    for triple in direct_quotations(doc):
        speaker = None
        for token in triple.speaker:
            speaker = speaker or next(
                (c.name for c in clusters if c.label in {"PERSON", "ORG", "GPE"}
                 and any(m.start <= token.idx < m.end for m in c.mentions)), None)
        content = triple.content
        found.append(SimpleNamespace(kind="direct", start=content.start_char, end=content.end_char, speaker=speaker))
    return found


def bench_quotes(parse_s: float) -> Rows:
    """Attribution accuracy on the seed's gold annotation and on the test fixtures, vs textacy."""
    from course.analysis.entities import cluster_entities
    from course.analysis.quotes import extract_attributions
    from course.analysis.sources import sources_table
    from course.core.article import load_article, parse_article
    from course.core.seeds import seeds_dir
    from course.evaluation.gold import load_gold_attributions
    from course.evaluation.scores import score_attributions
    from quote_cases import CASES

    doc = load_article().doc
    clusters = cluster_entities(doc)
    gold = load_gold_attributions(seeds_dir() / "attributions.json")
    ours = extract_attributions(doc, clusters)
    theirs = textacy_direct_quotes(doc, clusters)
    rows = []
    for kind in ("direct", "partial", "indirect"):
        for name, predicted in (("course.analysis.quotes", ours), ("textacy direct_quotations", theirs)):
            if kind != "direct" and name.startswith("textacy"):
                continue
            sc = score_attributions(predicted, gold, kind)
            rows.append((f"Seed, {kind}, {name}", f"P {sc.precision:.2f} R {sc.recall:.2f} F1 {sc.f1:.2f}; "
                         f"found with right speaker {sc.found_with_right_speaker:.2f} ({sc.right_speaker}/{sc.gold})"))

    expected = found_ours = found_textacy = direct_expected = 0
    for text, wanted in CASES.values():
        fixture_doc = parse_article(text).doc
        fixture_clusters = cluster_entities(fixture_doc)
        mine = extract_attributions(fixture_doc, fixture_clusters)
        try:
            baseline = textacy_direct_quotes(fixture_doc, fixture_clusters)
        except ValueError:  # textacy refuses texts with an odd number of quotation marks
            baseline = []
        for kind, piece, speaker, _ in wanted:
            expected += 1
            found_ours += any(a.kind == kind and piece in a.text and a.speaker == speaker for a in mine)
            if kind == "direct":
                direct_expected += 1
                found_textacy += any(piece in fixture_doc.text[b.start:b.end] and b.speaker == speaker
                                     for b in baseline)
    rows.append(("Fixtures (tools/quote_cases.py), all kinds, course.analysis.quotes",
                 f"{found_ours}/{expected} found with the right speaker"))
    rows.append(("Fixtures, direct quotes only, textacy direct_quotations",
                 f"{found_textacy}/{direct_expected} found with the right speaker"))

    analysis_s = median_seconds(lambda: sources_table(doc, extract_attributions(doc, clusters), clusters))
    rows.append(("Quote + source analysis on the parsed article / parse",
                 f"{analysis_s * 1000:.0f} ms / {parse_s * 1000:.0f} ms = {analysis_s / parse_s:.2f}×"))
    return rows


def _found(sc) -> str:
    return (f"found with right speaker {sc.found_with_right_speaker:.2f} ({sc.right_speaker}/{sc.gold}); "
            f"found {sc.matched}, precision {sc.precision:.2f}")


def bench_devset() -> Rows:
    """Quotes on real news nobody wrote the rules against (seeds/eval), both splits, vs textacy; people counts;
    and on the articles a second annotator read, how far the two annotators agree."""
    from course.analysis.pipeline import Analysis
    from course.evaluation.devset import (
        SPLITS,
        by_outlet,
        ceiling_with_undisputed_right,
        load_devset,
        people_counted_exactly,
        people_unlisted,
        score_devset,
    )

    rows, predicted, clusters = [], {}, {}
    for split in SPLITS:
        articles = load_devset(split)
        ours, theirs, exact, people, unlisted, persons = {}, {}, 0, 0, 0, 0
        for article in articles:
            analysis = Analysis.of_text(article.text, article.id)
            ours[article.id], clusters[article.id] = analysis.attributions, analysis.clusters
            try:
                theirs[article.id] = textacy_direct_quotes(analysis.doc, analysis.clusters)
            except ValueError:  # textacy refuses texts with an odd number of quotation marks
                theirs[article.id] = []
            counted, annotated = people_counted_exactly(analysis.clusters, article)
            exact, people = exact + counted, people + annotated
            extra, clustered = people_unlisted(analysis.clusters, article)
            unlisted, persons = unlisted + extra, persons + clustered
        predicted.update(ours)
        label = f"Development set, {split} ({len(articles)} articles)"
        for kind, sc in score_devset(ours, articles).items():
            rows.append((f"{label}, {kind}, course.analysis.quotes", _found(sc)))
        for kind, sc in score_devset(ours, articles, clear_only=True).items():
            rows.append((f"{label}, {kind}, course.analysis.quotes, undisputed cases only (no borderline)", _found(sc)))
        ceiling = ceiling_with_undisputed_right(ours, articles)
        rows.append((f"{label}, all cases, if every undisputed case were right (borderline ones as now)",
                     "; ".join(f"{kind} {value:.2f}" for kind, value in ceiling.items())))
        for outlet, group in by_outlet(articles).items():
            scores = score_devset(ours, group)
            rows.append((f"{label}, of which {outlet} ({len(group)} articles), found with right speaker",
                         "; ".join(f"{kind} {sc.found_with_right_speaker:.2f} ({sc.right_speaker}/{sc.gold}), "
                                   f"precision {sc.precision:.2f}" for kind, sc in scores.items())))
        rows.append((f"{label}, direct, textacy direct_quotations", _found(score_devset(theirs, articles)["direct"])))
        rows.append((f"{label}, people counted exactly", f"{exact}/{people}"))
        rows.append((f"{label}, person clusters whose surname no annotated person has", f"{unlisted}/{persons}"))
    return rows + second_reading_rows(predicted, clusters)


def second_reading_rows(predicted: dict, clusters: dict) -> Rows:
    """A second annotator against the first on the articles both read, beside the rules against each."""
    from course.evaluation.devset import (
        DEV,
        counts_agree,
        load_devset,
        load_second_reading,
        people_counted_exactly,
        score_devset,
    )

    everything = load_devset()
    second = load_second_reading(everything)
    first = [a for a in everything if a.id in {s.id for s in second}]
    read = {a.id: list(a.attributions) for a in second}
    dev = sum(a.split == DEV for a in first)
    label = f"Second reading ({len(first)} articles: {dev} dev, {len(first) - dev} heldout)"
    comparisons = {
        "second annotator against the first": score_devset(read, first),
        "second annotator against the first, first's undisputed cases only": score_devset(read, first, True),
        "course.analysis.quotes against the first": score_devset(predicted, first),
        "course.analysis.quotes against the second": score_devset(predicted, second),
    }
    rows = [(f"{label}, {kind}, {who}", _found(scores[kind]))
            for kind in ("direct", "partial", "indirect") for who, scores in comparisons.items()]

    def exactly(pairs: list[tuple[int, int]]) -> str:
        return f"{sum(e for e, _ in pairs)}/{sum(n for _, n in pairs)}"

    readers = exactly([counts_agree(list(b.people), a) for a, b in zip(first, second, strict=True)])
    ours = exactly([people_counted_exactly(clusters[a.id], a) for a in first])
    rows.append((f"{label}, people counted as the first annotator counts them",
                 f"second annotator {readers}; course.analysis.entities {ours}"))
    return rows


def bench_mistakes() -> Rows:
    """Each assignment's catalogue of wrong answers (solutions/*/mistakes.yaml, tools/mistakes.py)."""
    import mistakes

    rows, totals = [], {"tried": 0, "visible_right_message": 0, "hidden_only": 0, "passes_everything": 0,
                        "wrong_message": 0}
    for assignment in mistakes.assignments():
        counts = mistakes.summary(assignment, mistakes.run_catalogue(assignment))
        for key in totals:
            totals[key] += counts[key]
        rows.append((assignment, f"{counts['tried']} wrong answers: {counts['visible_right_message']} caught by the "
                                 f"visible test with the catalogued line, {counts['hidden_only']} only by hidden "
                                 f"tests, {counts['wrong_message']} told something else, "
                                 f"{counts['passes_everything']} pass everything"))
    share = totals["hidden_only"] / totals["tried"] if totals["tried"] else 0.0
    rows.append(("All assignments", f"{totals['tried']} wrong answers; visible-pass/hidden-fail {share:.1%} "
                                    f"({totals['hidden_only']}); told something else {totals['wrong_message']}; "
                                    f"pass everything {totals['passes_everything']}"))
    return rows


def bench_report() -> Rows:
    """Source-audit report time for the seed and for long texts, and how it grows with length: the seed's
    paragraphs repeated (a few people named again and again), and news articles of the development set run
    together (a new set of people in every article, as in a long collection of news)."""
    from course.core.seeds import seed_text
    from course.evaluation.devset import load_devset

    rows = []
    seed_s = median_seconds(lambda: source_audit_html(seed_text()), runs=3)
    rows.append(("Report for the seed article (parse cached after the first run)", f"{seed_s:.2f} s"))
    body = "\n".join(line for line in seed_text().splitlines()[:52])
    news = "\n\n".join(article.text for article in load_devset())
    for what, source, sizes in (("of the seed article, repeated", body, (125_000, 250_000, 500_000, 1_000_000)),
                                ("of different news articles", news, (250_000, 500_000, 1_000_000))):
        timings = []
        for size in sizes:
            text = ("\n".join([source] * (size // len(source) + 1)))[:size]
            timings.append(_uncached_report_seconds(text[: text.rfind("\n")]))
        for chars, seconds in timings:
            rows.append((f"Report for {chars / 1e6:.2f} MB {what} (uncached)",
                         f"{seconds:.1f} s = {seconds / chars * 1e6:.1f} s per MB"))
        (c0, t0), (c1, t1) = timings[0], timings[-1]
        rows.append((f"Growth from smallest to largest, {what}: time ratio / length ratio",
                     f"{t1 / t0:.2f} / {c1 / c0:.2f} "
                     f"(1.0 would be exactly linear per character: {t1 / t0 / (c1 / c0):.2f})"))
    return rows


def source_audit_html(text: str) -> str:
    from course.explore.report import source_audit

    return source_audit(text, f"{len(text)} chars").html()


def _uncached_report_seconds(text: str) -> tuple[int, float]:
    """(characters, seconds) for one report of `text`, parsed anew: an empty doc cache, since the user's cache
    may hold these texts from an earlier `make bench`."""
    with tempfile.TemporaryDirectory() as cache, mock.patch.dict(os.environ, {"COURSE_CACHE_DIR": cache}):
        start = time.perf_counter()
        source_audit_html(text)
        return len(text), time.perf_counter() - start


STOCK_CONFIG_CUT = "# --- the course's pipeline"


def bench_grading(sizes: tuple[int, ...] = (30, 120), repeats: dict[int, int] | None = None) -> Rows:
    """Classes of each size graded by plain serial `nbgrader autograde` and by `course grade`, in turns.

    Both grade the same submissions in the same run, stock first then ours, `repeats` times per size
    (medians quoted); scores must be identical. Ours also reports the memory one student takes: their
    sandbox's peak (cgroup) and the worker's peak resident memory.
    """
    from course.teach import sandbox
    from course.teach.grading import grade_class

    repeats = repeats or {30: 2}
    mode = "isolated (bubblewrap)" if sandbox.bwrap_available() else "unisolated"
    rows: Rows = []
    for students in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            plain, ours = _grading_class(Path(tmp), students)
            plain_runs, ours_runs, kernel_peaks, worker_peaks = [], [], [], []
            for _ in range(repeats.get(students, 1)):
                plain_runs.append(_time_stock_autograde(plain))
                start = time.perf_counter()
                outcomes = grade_class(ours, GRADED_ASSIGNMENT, feedback=False, force=True, log=lambda line: None)
                ours_runs.append(time.perf_counter() - start)
                kernel_peaks += _measured_memory(0)
                worker_peaks += _measured_memory(1)
            plain_scores = _stock_scores(plain, [o.student for o in outcomes])
            ours_scores = {o.student: o.score for o in outcomes}
            assert plain_scores == ours_scores, f"scores differ from plain nbgrader: {plain_scores} vs {ours_scores}"
            if students == sizes[0]:
                start = time.perf_counter()
                grade_class(ours, GRADED_ASSIGNMENT, force=True, log=lambda line: None)
                feedback_s = time.perf_counter() - start
        plain_s, ours_s = statistics.median(plain_runs), statistics.median(ours_runs)
        runs = (f"median of {len(plain_runs)} runs in turns with ours: plain "
                f"{', '.join(f'{s:.1f}' for s in plain_runs)} s, ours {', '.join(f'{s:.1f}' for s in ours_runs)} s"
                if len(plain_runs) > 1 else "one run each, in turns")
        rows += [
            (f"{students} submissions: plain serial nbgrader autograde (stock pipeline, unisolated)",
             f"{plain_s:.1f} s ({plain_s / students:.2f} s per submission; {runs})"),
            (f"{students} submissions: python -m course grade --no-feedback, {os.cpu_count()} workers, {mode}, "
             "judged (same work as plain autograde)", f"{ours_s:.1f} s ({ours_s / students:.2f} s per submission)"),
            (f"{students} submissions: speed-up (plain / ours, same work)", f"{plain_s / ours_s:.2f}×"),
            (f"{students} submissions: scores identical to plain nbgrader", "yes (asserted)"),
        ]
        if students == sizes[0]:
            rows.append((f"{students} submissions: python -m course grade with feedback pages (extra work plain "
                         "autograde does not do)",
                         f"{feedback_s:.1f} s ({feedback_s / students:.2f} s per submission)"))
        rows.append((f"{students} submissions: memory per student graded at once (peaks)",
                     _memory_row(kernel_peaks, worker_peaks)))
    return rows


GRADED_ASSIGNMENT = "00_warmup"


def _grading_class(tmp: Path, students: int) -> tuple[Path, Path]:
    """The same class twice: for stock nbgrader (the course config cut before its pipeline), and for ours."""
    import shutil

    from course.teach.release import run_nbgrader
    from hostile_class import build_class, new_course

    plain = new_course(tmp / "plain")
    build_class(GRADED_ASSIGNMENT, plain, hostile=False, extra_correct=students - 3)
    ours = tmp / "ours" / "course"
    shutil.copytree(plain, ours)
    config = (plain / "nbgrader_config.py").read_text(encoding="utf-8")
    (plain / "nbgrader_config.py").write_text(config.split(STOCK_CONFIG_CUT)[0], encoding="utf-8")
    run_nbgrader(["generate_assignment", GRADED_ASSIGNMENT, "--force"], plain)
    return plain, ours


def _time_stock_autograde(plain: Path) -> float:
    from course.teach.release import run_nbgrader

    start = time.perf_counter()
    run_nbgrader(["autograde", GRADED_ASSIGNMENT, "--create", "--force"], plain)
    return time.perf_counter() - start


def _stock_scores(plain: Path, students: list[str]) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{plain / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission(GRADED_ASSIGNMENT, student).score for student in students}


def _measured_memory(which: int) -> list[int]:
    """Peaks the last `grade_class` measured: 0 the students' sandboxes, 1 the workers (bytes)."""
    from course.teach.grading.workers import LAST_MEMORY

    return [peaks[which] for peaks in LAST_MEMORY.values() if peaks[which] is not None]


def _memory_row(kernel_peaks: list[int], worker_peaks: list[int]) -> str:
    mib = 2**20
    if not kernel_peaks:
        return "kernel not measured (no cgroup: grade as root to measure)"
    kernel, worker = statistics.median(kernel_peaks) / mib, max(worker_peaks) / mib
    return (f"kernel sandbox {kernel:.0f} MiB median, {max(kernel_peaks) / mib:.0f} MiB max (cgroup); worker "
            f"{worker:.0f} MiB max RSS (shared with the grader by fork); one worker holds its student's kernel and "
            f"the next one's pre-started: ≈ {worker + 2 * kernel:.0f} MiB per worker")


KEYWORD_EVENTS = r"coup|mutiny|rebellion|uprising|revolt|insurrection|putsch|crisis|turmoil|march"
KEYWORD_ACTORS = r"rebels?|mercenar(?:y|ies)"


def keyword_labels(text: str):
    """The baseline a student might write: the issue's label words by regular expression, and
    "quoted" when inside any quotation marks (speaker unknown)."""
    import re
    from types import SimpleNamespace

    from course.analysis.framing import ACTOR_LABEL, EVENT_LABEL
    from course.analysis.quotemarks import find_quotes

    quotes = find_quotes(text)
    found = []
    for pattern, category in ((KEYWORD_EVENTS, EVENT_LABEL), (KEYWORD_ACTORS, ACTOR_LABEL)):
        for match in re.finditer(rf"\b(?:{pattern})\b", text, flags=re.IGNORECASE):
            quoted = any(q.content_start <= match.start() < q.content_end for q in quotes)
            found.append(SimpleNamespace(category=category, start=match.start(), end=match.end(),
                                         voice="quoted" if quoted else "narrator", speaker=None))
    return found


def bench_framing(parse_s: float) -> Rows:
    """Event and actor labels against seeds/labels.json (credited only with the right voice), and timing."""
    from course.analysis.entities import cluster_entities
    from course.analysis.framing import ACTOR_LABEL, CATEGORIES, EVENT_LABEL, find_framing
    from course.analysis.quotes import extract_attributions
    from course.core.article import load_article
    from course.core.seeds import seeds_dir
    from course.evaluation.gold import load_gold_labels
    from course.evaluation.scores import score_labels

    doc = load_article().doc
    gold = load_gold_labels(seeds_dir() / "labels.json")
    clusters = cluster_entities(doc)
    attributions = extract_attributions(doc, clusters)
    found = find_framing(doc, clusters, attributions)
    rows = []
    groups = (("event + actor", {EVENT_LABEL, ACTOR_LABEL}), ("event", {EVENT_LABEL}), ("actor", {ACTOR_LABEL}))
    for name, categories in groups:
        sc = score_labels([d for d in found if d.category in categories], [g for g in gold if g.category in categories])
        rows.append((f"Seed labels, {name}, course.analysis.framing vs seeds/labels.json",
                     f"P {sc.precision:.2f} R {sc.recall:.2f} (right voice {sc.right_voice}/{sc.gold}, "
                     f"{sc.predicted} predicted); right speaker {sc.right_speaker}/{sc.gold}"))
    baseline = score_labels(keyword_labels(doc.text), gold)
    rows.append(("Seed labels, event + actor, keyword baseline (issue's word list, voice by quotation marks)",
                 f"P {baseline.precision:.2f} R {baseline.recall:.2f} "
                 f"(right voice {baseline.right_voice}/{baseline.gold}, "
                 f"{baseline.predicted} predicted); right speaker {baseline.right_speaker}/{baseline.gold}"))
    counts = {category: sum(d.category == category for d in found) for category in CATEGORIES}
    rows.append(("Devices found in the seed article, by category", ", ".join(f"{c} {n}" for c, n in counts.items())))
    framing_s = median_seconds(lambda: find_framing(doc, clusters, attributions))
    rows.append(("Framing analysis on the parsed article (entities and quotes given) / parse",
                 f"{framing_s * 1000:.0f} ms / {parse_s * 1000:.0f} ms = {framing_s / parse_s:.2f}×"))
    full_s = median_seconds(lambda: find_framing(doc))
    rows.append(("Framing analysis including entities and quotes / parse",
                 f"{full_s * 1000:.0f} ms / {parse_s * 1000:.0f} ms = {full_s / parse_s:.2f}×"))
    return rows


def bench_browser(loads: int = 3, interactions: int = 9) -> Rows:
    """The explorer app (Voilà) in headless Chromium: opening it to the first interactive view, and
    each explorer's main selection to its updated view, timed inside the page (target: under 300 ms)."""
    from harness import browser_problem

    problem = browser_problem()
    if problem:
        return [("Explorer app in Chromium", f"not measured: {problem}")]
    try:
        open_s, changes = time_explorer_app(loads, interactions)
    except Exception as err:  # reported in the table rather than ending `make bench`
        return [("Explorer app in Chromium", f"failed: {type(err).__name__}: {str(err).splitlines()[0][:200]}")]
    rows = [(f"Open the app to the first interactive view (median of {loads} loads, each with a new kernel)",
             f"{statistics.median(open_s):.2f} s (range {min(open_s):.2f}–{max(open_s):.2f} s)")]
    for (control, updates), ms in changes.items():
        median, slow = statistics.median(ms), sum(m >= 300 for m in ms)
        rows.append((f"{control} changed to updated {updates} (median of {len(ms)})",
                     f"{median:.0f} ms (max {max(ms):.0f} ms; median {'under' if median < 300 else 'OVER'} "
                     f"the 300 ms target, {slow} of {len(ms)} changes over it)"))
    return rows


def time_explorer_app(loads: int, interactions: int) -> tuple[list[float], dict[tuple[str, str], list[float]]]:
    """(seconds per app load, {(dropdown, what it updates): milliseconds per change}) in Chromium."""
    from harness import (
        REPO_ROOT,
        JupyterServer,
        chromium,
        explorer_with,
        open_app,
        time_selection_change,
        voila_kernel_id,
    )

    def options(root, control):
        select = root.get_by_role("combobox", name=control, exact=True)
        return [o.replace("\xa0", " ") for o in select.locator("option").all_text_contents()]

    with JupyterServer("voila", REPO_ROOT, notebook="notebooks/explorer_app.ipynb", name="bench-voila") as server, \
            chromium() as (_, context):
        open_s = []
        for _ in range(loads):  # each load starts a kernel, which reads the parsed article from the cache
            page = context.new_page()
            open_s.append(open_app(page, server))
            server.end_kernel(voila_kernel_id(page))
            page.close()
        page = context.new_page()
        open_app(page, server)
        changes = {}
        entities = explorer_with(page, "Entity type")
        kinds = ["ORG", "GPE", "PERSON"]
        changes[("Entity type", "chart, entity list and mentions")] = [
            time_selection_change(entities, "Entity type", kinds[i % 3]) for i in range(interactions)]
        quotes = explorer_with(page, "Speaker")
        speakers = options(quotes, "Speaker")  # one speaker, then "(all)", then the next speaker...
        picks = [s for speaker in speakers[1:] for s in (speaker, speakers[0])][:interactions]
        changes[("Speaker", "table, quote list and highlighted article")] = [
            time_selection_change(quotes, "Speaker", s) for s in picks]
        if page.get_by_role("combobox", name="Framing device", exact=True).count():
            framing = explorer_with(page, "Framing device")
            devices = options(framing, "Framing device")
            order = devices[1:] + devices[:1]
            changes[("Framing device", "counts, chart and highlighted article")] = [
                time_selection_change(framing, "Framing device", order[i % len(order)]) for i in range(interactions)]
        server.end_kernel(voila_kernel_id(page))
        page.close()
    return open_s, changes


def main() -> int:
    from length import length_sweep  # bench/length.py, beside this file

    parse_s = parse_seconds()
    sections = {
        "Loading the article": bench_article_load(),
        "Entities (issue: entity counts)": bench_entities(parse_s),
        "Quotes and sources (issue: who is quoted and how)": bench_quotes(parse_s),
        "Quotes on news the rules were not written for (seeds/eval)": bench_devset(),
        "Framing and translation (issue: framing and translation)": bench_framing(parse_s),
        "Source-audit report (issue: capstone)": bench_report(),
        "Exercises: catalogued wrong answers and what each is told": bench_mistakes(),
        "Any length: parse time and peak memory, each size in a fresh process": length_sweep(),
        "Grading a class (issue: instructor grading)": bench_grading(),
        "The explorers in a real browser (issue: the course in a real browser)": bench_browser(),
    }
    machine = f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores"
    lines = ["# Benchmarks", "", f"{machine}; medians of {RUNS} runs.", ""]
    for title, rows in sections.items():
        lines += [f"## {title}", "", "| Measure | Value |", "|---|---|", *[f"| {n} | {v} |" for n, v in rows], ""]
    table = "\n".join(lines)
    RESULTS.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
