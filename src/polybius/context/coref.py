"""Coreference stage: pronouns, short names, role nouns and organisation nouns resolved to an earlier actor.

No coreference model installs offline, so this is a resolver over the parse in the spirit of the
classic rule-based systems. It reads the article in order and keeps the actors met so far as
candidates; a reference takes the most salient compatible one: the nearest sentence first, then the
subject of its main clause, then any subject, then the latest. Compatible means agreeing in gender
and number, being a person for "he", "she" and role nouns, holding the role ("the minister" -> a
minister, "the leader" -> a president or prime minister), being of the country named ("the French
leader" -> a French person), and standing outside quotation marks when the reference does.

Resolved: "he", "she", "they" and their object forms; a name the KB does not know, repeated alone
("Vondrak", also after an apposition "its spokesman, Amadou Abdramane" -> "Abdramane"); definite role
nouns ("the minister", "the French leader", "the leaders", "the two leaders"); definite organisation
nouns ("the alliance", "the bloc"). "It" is left alone: as an actor it would add events the event
lexicon codes but the gold sets do not (claims read "X said it had issued ..." themselves).
Before that, the affiliation step (affiliation.py) gives officials without a country of their own
the one their context gives. Resolved mentions take the antecedent's coding, `entity` and an
`antecedent` span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from polybius.actors.kb import ActorKB, load_kb_for
from polybius.context.affiliation import ORGANISATION_KINDS, Affiliation
from polybius.context.quotes import QuotedText
from polybius.context.reading import (
    DEFINITE,
    SUBJECT_DEPS,
    ContextWords,
    is_main_subject,
    is_subject,
    mention_tokens,
    names_a_person,
    sentence_index,
)
from polybius.model import Document, Mention
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

LOOKBACK_SENTENCES = 6  # antecedents further back than this are too uncertain for news prose
NAME_TAGS = ("NNP", "NNPS")


@dataclass(frozen=True, slots=True)
class Candidate:
    mention: Mention
    key: str  # one actor: a KB person's id, else the offset of its first mention
    person: bool
    organisation: bool
    gender: str  # male | female | any
    plural: bool
    subject: bool
    main_subject: bool
    sentence: int
    quoted: bool

    def salience(self) -> tuple:
        return (self.sentence, self.main_subject, self.subject, self.mention.head)


@dataclass(frozen=True, slots=True)
class UncodedPerson:
    """A person the parser names and no actor mention covers: no antecedent, but a rival for one."""

    salience: tuple
    gender: str
    quoted: bool


class Reading:
    """One article read in order: the candidates so far and what is known of each actor."""

    def __init__(self, doc: Document, resolver: CorefResolver) -> None:
        self.doc = doc
        self.parse: Doc = doc.parse
        self.resolver = resolver
        self.sentences = sentence_index(self.parse)
        self.quoted = QuotedText(doc.article.text)
        self.candidates: list[Candidate] = []
        self.roles: dict[str, str] = {}  # actor key -> the lower-case words of its titles
        self.names: dict[str, set[str]] = {}  # actor key -> its name words ("Abdramane")
        self.genders: dict[str, str] = {}
        self.people: set[str] = set()  # keys of actors that are one person
        self.uncoded: list[UncodedPerson] = []

    def key(self, mention: Mention) -> str:
        entry = self.resolver.kb.entries.get(mention.kb_id) if mention.kb_id else None
        if entry is not None and entry.kind == "person":
            return entry.kb_id
        return str((mention.antecedent or mention.span).start)

    def add(self, mention: Mention) -> None:
        """A mention read: it becomes a candidate for what follows."""
        words, kb, parse = self.resolver.words, self.resolver.kb, self.parse
        key = self.key(mention)
        head = parse[mention.head]
        entry = kb.entries.get(mention.kb_id) if mention.kb_id else None
        person = key in self.people or (mention.antecedent is None and names_a_person(mention, parse, kb, words))
        plural = not person and (head.tag_ in ("NNS", "NNPS") or mention.members is not None)
        if person:
            self.people.add(key)
            self.learn(key, mention, entry)
        gender = self.genders.get(key, "any")
        # an organisation, or one who speaks for it ("Houthi military spokesman Yahya Saree"); a group of
        # countries named in the plural ("Western countries") is no "bloc"
        organisation = (
            entry is not None
            and entry.kind in ORGANISATION_KINDS
            and not (entry.kind == "group" and head.tag_ in ("NNS", "NNPS"))
        )
        self.candidates.append(
            Candidate(
                mention,
                key,
                person,
                organisation,
                gender,
                plural,
                is_subject(head),
                is_main_subject(head),
                self.sentences[head.i],
                mention.span.start in self.quoted,
            )
        )

    def learn(self, key: str, mention: Mention, entry) -> None:
        """Titles, name words and gender of a person, from this mention's words and its apposition."""
        words, parse = self.resolver.words, self.parse
        tokens = mention_tokens(parse, mention)
        head = parse[mention.head]
        tokens += [t for c in head.children if c.dep_ == "appos" and c.tag_ in NAME_TAGS for t in c.subtree]
        text = " ".join(t.lower_ for t in tokens)
        if entry is not None and entry.kind == "person":
            office = entry.office_on(self.doc.article.date)
            if office is not None:
                text += f" {office.role} {(office.title or '').lower()}"
            if entry.gender in ("male", "female"):
                self.genders[key] = entry.gender
        self.roles[key] = f"{self.roles.get(key, '')} {text}"
        names = [t for t in tokens if t.tag_ in NAME_TAGS and not t.is_lower and t.lower_ not in words.person_nouns]
        if any(t.ent_type_ == "PERSON" for t in names):  # not the ranks: "Colonel-Major Amadou Abdramane"
            names = [t for t in names if t.ent_type_ == "PERSON"]
        self.names.setdefault(key, set()).update(t.text for t in names)
        if key not in self.genders:
            for token in tokens:
                gender = words.person_nouns.get(token.lower_, "any")
                if gender == "any":
                    gender = words.given_gender.get(token.text, "any")
                if gender != "any":
                    self.genders[key] = gender
                    break

    def note_uncoded_people(self, covered: set[int]) -> None:
        """People the parser names that no actor mention covers ("Nicolas Maduro" when the KB lacks him):
        they are no antecedent, but a pronoun that most likely means them must not pass to someone else."""
        for ent in self.parse.ents:
            if ent.label_ == "PERSON" and not any(t.i in covered for t in ent):
                head = ent.root
                gender = self.resolver.words.given_gender.get(ent[0].text, "any")
                salience = (self.sentences[head.i], is_main_subject(head), is_subject(head), head.i)
                self.uncoded.append(UncodedPerson(salience, gender, head.idx in self.quoted))

    def uncoded_person_above(self, token: Token, best: Candidate, gender: str) -> bool:
        """Whether an uncoded person before `token` is more salient than the antecedent found."""
        here = self.sentences[token.i]
        outside = token.idx not in self.quoted
        return any(
            p.salience[3] < token.i
            and here - p.salience[0] <= LOOKBACK_SENTENCES
            and not (outside and p.quoted)
            and (gender == "any" or p.gender in ("any", gender))
            and p.salience > best.salience()
            for p in self.uncoded
        )

    def pool(self, token: Token, lookback: int = LOOKBACK_SENTENCES) -> list[Candidate]:
        """Candidates before `token`, close enough; a reference outside quotes only to actors outside them."""
        here = self.sentences[token.i]
        outside = token.idx not in self.quoted
        return [
            c
            for c in self.candidates
            if c.mention.head < token.i and here - c.sentence <= lookback and not (outside and c.quoted)
        ]

    def holds_role(self, candidate: Candidate, role: str) -> bool:
        text = self.roles.get(candidate.key, "")
        titles = self.resolver.words.leader_titles if role == "leader" else [role]
        return any(re.search(rf"(?<![\w-]){re.escape(title)}(?![\w-])", text) for title in titles)


class CorefResolver:
    def __init__(self, words: ContextWords, kb: ActorKB) -> None:
        self.words = words
        self.kb = kb
        self.affiliation = Affiliation(words, kb)

    def resolve(self, doc: Document) -> list[Mention]:
        reading = Reading(doc, self)
        parse = doc.parse
        mentions = self.affiliation.apply(doc.actors, parse, reading.sentences, reading.quoted)
        by_head: dict[int, list[Mention]] = {}
        covered: set[int] = set()
        for mention in mentions:
            by_head.setdefault(mention.head, []).append(mention)
            covered.update(t.i for t in mention_tokens(parse, mention))
        reading.note_uncoded_people(covered)
        out: list[Mention] = []
        for token in parse:
            here = by_head.get(token.i)
            if here is not None:
                found = self.resolve_mention(token, here, reading) or here
            elif token.i not in covered:
                found = self.resolve_free(token, reading)
            else:
                continue
            if here is None and found:  # a new mention takes in the country word it covers: "the French leader"
                start, end = found[0].span.start, found[0].span.end
                inside = [m for m in out if start <= m.span.start and m.span.end <= end]
                out = [m for m in out if m not in inside]
                reading.candidates = [c for c in reading.candidates if c.mention not in inside]
            for mention in found:
                out.append(mention)
                reading.add(mention)
        return sorted(out, key=lambda m: (m.span.start, m.span.end))

    def resolve_mention(self, token: Token, here: list[Mention], reading: Reading) -> list[Mention]:
        """A mention the actor stage coded only by its role or organisation noun."""
        if len(here) != 1:
            return []
        mention = here[0]
        entry = self.kb.entries.get(mention.kb_id) if mention.kb_id else None
        if entry is not None and entry.kind != "country":
            return []
        if entry is None and self.organisation_noun(token):
            return self.resolve_organisation(token, mention.span.start, mention.span.end, reading)
        if self.role_noun(token):
            return self.resolve_role(token, mention.span.start, mention.span.end, mention.country, reading)
        return []

    def resolve_free(self, token: Token, reading: Reading) -> list[Mention]:
        """Words no mention covers: pronouns, repeated names, role and organisation nouns."""
        pronoun = self.words.pronouns.get(token.lower_)
        if pronoun is not None and token.pos_ == "PRON":
            return self.resolve_pronoun(token, pronoun, reading)
        if self.is_bare_name(token):
            return self.resolve_name(token, reading)
        if token.pos_ == "NOUN" and (self.role_noun(token) or self.organisation_noun(token)):
            start, end = self.phrase_start(token), token.idx + len(token)
            inside = [c.mention for c in reading.candidates if start <= c.mention.span.start < end]
            if any(m.sector is not None or m.country is None for m in inside):
                return []  # a modifier that is itself an actor: "the Hamas spokesman" is the actor stage's
            country = inside[0].country if inside else None
            if self.organisation_noun(token):
                return self.resolve_organisation(token, start, end, reading) if country is None else []
            return self.resolve_role(token, start, end, country, reading)
        return []

    # --- what a reference is -------------------------------------------------------------------

    def definite(self, token: Token) -> bool:
        """ "the minister", "this bloc", "both leaders"; not "a minister", "its spokesman", "the minister of X"."""
        lefts = [t for t in token.subtree if t.i < token.i]
        if any(t.dep_ == "poss" for t in lefts) or any(
            c.dep_ in ("prep", "relcl", "appos", "acl") and (c.dep_ != "prep" or c.lower_ == "of")
            for c in token.children
        ):
            return False
        return any(t.dep_ in ("det", "predet") and t.lower_ in DEFINITE | {"both"} for t in lefts)

    def role_noun(self, token: Token) -> bool:
        """A lower-case role noun ("the president"), not part of a name."""
        return (
            token.is_lower
            and (token.lemma_.lower() in self.words.person_nouns or token.lower_ in self.words.person_nouns)
            and not any(c.dep_ in ("compound", "appos") and c.tag_ in NAME_TAGS and not c.is_lower
                        for c in token.children)
            and self.definite(token)
        )  # fmt: skip

    def organisation_noun(self, token: Token) -> bool:
        return (
            token.is_lower
            and token.tag_ in ("NN", "NNP")
            and token.lemma_.lower() in self.words.organisation_nouns
            and self.definite(token)
        )

    def role_phrase(self, token: Token) -> str:
        """The role's words up to its noun ("secretary-general", "foreign minister"), as listed."""
        doc = token.doc
        starts = [t.i for t in token.subtree if t.i < token.i and t.dep_ in ("compound", "amod")]
        for start in sorted(starts):
            phrase = doc[start : token.i + 1].text.lower()
            if phrase in self.words.person_nouns:
                return phrase
        return token.lemma_.lower()

    @staticmethod
    def phrase_start(token: Token) -> int:
        """Offset of the noun phrase after its determiner ("the [French leader]")."""
        lefts = [t for t in token.subtree if t.i < token.i and t.dep_ not in ("det", "predet", "punct")]
        return (lefts[0] if lefts else token).idx

    @staticmethod
    def number_of(token: Token, words: ContextWords) -> int | None:
        for child in token.children:
            if child.dep_ in ("nummod", "det", "predet"):
                if child.lower_ in words.numbers:
                    return words.numbers[child.lower_]
                if child.like_num and child.text.isdigit():
                    return int(child.text)
        return None

    def is_bare_name(self, token: Token) -> bool:
        """A one-word proper name ("Vondrak", "Maduro's"), not a title."""
        doc = token.doc
        return (
            token.pos_ == "PROPN"
            and not token.is_lower
            and token.lower_ not in self.words.person_nouns
            and (token.i == 0 or doc[token.i - 1].pos_ != "PROPN")
            and (token.i + 1 >= len(doc) or doc[token.i + 1].pos_ != "PROPN")
        )

    # --- resolution ----------------------------------------------------------------------------

    def resolve_pronoun(self, token: Token, pronoun: dict[str, str], reading: Reading) -> list[Mention]:
        plural = pronoun["number"] == "plural"
        gender = pronoun["gender"]
        pool = reading.pool(token)
        if plural:  # "they" stands for actors only when both are subjects, close together
            if token.dep_ not in SUBJECT_DEPS:
                return []
            here = reading.sentences[token.i]
            pool = [c for c in pool if c.subject and c.plural and here - c.sentence <= 1]
        else:
            pool = [c for c in pool if c.person and (gender == "any" or c.gender in ("any", gender))]
        if not pool:
            return []
        best = max(pool, key=Candidate.salience)
        if not plural and reading.uncoded_person_above(token, best, gender):
            return []  # "he" is someone the KB cannot code: better no speaker than the wrong one
        chosen = [c for c in pool if c.mention.head == best.mention.head] if plural else [best]
        return [self.copy(reading.doc, c.mention, token.idx, token.idx + len(token), token.i) for c in chosen]

    def resolve_name(self, token: Token, reading: Reading) -> list[Mention]:
        """ "Vondrak" after "Karel Vondrak"; "Abdramane" after "its spokesman, Amadou Abdramane"."""
        # a name the article gave in full stays unambiguous however far back it was
        everywhere = [c for c in reading.candidates if c.mention.head < token.i]
        found = [c for c in everywhere if c.person and token.text in reading.names.get(c.key, ())]
        if not found:
            return []
        best = max(found, key=lambda c: c.mention.head)
        return [self.copy(reading.doc, best.mention, token.idx, token.idx + len(token), token.i)]

    def resolve_role(self, token: Token, start: int, end: int, country: str | None, reading: Reading) -> list[Mention]:
        """ "the minister", "the French leader": the most salient person of that role (and country);
        "the leaders": the last group so named; "the two leaders": the last two people of that role."""
        role = self.role_phrase(token)
        pool = [c for c in reading.pool(token) if country is None or c.mention.country == country]
        if token.tag_ not in ("NNS", "NNPS"):
            found = [c for c in pool if c.person and not c.plural and reading.holds_role(c, role)]
            if not found:
                return []
            best = max(found, key=Candidate.salience)
            return [self.copy(reading.doc, best.mention, start, end, token.i)]
        number = self.number_of(token, self.words)
        if number is None:
            groups = [c for c in pool if c.plural and reading.parse[c.mention.head].lemma_ == token.lemma_]
            if not groups:
                return []
            # the latest group; of mentions sharing its head, the tightest
            best = max(groups, key=lambda c: (c.mention.head, c.mention.span.start))
            return [self.copy(reading.doc, best.mention, start, end, token.i)]
        people: dict[str, Candidate] = {}
        for candidate in sorted(pool, key=lambda c: c.mention.head, reverse=True):
            if candidate.person and candidate.key not in people and reading.holds_role(candidate, role):
                people[candidate.key] = candidate
            if len(people) == number:
                break
        if len(people) != number:
            return []
        return [self.copy(reading.doc, c.mention, start, end, token.i) for c in people.values()]

    def resolve_organisation(self, token: Token, start: int, end: int, reading: Reading) -> list[Mention]:
        """ "the alliance" -> NATO; "the council" -> a council named before ("Security Council")."""
        if token.tag_ in ("NNS", "NNPS"):
            return []
        noun = token.lemma_.lower()
        kind = self.words.organisation_nouns[noun]
        pool = [c for c in reading.pool(token) if c.organisation]
        found = [c for c in pool if noun in self.kb.entries[c.mention.kb_id].name.lower()]
        if not found and kind == "igo":
            found = [c for c in pool if c.mention.sector == "IGO" or c.mention.members is not None]
        elif not found and kind == "any":
            found = pool
        if not found:
            return []
        best = max(found, key=lambda c: c.mention.head)
        if best.person:  # the organisation a spokesman speaks for: refer to where it was named
            named = [c for c in reading.candidates if not c.person and c.mention.kb_id == best.mention.kb_id]
            best = max(named, key=lambda c: c.mention.head) if named else best
        return [self.copy(reading.doc, best.mention, start, end, token.i)]

    @staticmethod
    def copy(doc: Document, antecedent: Mention, start: int, end: int, head: int) -> Mention:
        return replace(
            antecedent,
            span=doc.article.span(start, end),
            head=head,
            antecedent=antecedent.antecedent or antecedent.span,
            evidence=[],
        )


@register_stage("coref")
class ResolveCoreference:
    def __init__(self, settings: PipelineSettings) -> None:
        self.resolver = CorefResolver(ContextWords(), load_kb_for(settings.kb_dir))

    def __call__(self, doc: Document) -> Document:
        doc.actors = self.resolver.resolve(doc)
        return doc
