"""List the attribution errors on the development set's `dev` split, article by article.

    .venv/bin/python tools/devset_dev.py                 # dev figures and every dev error
    .venv/bin/python tools/devset_dev.py --summary       # dev figures only
    .venv/bin/python tools/devset_dev.py --kind indirect # errors of one kind
    .venv/bin/python tools/devset_dev.py ID ...          # errors in some dev articles
    .venv/bin/python tools/devset_dev.py --heldout-figures  # heldout aggregate figures, nothing per item
    .venv/bin/python tools/devset_dev.py --clear-only    # also the figures on undisputed cases only
    .venv/bin/python tools/devset_dev.py --second        # the second annotator against the first, not the rules

Rules may be changed only while reading the `dev` split (seeds/eval/GUIDELINE.md). This tool
refuses to show anything per article for a `heldout` article: for that split it prints only the
aggregate figures, which are what a round's result is reported with.

`--clear-only` adds, for either split, the figures on undisputed cases only
(`score_devset(..., clear_only=True)`: gold marked `borderline` is left out, and so is every
prediction on it that covers no undisputed gold of its kind), and the ceiling on all cases if every
undisputed case were right (`ceiling_with_undisputed_right`); for `dev` it lists the errors on the
same cases, matched as the figures are.

`--second` puts the second annotator (`seeds/eval/second/`) where the rules were, on the articles
both read: its figures are how far two careful readers agree, and its "errors" are where they differ.

Each error is one of:
- `missed`: a gold attribution no prediction of its kind covers;
- `wrong speaker`: found, but the predicted speaker is not the annotated one (`no speaker` when none);
- `spurious`: a prediction of a kind that matches no gold attribution of that kind
  (`other kind` when it covers a gold attribution of another kind).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from types import SimpleNamespace

from course.analysis.entities import clusters_of
from course.analysis.quotes import extract_attributions
from course.core.article import parse_article
from course.evaluation.devset import (
    DEV,
    HELDOUT,
    KINDS,
    by_outlet,
    ceiling_with_undisputed_right,
    load_devset,
    load_second_reading,
    same_surname_or_group,
    score_devset,
    undisputed,
)
from course.evaluation.scores import overlap_key


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _predict(article) -> list:
    doc = parse_article(article.text, article.id).doc
    return extract_attributions(doc, clusters_of(doc))


def _predictions(articles, second: bool) -> tuple[list, dict]:
    """(articles, predictions by id): the rules' on every article, or the second annotator's on those it read."""
    if not second:
        return articles, {a.id: _predict(a) for a in articles}
    read = load_second_reading(articles)
    shown = {a.id: [SimpleNamespace(kind=g.kind, start=g.start, end=g.end, speaker=g.speaker, source=g.speaker,
                                    speaker_text=g.speaker, cue=None, flags=(), text=a.text[g.start:g.end])
                    for g in a.attributions] for a in read}
    return [a for a in articles if a.id in shown], shown


def _figures(scores) -> str:
    return "; ".join(
        f"{kind} {sc.found_with_right_speaker:.2f} ({sc.right_speaker}/{sc.gold}) P {sc.precision:.2f} "
        f"(found {sc.matched}, predicted {sc.predicted})" for kind, sc in scores.items())


def _per_outlet(split: str, predictions, articles) -> list[str]:
    """One line of figures per outlet, when the articles come from more than one."""
    groups = by_outlet(articles)
    if len(groups) < 2:
        return []
    return [f"{split}, of which {outlet} ({len(group)} articles): {_figures(score_devset(predictions, group))}"
            for outlet, group in groups.items()]


def _ceiling(predictions, articles) -> str:
    ceiling = ceiling_with_undisputed_right(predictions, articles)
    return "with every undisputed case right: " + "; ".join(f"{kind} {ceiling[kind]:.2f}" for kind in KINDS)


def _errors(article, predicted, kinds, clear_only: bool = False, ours: str = "ours") -> list[tuple[str, str, str]]:
    """(category, kind, description) for each error, matched the way `score_attributions` matches;
    `ours` names whoever made `predicted` (the rules, or the second annotator)."""
    errors = []
    attributions = list(article.attributions)
    if clear_only:
        attributions, predicted = undisputed(article, predicted)
    for kind in kinds:
        gold = [g for g in attributions if g.kind == kind]
        unmatched = list(gold)
        for p in (p for p in predicted if p.kind == kind):
            best = max(unmatched, key=lambda g: overlap_key(p, g), default=None)
            if best is not None and overlap_key(p, best)[1] >= 0.3:
                unmatched.remove(best)
                if not same_surname_or_group(p, best):
                    who = p.source or "no speaker"
                    errors.append(("wrong speaker", kind, f"{p.start}: gold {best.speaker!r}, {ours} {who!r} "
                                   f"[{p.speaker_text!r}, cue {p.cue!r}, flags {list(p.flags)}] «{_short(p.text)}»"))
                continue
            other = [g for g in attributions if g.kind != kind and g.start < p.end and p.start < g.end]
            where = f" (gold {other[0].kind}, {other[0].speaker!r})" if other else ""
            errors.append(("spurious", kind, f"{p.start}: {ours} {p.source!r} cue {p.cue!r}{where} «{_short(p.text)}»"))
        for g in unmatched:
            near = [p for p in predicted if p.start < g.end and g.start < p.end]
            seen = f" ({ours} as {near[0].kind}, {near[0].source!r})" if near else ""
            disputed = " [borderline]" if g in article.borderline else ""
            errors.append(("missed", kind, f"{g.start}: gold {g.speaker!r}{seen}{disputed} "
                           f"«{_short(article.text[g.start:g.end])}»"))
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="dev article ids (default: every dev article)")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only errors of this kind")
    parser.add_argument("--summary", action="store_true", help="figures only, no errors")
    parser.add_argument("--heldout-figures", action="store_true",
                        help="the heldout split's aggregate figures only (nothing per article)")
    parser.add_argument("--second", action="store_true",
                        help="score the second annotator against the first, on the articles both read")
    parser.add_argument("--clear-only", action="store_true",
                        help="also report the figures on undisputed cases only (borderline gold left out), "
                             "and list only the errors on those")
    args = parser.parse_args(argv)

    if args.heldout_figures:
        if args.ids or args.kind:
            parser.error("--heldout-figures prints aggregate figures only: no ids, no --kind")
        articles, predicted = _predictions(load_devset(HELDOUT), args.second)
        print(f"heldout ({len(articles)} articles): {_figures(score_devset(predicted, articles))}")
        for line in _per_outlet("heldout", predicted, articles):
            print(line)
        if args.clear_only:
            clear = score_devset(predicted, articles, clear_only=True)
            print(f"heldout ({len(articles)} articles), undisputed only: {_figures(clear)}")
            print(f"heldout ({len(articles)} articles), {_ceiling(predicted, articles)}")
        return 0

    articles = load_devset(DEV)
    known = {a.id for a in articles}
    for wanted in args.ids:
        if wanted not in known:
            print(f"{wanted}: not a dev article; this tool shows nothing per article for the heldout split",
                  file=sys.stderr)
            return 2
    articles, predictions = _predictions([a for a in articles if not args.ids or a.id in args.ids], args.second)
    kinds = tuple(args.kind or KINDS)
    tally: Counter = Counter()
    for article in articles:
        if args.summary:
            continue
        errors = _errors(article, predictions[article.id], kinds, args.clear_only, "second" if args.second else "ours")
        tally.update((category, kind) for category, kind, _ in errors)
        if errors:
            print(f"\n== {article.id}")
            for category, kind, description in sorted(errors, key=lambda e: (e[1], e[0])):
                print(f"  {kind:8} {category:13} {description}")
    if not args.summary:
        print("\nErrors: " + ", ".join(f"{kind} {category} {n}" for (category, kind), n in sorted(tally.items())))
    print(f"dev ({len(articles)} articles): {_figures(score_devset(predictions, articles))}")
    for line in _per_outlet("dev", predictions, articles):
        print(line)
    if args.clear_only:
        clear = score_devset(predictions, articles, clear_only=True)
        print(f"dev ({len(articles)} articles), undisputed only: {_figures(clear)}")
        print(f"dev ({len(articles)} articles), {_ceiling(predictions, articles)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
