"""Checks our own event test sentences (tests/events/cases.yaml) against coded Documents."""

from __future__ import annotations

from pathlib import Path

import yaml

from polybius.model import Document, Mention

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))
POSITIVE = [c for c in CASES if "variant" not in c]
VARIANTS = [c for c in CASES if "variant" in c]


def as_list(value) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def matches(mention: Mention, code: str) -> bool:
    """ISO3 (any sector), ISO3+sector, or a KB id."""
    if mention.kb_id == code:
        return True
    if len(code) == 3:
        return mention.country == code
    return len(code) == 6 and mention.country == code[:3] and mention.sector == code[3:]


def covers(mentions: list[Mention], codes: list[str]) -> bool:
    return all(any(matches(m, c) for m in mentions) for c in codes)


def affirmative(doc: Document, root: str) -> list:
    return [e for e in doc.events if e.code.root == root and not e.negated and e.modality == "asserted"]


def positive_result(doc: Document, case: dict) -> tuple[bool, bool, bool]:
    """(root found with its dyad, and that event's exact code matches, root found at all)."""
    code = str(case["code"])
    events = affirmative(doc, code[:2])
    dyad = [
        e for e in events if covers(e.source, as_list(case["source"])) and covers(e.target, as_list(case["target"]))
    ]  # fmt: skip
    return bool(dyad), any(e.code.code == code for e in dyad), bool(events)


def variant_holds(doc: Document, case: dict) -> bool:
    """A negated or hypothetical sentence yields no affirmative event of its root."""
    return not affirmative(doc, str(case["code"])[:2])
