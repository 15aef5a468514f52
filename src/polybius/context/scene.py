"""Scene stage: an actor named only by its role takes the country its sentence is set in.

News names the country of a domestic actor once per sentence, not on every noun: "Opposition leaders
agreed to call off the march in Tbilisi", "A judge opened an inquiry into 12 Peruvian ministers".
A mention with a sector but no country, no KB entry and no antecedent ("opposition leaders", "a
judge", "demonstrators") takes
1. the place it is in, comes from or governs ("demonstrators in Lagos", "the mayor of Hebron"), else
2. the one country its sentence names, through actors or places, when it names exactly one.
Sectors that are international by nature (IGO, NGO, MNC) keep no country. The country word is the
mention's country evidence, as it would be for "Azerbaijani opposition leaders".
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from polybius.actors.kb import load_kb_for
from polybius.context.affiliation import Affiliation
from polybius.context.locations import cities
from polybius.model import Document, Evidence, Mention, Span
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

INTERNATIONAL_SECTORS = {"IGO", "NGO", "MNC"}
SCENE_PREPS = {"in", "from", "of"}  # "protesters in Lagos", "refugees from Gaza", "the mayor of Hebron"
PLACE_ENTITIES = {"GPE", "LOC"}
MIN_CITY_POPULATION = 100_000  # smaller towns share names across countries too often to place a scene


def needs_scene(mention: Mention) -> bool:
    return (
        mention.country is None
        and mention.kb_id is None
        and mention.antecedent is None
        and mention.sector is not None
        and mention.sector not in INTERNATIONAL_SECTORS
    )


@register_stage("scene")
class SetScene:
    def __init__(self, settings: PipelineSettings) -> None:
        kb = load_kb_for(settings.kb_dir)
        self.country_names = {t.text for t in kb.terms if t.role in ("name", "capital")}

    def __call__(self, doc: Document) -> Document:
        if not any(needs_scene(m) for m in doc.actors):
            return doc
        sentences = list(doc.parse.sents)
        starts = [s.start for s in sentences]
        by_sentence: dict[int, list[int]] = {}
        for n, mention in enumerate(doc.actors):
            by_sentence.setdefault(starts[bisect_right(starts, mention.head) - 1], []).append(n)
        for sentence in sentences:
            positions = by_sentence.get(sentence.start, [])
            if not any(needs_scene(doc.actors[n]) for n in positions):
                continue
            named = self.countries_named(doc, sentence, [doc.actors[n] for n in positions])
            only = next(iter(named.items())) if len(named) == 1 else None
            for n in positions:
                mention = doc.actors[n]
                if needs_scene(mention) and (found := self.place_of(doc, mention, named) or only) is not None:
                    doc.actors[n] = self.recode(mention, *found)
        return doc

    def countries_named(self, doc: Document, sentence: TokenSpan, mentions: list[Mention]) -> dict[str, Span]:
        """Each country the sentence names, with the first words naming it: its coded actors and the cities
        the actor KB does not know ("Abidjan", "Monrovia")."""
        named: dict[str, Span] = {}
        for mention in sorted(mentions, key=lambda m: m.span.start):
            if mention.country is not None:
                named.setdefault(mention.country, mention.span)
        covered = [(m.span.start, m.span.end) for m in mentions]
        for entity in sentence.ents:
            if entity.label_ not in PLACE_ENTITIES or any(s <= entity.start_char < e for s, e in covered):
                continue
            country = self.city_country(entity.text)
            if country is not None:
                named.setdefault(country, doc.article.span(entity.start_char, entity.end_char))
        return named

    def city_country(self, name: str) -> str | None:
        if name in self.country_names:
            return None  # a country or capital the KB knows is coded as an actor, not looked up as a town
        city = cities().get(name)
        return city[0] if city is not None and city[3] >= MIN_CITY_POPULATION else None

    def place_of(self, doc: Document, mention: Mention, named: dict[str, Span]) -> tuple[str, Span] | None:
        """The country of the place the actor is in or from: "demonstrators IN BAGHDAD"."""
        head = doc.parse[mention.head]
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in SCENE_PREPS:
                continue
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                for country, span in named.items():
                    if place_inside(place, span):
                        return country, span
        return None

    @staticmethod
    def recode(mention: Mention, country: str, span: Span) -> Mention:
        """Coded the KB's way, as "Azerbaijani opposition leaders" would be; the country words are its evidence."""
        coded = Affiliation.recode(mention, country, None, None, mention.sector)
        return replace(coded, evidence=[*mention.evidence, Evidence(span, "country")])


def place_inside(place: Token, span: Span) -> bool:
    """The place phrase under a preposition covers the country's words ("in the capital Tbilisi")."""
    return any(span.start <= t.idx < span.end for t in place.subtree)
