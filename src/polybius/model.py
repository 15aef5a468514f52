"""The document model: typed records that every pipeline stage enriches.

Every field that came from words carries a character span into `Article.text`,
so each coded value can be traced back to the text that justifies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from polybius.events.ontology import CameoCode

Modality = Literal["asserted", "possible", "intended", "demanded", "denied"]
DateSource = Literal["text", "publication"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of `Article.text`: `text == article.text[start:end]`."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Article:
    """One news article after ingest: cleaned text, title first, then the body."""

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None

    @property
    def body_start(self) -> int:
        """Offset of the body in `text` (0 when there is no title)."""
        return len(self.title) + 2 if self.title else 0

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "url": self.url,
            "text": self.text,
        }


def actor_code(country: str | None, sector: str | None, kb_id: str | None) -> str:
    """CAMEO-style actor code: country + sector (`RUSGOV`), else the KB id (`NATO`), else the sector."""
    if country:
        return country + (sector or "")
    return kb_id or sector or ""


EvidenceKind = Literal["country", "sector", "person", "organisation", "group"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which words of a mention gave which part of its coding ("Qatari" gave the country)."""

    span: Span
    gives: EvidenceKind

    def to_dict(self) -> dict[str, Any]:
        return self.span.to_dict() | {"gives": self.gives}


@dataclass(slots=True)
class Mention:
    """One mention of an actor in the text, resolved to country, sector and KB entry."""

    span: Span
    country: str | None
    sector: str | None
    kb_id: str | None
    entity: str
    head: int  # token index of the mention's syntactic head, for linking to the parse
    members: list[str] | None = None
    antecedent: Span | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = self.span.to_dict() | {
            "country": self.country,
            "sector": self.sector,
            "kb_id": self.kb_id,
            "entity": self.entity,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.members is not None:
            out["members"] = list(self.members)
        if self.antecedent is not None:
            out["antecedent"] = self.antecedent.to_dict()
        return out

    @property
    def label(self) -> str:
        """How the text names the actor: the mention's words, or for "he", "the minister" the words they refer to."""
        return self.antecedent.text if self.antecedent is not None else self.span.text


@dataclass(slots=True)
class Location:
    span: Span
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon} | (self.span.to_dict())


@dataclass(slots=True)
class Event:
    """One coded event: who did what to whom, with the words that say so."""

    id: str
    code: CameoCode
    trigger: Span
    sentence: tuple[int, int]
    source: list[Mention] = field(default_factory=list)
    target: list[Mention] = field(default_factory=list)
    date: dt.date | None = None
    date_evidence: Span | None = None
    date_from: DateSource = "publication"
    location: Location | None = None
    negated: bool = False
    modality: Modality = "asserted"
    reported_by: list[Mention] = field(default_factory=list)
    attribution: Span | None = None  # the reporting frame ("Lavrov said", "according to X"), when reported
    confidence: float = 0.5
    trigger_token: int = -1  # token index of the trigger's head, for later stages
    method: Literal["pattern", "classifier"] = "pattern"  # verb lexicon, or the fallback classifier

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": [m.to_dict() for m in self.source],
            "target": [m.to_dict() for m in self.target],
            "cameo": self.code.code,
            "cameo_root": self.code.root,
            "cameo_name": self.code.name,
            "plover": self.code.plover_dict(),
            "goldstein": self.code.goldstein,
            "quad_class": self.code.quad_class,
            "date": self.date.isoformat() if self.date else None,
            "date_evidence": self.date_evidence.to_dict() if self.date_evidence else None,
            "date_from": self.date_from,
            "location": self.location.to_dict() if self.location else None,
            "negated": self.negated,
            "modality": self.modality,
            "reported_by": [m.to_dict() for m in self.reported_by],
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "trigger": self.trigger.to_dict(),
            "sentence": {"start": self.sentence[0], "end": self.sentence[1]},
            "confidence": round(self.confidence, 3),
            "method": self.method,
        }


@dataclass(slots=True)
class Quote:
    text: Span
    speaker: Mention | None
    speaker_method: Literal["explicit", "pronoun", "previous", "dropped_subject"] | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return self.text.to_dict() | {
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_method": self.speaker_method,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Claim:
    """A statement or document and who issued, released, confirmed, denied or ignored it."""

    id: str
    trigger: Span
    content: Span | None = None
    issued_by: list[Mention] = field(default_factory=list)
    released_by: list[Mention] = field(default_factory=list)
    confirmed_by: list[Mention] = field(default_factory=list)
    denied_by: list[Mention] = field(default_factory=list)
    no_comment_from: list[Mention] = field(default_factory=list)
    reported_by: list[Mention] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        roles = ("issued_by", "released_by", "confirmed_by", "denied_by", "no_comment_from", "reported_by")
        return {
            "id": self.id,
            "trigger": self.trigger.to_dict(),
            "content": self.content.to_dict() if self.content else None,
            **{role: [m.to_dict() for m in getattr(self, role)] for role in roles},
            "events": list(self.events),
        }


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """One actor of an article (all mentions of one entity): its coding, its name and how often it is named."""

    entity: str
    kb_id: str | None
    code: str  # CAMEO-style actor code, as the store and the exports write it
    label: str  # how the article first names it
    country: str | None
    sector: str | None
    mentions: int
    first: Span  # its first mention

    @classmethod
    def of(cls, mentions: list[Mention]) -> ActorSummary:
        """The summary of one entity's mentions, in text order; coded as the first one is."""
        first = mentions[0]
        return cls(
            entity=first.entity,
            kb_id=first.kb_id,
            code=actor_code(first.country, first.sector, first.kb_id),
            label=first.label,
            country=first.country,
            sector=first.sector,
            mentions=len(mentions),
            first=first.span,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "kb_id": self.kb_id,
            "code": self.code,
            "label": self.label,
            "country": self.country,
            "sector": self.sector,
            "mentions": self.mentions,
            "first": self.first.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of an article as a line of its timeline; actors by their labels."""

    event_id: str
    date: dt.date | None
    date_from: DateSource
    cameo: str
    cameo_name: str
    plover: str | None
    source: list[str]
    target: list[str]
    trigger: str
    negated: bool
    modality: Modality
    location: str | None
    reported_by: list[str]

    @classmethod
    def of(cls, event: Event) -> TimelineEntry:
        return cls(
            event_id=event.id,
            date=event.date,
            date_from=event.date_from,
            cameo=event.code.code,
            cameo_name=event.code.name,
            plover=event.code.plover_type,
            source=[m.label for m in event.source],
            target=[m.label for m in event.target],
            trigger=event.trigger.text,
            negated=event.negated,
            modality=event.modality,
            location=event.location.name if event.location else None,
            reported_by=[m.label for m in event.reported_by],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "date": self.date.isoformat() if self.date else None,
            "date_from": self.date_from,
            "cameo": self.cameo,
            "cameo_name": self.cameo_name,
            "plover": self.plover,
            "source": list(self.source),
            "target": list(self.target),
            "trigger": self.trigger,
            "negated": self.negated,
            "modality": self.modality,
            "location": self.location,
            "reported_by": list(self.reported_by),
        }


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """Who an article is about and what happened in it, in order (`Document.summary()`)."""

    article_id: str
    title: str | None
    date: dt.date | None
    actors: list[ActorSummary]  # most mentioned first, then by first mention
    timeline: list[TimelineEntry]  # by date (undated last), then by place in the text

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "actors": [a.to_dict() for a in self.actors],
            "timeline": [t.to_dict() for t in self.timeline],
        }


def summarise_actors(mentions: list[Mention]) -> list[ActorSummary]:
    by_entity: dict[str, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.span.start):
        by_entity.setdefault(mention.entity, []).append(mention)
    actors = [ActorSummary.of(group) for group in by_entity.values()]
    return sorted(actors, key=lambda a: (-a.mentions, a.first.start))


def timeline(events: list[Event]) -> list[TimelineEntry]:
    ordered = sorted(events, key=lambda e: (e.date is None, e.date or dt.date.min, e.trigger.start))
    return [TimelineEntry.of(event) for event in ordered]


@dataclass(slots=True)
class Document:
    """An article and everything the pipeline found in it: the output contract."""

    article: Article
    parse: Doc | None = None  # the spaCy parse; internal, never serialised
    actors: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "actors": [m.to_dict() for m in self.actors],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
        }

    def summary(self) -> ArticleSummary:
        """The article's actors, most mentioned first, and its events as a timeline."""
        actors, events = summarise_actors(self.actors), timeline(self.events)
        return ArticleSummary(self.article.id, self.article.title, self.article.date, actors, events)
