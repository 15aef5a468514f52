from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from polybius.api import get_pipeline
from polybius.model import Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The team's ../shared folder (gold sets, the AP example); absent in a user's clone."""
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():
    return get_pipeline()


@pytest.fixture(scope="session")
def code_text(pipeline):
    """Code one text with a publication date through the default pipeline."""
    from polybius.api import to_article

    def run(text: str, date: str | None = "2015-10-02") -> Document:
        return pipeline(to_article(text, date))

    return run


def iter_spans(value: Any):
    """Every object in an output document that carries text/start/end."""
    if isinstance(value, dict):
        if {"text", "start", "end"} <= value.keys():
            yield value
        for child in value.values():
            yield from iter_spans(child)
    elif isinstance(value, list):
        for child in value:
            yield from iter_spans(child)


def events_summary(doc: Document) -> list[tuple[str, list[str], list[str]]]:
    """(cameo, source codes, target codes) of each affirmative event, codes as 'RUS GOV'."""

    def label(m) -> str:
        return " ".join(p for p in (m.country or m.kb_id, m.sector) if p)

    return [
        (e.code.code, [label(m) for m in e.source], [label(m) for m in e.target]) for e in doc.events if not e.negated
    ]
