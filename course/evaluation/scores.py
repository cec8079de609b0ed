"""Scores: the tools' output against human annotations (`course.evaluation.gold`).

Lessons use these to show students where the machine is right and wrong;
the benchmark uses them to report accuracy. Matching is by character
offsets, so a cluster gets credit only for mentions at the right place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from course.analysis.entities import PERSON, EntityCluster, Mention
from course.analysis.framing import LABEL_CATEGORIES, FramingDevice
from course.evaluation.gold import GoldAttribution, GoldEntity, GoldLabel


def ratio(part: int, whole: int) -> float:
    """part / whole, or 0.0 when there is nothing to divide by (no predictions, no gold items)."""
    return part / whole if whole else 0.0


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
        hosts = [c for c, owners in zip(predicted, owners_of, strict=True) if entity in owners]
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
        mention_precision=ratio(correct, len(all_predicted)),
        mention_recall=ratio(recalled, len(gold_spans)),
    )


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
        return ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def found_with_right_speaker(self) -> float:
        """Share of gold attributions found *and* given the right speaker."""
        return ratio(self.right_speaker, self.gold)


def same_canonical_speaker(predicted, gold: GoldAttribution) -> bool:
    """The seed annotations name speakers by their canonical cluster name, so they must be equal."""
    return predicted.speaker == gold.speaker


def overlap_key(predicted, gold) -> tuple[int, float]:
    """How a prediction ranks a gold item it may match: by the characters they share, then by the share of
    the gold item covered (ties go to the shorter gold item)."""
    shared = min(predicted.end, gold.end) - max(predicted.start, gold.start)
    return shared, shared / max(1, gold.end - gold.start)


def score_attributions(predicted, gold: list[GoldAttribution], kind: str, min_overlap: float = 0.3,
                       same_speaker: Callable[[Any, GoldAttribution], bool] = same_canonical_speaker,
                       ) -> AttributionScore:
    """Match `predicted` attributions (anything with kind/start/end/speaker) to `gold` of one kind.

    A prediction matches a gold attribution when it covers at least `min_overlap`
    of the gold span (the GenderGapTracker rule); each gold item matches once.
    Of the gold items it overlaps most, it takes the one it covers the largest share of
    (a report that is exactly a gold report inside a longer one matches the inner one).
    `same_speaker` decides whether a matched prediction names the right speaker.
    """
    wanted_gold = [g for g in gold if g.kind == kind]
    wanted_pred = [p for p in predicted if p.kind == kind]
    unmatched = list(wanted_gold)
    matched = right = 0
    for p in wanted_pred:
        best = max(unmatched, key=lambda g: overlap_key(p, g), default=None)
        if best is not None and overlap_key(p, best)[1] >= min_overlap:
            unmatched.remove(best)
            matched += 1
            right += same_speaker(p, best)
    return AttributionScore(kind, len(wanted_gold), len(wanted_pred), matched, right)


@dataclass(frozen=True)
class LabelScore:
    """Found labels against a gold list: matched by overlap and category, credited only with the right voice."""

    gold: int
    predicted: int
    found: int           # gold labels matched by a prediction, whatever its voice
    right_voice: int     # ... and given the right voice
    right_speaker: int   # ... and the right voice and speaker

    @property
    def precision(self) -> float:
        return ratio(self.right_voice, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.right_voice, self.gold)


def score_labels(devices: Iterable[FramingDevice], gold: list[GoldLabel]) -> LabelScore:
    """Score event and actor labels against `gold`; each gold label can be matched once."""
    predicted = [d for d in devices if d.category in LABEL_CATEGORIES]
    unmatched = list(gold)
    found = right_voice = right_speaker = 0
    for device in predicted:
        match = next((g for g in unmatched if g.category == device.category
                      and g.start < device.end and device.start < g.end), None)
        if match is None:
            continue
        unmatched.remove(match)
        found += 1
        if device.voice == match.voice:
            right_voice += 1
            right_speaker += device.speaker == match.speaker
    return LabelScore(len(gold), len(predicted), found, right_voice, right_speaker)
