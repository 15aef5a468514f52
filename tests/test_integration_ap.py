"""The AP story (2015-10-02) that defines what Polybius must read well; skipped without ../shared."""

from __future__ import annotations

import pytest

from polybius.ingest import read_inputs
from tests.conftest import events_summary


@pytest.fixture(scope="module")
def ap_document(shared, pipeline):
    (article,) = read_inputs([str(shared / "examples" / "ap-2015-10-02-coalition-russia.txt")], "2015-10-02")
    return pipeline(article)


def test_boilerplate_is_gone(ap_document):
    assert "Contact Us" not in ap_document.article.text
    assert "Copyright AP" not in ap_document.article.text


def test_turkey_and_allies_appeal_to_or_demand_of_russia(ap_document):
    assert any(
        code[:2] in {"02", "10"} and "TUR" in {s.split()[0] for s in sources} and "RUS" in targets
        for code, sources, targets in events_summary(ap_document)
    )


def test_russian_strikes_in_syria(ap_document):
    strikes = [
        e
        for e in ap_document.events
        if e.code.root == "19" and not e.negated and any(m.country == "RUS" for m in e.source)
    ]
    assert strikes and strikes[0].date.isoformat() == "2015-09-30"


def test_lavrov_rejects(ap_document):
    rejections = [
        e
        for e in ap_document.events
        if e.code.root == "12" and any((m.country, m.sector) == ("RUS", "GOV") for m in e.source)
    ]
    assert rejections and rejections[0].date.isoformat() == "2015-10-01"


def test_joint_statement_has_seven_sources_and_targets_russia(ap_document):
    concern = [e for e in ap_document.events if e.code.root == "11"]
    assert any(
        {m.country for m in e.source} == {"FRA", "DEU", "QAT", "SAU", "TUR", "GBR", "USA"}
        and [m.country for m in e.target] == ["RUS"]
        for e in concern
    )
