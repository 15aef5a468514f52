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


def test_a_multiword_claim_noun_handed_over(code_text):
    doc = code_text("Philippine officials handed the Chinese ambassador a note of protest on Monday.", "2023-08-07")
    (claim,) = doc.claims
    assert claim.trigger.text == "note of protest"
    assert roles(claim) == {"issued_by": {"PHLGOV"}}


def test_a_dossier_given_received_and_dismissed(code_text):
    doc = code_text(
        "India's Foreign Ministry said it had given Pakistan's envoy a dossier on the attack. Pakistan's Foreign "
        "Office confirmed that it had received the dossier. The Pakistani army dismissed the dossier.",
        "2019-02-28",
    )
    (claim,) = doc.claims
    assert roles(claim) == {"issued_by": {"INDGOV"}, "confirmed_by": {"PAKGOV"}, "denied_by": {"PAKMIL"}}


def test_a_statement_agreed_by_ambassadors_is_issued_by_the_alliance(code_text):
    doc = code_text(
        "NATO condemned the missile test on Monday. In a statement agreed by the ambassadors of the allies, the "
        "alliance said the launch broke the treaty.",
        "2019-08-05",
    )
    (claim,) = doc.claims
    assert any(m.kb_id == "NATO" for m in claim.issued_by)


def test_dismissal_refusal_to_comment_no_response_and_calling_it_baseless(code_text):
    doc = code_text(
        "Ukraine sent a letter to the OSCE on Monday. Russia's Foreign Ministry dismissed the letter. The Kremlin "
        "declined to comment on the letter. Belarusian officials did not respond to the letter. Hungarian "
        "officials called the letter baseless.",
        "2018-11-26",
    )
    (claim,) = doc.claims
    assert roles(claim) == {
        "issued_by": {"UKR"},
        "denied_by": {"RUSGOV", "HUNGOV"},
        "no_comment_from": {"RUSGOV", "BLRGOV"},
    }


def test_participles_on_the_document_and_a_statement_released_without_agent(code_text):
    doc = code_text(
        "The resolution, drafted by France and adopted unanimously, demands a ceasefire. "
        "In a statement released on Monday, the Kenyan Foreign Ministry said the border would reopen.",
        "2020-03-02",
    )
    resolution, statement = doc.claims
    assert roles(resolution) == {"issued_by": {"FRA"}}
    assert roles(statement) == {"issued_by": {"KENGOV"}, "released_by": {"KENGOV"}}


def test_refusing_to_sign_is_not_issuing(code_text):
    doc = code_text("Brazil and Chile signed a declaration on Friday. Mexico declined to sign the declaration.")
    (claim,) = doc.claims
    assert roles(claim) == {"issued_by": {"BRA", "CHL"}}


def test_documents_named_inside_quotations_are_not_claims(code_text):
    doc = code_text('"This declaration changes nothing," the Iranian foreign minister said on Monday.')
    assert doc.claims == []


def test_a_definite_document_of_named_issuers_refers_to_their_claim(code_text):
    doc = code_text(
        "Egypt issued a statement on the clashes on Monday. Hamas published its own statement on Tuesday. "
        "Israeli officials rejected the Egyptian statement.",
        "2019-07-17",
    )
    egypt, hamas = doc.claims
    assert roles(egypt) == {"issued_by": {"EGY"}, "denied_by": {"ISRGOV"}}
    assert "denied_by" not in roles(hamas)


def test_the_two_leaders_both_issue_their_joint_statement(code_text):
    doc = code_text(
        "French President Nicolas Sarkozy held talks with Russian President Dmitry Medvedev in Moscow on Tuesday "
        "before the two leaders set out a peace plan in a joint statement.",
        "2008-08-12",
    )
    (claim,) = doc.claims
    assert roles(claim) == {"issued_by": {"FRAGOV", "RUSGOV"}}
