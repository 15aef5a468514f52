"""The actor knowledge base: countries, organisations and sector role nouns, from data files.

Names are matched case-sensitively ("US" the country, never "us" the pronoun; "Chad"
the country, not "chad"), role nouns case-insensitively ("Foreign Ministry", "officials").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from polybius.data import load_yaml

TermRole = Literal["name", "adjective", "people", "capital", "seat", "organisation"]


@dataclass(frozen=True, slots=True)
class KBEntry:
    kb_id: str
    name: str
    kind: Literal["country", "organisation"]
    country: str | None
    sector: str | None
    members: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One surface form of a KB entry, and what it says about the actor."""

    text: str
    kb_id: str
    role: TermRole
    sector: str | None = None  # seats of power carry a sector ("Pentagon" -> MIL)


@dataclass(slots=True)
class ActorKB:
    entries: dict[str, KBEntry] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    sector_nouns: dict[str, str] = field(default_factory=dict)  # lower-case phrase -> sector code
    sector_names: dict[str, str] = field(default_factory=dict)  # sector code -> name
    name_words: frozenset[str] = frozenset()  # words of actor names, as written (for headline casing)

    def add_term(self, text: str, kb_id: str, role: TermRole, sector: str | None = None) -> None:
        text = text.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        if text:
            self.terms.append(Term(text, kb_id, role, sector))


def _build_kb() -> ActorKB:
    kb = ActorKB()
    for row in load_yaml("countries.yaml"):
        iso3 = row["iso3"]
        kb.entries[iso3] = KBEntry(iso3, row["name"], "country", iso3, None)
        for name in [row["name"], *(row.get("aliases") or [])]:
            kb.add_term(name, iso3, "name")
        for adjective in row.get("adjectives") or []:
            kb.add_term(adjective, iso3, "adjective")
        for people in row.get("people") or []:
            kb.add_term(people, iso3, "people")
        for capital in [row.get("capital"), *(row.get("capital_aliases") or [])]:
            if capital:
                kb.add_term(capital, iso3, "capital")
        for seat in row.get("seats") or []:
            kb.add_term(seat["name"], iso3, "seat", seat["sector"])
    for row in load_yaml("organisations.yaml"):
        members = tuple(row["members"]) if row.get("members") else None
        kb_id = row["kb_id"]
        kb.entries[kb_id] = KBEntry(kb_id, row["name"], "organisation", row.get("country"), row["sector"], members)
        for name in [row["name"], *(row.get("aliases") or [])]:
            kb.add_term(name, kb_id, "organisation")
    for code, sector in load_yaml("sectors.yaml").items():
        kb.sector_names[code] = sector["name"]
        for noun in sector.get("nouns") or []:
            kb.sector_nouns[noun.lower()] = code
    kb.name_words = frozenset(word for term in kb.terms for word in term.text.split())
    return kb


@lru_cache(maxsize=1)
def load_kb() -> ActorKB:
    """The built-in knowledge base, loaded once per process."""
    return _build_kb()
