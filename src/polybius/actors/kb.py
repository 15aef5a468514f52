"""The actor knowledge base: countries, organisations, people, groups and sector role nouns, from data files.

Names are matched case-sensitively ("US" the country, never "us" the pronoun; "Chad"
the country, not "chad"), role nouns case-insensitively ("Foreign Ministry", "officials").
People carry dated offices, so the same name codes differently before, during and after office.
The built-in KB ships with the package; a user KB directory (see `polybius kb import`) adds to it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir

from polybius.data import data_path, load_yaml, read_yaml

TermRole = Literal[
    "name", "adjective", "people", "capital", "seat", "organisation", "person", "surname", "group", "not_actor"
]
EntryKind = Literal["country", "organisation", "person", "group", "not_actor"]
ELITE = "ELI"  # CAMEO sector for people known to the KB but out of office at the date


@dataclass(frozen=True, slots=True)
class Office:
    """One dated office of a person: a country's office (country set) or an organisation's (org set)."""

    role: str
    sector: str
    start: dt.date | None
    end: dt.date | None
    country: str | None = None
    org: str | None = None
    title: str | None = None

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def distance(self, day: dt.date) -> int:
        """Days between `day` and this office (0 inside it)."""
        if self.start and day < self.start:
            return (self.start - day).days
        if self.end and day > self.end:
            return (day - self.end).days
        return 0


@dataclass(frozen=True, slots=True)
class KBEntry:
    kb_id: str
    name: str
    kind: EntryKind
    country: str | None
    sector: str | None
    members: tuple[str, ...] | None = None
    offices: tuple[Office, ...] = ()
    gender: str | None = None

    def office_on(self, day: dt.date | None) -> Office | None:
        """The office held on `day` (the latest one when there is no date), else None."""
        if not self.offices:
            return None
        if day is None:
            return max(self.offices, key=lambda o: o.start or dt.date.min)
        current = [o for o in self.offices if o.holds_on(day)]
        return max(current, key=lambda o: o.start or dt.date.min) if current else None

    def coded_on(self, day: dt.date | None) -> tuple[str | None, str | None]:
        """(country, sector) of this entry on `day`: office holders are GOV (or IGO), others elites."""
        if self.kind != "person":
            return self.country, self.sector
        office = self.office_on(day)
        if office is not None:
            return office.country, office.sector
        nearest = min(self.offices, key=lambda o: o.distance(day)) if self.offices and day else None
        return (nearest.country if nearest else self.country), ELITE


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
    lower_terms: list[Term] = field(default_factory=list)  # group phrases matched case-insensitively
    name_words: frozenset[str] = frozenset()  # words of actor names, as written (for headline casing)

    def add_term(self, text: str, kb_id: str, role: TermRole, sector: str | None = None) -> None:
        text = text.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        if text:
            self.terms.append(Term(text, kb_id, role, sector))

    def add_entry(self, entry: KBEntry) -> None:
        """Add or replace an entry; a replaced entry's old names stop matching."""
        if entry.kb_id in self.entries:
            self.terms = [t for t in self.terms if t.kb_id != entry.kb_id]
            self.lower_terms = [t for t in self.lower_terms if t.kb_id != entry.kb_id]
        self.entries[entry.kb_id] = entry


def person_id(name: str) -> str:
    """A stable KB id from a person's name: "Recep Tayyip Erdoğan" -> "RECEP_TAYYIP_ERDOGAN"."""
    ascii_name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]+", "_", ascii_name.upper()).strip("_")


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def add_countries(kb: ActorKB, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        iso3 = row["iso3"]
        kb.add_entry(KBEntry(iso3, row["name"], "country", iso3, None))
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


def add_organisations(kb: ActorKB, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        members = tuple(row["members"]) if row.get("members") else None
        kb_id = row["kb_id"]
        kb.add_entry(KBEntry(kb_id, row["name"], "organisation", row.get("country"), row["sector"], members))
        for name in [row["name"], *(row.get("aliases") or [])]:
            kb.add_term(name, kb_id, "organisation")


def add_people(kb: ActorKB, rows: Iterable[dict[str, Any]], merge: bool = False) -> None:
    """People with dated offices. With `merge`, a person already known (from another region's
    file: an EU or NATO officer who also led a country) gains these offices instead of being replaced."""
    for row in rows:
        kb_id = row.get("kb_id") or person_id(row["name"])
        offices = tuple(
            Office(
                role=o.get("role", "official"),
                sector=o.get("sector") or ("IGO" if o.get("org") else "GOV"),
                start=_date(o.get("start")),
                end=_date(o.get("end")),
                country=o.get("country"),
                org=o.get("org"),
                title=o.get("title"),
            )
            for o in row.get("offices") or []
        )
        known = kb.entries.get(kb_id)
        if merge and known is not None and known.kind == "person":
            offices = known.offices + offices
            kb.entries[kb_id] = KBEntry(kb_id, known.name, "person", None, None, None, offices, known.gender)
        else:
            kb.add_entry(
                KBEntry(kb_id, row["name"], "person", row.get("country"), None, None, offices, row.get("gender"))
            )
        for name in [row["name"], *(row.get("aliases") or [])]:
            kb.add_term(name, kb_id, "person")
        for short in row.get("short") or []:
            kb.add_term(short, kb_id, "surname")


def add_groups(kb: ActorKB, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        members = tuple(row["members"]) if row.get("members") else None
        kb.add_entry(KBEntry(row["kb_id"], row["name"], "group", None, row.get("sector"), members))
        for phrase in [row["name"], *(row.get("aliases") or [])]:
            term = Term(phrase.removeprefix("the "), row["kb_id"], "group")
            # One word matches as written ("West", not "west"); longer phrases in any case.
            (kb.lower_terms if " " in term.text else kb.terms).append(term)


def add_actors(kb: ActorKB, rows: Iterable[dict[str, Any]]) -> None:
    """Imported dictionary actors: new names of a known country, or entries of their own."""
    for row in rows:
        known = kb.entries.get(row["kb_id"])
        names = [row["name"], *(row.get("aliases") or [])]
        if known is not None and known.kind == "country":
            for name in names:
                kb.add_term(name, known.kb_id, "seat" if row.get("sector") else "name", row.get("sector"))
            continue
        kb.add_entry(KBEntry(row["kb_id"], row["name"], "organisation", row.get("country"), row.get("sector")))
        for name in names:
            kb.add_term(name, row["kb_id"], "organisation")


def add_not_actors(kb: ActorKB, phrases: Iterable[str]) -> None:
    """Phrases that contain an actor name but name something else ("Latin America", "Indian Ocean")."""
    kb.entries.setdefault("NOT_ACTOR", KBEntry("NOT_ACTOR", "not an actor", "not_actor", None, None))
    for phrase in phrases:
        kb.add_term(phrase, "NOT_ACTOR", "not_actor")


def add_sector_nouns(kb: ActorKB, sectors: dict[str, Any]) -> None:
    for code, sector in sectors.items():
        if sector.get("name"):
            kb.sector_names[code] = sector["name"]
        for noun in sector.get("nouns") or []:
            kb.sector_nouns[noun.lower()] = code


def people_files() -> list[Traversable]:
    """The built-in people files, one per region (data/people/*.yaml)."""
    return sorted((f for f in data_path("people").iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


# File names of a user KB directory, each in the same schema as the built-in file of that kind.
USER_KB_FILES = {
    "countries.yaml": add_countries,
    "organisations.yaml": add_organisations,
    "people.yaml": add_people,
    "groups.yaml": add_groups,
    "actors.yaml": add_actors,
    "sectors.yaml": add_sector_nouns,
}


def _build_kb(user_dir: Path | None) -> ActorKB:
    kb = ActorKB()
    add_countries(kb, load_yaml("countries.yaml"))
    add_organisations(kb, load_yaml("organisations.yaml"))
    for people_file in people_files():
        add_people(kb, read_yaml(people_file) or [], merge=True)
    add_groups(kb, load_yaml("groups.yaml"))
    add_not_actors(kb, load_yaml("not_actors.yaml"))
    add_sector_nouns(kb, load_yaml("sectors.yaml"))
    if user_dir is not None:
        for name, add in USER_KB_FILES.items():
            if (user_dir / name).is_file():
                add(kb, read_yaml(user_dir / name) or ([] if name != "sectors.yaml" else {}))
    kb.name_words = frozenset(word for term in kb.terms for word in term.text.split())
    return kb


def default_kb_dir() -> Path:
    """The user KB directory: $POLYBIUS_KB_DIR, else the platform's user data directory."""
    return Path(os.environ.get("POLYBIUS_KB_DIR") or Path(user_data_dir("polybius")) / "kb")


@lru_cache(maxsize=4)
def load_kb(user_dir: Path | None = None) -> ActorKB:
    """The built-in knowledge base plus the user KB in `user_dir`, loaded once per process."""
    return _build_kb(user_dir)


def load_kb_for(kb_dir: Path | None) -> ActorKB:
    """The KB a pipeline uses: built-in plus `kb_dir` (default: the user KB directory, when it exists)."""
    user_dir = kb_dir or default_kb_dir()
    return load_kb(user_dir if user_dir.is_dir() else None)
