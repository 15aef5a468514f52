"""Table-driven actor resolution: mention in a news sentence -> expected country and sector.

The cases (cases.yaml) cover countries, capitals and seats of power, adjective/possessive + role
noun, role-only nouns, people before, during and after office, organisations, armed groups,
names that are also places or people ("Georgia", "Chad", "Jordan") and groups of countries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from polybius.api import get_pipeline, to_article
from polybius.pipeline import PipelineSettings

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def resolve():
    pipeline = get_pipeline(PipelineSettings(stages=("parse", "actors")))
    return lambda text, date: pipeline(to_article(text, str(date))).actors


def overlapping(mentions, text: str, words: str):
    start = text.index(words)
    end = start + len(words)
    return [m for m in mentions if m.span.start < end and start < m.span.end]


def case_id(case: dict) -> str:
    return f"{case['mention']}@{case['date']}"


def test_there_are_at_least_300_cases():
    assert len(CASES) >= 300
    assert all(case["mention"] in case["text"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_mention_resolves_as_expected(resolve, case):
    found = overlapping(resolve(case["text"], case["date"]), case["text"], case["mention"])
    if "not_country" in case:
        assert all(m.country != case["not_country"] for m in found), [m.to_dict() for m in found]
        return
    coded = [(m.country, m.sector) for m in found]
    assert (case.get("country"), case.get("sector")) in coded, coded
    match = next(m for m in found if (m.country, m.sector) == (case.get("country"), case.get("sector")))
    if "kb_id" in case:
        assert match.kb_id == case["kb_id"]
    if "members_include" in case:
        assert set(case["members_include"]) <= set(match.members or [])
