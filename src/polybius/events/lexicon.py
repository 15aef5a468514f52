"""The verb lexicon (`data/verbs.yaml`): clause patterns over the dependency parse -> CAMEO codes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from polybius.data import load_yaml

CLAUSAL_COMPLEMENTS = {"xcomp", "ccomp"}
# Surface forms whose en_core_web_sm lemma collides with another verb: "raped" and "rapped"
# (criticised) both come out as "rap", so the form decides.
LEMMA_FIXES = {"raped": "rape", "raping": "rape", "rapes": "rape"}
OBJECT_DEPS = {"dobj", "nsubjpass"}  # the patient of an active or a passive verb


def is_time_phrase(prep: Token) -> bool:
    """ "on Friday", "at noon": a preposition whose object is a date or time, never an actor."""
    return any(
        c.dep_ == "pobj" and all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in c.subtree)
        for c in prep.children
    )


def actor_preps(
    holder: Token, names: tuple[str, ...], deps: tuple[str, ...], children: list[Token] | None = None
) -> Iterator[Token]:
    """Prepositions under `holder` that may introduce an actor: named, of an allowed dep, not a time phrase."""
    for child in holder.children if children is None else children:
        if child.dep_ in deps and child.lower_ in names and not is_time_phrase(child):
            yield child


def lemma_of(token: Token) -> str:
    """The token's lemma as the lexicon lists it."""
    return LEMMA_FIXES.get(token.lower_, token.lemma_.lower())


def _as_set(value: str | list[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


@dataclass(frozen=True, slots=True)
class VerbPattern:
    code: str
    lemmas: frozenset[str]
    particle: str | None = None
    prep: str | None = None
    objects: frozenset[str] = frozenset()
    complements: frozenset[str] = frozenset()
    target_preps: tuple[str, ...] = ()
    prep_objects: frozenset[str] = frozenset()  # what the prep governs ("engage IN cleansing", "call FOR release")
    converse: bool = False  # the prep's object acts on the subject: "X received weapons FROM Y" is Y arming X

    @property
    def specificity(self) -> int:
        return sum(bool(c) for c in (self.particle, self.prep, self.objects, self.complements, self.prep_objects))

    def object_of(self, verb: Token, children: list[Token] | None = None) -> Token | None:
        """The object this pattern needs ("expressed CONCERN", "prisoners were RELEASED"), if present."""
        candidates = verb.children if children is None else children
        return next((c for c in candidates if c.dep_ in OBJECT_DEPS and c.lemma_.lower() in self.objects), None)

    def matches(self, verb: Token, children: list[Token] | None = None) -> bool:
        """Whether the verb's clause has what the pattern needs; `children`: the verb's, when the caller has them."""
        children = list(verb.children) if children is None else children
        if self.particle and not any(c.dep_ == "prt" and c.lower_ == self.particle for c in children):
            return False
        if self.prep and next(actor_preps(verb, (self.prep,), ("prep", "prt"), children), None) is None:
            return False
        if self.prep_objects and self.prep_object_of(verb) is None:
            return False
        if self.objects and self.object_of(verb, children) is None:
            return False
        return not self.complements or self.complement_of(verb, children) is not None

    def prep_object_of(self, verb: Token) -> Token | None:
        """The noun this pattern needs under its preposition ("engaged in CLEANSING"), if present."""
        for prep in actor_preps(verb, (self.prep or "",), ("prep", "prt")):
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in self.prep_objects:
                    return pobj
        return None

    def complement_of(self, verb: Token, children: list[Token] | None = None) -> Token | None:
        """The clausal complement this pattern needs ("called on X to CEASE"), if present."""
        candidates = verb.children if children is None else children
        return next(
            (c for c in candidates if c.dep_ in CLAUSAL_COMPLEMENTS and c.lemma_.lower() in self.complements),
            None,
        )


@dataclass(slots=True)
class VerbLexicon:
    by_lemma: dict[str, list[VerbPattern]]

    def best(self, verb: Token) -> VerbPattern | None:
        """The most specific pattern that the verb's clause satisfies."""
        patterns = self.by_lemma.get(lemma_of(verb))
        if not patterns:
            return None
        children = list(verb.children)  # once per verb, not once per pattern ("call" has dozens)
        for pattern in patterns:
            if pattern.matches(verb, children):
                return pattern
        return None


@lru_cache(maxsize=1)
def load_lexicon() -> VerbLexicon:
    by_lemma: dict[str, list[VerbPattern]] = {}
    for entry in load_yaml("verbs.yaml"):
        pattern = VerbPattern(
            code=str(entry["code"]),
            lemmas=_as_set(entry["lemmas"]),
            particle=entry.get("particle"),
            prep=entry.get("prep"),
            objects=_as_set(entry.get("object")),
            complements=_as_set(entry.get("complement")),
            target_preps=tuple(entry.get("target_preps") or ()),
            prep_objects=_as_set(entry.get("prep_object")),
            converse=bool(entry.get("converse")),
        )
        for lemma in pattern.lemmas:
            by_lemma.setdefault(lemma, []).append(pattern)
    for patterns in by_lemma.values():
        patterns.sort(key=lambda p: -p.specificity)  # stable: file order breaks ties
    return VerbLexicon(by_lemma)
