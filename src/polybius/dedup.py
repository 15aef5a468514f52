"""Cross-article deduplication: reports of the same real-world event become one event.

GDELT counts how often an event is mentioned (NumMentions, NumSources, NumArticles) but keeps a
row per report; here the reports are merged. Two coded events are the same event when they have
the same CAMEO root and negation, and either

- **actors**: the same source and the same target entities (as sets; every one of them resolved
  to something that means the same in another article: a KB entity such as `RUS`, `TUR.GOV`,
  `ISIL`, or a country and sector; a bare country matches any sector of it, since "Poland" and
  "Poland's Foreign Ministry" report the same act) and event dates within `window_days`; or
- **sentence**: reports in different articles with near-identical sentences (word-bigram Jaccard
  >= `sentence_similarity`) and the same trigger words, such as wire copy republished under a new
  headline, dated within `copy_window_days`, whose actors do not contradict each other (no role
  where both have resolved actors and they share none). One sentence often holds two events
  ("jets struck ... after a rocket was fired"), hence the trigger and the different articles.

Clustering is greedy in date order and deterministic: an event joins the first open cluster whose
first event (its leader) matches it by actors, or any of whose members matches it by sentence; a
cluster spans at most `window_days` for the actor rule, so daily repeated strikes do not chain
into one long event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

Rule = Literal["first", "actors", "sentence"]
ID_BITS = 52  # exact in a float64, so the id survives spreadsheets and JavaScript
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupSettings:
    window_days: int = 1
    copy_window_days: int = 7
    sentence_similarity: float = 0.8


@dataclass(frozen=True, slots=True)
class DedupEvent:
    """What deduplication needs of one stored event."""

    event_id: str
    article_id: str
    position: int
    source_key: str  # who published the article: its source name, URL host or id
    article_date: dt.date | None
    date: dt.date | None
    cameo_root: str
    negated: bool
    sentence: str
    trigger: str
    sources: frozenset[str]  # cross-article actor keys of the resolved source actors
    targets: frozenset[str]
    fully_resolved: bool  # every source and target actor has a cross-article key

    def order(self) -> tuple:
        return (self.date or dt.date.min, self.article_date or dt.date.min, self.article_id, self.position)


@dataclass(slots=True)
class Cluster:
    members: list[DedupEvent] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # members by trigger words, with their sentence shingles: the sentence rule only looks at these
    by_trigger: dict[str, list[tuple[DedupEvent, frozenset[str]]]] = field(default_factory=dict)

    def add(self, event: DedupEvent, rule: Rule, event_shingles: frozenset[str]) -> None:
        self.members.append(event)
        self.rules.append(rule)
        self.by_trigger.setdefault(event.trigger.lower(), []).append((event, event_shingles))

    @property
    def leader(self) -> DedupEvent:
        return self.members[0]

    @property
    def num_articles(self) -> int:
        return len({m.article_id for m in self.members})

    @property
    def num_sources(self) -> int:
        return len({m.source_key for m in self.members})


def actor_key(entity: str, country: str | None, sector: str | None) -> str | None:
    """An actor's identity across articles, or None when it only means something inside one article.

    Role-only mentions ("officials") get article-local entities (`GOV@123`); with a country they
    still name the same kind of actor anywhere (`BLR.GOV`), without one they name nobody in particular.
    """
    if "@" not in entity:
        return entity
    if country:
        return f"{country}.{sector}" if sector else country
    return None


def shingles(sentence: str) -> frozenset[str]:
    words = WORD.findall(sentence.lower())
    if len(words) < 2:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in pairwise(words))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def days_apart(a: dt.date | None, b: dt.date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def same_by_actors(leader: DedupEvent, event: DedupEvent, settings: DedupSettings) -> bool:
    apart = days_apart(leader.date, event.date)
    return (
        apart is not None
        and apart <= settings.window_days
        and leader.fully_resolved
        and event.fully_resolved
        and bool(leader.sources)
        and same_actors(leader.sources, event.sources)
        and same_actors(leader.targets, event.targets)
    )


def same_actor(a: str, b: str) -> bool:
    """Equal keys, or a country and one of its sectors: "Poland" and "Poland's Foreign Ministry"
    report the same expulsion."""
    return a == b or (len(a) == 3 and b.startswith(f"{a}.")) or (len(b) == 3 and a.startswith(f"{b}."))


def same_actors(a: frozenset[str], b: frozenset[str]) -> bool:
    """Every actor of each side has a counterpart on the other."""
    return all(any(same_actor(x, y) for y in b) for x in a) and all(any(same_actor(y, x) for x in a) for y in b)


def compatible_actors(a: DedupEvent, b: DedupEvent) -> bool:
    """No role where both events name resolved actors and none of them is shared."""
    return all(not x or not y or x & y for x, y in ((a.sources, b.sources), (a.targets, b.targets)))


def same_by_sentence(
    member: DedupEvent, member_shingles: frozenset[str], event: DedupEvent, event_shingles: frozenset[str], settings
) -> bool:
    if member.article_id == event.article_id or member.trigger.lower() != event.trigger.lower():
        return False
    apart = days_apart(member.date, event.date)
    both_undated = member.date is None and event.date is None
    if not both_undated and (apart is None or apart > settings.copy_window_days):
        return False
    return compatible_actors(member, event) and jaccard(member_shingles, event_shingles) >= settings.sentence_similarity


def cluster_events(events: Iterable[DedupEvent], settings: DedupSettings | None = None) -> list[Cluster]:
    """Group events into clusters of reports of the same event (see the module docstring)."""
    settings = settings or DedupSettings()
    horizon = max(settings.window_days, settings.copy_window_days)
    groups: dict[tuple[str, bool], list[DedupEvent]] = defaultdict(list)
    for event in events:
        groups[(event.cameo_root, event.negated)].append(event)
    clusters: list[Cluster] = []
    for key in sorted(groups):
        open_clusters: list[Cluster] = []  # dated, leader within the horizon of the current event
        undated: dict[str, list[Cluster]] = defaultdict(list)  # undated events match only by sentence and trigger
        for event in sorted(groups[key], key=DedupEvent.order):
            if event.date is None:
                candidates = undated[event.trigger.lower()]
            else:  # clusters whose leader is too old can take no more events
                open_clusters = [c for c in open_clusters if (event.date - c.leader.date).days <= horizon]
                candidates = open_clusters
            event_shingles = shingles(event.sentence)
            for cluster in candidates:
                rule = match(cluster, event, event_shingles, settings)
                if rule is not None:
                    cluster.add(event, rule, event_shingles)
                    break
            else:
                cluster = Cluster()
                cluster.add(event, "first", event_shingles)
                candidates.append(cluster)
                clusters.append(cluster)
    return clusters


def match(cluster: Cluster, event: DedupEvent, event_shingles: frozenset[str], settings: DedupSettings) -> Rule | None:
    if same_by_actors(cluster.leader, event, settings):
        return "actors"
    for member, member_shingles in cluster.by_trigger.get(event.trigger.lower(), ()):
        if same_by_sentence(member, member_shingles, event, event_shingles, settings):
            return "sentence"
    return None


def stable_id(text: str, taken: set[int]) -> int:
    """A positive integer from a hash of `text`, unique among `taken` (probing on the rare collision)."""
    value = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big") >> (64 - ID_BITS)
    while value in taken or value == 0:
        value = (value + 1) % (1 << ID_BITS)
    taken.add(value)
    return value


def assign_ids(clusters: list[Cluster]) -> list[tuple[int, Cluster]]:
    """Each cluster's id, from its first report's event id; assigned in a fixed order so probing is stable."""
    taken: set[int] = set()
    ordered = sorted(clusters, key=lambda c: c.leader.event_id)
    return [(stable_id(c.leader.event_id, taken), c) for c in ordered]
