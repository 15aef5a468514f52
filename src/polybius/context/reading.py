"""What the whole-article readers share: word lists, sentence numbers, and which mentions are people.

Coreference, affiliation and quotes need to know which sentence a token is in and whether a mention
names one person ("President Alexander Lukashenko", "the spokesman") or a body ("the Kremlin").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from polybius.actors.kb import ActorKB
from polybius.data import load_yaml
from polybius.model import Mention

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
DEFINITE = {"the", "this", "that"}
NAMED_NON_PERSONS = {"ORG", "FAC", "GPE", "LOC", "NORP", "PRODUCT", "EVENT", "LAW"}


class ContextWords:
    """The whole-article readers' word lists (data/coref.yaml)."""

    def __init__(self) -> None:
        data = load_yaml("coref.yaml")
        self.pronouns: dict[str, dict[str, str]] = data["pronouns"]
        self.person_nouns: dict[str, str] = data["person_nouns"]
        self.leader_titles: list[str] = data["leader_titles"]
        self.organisation_nouns: dict[str, str] = data["organisation_nouns"]
        self.speaker_nouns: set[str] = set(data["speaker_nouns"])
        self.state_sectors: set[str] = set(data["state_sectors"])
        self.numbers: dict[str, int] = data["numbers"]
        self.given_gender = {name: gender for gender, names in data["given_names"].items() for name in names}


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token, by token index."""
    numbers = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            numbers[i] = n
    return numbers


def mention_tokens(doc: Doc, mention: Mention) -> list[Token]:
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return list(span) if span is not None else [doc[mention.head]]


def is_role_word(token: Token, words: ContextWords) -> bool:
    return token.lower_ in words.person_nouns or token.lemma_.lower() in words.person_nouns


def names_a_person(mention: Mention, doc: Doc, kb: ActorKB, words: ContextWords) -> bool:
    """A KB person, a name the parser calls PERSON, a title before a name ("President Alexander
    Lukashenko"), or a single role holder in lower case ("the spokesman")."""
    entry = kb.entries.get(mention.kb_id) if mention.kb_id else None
    if entry is not None and entry.kind == "person":
        return True
    head = doc[mention.head]
    if head.tag_ == "NN" and is_role_word(head, words):
        return True  # "the spokesman", "Venezuela's defense minister", "Hamas spokesman"
    if head.pos_ != "PROPN" or head.is_lower:
        return False
    if head.ent_type_ == "PERSON":
        return True
    if mention.sector is None:
        return False  # a place ("Myanmar's Rakhine State"): an untyped name needs a title's sector
    tokens = mention_tokens(doc, mention)
    if any(t.ent_type_ == "PERSON" for t in tokens):
        return True
    # A title before a name the parser left untyped; not "General Assembly" (an organisation).
    return head.ent_type_ not in NAMED_NON_PERSONS and any(is_role_word(t, words) and t.i < head.i for t in tokens)


def is_subject(token: Token) -> bool:
    """A subject, or the apposition of one ("its spokesman, Colonel X, said")."""
    return token.dep_ in SUBJECT_DEPS or (token.dep_ == "appos" and token.head.dep_ in SUBJECT_DEPS)


def is_main_subject(token: Token) -> bool:
    """The subject of the sentence's main verb, the most salient antecedent of what follows."""
    return is_subject(token) and (token.head if token.dep_ != "appos" else token.head.head).dep_ == "ROOT"
