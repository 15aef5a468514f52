import pytest


def mentions(doc):
    return {(m.span.text, m.country or m.kb_id, m.sector) for m in doc.actors}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Turkey's Foreign Ministry said on Friday that talks would go on.",
            ("Turkey's Foreign Ministry", "TUR", "GOV"),
        ),
        (
            "The statement was released by the Turkish Foreign Ministry.",
            ("Turkish Foreign Ministry", "TUR", "GOV"),
        ),
        (
            "Russian Foreign Minister Sergey Lavrov rejected the plan.",
            ("Russian Foreign Minister Sergey Lavrov", "RUS", "GOV"),
        ),
        ("Russian jets made their first strikes in Syria.", ("Russian jets", "RUS", "MIL")),
        ("The Kremlin said the talks were useful.", ("Kremlin", "RUS", "GOV")),
        ("The Pentagon said the drills would go ahead.", ("Pentagon", "USA", "MIL")),
        ("Moscow dismissed the report.", ("Moscow", "RUS", "GOV")),
        ("Talks resumed in Moscow on Monday.", ("Moscow", "RUS", None)),
        ("The United States and Britain condemned the attack.", ("United States", "USA", None)),
        ("Islamic State militants attacked the town.", ("Islamic State militants", "ISIL", "INS")),
        ("Police arrested dozens of protesters in the capital.", ("Police", None, "COP")),
    ],
)
def test_noun_phrases_compose_country_and_sector(code_text, text, expected):
    assert expected in mentions(code_text(text))


def test_coordinated_adjectives_give_one_mention_per_country(code_text):
    found = mentions(code_text("Saudi and Qatari officials on Friday made no mention of the document."))
    assert {(c, s) for _, c, s in found} >= {("SAU", "GOV"), ("QAT", "GOV")}


def test_acronyms_missed_by_ner_are_found_case_sensitively(code_text):
    doc = code_text("Coalition Asks Russia to Focus on Fighting ISIS\n\nIS fighters attacked us near the border.")
    found = mentions(doc)
    assert ("ISIS", "ISIL", "INS") in found
    assert any(kb == "ISIL" and text.startswith("IS") for text, kb, _ in found if text != "ISIS")
    assert not any(text.lower() == "us" for text, _, _ in found)  # the pronoun is not the United States


def test_mentions_of_one_actor_share_an_entity_id(code_text):
    doc = code_text("Russia bombed rebel bases. Later Russia said it had bombed only militants.")
    russia = [m for m in doc.actors if m.span.text == "Russia"]
    assert len(russia) == 2 and russia[0].entity == russia[1].entity == "RUS"


def test_organisations_are_igos_without_country(code_text):
    doc = code_text("NATO condemned the missile test.")
    nato = next(m for m in doc.actors if m.kb_id == "NATO")
    assert (nato.country, nato.sector) == (None, "IGO") and "USA" in nato.members


@pytest.mark.parametrize(
    "text",
    [
        "BRUSSELS (AP) - NATO on Monday condemned the incursions.",
        "MOSCOW, Oct 2 (Reuters) -- NATO on Monday condemned the incursions.",
    ],
)
def test_a_wire_dateline_names_no_actor(code_text, text):
    """The city a story was filed from is no party to it; the same city in the story is."""
    assert {m.span.text for m in code_text(text).actors} == {"NATO"}
    assert "Moscow" in {m.span.text for m in code_text("Moscow condemned the incursions.").actors}


def test_an_ethnic_group_is_coded_as_civilians_of_the_country_it_lives_in(code_text):
    doc = code_text("Romanian police detained four ethnic Hungarians in central Romania.", "2000-01-01")
    (hungarians,) = [m for m in doc.actors if m.span.text == "Hungarians"]
    assert (hungarians.country, hungarians.sector) == ("ROU", "CVL")
    plain = code_text("Hungarians voted on Sunday.", "2000-01-01")
    assert [m.country for m in plain.actors] == ["HUN"]
