"""Claims stage: statements and documents, and who issued, released, confirmed, denied or ignored them.

"A joint statement by France, Germany, ..." issues a claim; "The text of the statement was
released by the Turkish Foreign Ministry ... and confirmed by the French Foreign Ministry" adds
who released and confirmed it; "Saudi and Qatari officials made no mention of the document" puts
them in `no_comment_from`: silence is not an event, it is a field of the claim. A definite "the
statement", "the document" or "it" refers back to the latest claim of that noun.

Issuers come from the noun's own words ("Russia's statement", "the EU statement", "a statement by
..."), from the verb it is the object of ("handed him a note of protest"), from participles on it ("a
resolution drafted by the United States", "a communique issued after a summit of the bloc") and from
"In a statement (released on Monday), X said ...". Documents named inside quotations are the
speaker's words, not claims of the article.
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from polybius.context.quotes import QuotedText
from polybius.data import load_yaml
from polybius.events.extract import actors_at, frame_span, mentions_by_head, reporters_of, subject_of
from polybius.model import Claim, Document, Mention, Span
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

ROLES = ("issued_by", "released_by", "confirmed_by", "denied_by")
DEFINITE = ("the", "this", "that", "these", "those")


class ClaimWords:
    """Claim nouns and the verbs that give each role (data/claims.yaml)."""

    def __init__(self) -> None:
        data = load_yaml("claims.yaml")
        self.nouns: set[str] = {n for n in data["nouns"] if " " not in n}
        # multiword nouns: (words, position of the noun) by the noun ("note of protest" -> note, 0)
        self.phrases: dict[str, list[tuple[list[str], int]]] = {}
        for phrase in (n for n in data["nouns"] if " " in n):
            words = phrase.split()
            at = words.index("of") - 1 if "of" in words else len(words) - 1
            self.phrases.setdefault(words[at], []).append((words, at))
        self.role_of_verb = {verb: role for role in ROLES for verb in data[role]}
        self.denial_words: set[str] = set(data["denial_words"])
        self.receipt_verbs: set[str] = set(data["receipt"]["verbs"])
        self.receipt_nouns: set[str] = set(data["receipt"]["nouns"])
        self.meetings: set[str] = set(data["meetings"])
        self.reporting_verbs: set[str] = set(data["reporting_verbs"])
        self.silence_nouns: set[str] = set(data["silence"]["nouns"])
        self.silence_verbs: set[str] = set(data["silence"]["verbs"])
        self.refusal_verbs: set[str] = set(data["silence"]["refusals"])
        self.silent_verbs: set[str] = set(data["silence"]["by_themselves"])


def agent_of(verb: Token) -> Token | None:
    """The object of a passive verb's "by" agent."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def pobj_of(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def is_negative(token: Token) -> bool:
    """ "no mention", "did not mention", "never commented"."""
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children)


def actors_of(token: Token, index) -> list[Mention]:
    """The actors a subject or object names, with its apposition ("UNITED NATIONS (AP) - The U.N.
    Security Council voted": a dateline the parser took for the subject, the council in apposition)."""
    found = actors_at(token, index)
    for child in token.children:
        if child.dep_ == "appos":
            found += [m for m in actors_at(child, index) if m not in found]
    return found


class ClaimReader:
    def __init__(self, words: ClaimWords) -> None:
        self.words = words

    def phrase_at(self, token: Token) -> TokenSpan | None:
        """The multiword claim noun around `token` ("note of protest"), if any."""
        doc = token.doc
        for words, at in self.words.phrases.get(token.lemma_.lower(), []):
            start = token.i - at
            if start < 0 or start + len(words) > len(doc):
                continue
            tokens = doc[start : start + len(words)]
            if all(t.lower_ == w or t.lemma_.lower() == w for t, w in zip(tokens, words, strict=True)):
                return tokens
        return None

    def is_trigger(self, token: Token) -> bool:
        if token.pos_ != "NOUN":
            return False
        return token.lemma_.lower() in self.words.nouns or self.phrase_at(token) is not None

    def trigger_span(self, doc: Document, token: Token):
        """The claim noun with its modifiers ("joint statement", "note of protest"), without articles."""
        phrase = self.phrase_at(token)
        end = phrase.end if phrase is not None else token.i + 1
        first = phrase.start if phrase is not None else token.i
        start = min([first, *(c.i for c in token.lefts if c.dep_ in ("amod", "compound") and c.pos_ != "PROPN")])
        tokens = doc.parse[start:end]
        return doc.article.span(tokens.start_char, tokens.end_char)

    def refers_back(self, token: Token) -> bool:
        """A definite mention of a document already introduced: "the statement", "the document"."""
        if token.pos_ == "PRON":
            return True
        determiner = next((c for c in token.children if c.dep_ == "det"), None)
        has_author = any(c.dep_ == "poss" for c in token.children) or any(
            c.dep_ == "prep" and c.lower_ == "by" for c in token.children
        )
        return determiner is not None and determiner.lower_ in DEFINITE and not has_author

    def claim_token(self, token: Token) -> Token:
        """ "the text of the statement" -> statement."""
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                inner = pobj_of(prep)
                if inner is not None and self.is_trigger(inner):
                    return inner
        return token

    def read(self, doc: Document) -> list[Claim]:
        index = mentions_by_head(doc.actors)
        quoted = QuotedText(doc.article.text)
        claims: list[Claim] = []
        anchors: dict[int, Claim] = {}  # token index of each claim noun (or "it") -> its claim
        frames: dict[str, Span] = {}  # claim id -> the words its content is said with ("the statement warned")
        for token in doc.parse:
            if not self.is_trigger(token) or token.i in anchors or token.idx in quoted:
                continue
            inner = self.claim_token(token)
            earlier = None
            if self.refers_back(inner):
                earlier = self.earlier_claim(inner, claims, self.modifiers(inner, index))
            if earlier is not None:
                claim = earlier
            else:
                claim = Claim(id=f"{doc.article.id}:c{len(claims)}", trigger=self.trigger_span(doc, inner))
                claims.append(claim)
            anchors[token.i] = anchors[inner.i] = claim
            self.add_issuers(inner, claim, index)
            self.add_roles(token, claim, index)
            if (frame := self.add_content(doc, token, claim)) is not None:
                frames[claim.id] = frame
            claim.reported_by = merge(claim.reported_by, self.reporters(token, index))
        if claims:
            self.add_silence(doc, claims, index, quoted)
            self.link_events(doc, anchors, frames)
        return claims

    def earlier_claim(self, token: Token, claims: list[Claim], named: list[Mention] = ()) -> Claim | None:
        """The claim a definite noun refers back to: the latest of the same noun (of the actors it names,
        "the Egyptian statement", when one is theirs), else the latest."""
        if not claims:
            return None
        noun = token.lemma_.lower()
        same = [c for c in claims if noun in c.trigger.text.lower()] or claims
        countries = {m.country for m in named if m.country} | {m.kb_id for m in named if m.kb_id}
        if countries:
            theirs = [c for c in same if any(m.country in countries or m.kb_id in countries for m in parties(c))]
            same = theirs or same
        return same[-1]

    @staticmethod
    def modifiers(noun: Token, index) -> list[Mention]:
        """Actors named in front of the noun: "the EU statement", "the Egyptian and Jordanian statement"."""
        found: list[Mention] = []
        for child in noun.children:
            if child.dep_ in ("compound", "amod", "nmod"):
                for word in (child, *child.conjuncts):
                    found += index.get(word.i, [])
        return found

    def add_issuers(self, noun: Token, claim: Claim, index) -> None:
        claim.issued_by = merge(claim.issued_by, self.modifiers(noun, index))
        for child in noun.children:
            if child.dep_ == "poss":
                claim.issued_by = merge(claim.issued_by, actors_at(child, index))
            elif child.dep_ == "prep" and child.lower_ == "by":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    claim.issued_by = merge(claim.issued_by, actors_at(pobj, index))
        speaker = self.speaker_in(noun, index)
        if speaker:
            claim.issued_by = merge(claim.issued_by, speaker)
        for participle in (c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            self.add_participle(participle, claim, speaker, index)

    def speaker_in(self, noun: Token, index) -> list[Mention]:
        """ "X said in a statement", "In a statement, X said"; with the list in apposition when the
        parser hung it on the noun ("In a joint statement, Argentina, Brazil ... said")."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ != "in":
            return []
        subject = subject_of(prep.head)
        if subject is not None:
            return actors_of(subject, index)
        found: list[Mention] = []
        for child in (c for c in noun.children if c.dep_ == "appos"):
            found += actors_at(child, index)
        return found

    def add_participle(self, participle: Token, claim: Claim, speaker: list[Mention], index) -> None:
        """ "drafted by the United States and adopted 15-0"; "released late on Thursday" (by the
        speaker of "In a statement released ..., X said"); "issued after a summit of the bloc"."""
        for verb in (participle, *participle.conjuncts):
            role = self.words.role_of_verb.get(verb.lemma_.lower())
            if role is None or is_negative(verb):
                continue
            agent = agent_of(verb)
            if agent is not None:
                actors = actors_of(agent, index)
            elif role in ("issued_by", "released_by"):
                actors = speaker or self.meeting_members(verb, index)
            else:
                actors = []
            setattr(claim, role, merge(getattr(claim, role), actors))

    def meeting_members(self, verb: Token, index) -> list[Mention]:
        """ "issued after an emergency summit of the 15-nation bloc" -> the bloc."""
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("at", "after", "during", "by")):
            meeting = pobj_of(prep)
            if meeting is None or meeting.lemma_.lower() not in self.words.meetings:
                continue
            for of in (c for c in meeting.children if c.dep_ == "prep" and c.lower_ == "of"):
                members = pobj_of(of)
                if members is not None:
                    return actors_at(members, index)
        return []

    def add_roles(self, noun: Token, claim: Claim, index) -> None:
        """Verbs whose object (or passive subject) is the document: issued, released, confirmed, denied;
        "called it baseless" denies it; "confirmed it had received it" confirms it."""
        receipt = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        if receipt is not None and receipt.lemma_.lower() in self.words.receipt_nouns:
            # "acknowledged receipt of the letter"
            if receipt.dep_ == "dobj" and self.words.role_of_verb.get(receipt.head.lemma_.lower()) == "confirmed_by":
                self.add_role(receipt.head, "confirmed_by", subject_of(receipt.head), claim, index)
            return
        if noun.dep_ not in ("dobj", "nsubjpass"):
            return
        verb = noun.head
        for current in (verb, *verb.conjuncts):
            lemma = current.lemma_.lower()
            role = self.words.role_of_verb.get(lemma)
            if lemma == "call" and any(c.dep_ in ("oprd", "xcomp") and self.denies(c) for c in current.children):
                role = "denied_by"
            if role is None or is_negative(current) or self.refused(current):
                continue
            actor = agent_of(current) if noun.dep_ == "nsubjpass" else subject_of(current)
            self.add_role(current, role, actor, claim, index)
        if verb.lemma_.lower() in self.words.receipt_verbs and verb.dep_ == "ccomp" and noun.dep_ == "dobj":
            confirming = verb.head  # "confirmed (that) it had received the dossier"
            if self.words.role_of_verb.get(confirming.lemma_.lower()) == "confirmed_by" and not is_negative(confirming):
                self.add_role(confirming, "confirmed_by", subject_of(confirming), claim, index)

    def refused(self, verb: Token) -> bool:
        """ "declined to sign it": the refusing subject did not sign."""
        return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.words.refusal_verbs

    def denies(self, word: Token) -> bool:
        return word.lemma_.lower() in self.words.denial_words or any(
            c.dep_ in ("amod", "conj") and c.lemma_.lower() in self.words.denial_words for c in word.children
        )

    def add_role(self, verb: Token, role: str, actor: Token | None, claim: Claim, index) -> None:
        if actor is not None:
            setattr(claim, role, merge(getattr(claim, role), self.actors_or_speaker(actor, index)))

    def actors_or_speaker(self, token: Token, index) -> list[Mention]:
        """The actors a word names; for "it" in what a body says ("the ministry said it had given ..."),
        that body. Coreference leaves "it" alone, so the claim reads it here."""
        if token.lower_ != "it" or token.dep_ != "nsubj" or token.i in index:
            return actors_of(token, index)
        verb = token.head
        if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in self.words.reporting_verbs:
            speaker = subject_of(verb.head)
            if speaker is not None and speaker.pos_ != "PRON" and speaker.tag_ not in ("NNS", "NNPS"):
                return actors_of(speaker, index)
        return []

    def add_content(self, doc: Document, noun: Token, claim: Claim) -> Span | None:
        """What the document says: the clause of the verb it is the subject of. Returns the frame it says it
        with ("a statement by Egypt warned"), when the content is new."""
        if claim.content is not None or noun.dep_ != "nsubj":
            return None
        verb = noun.head
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        tokens = doc.parse[clause.left_edge.i : clause.right_edge.i + 1] if clause is not None else None
        if tokens is None:
            tokens = doc.parse[verb.i : verb.right_edge.i + 1]
        if tokens[-1].is_punct:
            tokens = tokens[:-1]
        claim.content = doc.article.span(tokens.start_char, tokens.end_char)
        return frame_span(doc, verb, noun)

    def reporters(self, noun: Token, index) -> list[Mention]:
        verb = noun.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        return reporters_of(verb, index) if verb.pos_ in ("VERB", "AUX") else []

    def add_silence(self, doc: Document, claims: list[Claim], index, quoted: QuotedText) -> None:
        """ "X made no mention of the document", "X did not respond to it", "X declined to comment on
        it", "X ignored it"."""
        for token in doc.parse:
            if token.idx in quoted:
                continue
            lemma = token.lemma_.lower()
            silent_noun = token.pos_ == "NOUN" and lemma in self.words.silence_nouns and is_negative(token)
            silent_verb = token.pos_ == "VERB" and (
                lemma in self.words.silent_verbs
                or (
                    lemma in self.words.silence_verbs
                    and (is_negative(token) or token.head.lemma_.lower() in self.words.refusal_verbs)
                )
            )
            if not (silent_noun or silent_verb):
                continue
            about = self.object_of_silence(token)
            if about is None:
                continue
            claim = self.claim_at(about, claims, index)
            holder = token.head if silent_noun else token
            if silent_verb and token.dep_ == "xcomp":
                holder = token.head  # "declined to comment": the subject is the refusing verb's
            subject = subject_of(holder)
            if claim is not None and subject is not None:
                claim.no_comment_from = merge(claim.no_comment_from, actors_of(subject, index))

    def object_of_silence(self, token: Token) -> Token | None:
        for child in token.children:
            if child.dep_ == "dobj":
                return child
            if child.dep_ == "prep" and child.lower_ in ("of", "on", "about", "to"):
                return pobj_of(child)
        return None

    def claim_at(self, token: Token, claims: list[Claim], index) -> Claim | None:
        """The claim a silence is about: the latest of the document named there, or the latest before it."""
        if not (token.pos_ == "PRON" or self.is_trigger(token)):
            return None
        before = [c for c in claims if c.trigger.start < token.idx]
        if not before:
            return None
        if token.pos_ == "PRON":
            return before[-1]
        return self.earlier_claim(token, before, self.modifiers(token, index))

    def link_events(self, doc: Document, anchors: dict[int, Claim], frames: dict[str, Span]) -> None:
        """Events the document asserts: those it is the subject of, or whose trigger lies in its content.
        An event with no attribution of its own gets the claim's frame ("the statement warned")."""
        for event in doc.events:
            verb = doc.parse[event.trigger_token]
            subject = subject_of(verb)
            claim = anchors.get(subject.i) if subject is not None else None
            said_by_subject = claim is not None  # "the statement WARNED that ...": its own verb frames it
            if claim is None:
                claim = next(
                    (
                        c
                        for c in anchors.values()
                        if c.content and c.content.start <= event.trigger.start < c.content.end
                    ),
                    None,
                )
            if claim is None:
                continue
            if event.id not in claim.events:
                claim.events.append(event.id)
            if event.attribution is None:
                event.attribution = frame_span(doc, verb, subject) if said_by_subject else frames.get(claim.id)


def merge(known: list[Mention], new: list[Mention]) -> list[Mention]:
    """Add actors not already there: one mention per entity ("the two leaders" are two)."""
    entities = {m.entity for m in known}
    added = []
    for mention in new:
        if mention.entity not in entities:
            added.append(mention)
            entities.add(mention.entity)
    return known + added


def parties(claim: Claim) -> list[Mention]:
    """Who issued, released or confirmed a claim: the actors whose document it is."""
    return [*claim.issued_by, *claim.released_by, *claim.confirmed_by]


@register_stage("claims")
class ReadClaims:
    def __init__(self, settings: PipelineSettings) -> None:
        self.reader = ClaimReader(ClaimWords())

    def __call__(self, doc: Document) -> Document:
        doc.claims = self.reader.read(doc)
        return doc
