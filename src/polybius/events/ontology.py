"""The CAMEO event ontology with Goldstein scores, QuadClass and PLOVER types, from `data/cameo.csv`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from polybius.data import load_csv, load_yaml


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None

    def plover_dict(self) -> dict[str, Any] | None:
        if self.plover_type is None:
            return None  # CAMEO 01x public statements have no PLOVER type
        return {"type": self.plover_type, "mode": self.plover_mode, "context": self.plover_context}


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code, keyed by its code string ("0256")."""
    return {
        row["code"]: CameoCode(
            code=row["code"],
            root=row["root"],
            name=row["name"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover_type=row["plover_type"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
        for row in load_csv("cameo.csv")
    }


def lookup(code: str) -> CameoCode:
    return cameo_codes()[code]


@lru_cache(maxsize=1)
def intent_codes() -> dict[str, str]:
    """Intended act -> the CAMEO code for stating that intent (`data/intents.yaml`)."""
    return {str(act): str(intent) for act, intent in load_yaml("intents.yaml").items()}


def intent_of(code: CameoCode) -> CameoCode | None:
    """The 03x or 13x code for announcing `code` ("agreed to lift the embargo": 085 -> 0354), if any."""
    table = intent_codes()
    for prefix in (code.code, code.code[:3], code.root):
        if prefix in table:
            return cameo_codes()[table[prefix]]
    return None
