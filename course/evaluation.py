"""Compare the tools' output with human annotations in seeds/.

Lessons use these to show students where the machine is right and wrong;
the benchmark uses them to report accuracy. Matching is by character
offsets, so a cluster gets credit only for mentions at the right place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .entities import PERSON, EntityCluster, Mention


@dataclass(frozen=True)
class GoldEntity:
    """One entity as a person annotated it: a name and its mention offsets."""

    name: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ClusterScore:
    """How well predicted clusters reproduce a gold list of entities."""

    gold_entities: int
    found: int             # gold entities with at least one mention in a predicted cluster
    exactly_one: int       # ... whose mentions all sit in one cluster that holds nobody else
    false_splits: int      # gold entities spread over two or more clusters
    false_merges: int      # predicted clusters holding mentions of two or more gold entities
    exact_counts: int      # gold entities in one clean cluster with exactly the right mentions
    mention_precision: float
    mention_recall: float


def load_gold_people(path: str | Path) -> list[GoldEntity]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        GoldEntity(p["name"], tuple((m["start"], m["end"]) for m in p["mentions"]))
        for p in data["people"]
    ]


def _overlaps(mention: Mention, span: tuple[int, int]) -> bool:
    return mention.start < span[1] and span[0] < mention.end


def score_clusters(clusters: list[EntityCluster], gold: list[GoldEntity], label: str = PERSON) -> ClusterScore:
    """Score the `label` clusters against `gold` (see ClusterScore for each figure)."""
    predicted = [c for c in clusters if c.label == label]

    def owner(mention: Mention) -> GoldEntity | None:
        return next((g for g in gold if any(_overlaps(mention, span) for span in g.mentions)), None)

    owners_of = [{owner(m) for m in c.mentions} - {None} for c in predicted]
    false_merges = sum(1 for owners in owners_of if len(owners) > 1)
    found = exactly_one = splits = exact = 0
    for entity in gold:
        hosts = [c for c, owners in zip(predicted, owners_of) if entity in owners]
        found += bool(hosts)
        splits += len(hosts) > 1
        if len(hosts) == 1 and owners_of[predicted.index(hosts[0])] == {entity}:
            exactly_one += 1
            matched = sum(1 for m in hosts[0].mentions if owner(m) is entity)
            exact += matched == hosts[0].count == len(entity.mentions)

    all_predicted = [m for c in predicted for m in c.mentions]
    correct = sum(1 for m in all_predicted if owner(m) is not None)
    gold_spans = [span for g in gold for span in g.mentions]
    recalled = sum(1 for span in gold_spans if any(_overlaps(m, span) for m in all_predicted))
    return ClusterScore(
        gold_entities=len(gold),
        found=found,
        exactly_one=exactly_one,
        false_splits=splits,
        false_merges=false_merges,
        exact_counts=exact,
        mention_precision=correct / len(all_predicted) if all_predicted else 0.0,
        mention_recall=recalled / len(gold_spans) if gold_spans else 0.0,
    )


def raw_model_clusters(mentions: list[Mention]) -> list[EntityCluster]:
    """The baseline: the model's spans grouped only by identical text and label, most frequent first."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.text, m.label), []).append(m)
    clusters = [EntityCluster(text, label, tuple(ms)) for (text, label), ms in groups.items()]
    return sorted(clusters, key=lambda c: (-c.count, c.mentions[0].start))


@dataclass(frozen=True)
class GoldAttribution:
    kind: str
    start: int
    end: int
    speaker: str | None


@dataclass(frozen=True)
class AttributionScore:
    """Finding attributions of one kind, and naming their speakers, against a gold list."""

    kind: str
    gold: int
    predicted: int
    matched: int
    right_speaker: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def found_with_right_speaker(self) -> float:
        """Share of gold attributions found *and* given the right speaker."""
        return self.right_speaker / self.gold if self.gold else 0.0


def load_gold_attributions(path: str | Path) -> list[GoldAttribution]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [GoldAttribution(a["kind"], a["start"], a["end"], a["speaker"]) for a in data["attributions"]]


def score_attributions(predicted, gold: list[GoldAttribution], kind: str, min_overlap: float = 0.3) -> AttributionScore:
    """Match `predicted` attributions (anything with kind/start/end/speaker) to `gold` of one kind.

    A prediction matches a gold attribution when it covers at least `min_overlap`
    of the gold span (the GenderGapTracker rule); each gold item matches once.
    """
    wanted_gold = [g for g in gold if g.kind == kind]
    wanted_pred = [p for p in predicted if p.kind == kind]
    unmatched = list(wanted_gold)
    matched = right = 0
    for p in wanted_pred:
        best = max(
            unmatched,
            key=lambda g: min(p.end, g.end) - max(p.start, g.start),
            default=None,
        )
        if best is None:
            continue
        overlap = min(p.end, best.end) - max(p.start, best.start)
        if overlap / (best.end - best.start) >= min_overlap:
            unmatched.remove(best)
            matched += 1
            right += p.speaker == best.speaker
    return AttributionScore(kind, len(wanted_gold), len(wanted_pred), matched, right)
