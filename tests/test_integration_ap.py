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


# Golden facts of whole-article reading (issue 6), reviewed by hand against the article.


def joint_statement(ap_document):
    return next(c for c in ap_document.claims if "statement" in c.trigger.text)


def codes(mentions) -> set[str]:
    return {f"{m.country}{m.sector or ''}" for m in mentions}


def test_joint_statement_issuers(ap_document):
    assert {m.country for m in joint_statement(ap_document).issued_by} == {
        "FRA",
        "DEU",
        "QAT",
        "SAU",
        "TUR",
        "GBR",
        "USA",
    }


def test_joint_statement_released_by_turkish_foreign_ministry(ap_document):
    assert codes(joint_statement(ap_document).released_by) == {"TURGOV"}


def test_joint_statement_confirmed_by_french_foreign_ministry(ap_document):
    assert codes(joint_statement(ap_document).confirmed_by) == {"FRAGOV"}


def test_saudi_and_qatari_officials_made_no_mention(ap_document):
    assert codes(joint_statement(ap_document).no_comment_from) == {"SAUGOV", "QATGOV"}


def test_joint_statement_asserts_the_concern_event(ap_document):
    claim = joint_statement(ap_document)
    asserted = [e for e in ap_document.events if e.id in claim.events]
    assert any(e.code.root == "11" for e in asserted)


def test_strikes_located_in_syria(ap_document):
    strikes = [e for e in ap_document.events if e.code.root == "19" and e.date.isoformat() == "2015-09-30"]
    assert strikes and strikes[0].location is not None and strikes[0].location.country == "SYR"
    assert strikes[0].location.lat is not None


def test_he_insisted_is_lavrov(ap_document):
    he = next(m for m in ap_document.actors if m.span.text == "He")
    assert he.kb_id == "SERGEY_LAVROV" and (he.country, he.sector) == ("RUS", "GOV")
    assert "Lavrov" in he.antecedent.text


def test_quote_with_dropped_speaker_is_lavrov(ap_document):
    quote = next(q for q in ap_document.quotes if q.text.text.startswith("I would recall"))
    assert quote.speaker is not None and quote.speaker.kb_id == "SERGEY_LAVROV"
    assert quote.speaker_method == "dropped_subject" and 0 < quote.confidence < 0.9


def test_last_quote_is_lavrov(ap_document):
    last = ap_document.quotes[-1]
    assert last.text.text.endswith("on this one.") and last.speaker.kb_id == "SERGEY_LAVROV"
