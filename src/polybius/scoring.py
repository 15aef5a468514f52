"""Scoring coded events against gold events, by the rules of the team's reference scorer.

Six levels, micro precision/recall/F1: `plover` (PLOVER type), `plover_dyad` (source country,
target country, type), `plover_full` (with sectors), `root` (CAMEO root), `dyad` (countries +
root) and `full` (countries, sectors, exact CAMEO code). Predicted events count once per
source x target pair; negated events are left out. Within a record each gold event takes the
first unused prediction with an equal key. A level scores only records whose gold events all
carry its label (records with no gold events count everywhere). Actor values compare upper-cased;
"", "---" and non-state primary codes (IGO, NGO, IMG, ISM, MNC, NGM, UIS) are a null country;
with `lenient_null` a null gold country or sector matches anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("plover", "plover_dyad", "plover_full", "root", "dyad", "full")
NULL_COUNTRIES = frozenset({"", "---", "IGO", "NGO", "IMG", "ISM", "MNC", "NGM", "UIS"})
NULL_SECTORS = frozenset({"", "***"})
WILDCARD = "*"  # a null gold value under lenient_null


@dataclass(frozen=True, slots=True)
class FlatEvent:
    """One scorable event: one source, one target, its CAMEO code and PLOVER type."""

    source_country: str | None
    source_sector: str | None
    target_country: str | None
    target_sector: str | None
    cameo: str | None
    plover: str | None


@dataclass(slots=True)
class LevelScore:
    records: int = 0
    gold: int = 0
    predicted: int = 0
    true_positives: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "gold": self.gold,
            "pred": self.predicted,
            "tp": self.true_positives,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class Report:
    levels: dict[str, LevelScore]
    confusion: Counter = field(default_factory=Counter)  # (gold root, predicted root or "-") -> count

    def to_dict(self) -> dict[str, Any]:
        return {level: score.to_dict() for level, score in self.levels.items()}


def _norm(value: Any, nulls: frozenset[str]) -> str | None:
    text = str(value).strip().upper() if value is not None else ""
    return None if text in nulls else text


def flatten_gold(events: Iterable[Mapping[str, Any]]) -> list[FlatEvent]:
    """Gold events: one source and one target each."""
    out = []
    for event in events:
        source, target = event.get("source") or {}, event.get("target") or {}
        out.append(
            FlatEvent(
                _norm(source.get("country"), NULL_COUNTRIES),
                _norm(source.get("sector"), NULL_SECTORS),
                _norm(target.get("country"), NULL_COUNTRIES),
                _norm(target.get("sector"), NULL_SECTORS),
                _norm(event.get("cameo"), frozenset({""})),
                _norm(event.get("plover"), frozenset({""})),
            )
        )
    return out


def flatten_document(events: Iterable[Mapping[str, Any]]) -> list[FlatEvent]:
    """Polybius output events: one per source x target pair, negated events left out."""
    out = []
    for event in events:
        if event.get("negated"):
            continue
        plover = event.get("plover")
        plover = plover.get("type") if isinstance(plover, Mapping) else plover
        for source in event.get("source") or [{}]:
            for target in event.get("target") or [{}]:
                out.extend(flatten_gold([{"source": source, "target": target, "cameo": event.get("cameo"),
                                          "plover": plover}]))  # fmt: skip
    return out


def level_key(event: FlatEvent, level: str, gold: bool, lenient: bool) -> tuple | None:
    """The values compared at `level`, or None for a gold event without that level's label."""

    def actor(value: str | None) -> str | None:
        return WILDCARD if value is None and gold and lenient else value

    label = event.plover if level.startswith("plover") else event.cameo
    if label is None and gold:
        return None
    countries = (actor(event.source_country), actor(event.target_country))
    if level == "plover":
        return (label,)
    if level == "plover_dyad":
        return (*countries, label)
    if level == "plover_full":
        return (countries[0], actor(event.source_sector), countries[1], actor(event.target_sector), label)
    root = label[:2] if label else None
    if level == "root":
        return (root,)
    if level == "dyad":
        return (*countries, root)
    return (countries[0], actor(event.source_sector), countries[1], actor(event.target_sector), label)


def _matches(gold_key: tuple, predicted_key: tuple) -> bool:
    return all(g in (WILDCARD, p) for g, p in zip(gold_key, predicted_key, strict=True))


def score(
    gold: Mapping[str, list[FlatEvent]], predicted: Mapping[str, list[FlatEvent]], lenient: bool = False
) -> Report:
    report = Report({level: LevelScore() for level in LEVELS})
    for level in LEVELS:
        result = report.levels[level]
        for record_id, gold_events in gold.items():
            gold_keys = [level_key(e, level, True, lenient) for e in gold_events]
            if any(k is None for k in gold_keys):
                continue
            predicted_keys = [level_key(e, level, False, lenient) for e in predicted.get(record_id, [])]
            result.records += 1
            result.gold += len(gold_keys)
            result.predicted += len(predicted_keys)
            used: set[int] = set()
            for gold_key in gold_keys:
                hit = next((i for i, k in enumerate(predicted_keys) if i not in used and _matches(gold_key, k)), None)
                if hit is not None:
                    used.add(hit)
                    result.true_positives += 1
    report.confusion = root_confusion(gold, predicted)
    return report


def root_confusion(gold: Mapping[str, list[FlatEvent]], predicted: Mapping[str, list[FlatEvent]]) -> Counter:
    """(gold root, predicted root) counts, pairing equal roots first; "-" marks a miss or a spurious event."""
    confusion: Counter = Counter()
    for record_id, gold_events in gold.items():
        gold_roots = [e.cameo[:2] for e in gold_events if e.cameo]
        if len(gold_roots) != len(gold_events):
            continue
        predicted_roots = [e.cameo[:2] for e in predicted.get(record_id, []) if e.cameo]
        for root in list(gold_roots):
            if root in predicted_roots:
                predicted_roots.remove(root)
                gold_roots.remove(root)
                confusion[root, root] += 1
        for gold_root, predicted_root in zip(gold_roots, predicted_roots, strict=False):
            confusion[gold_root, predicted_root] += 1
        for gold_root in gold_roots[len(predicted_roots) :]:
            confusion[gold_root, "-"] += 1
        for predicted_root in predicted_roots[len(gold_roots) :]:
            confusion["-", predicted_root] += 1
    return confusion
