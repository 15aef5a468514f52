"""Dates stage: each event's absolute date, from the date words of its clause and the publication date.

Wire copy dates events by weekday relative to publication ("on Wednesday" in a Friday
story is two days earlier; "Friday" is the publication day itself). Explicit dates and
other relative phrases ("Oct. 1", "yesterday", "three days ago") go to dateparser.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from polybius.events.extract import governing_verbs
from polybius.model import Document, Event
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FIXED_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
# Date phrases worth handing to dateparser: month names, years, "ago", "last/this week".
PARSEABLE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\b\d{4}\b|\bago\b|"
    r"\b(last|this|next) (week|month|year)\b",
    re.IGNORECASE,
)


def resolve_date(text: str, published: dt.date) -> dt.date | None:
    """An absolute date for a date phrase, relative to the publication date; None if unsure."""
    words = text.lower().replace(".", "").split()
    if not words:
        return None
    for word, offset in FIXED_OFFSETS.items():
        if word in words:
            return published + dt.timedelta(days=offset)
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    if weekday is not None and len(words) <= 3:
        back = (published.weekday() - weekday) % 7
        if "next" in words:
            return published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
        if "last" in words and back == 0:
            back = 7
        return published - dt.timedelta(days=back)
    if not PARSEABLE.search(text):
        return None
    import dateparser

    base = dt.datetime.combine(published, dt.time(12))
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["year"]}
        if re.search(r"\b\d{4}\b", text)
        else {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
    )
    return parsed.date() if parsed else None


def clause_verb(token: Token) -> Token | None:
    """The nearest verb above a token: the clause a date phrase belongs to."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def dates_by_clause(sentence: TokenSpan) -> dict[int, TokenSpan]:
    """The date phrase attached to each verb of a sentence (first one wins)."""
    found: dict[int, TokenSpan] = {}
    for entity in sentence.ents:
        if entity.label_ == "DATE" and (verb := clause_verb(entity.root)) is not None:
            found.setdefault(verb.i, entity)
    return found


@register_stage("dates")
class ResolveDates:
    def __init__(self, settings: PipelineSettings) -> None:
        """No settings of its own: dates come from the text and the publication date."""

    def __call__(self, doc: Document) -> Document:
        published = doc.article.date
        if published is None:
            return doc
        # Several events share a sentence and a date phrase: find and resolve each once per article.
        clauses: dict[int, dict[int, TokenSpan]] = {}
        resolved: dict[str, dt.date | None] = {}
        for event in doc.events:
            self.date_event(doc, event, published, clauses, resolved)
        return doc

    def date_event(
        self,
        doc: Document,
        event: Event,
        published: dt.date,
        clauses: dict[int, dict[int, TokenSpan]],
        resolved_phrases: dict[str, dt.date | None],
    ) -> None:
        verb = doc.parse[event.trigger_token]
        sentence = verb.sent
        if sentence.start not in clauses:
            clauses[sentence.start] = dates_by_clause(sentence)
        attached = clauses[sentence.start]
        # The event's own date phrase, else that of the verb reporting it ("..., X said Friday").
        for index in [verb.i, *(ruler.i for ruler in governing_verbs(verb))]:
            phrase = attached.get(index)
            if phrase is None:
                continue
            if phrase.text not in resolved_phrases:
                resolved_phrases[phrase.text] = resolve_date(phrase.text, published)
            resolved = resolved_phrases[phrase.text]
            if resolved is not None:
                event.date = resolved
                event.date_evidence = doc.article.span(phrase.start_char, phrase.end_char)
                event.date_from = "text"
                return
        event.date = published
        event.date_from = "publication"
