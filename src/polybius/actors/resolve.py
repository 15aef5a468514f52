"""Actors stage: find actor mentions and compose country + sector from the noun phrase.

The dictionary layer (spaCy PhraseMatchers over the KB) finds names that NER misses
("IS", "ISIS" in headlines); the parse then composes what the phrase says:
"Turkey's Foreign Ministry" -> TUR GOV, "Saudi and Qatari officials" -> SAU GOV + QAT GOV,
"Russian Foreign Minister Sergey Lavrov" -> RUS GOV, "Russian jets" -> RUS MIL.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from polybius.actors.kb import ActorKB, KBEntry, Term, load_kb
from polybius.model import Document, Mention
from polybius.nlp import load_nlp
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

# Dependencies by which a name modifies the noun it belongs to ("Russian jets", "Turkey's ministry").
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
NOUN_POS = {"NOUN", "PROPN"}


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """A KB term found in the parse: tokens [start, end) and the term it matched."""

    start: int
    end: int
    term: Term


class ActorMatcher:
    """Token-level dictionary matching of KB names (case-sensitive) and role nouns (case-insensitive)."""

    def __init__(self, kb: ActorKB, model: str) -> None:
        nlp = load_nlp(model)
        self.kb = kb
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.term_by_key: dict[str, Term] = {}
        for index, term in enumerate(kb.terms):
            key = f"t{index}"
            self.term_by_key[key] = term
            forms = {term.text, term.text.upper()}
            self.names.add(key, [nlp.make_doc(form) for form in forms])
        for phrase, sector in kb.sector_nouns.items():
            self.roles.add(sector, [nlp.make_doc(phrase)])

    def actor_matches(self, doc: Doc) -> list[ActorMatch]:
        keys = {(s, e): doc.vocab.strings[k] for k, s, e in self.names(doc)}
        spans = filter_spans([doc[s:e] for s, e in keys])
        return [ActorMatch(span.start, span.end, self.term_by_key[keys[span.start, span.end]]) for span in spans]

    def role_matches(self, doc: Doc) -> dict[int, str]:
        """Sector of each token that heads a role phrase ("Foreign Ministry" -> its head 'Ministry')."""
        sectors = {(s, e): doc.vocab.strings[k] for k, s, e in self.roles(doc)}
        spans = filter_spans([doc[s:e] for s, e in sectors])
        return {span.root.i: sectors[span.start, span.end] for span in spans}


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


def role_of(head: Token, roles: dict[int, str]) -> str | None:
    """Sector named by the head noun or by a title among its compounds ("Foreign Minister Lavrov")."""
    if head.i in roles:
        return roles[head.i]
    for child in head.lefts:
        if child.dep_ == "compound" and child.i in roles:
            return roles[child.i]
    return None


def country_after(head: Token, countries: dict[int, KBEntry]) -> Token | None:
    """A country named right after a role noun by "in", "of" or "from" ("the court in Guyana")."""
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
            place = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if place is not None and place.i in countries:
                return place
    return None


class MentionBuilder:
    """Collects mentions for one document and gives each real-world actor one entity id."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.mentions: list[Mention] = []

    def add(self, start: int, end: int, head: int, entry: KBEntry | None, sector: str | None) -> None:
        tokens = self.doc.parse[start:end]
        span = self.doc.article.span(tokens.start_char, tokens.end_char)
        country = entry.country if entry else None
        kb_id = entry.kb_id if entry else None
        if entry is None:
            entity = f"{sector}@{span.start}"
        elif entry.kind == "country" and sector:
            entity = f"{entry.kb_id}.{sector}"
        else:
            entity = entry.kb_id
        members = list(entry.members) if entry and entry.members else None
        self.mentions.append(Mention(span, country, sector, kb_id, entity, head, members))


@register_stage("actors")
class ResolveActors:
    def __init__(self, settings: PipelineSettings) -> None:
        self.kb = load_kb()
        self.matcher = ActorMatcher(self.kb, settings.model)

    def __call__(self, doc: Document) -> Document:
        parse = doc.parse
        roles = self.matcher.role_matches(parse)
        builder = MentionBuilder(doc)
        covered_heads: set[int] = set()
        matches = self.matcher.actor_matches(parse)
        countries = {
            parse[m.start : m.end].root.i: self.kb.entries[m.term.kb_id]
            for m in matches
            if m.term.role in ("name", "capital")
        }
        for match in matches:
            entry = self.kb.entries[match.term.kb_id]
            root = parse[match.start : match.end].root
            head = phrase_head(root)
            role = role_of(head, roles) if head is not None else None
            if head is not None and (role or head.ent_type_ == "PERSON"):
                # The name qualifies an actor noun: the mention runs from the name to that noun.
                sector = entry.sector if entry.kind == "organisation" else role
                builder.add(match.start, head.i + 1, head.i, entry, sector)
                covered_heads.add(head.i)
            else:
                sector = match.term.sector or (entry.sector if entry.kind == "organisation" else None)
                builder.add(match.start, match.end, root.i, entry, sector)
                covered_heads.add(root.i)
        for role_index, sector in roles.items():
            # Role nouns with no known actor: "officials said", "Foreign Minister Sergey Lavrov".
            role = parse[role_index]
            head = phrase_head(role)
            if head is None:
                head = role
            elif head.ent_type_ != "PERSON":
                continue
            if head.i in covered_heads or head.pos_ not in NOUN_POS:
                continue
            start = min([role.i, *(t.i for t in role.lefts if t.dep_ == "compound")])
            place = country_after(head, countries)
            if place is not None:  # "a court in Guyana", "the foreign ministers of Estonia, Latvia and Poland"
                builder.add(start, place.i + 1, head.i, countries[place.i], sector)
                for other in place.conjuncts:
                    if other.i in countries:
                        builder.add(other.left_edge.i, other.i + 1, head.i, countries[other.i], sector)
            else:
                builder.add(start, head.i + 1, head.i, None, sector)
            covered_heads.add(head.i)
        doc.actors = sorted(builder.mentions, key=lambda m: (m.span.start, m.span.end))
        return doc
