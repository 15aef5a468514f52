"""Claims stage: statements and documents, and who issued, released, confirmed, denied or ignored them.

"A joint statement by France, Germany, ..." issues a claim; "The text of the statement was
released by the Turkish Foreign Ministry ... and confirmed by the French Foreign Ministry" adds
who released and confirmed it; "Saudi and Qatari officials made no mention of the document" puts
them in `no_comment_from`: silence is not an event, it is a field of the claim. A definite "the
statement", "the document" or "it" refers back to the latest claim.
"""

from __future__ import annotations

from spacy.tokens import Token

from polybius.data import load_yaml
from polybius.events.extract import actors_at, mentions_by_head, reporters_of, subject_of
from polybius.model import Claim, Document, Mention
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

ROLES = ("issued_by", "released_by", "confirmed_by", "denied_by")


class ClaimWords:
    """Claim nouns and the verbs that give each role (data/claims.yaml)."""

    def __init__(self) -> None:
        data = load_yaml("claims.yaml")
        self.nouns: set[str] = set(data["nouns"])
        self.role_of_verb = {verb: role for role in ROLES for verb in data[role]}
        self.silence_nouns: set[str] = set(data["silence"]["nouns"])
        self.silence_verbs: set[str] = set(data["silence"]["verbs"])
        self.refusal_verbs: set[str] = set(data["silence"]["refusals"])


def agent_of(verb: Token) -> Token | None:
    """The object of a passive verb's "by" agent."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def is_negative(token: Token) -> bool:
    """ "no mention", "did not mention", "never commented"."""
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children)


class ClaimReader:
    def __init__(self, words: ClaimWords) -> None:
        self.words = words

    def is_trigger(self, token: Token) -> bool:
        return token.pos_ == "NOUN" and token.lemma_.lower() in self.words.nouns

    def trigger_span(self, doc: Document, token: Token):
        """The claim noun with its modifiers ("joint statement"), without articles."""
        start = min([token.i, *(c.i for c in token.lefts if c.dep_ in ("amod", "compound"))])
        tokens = doc.parse[start : token.i + 1]
        return doc.article.span(tokens.start_char, tokens.end_char)

    def refers_back(self, token: Token) -> bool:
        """A definite mention of a document already introduced: "the statement", "the document"."""
        if token.pos_ == "PRON":
            return True
        determiner = next((c for c in token.children if c.dep_ == "det"), None)
        has_author = any(c.dep_ == "poss" for c in token.children) or any(
            c.dep_ == "prep" and c.lower_ == "by" for c in token.children
        )
        return determiner is not None and determiner.lower_ in ("the", "this", "that") and not has_author

    def claim_token(self, token: Token) -> Token:
        """ "the text of the statement" -> statement."""
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if inner is not None and self.is_trigger(inner):
                    return inner
        return token

    def read(self, doc: Document) -> list[Claim]:
        index = mentions_by_head(doc.actors)
        claims: list[Claim] = []
        anchors: dict[int, Claim] = {}  # token index of each claim noun (or "it") -> its claim
        for token in doc.parse:
            if not self.is_trigger(token) or token.i in anchors:
                continue
            inner = self.claim_token(token)
            if self.refers_back(inner) and claims:
                claim = claims[-1]
            else:
                claim = Claim(id=f"{doc.article.id}:c{len(claims)}", trigger=self.trigger_span(doc, inner))
                claims.append(claim)
            anchors[token.i] = anchors[inner.i] = claim
            self.add_issuers(inner, claim, index)
            self.add_roles(token, claim, index)
            self.add_content(doc, token, claim)
            claim.reported_by = merge(claim.reported_by, self.reporters(token, index))
        if claims:
            self.add_silence(doc, claims, index)
            self.link_events(doc, anchors)
        return claims

    def add_issuers(self, noun: Token, claim: Claim, index) -> None:
        for child in noun.children:
            if child.dep_ == "poss":
                claim.issued_by = merge(claim.issued_by, actors_at(child, index))
            if child.dep_ == "prep" and child.lower_ == "by":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    claim.issued_by = merge(claim.issued_by, actors_at(pobj, index))
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ == "in":
            speaker = verb.head  # "X said in a statement"
            subject = subject_of(speaker)
            if subject is not None:
                claim.issued_by = merge(claim.issued_by, actors_at(subject, index))

    def add_roles(self, noun: Token, claim: Claim, index) -> None:
        """Verbs whose object (or passive subject) is the document: issued, released, confirmed, denied."""
        if noun.dep_ not in ("dobj", "nsubjpass"):
            return
        verb = noun.head
        for current in (verb, *verb.conjuncts):
            role = self.words.role_of_verb.get(current.lemma_.lower())
            if role is None or is_negative(current):
                continue
            actor = agent_of(current) if noun.dep_ == "nsubjpass" else subject_of(current)
            if actor is not None:
                setattr(claim, role, merge(getattr(claim, role), actors_at(actor, index)))

    def add_content(self, doc: Document, noun: Token, claim: Claim) -> None:
        """What the document says: the clause of the verb it is the subject of."""
        if claim.content is not None or noun.dep_ != "nsubj":
            return
        verb = noun.head
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        tokens = doc.parse[clause.left_edge.i : clause.right_edge.i + 1] if clause is not None else None
        if tokens is None:
            tokens = doc.parse[verb.i : verb.right_edge.i + 1]
        if tokens[-1].is_punct:
            tokens = tokens[:-1]
        claim.content = doc.article.span(tokens.start_char, tokens.end_char)

    def reporters(self, noun: Token, index) -> list[Mention]:
        verb = noun.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        return reporters_of(verb, index) if verb.pos_ in ("VERB", "AUX") else []

    def add_silence(self, doc: Document, claims: list[Claim], index) -> None:
        """ "X made no mention of the document", "X did not mention it", "X declined to comment on it"."""
        for token in doc.parse:
            lemma = token.lemma_.lower()
            silent_noun = token.pos_ == "NOUN" and lemma in self.words.silence_nouns and is_negative(token)
            silent_verb = (
                token.pos_ == "VERB"
                and lemma in self.words.silence_verbs
                and (is_negative(token) or token.head.lemma_.lower() in self.words.refusal_verbs)
            )
            if not (silent_noun or silent_verb):
                continue
            about = self.object_of_silence(token)
            if about is None:
                continue
            claim = self.claim_at(about, claims, doc)
            holder = token.head if silent_noun else token
            if silent_verb and token.dep_ == "xcomp":
                holder = token.head  # "declined to comment": the subject is the refusing verb's
            subject = subject_of(holder)
            if claim is not None and subject is not None:
                claim.no_comment_from = merge(claim.no_comment_from, actors_at(subject, index))

    def object_of_silence(self, token: Token) -> Token | None:
        for child in token.children:
            if child.dep_ == "dobj":
                return child
            if child.dep_ == "prep" and child.lower_ in ("of", "on", "about"):
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        return None

    def claim_at(self, token: Token, claims: list[Claim], doc: Document) -> Claim | None:
        """The claim a silence is about: the document named there, or the latest one before it."""
        if not (token.pos_ == "PRON" or self.is_trigger(token)):
            return None
        before = [c for c in claims if c.trigger.start < token.idx]
        return before[-1] if before else None

    def link_events(self, doc: Document, anchors: dict[int, Claim]) -> None:
        """Events the document asserts: those it is the subject of, or whose trigger lies in its content."""
        for event in doc.events:
            verb = doc.parse[event.trigger_token]
            subject = subject_of(verb)
            claim = anchors.get(subject.i) if subject is not None else None
            if claim is None:
                claim = next(
                    (
                        c
                        for c in anchors.values()
                        if c.content and c.content.start <= event.trigger.start < c.content.end
                    ),
                    None,
                )
            if claim is not None and event.id not in claim.events:
                claim.events.append(event.id)


def merge(known: list[Mention], new: list[Mention]) -> list[Mention]:
    """Add mentions not already there (the same words, or the same entity)."""
    seen = {(m.span.start, m.entity) for m in known}
    return known + [m for m in new if (m.span.start, m.entity) not in seen]


@register_stage("claims")
class ReadClaims:
    def __init__(self, settings: PipelineSettings) -> None:
        self.reader = ClaimReader(ClaimWords())

    def __call__(self, doc: Document) -> Document:
        doc.claims = self.reader.read(doc)
        return doc
