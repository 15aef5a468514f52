"""Actors stage: find actor mentions and compose country + sector from the noun phrase.

The dictionary layer (spaCy PhraseMatchers over the KB) finds names that NER misses
("IS", "ISIS" in headlines); the parse then composes what the phrase says:
"Turkey's Foreign Ministry" -> TUR GOV, "Saudi and Qatari officials" -> SAU GOV + QAT GOV,
"Russian Foreign Minister Sergey Lavrov" -> RUS GOV (the person, at the article's date),
"Russian jets" -> RUS MIL. Each mention records which words gave which part (`evidence`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from polybius.actors.kb import ActorKB, KBEntry, Term, load_kb_for
from polybius.context.dateline import dateline
from polybius.data import load_yaml
from polybius.model import Document, Evidence, EvidenceKind, Mention
from polybius.nlp import load_nlp
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

# Dependencies by which a name modifies the noun it belongs to ("Russian jets", "Turkey's ministry").
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
NOUN_POS = {"NOUN", "PROPN"}
# Positions in which a capital acts for its government rather than naming a place.
ACTING_DEPS = {"nsubj", "nsubjpass", "poss"}
PERSON_ROLES = ("person", "surname")
LEADER_ROLES = ("head of state", "head of government")
# What each kind of KB term tells about the actor, for the mention's evidence.
GIVES: dict[str, EvidenceKind] = {
    "country": "country",
    "organisation": "organisation",
    "person": "person",
    "group": "group",
}


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """A KB term found in the parse: tokens [start, end), the term and the entry it stands for."""

    start: int
    end: int
    term: Term
    entry: KBEntry


@dataclass(slots=True)
class Draft:
    """A mention being composed: token range, head, coding and the token ranges that justify it."""

    start: int
    end: int
    head: int
    entry: KBEntry | None
    country: str | None
    sector: str | None
    evidence: list[tuple[int, int, EvidenceKind]] = field(default_factory=list)


class ActorMatcher:
    """Token-level dictionary matching of KB names (case-sensitive) and role nouns (case-insensitive)."""

    def __init__(self, kb: ActorKB, model: str) -> None:
        nlp = load_nlp(model)
        self.kb = kb
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.terms_by_key: dict[str, list[Term]] = {}
        for matcher, terms, cased in ((self.names, kb.terms, True), (self.phrases, kb.lower_terms, False)):
            forms: dict[str, list[Term]] = {}
            for term in terms:
                forms.setdefault(term.text, []).append(term)
            for text, same_form in forms.items():
                key = f"{'n' if cased else 'p'}{len(self.terms_by_key)}"
                self.terms_by_key[key] = same_form
                variants = {text, text.upper()} if cased else {text}
                matcher.add(key, [nlp.make_doc(form) for form in variants])
        for phrase, sector in kb.sector_nouns.items():
            self.roles.add(sector, [nlp.make_doc(phrase)])

    def candidate_matches(self, doc: Doc) -> list[tuple[int, int, list[Term]]]:
        """Longest KB matches, each with every term of that surface form."""
        keys = {(s, e): doc.vocab.strings[k] for k, s, e in [*self.names(doc), *self.phrases(doc)]}
        spans = filter_spans([doc[s:e] for s, e in keys])
        return [(span.start, span.end, self.terms_by_key[keys[span.start, span.end]]) for span in spans]

    def role_matches(self, doc: Doc) -> dict[int, tuple[int, str]]:
        """Start and sector of each role phrase, by the token that heads it ("Foreign Ministry" -> 'Ministry')."""
        sectors = {(s, e): doc.vocab.strings[k] for k, s, e in self.roles(doc)}
        spans = filter_spans([doc[s:e] for s, e in sectors])
        return {span.root.i: (span.start, sectors[span.start, span.end]) for span in spans}


CIVILIANS = "CVL"


class Disambiguator:
    """Chooses what a matched surface form stands for in this document, or that it is no actor."""

    def __init__(self, kb: ActorKB) -> None:
        self.kb = kb
        ambiguity = load_yaml("ambiguity.yaml")
        self.us_state_countries = frozenset(ambiguity["us_state_countries"])
        cues = sorted(ambiguity["us_state_cues"], key=len, reverse=True)
        self.us_state_cue = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b")

    def choose(self, doc: Doc, start: int, end: int, terms: list[Term], day: dt.date | None, seen: set[str]):
        if any(t.role == "not_actor" for t in terms):
            return None
        people = [t for t in terms if t.role in PERSON_ROLES]
        others = [t for t in terms if t.role not in PERSON_ROLES]
        inside_person = self._inside_longer_person(doc, start, end)
        if others and not (people and inside_person):
            if inside_person:  # "Chad" in "Chad Johnson", "Paris" in "Paris Hilton"
                return None
            term = others[0]
            entry = self.kb.entries[term.kb_id]
            if entry.kb_id in self.us_state_countries and self.us_state_cue.search(doc[start].sent.text.lower()):
                return None
            return term
        return self._person(doc, start, end, people, day, seen)

    def _person(self, doc: Doc, start: int, end: int, people: list[Term], day, seen: set[str]) -> Term | None:
        """A full name names its person; a surname alone only a person named in full earlier in the
        article, or the one person of that name in office at the date ("Lavrov" in 2015)."""
        if not people:
            return None
        by_id = {t.kb_id: t for t in people}
        earlier = [t for kb_id, t in by_id.items() if kb_id in seen]
        if len(earlier) == 1:
            return earlier[0]
        if self._named_in_full_before(doc, start, end):
            return None  # "Marta Ortega ... Ortega said": the article's own Ortega, not Daniel Ortega
        full = [t for t in by_id.values() if t.role == "person"]
        in_office = [t for kb_id, t in by_id.items() if self.kb.entries[kb_id].office_on(day) is not None]
        if len(full) == 1 and len(by_id) == 1:
            return full[0]
        named = self._reads_as_name(doc, start, end)
        if len(in_office) == 1 and day is not None and (in_office[0].role == "person" or named):
            return in_office[0]
        # Leaders keep being called by surname after leaving office ("Trump", "Lula", "Merkel").
        if len(by_id) == 1 and named and day is not None:
            entry = self.kb.entries[people[0].kb_id]
            if any(o.role in LEADER_ROLES for o in entry.offices):
                return people[0]
        return None

    def _reads_as_name(self, doc: Doc, start: int, end: int) -> bool:
        """Capitalised name words that are not part of someone else's longer name."""
        tokens = doc[start:end]
        return all(t.pos_ in ("PROPN", "NOUN") and (t.is_title or t.is_upper) for t in tokens) and not (
            self._inside_longer_person(doc, start, end)
        )

    @staticmethod
    def _named_in_full_before(doc: Doc, start: int, end: int) -> bool:
        """Someone else's longer PERSON name earlier in the article ends with these words."""
        words = [t.lower_ for t in doc[start:end]]
        return any(
            ent.label_ == "PERSON" and ent.end <= start and len(ent) > len(words)
            and [t.lower_ for t in ent[-len(words):]] == words
            for ent in doc.ents
        )  # fmt: skip

    @staticmethod
    def _inside_longer_person(doc: Doc, start: int, end: int) -> bool:
        """True when a PERSON name runs past the match with more name words ("Chad" in "Chad Johnson")."""
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.start <= start and end <= ent.end:
                extra = [t for t in ent if not start <= t.i < end]
                if any(t.pos_ in ("PROPN", "NOUN") for t in extra):
                    return True
        return False


def phrase_head(token: Token) -> Token | None:
    """The noun that `token` modifies, following coordination ("Saudi and Qatari officials")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ not in MODIFIER_DEPS or token.head.pos_ not in NOUN_POS:
        return None
    head = token.head
    while head.dep_ == "compound" and head.head.pos_ in NOUN_POS and head.head.i > head.i:
        head = head.head
    return head


def role_of(head: Token, roles: dict[int, tuple[int, str]]) -> tuple[int, int, str] | None:
    """Tokens and sector of the role noun heading the phrase, or of a title among its compounds."""
    if head.i in roles:
        start, sector = roles[head.i]
        return start, head.i + 1, sector
    for child in head.lefts:
        if child.dep_ == "compound" and child.i in roles:
            start, sector = roles[child.i]
            return start, child.i + 1, sector
    return None


def country_after(head: Token, countries: dict[int, KBEntry]) -> Token | None:
    """A country named right after a role noun by "in", "of" or "from" ("the court in Guyana")."""
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
            place = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if place is not None and place.i in countries:
                return place
    return None


def is_coordinated(token: Token) -> bool:
    """True for one of several modifiers sharing a head ("Saudi" and "Qatari" in "Saudi and Qatari officials")."""
    return token.dep_ == "conj" or any(child.dep_ == "conj" for child in token.children)


def entity_of(entry: KBEntry | None, sector: str | None, start: int) -> str:
    """One id per real-world actor in a document: KB id, country.sector, or the role at its position."""
    if entry is None:
        return f"{sector}@{start}"
    if entry.kind == "country" and sector:
        return f"{entry.kb_id}.{sector}"
    return entry.kb_id


class MentionComposer:
    """Composes the mentions of one document from KB matches, role nouns and the parse."""

    def __init__(self, doc: Document, roles: dict[int, tuple[int, str]]) -> None:
        self.doc = doc
        self.roles = roles
        self.day = doc.article.date
        self.drafts: list[Draft] = []
        self.by_head: dict[int, Draft] = {}

    def add(self, draft: Draft) -> None:
        self.drafts.append(draft)
        self.by_head.setdefault(draft.head, draft)

    def person(self, match: ActorMatch) -> None:
        root = self.doc.parse[match.start : match.end].root
        country, sector = match.entry.coded_on(self.day)
        evidence: list[tuple[int, int, EvidenceKind]] = [(match.start, match.end, "person")]
        draft = Draft(match.start, match.end, root.i, match.entry, country, sector, evidence)
        title = role_of(root, self.roles)
        if title is not None:  # "Foreign Minister Sergey Lavrov": the title is part of the mention
            draft.start = min(draft.start, title[0])
            if title[2] == sector:
                draft.evidence.append((title[0], title[1], "sector"))
        self.add(draft)

    def named(self, match: ActorMatch) -> None:
        """A country, organisation or group name: alone, or qualifying an actor noun or a person."""
        parse = self.doc.parse
        entry = match.entry
        gives = GIVES[entry.kind]
        root = parse[match.start : match.end].root
        head = phrase_head(root)
        person = self.by_head.get(head.i) if head is not None else None
        if person is not None and person.entry is not None and person.entry.kind == "person":
            # "Russian Foreign Minister Sergey Lavrov": the person's dated office decides the coding.
            person.start = min(person.start, match.start)
            if person.country == entry.country:
                person.evidence.append((match.start, match.end, gives))
            return
        role = role_of(head, self.roles) if head is not None else None
        if head is not None and (role or head.ent_type_ == "PERSON"):
            sector = entry.sector if entry.kind != "country" else (role[2] if role else None)
            own_span = is_coordinated(root) or head.i < match.start
            end = match.end if own_span else head.i + 1
            draft = Draft(match.start, end, head.i, entry, entry.country, sector, [(match.start, match.end, gives)])
            if role is not None and entry.kind == "country":
                draft.evidence.append((role[0], role[1], "sector"))
            self.add(draft)
            return
        sector = match.term.sector or (entry.sector if entry.kind != "country" else None)
        if match.term.role == "capital" and root.dep_ in ACTING_DEPS:
            sector = "GOV"  # "Moscow said", "Ankara's decision": the capital stands for the government
        draft = Draft(match.start, match.end, root.i, entry, entry.country, sector, [(match.start, match.end, gives)])
        if match.term.sector or sector == "GOV":  # a seat of power or an acting capital names the sector too
            draft.evidence.append((match.start, match.end, "sector"))
        self.add(draft)

    def role_only(self, countries: dict[int, KBEntry]) -> None:
        """Role nouns with no known actor: "officials said", "a court in Guyana"."""
        parse = self.doc.parse
        for role_index, (role_start, sector) in self.roles.items():
            role = parse[role_index]
            head = phrase_head(role)
            if head is None:
                head = role
            elif head.ent_type_ != "PERSON":
                continue
            if head.i in self.by_head or head.pos_ not in NOUN_POS:
                continue
            start = min([role_start, *(t.i for t in role.lefts if t.dep_ == "compound")])
            evidence = (role_start, role_index + 1, "sector")
            place = country_after(head, countries)
            if place is not None:  # "the foreign ministers of Estonia, Latvia and Poland"
                for token in (place, *place.conjuncts):
                    named = self.by_head.get(token.i)
                    if token.i in countries and named is not None:
                        # The country's own mention takes the role: one actor, not two.
                        named.start = start if token is place else named.start
                        named.head = head.i
                        named.sector = sector
                        named.evidence.insert(0, evidence)
            else:
                self.add(Draft(start, head.i + 1, head.i, None, None, sector, [evidence]))

    def mentions(self) -> list[Mention]:
        article = self.doc.article
        parse = self.doc.parse
        out = []
        for draft in self.drafts:
            tokens = parse[draft.start : draft.end]
            span = article.span(tokens.start_char, tokens.end_char)
            entry = draft.entry
            evidence = [
                Evidence(article.span(parse[s].idx, parse[e - 1].idx + len(parse[e - 1])), gives)
                for s, e, gives in draft.evidence
            ]
            members = list(entry.members) if entry and entry.members else None
            entity = entity_of(entry, draft.sector, span.start)
            kb_id = entry.kb_id if entry else None
            out.append(Mention(span, draft.country, draft.sector, kb_id, entity, draft.head, members, None, evidence))
        return sorted(out, key=lambda m: (m.span.start, m.span.end))


def is_ethnic(mention: Mention, parse: Doc) -> bool:
    """ "ethnic Hungarians", "ethnic Russians": a people, not the state its name belongs to."""
    head = parse[mention.head]
    return (
        mention.country is not None
        and mention.kb_id == mention.country
        and (
            any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in head.children)
            or (head.i > 0 and parse[head.i - 1].lower_ == "ethnic")
        )
    )


def as_residents(mention: Mention) -> Mention:
    """CAMEO codes an ethnic group as civilians of the country they live in, which the scene stage
    reads from the sentence ("ethnic Hungarians in central Romania" -> ROU CVL)."""
    return replace(mention, country=None, kb_id=None, sector=CIVILIANS, entity=f"{CIVILIANS}@{mention.span.start}",
                   evidence=[e for e in mention.evidence if e.gives != "country"])  # fmt: skip


@register_stage("actors")
class ResolveActors:
    def __init__(self, settings: PipelineSettings) -> None:
        self.kb = load_kb_for(settings.kb_dir)
        self.matcher = ActorMatcher(self.kb, settings.model)
        self.disambiguator = Disambiguator(self.kb)

    def resolve_matches(self, doc: Document) -> list[ActorMatch]:
        """KB matches in text order, each resolved to one entry; people named in full are remembered."""
        parse = doc.parse
        seen: set[str] = set()
        matches = []
        dateline_end, _ = dateline(doc.article.text)
        for start, end, terms in self.matcher.candidate_matches(parse):
            if parse[start].idx < dateline_end:
                continue  # "BRUSSELS (AP) -" says where the story was filed, it names no actor
            term = self.disambiguator.choose(parse, start, end, terms, doc.article.date, seen)
            if term is None:
                continue
            if term.role == "person":
                seen.add(term.kb_id)
            matches.append(ActorMatch(start, end, term, self.kb.entries[term.kb_id]))
        return matches

    def __call__(self, doc: Document) -> Document:
        parse = doc.parse
        matches = self.resolve_matches(doc)
        composer = MentionComposer(doc, self.matcher.role_matches(parse))
        # People first, so a country adjective before a person's name joins that person's mention.
        for match in matches:
            if match.entry.kind == "person":
                composer.person(match)
        for match in matches:
            if match.entry.kind != "person":
                composer.named(match)
        countries = {parse[m.start : m.end].root.i: m.entry for m in matches if m.term.role in ("name", "capital")}
        composer.role_only(countries)
        doc.actors = [as_residents(m) if is_ethnic(m, parse) else m for m in composer.mentions()]
        return doc
