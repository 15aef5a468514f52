"""Import PETRARCH/TABARI `.actors` and `.agents` dictionaries into a user KB directory.

Many users maintain actor dictionaries in that text format. An `.actors` record is a primary
phrase (words joined by `_` or blanks, optional default `[CODE]`), `+synonym` lines, and indented
`[CODE date-restriction]` lines (`YYYYMMDD-YYYYMMDD`, `<date`, `>date`, 6-digit dates allowed).
An `.agents` line is `PHRASE {plural} [~CODE]`. Entries land in the user KB's YAML files, in the
same schema as the built-in ones, never in the installed package.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from polybius.actors.kb import ActorKB, person_id
from polybius.errors import Errors, InputError

COMMENT = re.compile(r"<!--.*?-->|#.*$|;.*$")
RESTRICTION = re.compile(r"^\[\s*([A-Z0-9]+)\s*([<>]?\s*\d{6,8}(?:\s*-\s*\d{6,8})?)?\s*\]$")
PRIMARY = re.compile(r"^([^\[\]{}+]+?)\s*(?:\[\s*([A-Z0-9~]+)\s*\])?$")
AGENT = re.compile(r"^([^\[\]{}]+?)\s*(?:\{([^}]*)\})?\s*\[\s*(~?[A-Z0-9]+~?)\s*[\]}]$")
TWO_DIGIT_YEAR_PIVOT = 30  # 6-digit dates: 00-29 are 20xx, 30-99 are 19xx


@dataclass(slots=True)
class ImportResult:
    people: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    sector_nouns: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # lines that could not be read, with their number


def phrase_text(phrase: str) -> str:
    """`JAMES_BYRNES_` -> "James Byrnes", `NRB_` -> "NRB": words as news writes them."""
    words = phrase.replace("_", " ").split()
    return " ".join(w if any(c.islower() for c in w) or len(w) <= 3 else w.capitalize() for w in words)


def parse_dictionary_date(text: str) -> dt.date:
    digits = text.strip()
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year < TWO_DIGIT_YEAR_PIVOT else 1900 + year}{digits[2:]}"
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def split_code(code: str, kb: ActorKB) -> tuple[str | None, str | None]:
    """`USAGOV` -> (USA, GOV); `AFG` -> (AFG, None); `IGOUNO` -> (None, IGO)."""
    head, rest = code[:3], code[3:6]
    entry = kb.entries.get(head)
    if entry is not None and entry.kind == "country":
        return head, rest if rest in kb.sector_names else None
    return None, head if head in kb.sector_names else None


def read_actors(text: str, kb: ActorKB) -> ImportResult:
    result = ImportResult()
    record: dict[str, Any] | None = None

    def flush() -> None:
        if record is None:
            return
        if record["offices"]:
            result.people.append(
                {
                    "name": record["name"],
                    "aliases": record["aliases"],
                    "short": [],
                    "gender": None,
                    "offices": record["offices"],
                }
            )
        elif record["code"]:
            country, sector = split_code(record["code"], kb)
            kb_id = country if country and not sector and len(record["code"]) == 3 else person_id(record["name"])
            result.actors.append(
                {
                    "kb_id": kb_id,
                    "name": record["name"],
                    "aliases": record["aliases"],
                    "country": country,
                    "sector": sector,
                }
            )

    for number, raw in enumerate(text.splitlines(), start=1):
        line = COMMENT.sub("", raw).strip()
        if not line:
            continue
        if line.startswith("+") and record is not None:
            record["aliases"].append(phrase_text(line[1:]))
        elif line.startswith("[") and record is not None:
            restriction = RESTRICTION.match(line)
            if restriction is None:
                result.skipped.append(f"line {number}: {raw.strip()}")
                continue
            code, when = restriction.groups()
            if when is None:
                record["code"] = code
                continue
            record["offices"].append(office_from(code, when, kb))
        elif (primary := PRIMARY.match(line)) is not None:
            flush()
            record = {"name": phrase_text(primary.group(1)), "aliases": [], "code": primary.group(2), "offices": []}
        else:
            result.skipped.append(f"line {number}: {raw.strip()}")
    flush()
    return result


def office_from(code: str, when: str, kb: ActorKB) -> dict[str, Any]:
    country, sector = split_code(code, kb)
    when = when.replace(" ", "")
    start: dt.date | None = None
    end: dt.date | None = None
    if when.startswith("<"):
        end = parse_dictionary_date(when[1:])
    elif when.startswith(">"):
        start = parse_dictionary_date(when[1:])
    elif "-" in when:
        first, last = when.split("-")
        start, end = parse_dictionary_date(first), parse_dictionary_date(last)
    else:
        start = end = parse_dictionary_date(when)
    return {
        "country": country,
        "sector": sector or "GOV",
        "role": "imported",
        "title": None,
        "start": start,
        "end": end,
    }


def read_agents(text: str, kb: ActorKB) -> ImportResult:
    result = ImportResult()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = COMMENT.sub("", raw).strip()
        if not line or line.startswith("!"):
            continue
        agent = AGENT.match(line)
        if agent is None:
            result.skipped.append(f"line {number}: {raw.strip()}")
            continue
        phrase, plural, code = agent.groups()
        sector = code.strip("~")[:3]
        if sector not in kb.sector_names:
            result.skipped.append(f"line {number}: unknown agent code {code}")
            continue
        singular = phrase_text(phrase).lower()
        forms = [singular]
        if plural is None:
            forms.append(singular + ("es" if singular.endswith("ss") else "s"))
        else:
            forms.extend(phrase_text(p).lower() for p in plural.split())
        result.sector_nouns.setdefault(sector, []).extend(forms)
    return result


def read_dictionary(path: Path, kb: ActorKB) -> ImportResult:
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except FileNotFoundError:
        raise InputError(Errors.E010, str(path)) from None
    except UnicodeDecodeError as err:
        raise InputError(Errors.E003, str(path), byte=err.object[err.start], offset=err.start) from None
    is_agents = path.suffix == ".agents" or re.search(r"\[~[A-Z]", text) is not None
    return read_agents(text, kb) if is_agents else read_actors(text, kb)


def _merge(path: Path, rows: list[dict[str, Any]], key: str) -> int:
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else []
    merged = {row.get(key) or person_id(row["name"]): row for row in existing or []}
    for row in rows:
        merged[row.get(key) or person_id(row["name"])] = row
    path.write_text(yaml.safe_dump(list(merged.values()), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return len(rows)


def write_user_kb(result: ImportResult, kb_dir: Path) -> dict[str, int]:
    """Merge imported entries into the user KB files (an entry with the same id is replaced)."""
    kb_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        "people": _merge(kb_dir / "people.yaml", result.people, "kb_id") if result.people else 0,
        "actors": _merge(kb_dir / "actors.yaml", result.actors, "kb_id") if result.actors else 0,
        "agent nouns": sum(len(v) for v in result.sector_nouns.values()),
    }
    if result.sector_nouns:
        path = kb_dir / "sectors.yaml"
        sectors = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}
        for code, nouns in result.sector_nouns.items():
            known = sectors.setdefault(code, {"nouns": []})["nouns"]
            known.extend(n for n in nouns if n not in known)
        path.write_text(yaml.safe_dump(sectors, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return counts
