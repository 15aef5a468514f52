from __future__ import annotations


def roles(claim) -> dict[str, set[str]]:
    d = claim.to_dict()
    keys = ("issued_by", "released_by", "confirmed_by", "denied_by", "no_comment_from")
    return {k: {f"{m['country']}{m['sector'] or ''}" for m in d[k]} for k in keys if d[k]}


def test_said_in_a_statement_issues_and_denial_and_silence(code_text):
    doc = code_text(
        "Egypt's Foreign Ministry said in a statement on Monday that Cairo would host the talks. "
        "Ethiopian officials denied the statement. Sudanese officials declined to comment on it.",
        "2021-04-05",
    )
    (claim,) = doc.claims
    assert claim.trigger.text == "statement"
    assert roles(claim) == {"issued_by": {"EGYGOV"}, "denied_by": {"ETHGOV"}, "no_comment_from": {"SDNGOV"}}


def test_passive_release_and_confirmation_by_agents(code_text):
    doc = code_text(
        "A communique by Kenya and Uganda called for a ceasefire. The communique was released by the "
        "Kenyan Foreign Ministry and confirmed by Ugandan officials.",
        "2019-03-01",
    )
    (claim,) = doc.claims
    assert roles(claim) == {"issued_by": {"KEN", "UGA"}, "released_by": {"KENGOV"}, "confirmed_by": {"UGAGOV"}}


def test_a_new_indefinite_document_is_a_new_claim(code_text):
    doc = code_text("Japan issued a statement on the dispute. China published a report on the same day.", "2014-06-02")
    assert [c.trigger.text for c in doc.claims] == ["statement", "report"]
