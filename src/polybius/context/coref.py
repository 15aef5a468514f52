"""Coreference stage: pronouns, short names and role nouns resolved to an earlier actor.

No coreference model installs offline, so this is a resolver over the parse, in the spirit of
the classic rule-based systems: candidates are earlier person-like mentions; they must agree in
gender and number; the most salient wins (subjects before other mentions, nearer before farther).
"He insisted ..." -> Lavrov; "the minister" -> the last minister named; "Fabius" -> "Laurent Fabius".
Resolved mentions take the antecedent's coding, `entity` and an `antecedent` span.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from polybius.actors.kb import ActorKB, load_kb_for
from polybius.data import load_yaml
from polybius.model import Document, Mention
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
LOOKBACK_SENTENCES = 6  # antecedents further back than this are too uncertain for news prose


@dataclass(frozen=True, slots=True)
class Candidate:
    mention: Mention
    gender: str  # male | female | any
    plural: bool
    subject: bool
    sentence: int


class CorefWords:
    """The resolver's word lists (data/coref.yaml)."""

    def __init__(self) -> None:
        data = load_yaml("coref.yaml")
        self.pronouns: dict[str, dict[str, str]] = data["pronouns"]
        self.person_nouns: dict[str, str] = data["person_nouns"]
        self.given_gender = {name: gender for gender, names in data["given_names"].items() for name in names}


def parse_lower(token: Token) -> bool:
    """A role word the tagger calls a proper noun but the writer put in lower case ("the secretary-general")."""
    return token.text.islower()


def sentence_index(doc: Doc) -> dict[int, int]:
    """Sentence number of every token."""
    return {token.i: n for n, sent in enumerate(doc.sents) for token in sent}


class CorefResolver:
    def __init__(self, words: CorefWords, kb: ActorKB) -> None:
        self.words = words
        self.kb = kb

    def gender_of(self, mention: Mention, doc: Doc) -> str:
        """From the KB person, a gendered title ("Spokeswoman ..."), or a known given name."""
        entry = self.kb.entries.get(mention.kb_id) if mention.kb_id else None
        if entry is not None and entry.gender in ("male", "female"):
            return entry.gender
        head = doc[mention.head]
        for token in doc[min(head.left_edge.i, head.i) : head.i + 1]:
            noun_gender = self.words.person_nouns.get(token.lower_, "any")
            if noun_gender != "any":
                return noun_gender
            if token.text in self.words.given_gender:
                return self.words.given_gender[token.text]
        return "any"

    def is_person(self, mention: Mention, doc: Doc) -> bool:
        """A known person, a name the parser tags PERSON, or one role holder ("the spokesman")."""
        entry = self.kb.entries.get(mention.kb_id) if mention.kb_id else None
        head = doc[mention.head]
        return (
            (entry is not None and entry.kind == "person")
            or head.ent_type_ == "PERSON"
            or (head.tag_ == "NN" and head.lower_ in self.words.person_nouns)
        )

    def candidates(self, doc: Document, sentences: dict[int, int]) -> list[Candidate]:
        parse = doc.parse
        found = []
        for mention in doc.actors:
            head = parse[mention.head]
            plural = head.tag_ in ("NNS", "NNPS") or mention.members is not None or self.shares_head(mention, doc)
            if not plural and not self.is_person(mention, parse):
                continue
            subject = head.dep_ in SUBJECT_DEPS
            gender = "any" if plural else self.gender_of(mention, parse)
            found.append(Candidate(mention, gender, plural, subject, sentences[head.i]))
        return found

    @staticmethod
    def shares_head(mention: Mention, doc: Document) -> bool:
        return sum(1 for other in doc.actors if other.head == mention.head) > 1

    def antecedents(
        self, token: Token, candidates: list[Candidate], sentences: dict[int, int], gender: str, plural: bool
    ) -> list[Mention]:
        here = sentences[token.i]
        compatible = [
            c
            for c in candidates
            if c.mention.head < token.i
            and here - c.sentence <= LOOKBACK_SENTENCES
            and c.plural == plural
            and (gender == "any" or c.gender in ("any", gender))
        ]
        if not compatible:
            return []
        # Salience: the nearest sentence first, then subjects, then the latest position.
        best = max(compatible, key=lambda c: (c.sentence, c.subject, c.mention.head))
        if not plural:
            return [best.mention]
        return [c.mention for c in compatible if c.mention.head == best.mention.head]

    def resolve(self, doc: Document) -> list[Mention]:
        parse = doc.parse
        sentences = sentence_index(parse)
        candidates = self.candidates(doc, sentences)
        mentions = list(doc.actors)
        by_head = {m.head: m for m in mentions}
        for token in parse:
            pronoun = self.words.pronouns.get(token.lower_)
            if pronoun is not None and token.pos_ == "PRON":
                plural = pronoun["number"] == "plural"
                pool = candidates
                if plural:  # "they" stands for actors only when both are subjects, close together
                    if token.dep_ not in SUBJECT_DEPS:
                        continue
                    pool = [c for c in candidates if c.subject and sentences[token.i] - c.sentence <= 1]
                for antecedent in self.antecedents(token, pool, sentences, pronoun["gender"], plural):
                    mentions.append(self.copy(doc, antecedent, token.idx, token.idx + len(token), token.i))
            elif self.is_bare_name(token, by_head):
                # "Vondrak" after "Karel Vondrak": a name the KB does not know, repeated alone.
                earlier = [
                    c.mention for c in candidates
                    if c.mention.head < token.i and parse[c.mention.head].text == token.text
                ]  # fmt: skip
                if earlier:
                    mentions.append(self.copy(doc, earlier[-1], token.idx, token.idx + len(token), token.i))
            elif token.i in by_head and self.is_unresolved_role(by_head[token.i], parse):
                role = by_head[token.i]
                gender = self.words.person_nouns.get(token.lower_, "any")
                role_candidates = [c for c in candidates if c.mention.kb_id and self.same_role(c.mention, token)]
                found = self.antecedents(token, role_candidates, sentences, gender, plural=False)
                if found:
                    mentions[mentions.index(role)] = self.copy(doc, found[0], role.span.start, role.span.end, role.head)
        return sorted(mentions, key=lambda m: (m.span.start, m.span.end))

    @staticmethod
    def is_bare_name(token: Token, by_head: dict[int, Mention]) -> bool:
        """A one-word proper name that no mention covers (the parser may call it PERSON or ORG)."""
        doc = token.doc
        return (
            token.pos_ == "PROPN"
            and (token.i == 0 or doc[token.i - 1].pos_ != "PROPN")
            and (token.i + 1 >= len(doc) or doc[token.i + 1].pos_ != "PROPN")
            and not any(m.span.start <= token.idx < m.span.end for m in by_head.values())
        )

    def is_unresolved_role(self, mention: Mention, doc: Doc) -> bool:
        """A role noun with no country or name of its own: "the minister", "the spokesman"."""
        head = doc[mention.head]
        determiner = next((c for c in head.children if c.dep_ == "det"), None)
        return (
            mention.kb_id is None
            and mention.country is None
            and (head.tag_ == "NN" or (head.tag_ == "NNP" and head.i > 0 and parse_lower(head)))
            and head.lower_ in self.words.person_nouns
            and determiner is not None
            and determiner.lower_ in ("the", "this")
        )

    @staticmethod
    def same_role(mention: Mention, role: Token) -> bool:
        """The antecedent's own words include the role noun ("Foreign Minister Sergey Lavrov" for "the minister")."""
        return role.lower_ in mention.span.text.lower()

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
        self.resolver = CorefResolver(CorefWords(), load_kb_for(settings.kb_dir))

    def __call__(self, doc: Document) -> Document:
        doc.actors = self.resolver.resolve(doc)
        return doc
