"""Affiliation: whose official a person or role mention is, when its own words do not say.

The actor stage codes what a mention's words give. A role holder often has no country in his own
words and takes it from the article around him:
- an organisation named right before the title: "ECOWAS Commission President Omar Touray" -> ECOWAS;
- a possessive: "Its spokesman" after "Niger's junta rejected ..." -> the junta, country and sector;
  "Buhari praised ... in a statement by his spokesman" -> Buhari's country; "the military's
  spokesman" and "a junta spokesman" -> the military's sector; "a spokesman for Prime Minister X"
  -> X's coding;
- an apposition: "the military's spokesman, Major General Asif Ghafoor" are one person, and a
  spokesman takes his sector from the name's rank;
- the sentence before: "Belarus's Foreign Ministry rejected the statement. Foreign Minister Vladimir
  Makei said ..." -> Belarus, when that sentence names state bodies of one country only and the
  official is the subject (news names the country of an official it introduces, or just did).
Only mentions with neither a country nor a KB entry change.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from polybius.actors.kb import ActorKB
from polybius.context.quotes import QuotedText
from polybius.context.reading import (
    DEFINITE,
    ContextWords,
    is_subject,
    mention_tokens,
    names_a_person,
)
from polybius.model import Mention

ORGANISATION_KINDS = ("organisation", "group")


class Affiliation:
    def __init__(self, words: ContextWords, kb: ActorKB) -> None:
        self.words = words
        self.kb = kb

    def apply(self, mentions: list[Mention], doc: Doc, sentences: list[int], quoted: QuotedText) -> list[Mention]:
        mentions = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
        people = [names_a_person(m, doc, self.kb, self.words) for m in mentions]
        by_head = {m.head: n for n, m in enumerate(mentions)}
        for n, mention in enumerate(mentions):
            if people[n] and self.unaffiliated(mention):
                mentions[n] = self.from_words_around(mention, mentions, doc, sentences, quoted)
        self.share_appositions(mentions, people, by_head, doc)
        for n, mention in enumerate(mentions):
            if people[n] and self.unaffiliated(mention) and mention.span.start not in quoted:
                country = self.country_in_context(mention, mentions, doc, sentences, quoted)
                if country is not None:
                    mentions[n] = self.recode(mention, country, None, None, mention.sector)
        self.share_appositions(mentions, people, by_head, doc)
        return mentions

    def unaffiliated(self, mention: Mention) -> bool:
        return mention.country is None and mention.kb_id is None

    def organisation(self, mention: Mention) -> bool:
        entry = self.kb.entries.get(mention.kb_id) if mention.kb_id else None
        return entry is not None and entry.kind in ORGANISATION_KINDS

    def from_words_around(
        self, mention: Mention, mentions: list[Mention], doc: Doc, sentences: list[int], quoted: QuotedText
    ) -> Mention:
        """An organisation just before the title, or a possessive on the role noun."""
        first = mention_tokens(doc, mention)[0]
        if first.i > 0:
            before = next((m for m in mentions if m.span.start <= doc[first.i - 1].idx < m.span.end), None)
            if before is not None and self.organisation(before) and not doc[first.i - 1].is_punct:
                return self.recode(mention, before.country, before.kb_id, before.entity, before.sector)
        head = doc[mention.head]
        if head.lemma_.lower() in self.words.speaker_nouns:
            body = next((c for c in head.children if c.dep_ == "compound" and c.lower_ in self.kb.sector_nouns), None)
            if body is not None:  # "a junta spokesman" speaks for the military
                sector = self.kb.sector_nouns[body.lower_]
                mention = replace(mention, sector=sector, entity=f"{sector}@{mention.span.start}")
            principal = self.spoken_for(head, mentions, doc)  # "a spokesman for Prime Minister X"
            if principal is not None:
                return self.recode(
                    mention, principal.country, principal.kb_id if self.organisation(principal) else None,
                    principal.entity if self.organisation(principal) else None, principal.sector or mention.sector,
                )  # fmt: skip
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None:
            return mention
        if owner.lower_ in ("its", "their"):
            donor = self.possessor(owner, mentions, doc, sentences, quoted)
            if donor is not None:
                sector = donor.sector or mention.sector
                if self.organisation(donor) or donor.country is None:
                    return self.recode(mention, donor.country, donor.kb_id, donor.entity, sector)
                return self.recode(mention, donor.country, None, None, sector)
            return mention
        if owner.lower_ in ("his", "her"):  # "Buhari praised ... in a statement issued by his spokesman"
            boss = self.person_before(owner, mentions, doc, sentences)
            if boss is not None and boss.country is not None:
                return self.recode(mention, boss.country, None, None, mention.sector or boss.sector)
            return mention
        sector = self.kb.sector_nouns.get(owner.lower_)
        if sector is not None and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in owner.children):
            # "the military's spokesman"
            return replace(mention, sector=sector, entity=f"{sector}@{mention.span.start}")
        return mention

    def possessor(
        self, owner: Token, mentions: list[Mention], doc: Doc, sentences: list[int], quoted: QuotedText
    ) -> Mention | None:
        """What "its"/"their" stands for: the latest body that was a subject, this sentence or the last."""
        here = sentences[owner.i]
        plural = owner.lower_ == "their"
        found = [
            m
            for m in mentions
            if m.span.end <= owner.idx
            and here - sentences[m.head] <= 1
            and m.span.start not in quoted
            and is_subject(doc[m.head])
            and (m.country is not None or self.organisation(m))
            and not names_a_person(m, doc, self.kb, self.words)
            and (doc[m.head].tag_ in ("NNS", "NNPS")) == plural
        ]
        return found[-1] if found else None

    @staticmethod
    def spoken_for(head: Token, mentions: list[Mention], doc: Doc) -> Mention | None:
        """The coded actor after "for" on a speaker noun."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                target = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if target is not None:
                    found = [m for m in mentions if m.head == target.i and (m.country or m.kb_id)]
                    return found[0] if found else None
        return None

    def person_before(self, owner: Token, mentions: list[Mention], doc: Doc, sentences: list[int]) -> Mention | None:
        """Whose "his"/"her": the subject person of the same sentence, before it."""
        found = [
            m
            for m in mentions
            if m.span.end <= owner.idx
            and sentences[m.head] == sentences[owner.i]
            and is_subject(doc[m.head])
            and names_a_person(m, doc, self.kb, self.words)
        ]
        return found[-1] if found else None

    def share_appositions(self, mentions: list[Mention], people: list[bool], by_head: dict[int, int], doc: Doc) -> None:
        """ "the military's spokesman, Major General Asif Ghafoor": one person, one coding."""
        for n, mention in enumerate(mentions):
            head = doc[mention.head]
            if not people[n] or head.dep_ != "appos" or head.head.i not in by_head:
                continue
            holder = by_head[head.head.i]
            if not people[holder]:
                continue
            role, name = mentions[holder], mention
            if self.unaffiliated(role) and self.unaffiliated(name):
                if doc[role.head].lemma_.lower() in self.words.speaker_nouns and name.sector is not None:
                    mentions[holder] = replace(role, sector=name.sector, entity=name.entity)
            elif self.unaffiliated(name):
                mentions[n] = self.recode(name, role.country, None, None, name.sector or role.sector)
            elif self.unaffiliated(role):
                mentions[holder] = self.recode(role, name.country, None, None, role.sector or name.sector)

    def country_in_context(
        self, mention: Mention, mentions: list[Mention], doc: Doc, sentences: list[int], quoted: QuotedText
    ) -> str | None:
        """The one country whose state bodies the previous sentence (or this one, so far) names, unless this
        sentence names another country before the official."""
        head = doc[mention.head]
        if mention.sector not in self.words.state_sectors or not is_subject(head):
            return None
        if any(c.dep_ == "det" and c.lower_ in DEFINITE for c in head.children):
            return None  # "the minister" refers back to someone: coreference's business
        here = sentences[head.i]
        countries = {
            m.country
            for m in mentions
            if m.country is not None
            and m.sector in self.words.state_sectors
            and m.span.start not in quoted
            and (sentences[m.head] == here - 1 or (sentences[m.head] == here and m.span.end <= mention.span.start))
        }
        # a place of another country earlier in the sentence ("In Bamako, a junta spokesman") moves the scene
        elsewhere = {
            m.country
            for m in mentions
            if m.country is not None
            and sentences[m.head] == here
            and m.span.end <= mention.span.start
            and m.span.start not in quoted
        }
        return countries.pop() if len(countries) == 1 and elsewhere <= countries else None

    @staticmethod
    def recode(
        mention: Mention, country: str | None, kb_id: str | None, entity: str | None, sector: str | None
    ) -> Mention:
        """The mention coded as `country`/`sector` (or as the organisation `kb_id`), the KB's way."""
        if kb_id is None and country is not None:
            kb_id = country
            entity = f"{country}.{sector}" if sector else country
        return replace(mention, country=country, sector=sector, kb_id=kb_id, entity=entity or mention.entity)
