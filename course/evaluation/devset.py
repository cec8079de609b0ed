"""The development set: real, openly licensed news that the rules were not written against.

`seeds/eval/news/` holds one `<id>.txt` and one `<id>.json` per article, annotated
by hand following `seeds/eval/GUIDELINE.md`. Each article belongs to one split,
fixed by its id before any rule ran on it: `dev` (rules may be changed while
reading these) or `heldout` (scored, never read while changing rules). `seeds/eval/second/`
holds a second, independent annotation of some of them: how far two readers agree.

Speakers are annotated as a surname ("Haddad") or a group noun ("police"), not
as the course's canonical names, so a prediction names the right speaker when
the gold speaker's last word is a word of the predicted speaker or speaker phrase
(dots left out: 'u.n.' is 'UN'), or the gold speaker is one word that is the initials of the predicted name ("sdf").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from course.analysis.entities import PERSON, EntityCluster, initials
from course.analysis.names import split_title, without_accents
from course.core.lexicons import word_set
from course.core.paths import seeds_dir
from course.core.textio import read_text_file
from course.evaluation.gold import GoldAttribution, read_json
from course.evaluation.scores import AttributionScore, ratio, score_attributions

DEV, HELDOUT = "dev", "heldout"
SPLITS = (DEV, HELDOUT)
KINDS = ("direct", "partial", "indirect")


@dataclass(frozen=True)
class DevArticle:
    """One annotated article: its text, gold attributions and the people it names, with counts."""

    id: str
    split: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    people: tuple[tuple[str, int], ...]
    license: str
    credit: str
    borderline: tuple[GoldAttribution, ...] = ()  # the attributions a careful second reader could dispute
    outlet: str = ""  # who published it ('Wikinews', 'Global Voices'): figures per outlet, `by_outlet`


def split_of(article_id: str) -> str:
    """`dev` when sha256(id) starts with a digit, else `heldout` (about 10 in 16 are dev)."""
    return DEV if hashlib.sha256(article_id.encode("utf-8")).hexdigest()[0].isdigit() else HELDOUT


def devset_dir() -> Path:
    return seeds_dir() / "eval" / "news"


def load_devset(split: str | None = None, folder: Path | None = None) -> list[DevArticle]:
    """Every annotated article (of one split, if given), in id order."""
    folder = folder or devset_dir()
    articles = []
    for path in sorted(folder.glob("*.json")):
        data = read_json(path)
        if split is None or split_of(data["id"]) == split:
            articles.append(_article(data, read_text_file(path.with_suffix(".txt")), data["license"], data["credit"],
                                     data.get("outlet", "")))
    return articles


def second_reading_dir() -> Path:
    return devset_dir().parent / "second"


def load_second_reading(articles: Iterable[DevArticle], folder: Path | None = None) -> list[DevArticle]:
    """The articles of `articles` that a second annotator read on their own (`seeds/eval/second/`:
    the same JSON records without licence fields, no text), as that annotator annotated them.

    Scoring these against the first annotation (`score_devset({a.id: a.attributions ...}, first)`)
    measures how far two careful readers agree: the most that rules can be expected to reach.
    """
    first = {article.id: article for article in articles}
    second = []
    for path in sorted((folder or second_reading_dir()).glob("*.json")):
        data = read_json(path)
        if data["id"] in first:
            article = first[data["id"]]
            second.append(_article(data, article.text, article.license, article.credit, article.outlet))
    return second


def _article(data: dict, text: str, license: str, credit: str, outlet: str) -> DevArticle:
    gold = tuple(GoldAttribution(a["kind"], a["start"], a["end"], a["speaker"]) for a in data["attributions"])
    disputed = tuple(g for g, a in zip(gold, data["attributions"], strict=True) if a.get("borderline"))
    return DevArticle(data["id"], split_of(data["id"]), text, gold,
                      tuple((p["name"], p["count"]) for p in data.get("people", [])),
                      license, credit, disputed, outlet)


def _words(name: str | None) -> list[str]:
    """Lower-case words without a possessive 's, dots or accents: 'U.N.' and 'UN' are one word, 'un', and so are
    'Türk' and 'Turk', which one text may write both ways. An underscore or a hyphen separates words, as in a
    handle or an Arabic article: '@Tern_Trust' is 'tern', 'trust', and 'al-Amin' is 'al', 'amin'."""
    text = re.sub(r"['’]s\b", "", without_accents(name or "").lower()).replace("_", " ")
    return [w.replace(".", "") for w in re.findall(r"[\w.]+", text)]


def _person_words(name: str) -> list[str]:
    """`_words` of a person's name without its leading titles or trailing generational suffix, which an annotator
    may write and a cluster's name leaves out: 'Queen Elizabeth II' and 'Elizabeth II' are one name, and so are
    'Cyrus R. Vance, Jr.' and 'Cyrus R. Vance'."""
    words = _words(split_title(name)[1])
    while len(words) > 1 and words[-1] in word_set("name_suffixes.txt"):
        words = words[:-1]
    return words


def _someone_else(cluster_words: list[str], annotated_words: list[str]) -> bool:
    """True for a full name that shares the annotated surname but not the first name."""
    return len(cluster_words) > 1 and cluster_words[0] != annotated_words[0]


def same_surname_or_group(predicted, gold: GoldAttribution) -> bool:
    """Right speaker for the development set's annotation style (see the module docstring).

    A gold attribution with no source is matched only by a prediction with no source.
    """
    source = getattr(predicted, "source", None) or predicted.speaker
    if gold.speaker is None:
        return source is None
    gold_words = _words(gold.speaker)
    if not gold_words:
        return False
    return gold_words[-1] in _words(source) or (len(gold_words) == 1 and _initials(source) == gold_words[0])


def _initials(name: str | None) -> str:
    """'sdf' for 'Syrian Democratic Forces': an annotator may write an organisation by its initials. Only a
    name whose words are all capitalised has them ('Médecins sans Frontières' does not: 'sans')."""
    words = [w for w in re.findall(r"[^\W\d_]+", name or "") if w.lower() not in word_set("title_small_words.txt")]
    return without_accents(initials(name or "")).lower() if all(w[0].isupper() for w in words) else ""


def _overlap(a, b) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _covers_clear_gold(predicted, gold: list[GoldAttribution], min_overlap: float = 0.3) -> bool:
    return any(g.kind == predicted.kind and _overlap(predicted, g) >= min_overlap * (g.end - g.start) for g in gold)


def undisputed(article: DevArticle, predicted: list) -> tuple[list[GoldAttribution], list]:
    """(gold, predicted) on the undisputed cases alone: the gold marked `borderline` left out, and every
    prediction on it that covers no undisputed gold attribution of its kind (neither credited nor spurious)."""
    gold = [g for g in article.attributions if g not in article.borderline]
    kept = [p for p in predicted if _covers_clear_gold(p, gold)
            or not any(_overlap(p, b) > 0 for b in article.borderline)]
    return gold, kept


def by_outlet(articles: Iterable[DevArticle]) -> dict[str, list[DevArticle]]:
    """The articles grouped by outlet, largest group first: news agencies and blog round-ups quote differently
    (block quotes of posts without quotation marks), so one figure over both hides where the rules fall short."""
    groups: dict[str, list[DevArticle]] = {}
    for article in articles:
        groups.setdefault(article.outlet, []).append(article)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def score_devset(predictions: dict[str, list], articles: Iterable[DevArticle],
                 clear_only: bool = False) -> dict[str, AttributionScore]:
    """Scores per kind, summed over `articles`; `predictions` maps article id to its attributions.

    `clear_only` scores the undisputed cases alone: gold attributions marked `borderline` are
    left out, and so is every prediction on one that covers no undisputed gold attribution of its
    kind (it is neither credited nor spurious).
    """
    totals: dict[str, list[int]] = {kind: [0, 0, 0, 0] for kind in KINDS}
    for article in articles:
        gold, predicted = list(article.attributions), predictions[article.id]
        if clear_only:
            gold, predicted = undisputed(article, predicted)
        for kind in KINDS:
            score = score_attributions(predicted, gold, kind, same_speaker=same_surname_or_group)
            for i, value in enumerate((score.gold, score.predicted, score.matched, score.right_speaker)):
                totals[kind][i] += value
    return {kind: AttributionScore(kind, *values) for kind, values in totals.items()}


def ceiling_with_undisputed_right(predictions: dict[str, list], articles: Iterable[DevArticle]) -> dict[str, float]:
    """Found with the right speaker, per kind, on all gold if every undisputed case were right and the
    borderline ones kept their present score. No upper bound for rules: the second reading
    (`load_second_reading`) shows that two readers agree on most borderline cases too."""
    every = dict.fromkeys(KINDS, 0)
    reachable = dict.fromkeys(KINDS, 0)
    for article in articles:
        for kind in KINDS:
            disputed = [g for g in article.borderline if g.kind == kind]
            undisputed = sum(g.kind == kind for g in article.attributions) - len(disputed)
            right = score_attributions(predictions[article.id], disputed, kind, same_speaker=same_surname_or_group)
            every[kind] += undisputed + len(disputed)
            reachable[kind] += undisputed + right.right_speaker
    return {kind: ratio(reachable[kind], every[kind]) for kind in KINDS}


def people_counted_exactly(clusters: list[EntityCluster], article: DevArticle) -> tuple[int, int]:
    """(people whose named mentions the clusters count exactly, people annotated): see `counts_agree`."""
    return counts_agree([(c.name, c.count) for c in clusters if c.label == PERSON], article)


def people_unlisted(clusters: list[EntityCluster], article: DevArticle) -> tuple[int, int]:
    """(person clusters whose last word is no annotated person's last word, person clusters): the other side of
    `people_counted_exactly`, which a rule that made every name a person would not lower. A cluster counted
    here is a title, place, organisation or group taken for a person, a name cut short, or, now and then, a
    person the annotator did not list."""
    listed = {_person_words(name)[-1] for name, _ in article.people if _person_words(name)}
    persons = [c for c in clusters if c.label == PERSON]
    return sum(not _person_words(c.name) or _person_words(c.name)[-1] not in listed for c in persons), len(persons)


def counts_agree(counted: list[tuple[str, int]], article: DevArticle) -> tuple[int, int]:
    """(people of the article whose named mentions `counted` gives exactly, people annotated).

    `counted` is (name, count) per person, from the clusters or from a second annotator.
    A person is counted exactly when exactly one name there ends in the annotated surname
    and has the annotated count. Another person of the same surname (a name with a different
    first word, as 'Louise Turpin' beside 'David Turpin') is someone else, not a split of this one.
    """
    exact = 0
    for name, count in article.people:
        words = _person_words(name)
        hosts = [(other, n) for other, n in counted if _person_words(other)[-1:] == words[-1:]]
        if len(words) > 1:
            hosts = [(other, n) for other, n in hosts if not _someone_else(_person_words(other), words)]
        exact += len(hosts) == 1 and hosts[0][1] == count
    return exact, len(article.people)
