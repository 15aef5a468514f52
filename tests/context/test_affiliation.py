"""Officials without a country of their own take the one their context gives (context/affiliation.py)."""

from __future__ import annotations


def coding(doc, text: str) -> tuple:
    (mention,) = [m for m in doc.actors if m.span.text == text]
    return mention.country, mention.sector


def test_an_official_introduced_after_a_ministry_of_one_country_belongs_to_it(code_text):
    doc = code_text(
        "Chile's Foreign Ministry rejected the report on Monday. Foreign Minister Marta Ortega said it was false.",
        "2020-01-01",
    )
    assert coding(doc, "Foreign Minister Marta Ortega") == ("CHL", "GOV")


def test_no_country_when_the_previous_sentence_names_two(code_text):
    doc = code_text(
        "Chile's Foreign Ministry summoned Peru's ambassador on Monday. Foreign Minister Marta Ortega said the "
        "talks were over.",
        "2020-01-01",
    )
    assert coding(doc, "Foreign Minister Marta Ortega") == (None, "GOV")


def test_its_spokesman_speaks_for_the_body_before(code_text):
    doc = code_text(
        "Sudan's army rejected the plan on Sunday. Its spokesman, Colonel Ahmed Khalil, said the troops would "
        'stay. "We are not leaving," Khalil said.',
        "2020-01-01",
    )
    assert coding(doc, "spokesman") == ("SDN", "MIL")
    (quote,) = doc.quotes
    assert (quote.speaker.country, quote.speaker.sector) == ("SDN", "MIL")


def test_a_rank_in_apposition_gives_a_spokesman_his_sector(code_text):
    doc = code_text(
        "Egypt's Foreign Ministry welcomed the truce on Monday. But the army's spokesman, Brigadier General Tamer "
        "Rifai, said the border would stay closed.",
        "2020-01-01",
    )
    assert coding(doc, "spokesman") == ("EGY", "MIL")


def test_a_spokesman_for_someone_and_a_junta_spokesman(code_text):
    doc = code_text(
        "A spokesman for Israeli Prime Minister Benjamin Netanyahu declined to comment. "
        "In Bamako, a junta spokesman said the borders would reopen.",
        "2019-07-17",
    )
    assert coding(doc, "spokesman") == ("ISR", "GOV")
    # the previous sentence's Israeli official does not make him Israeli; the scene (Bamako) makes him Malian
    assert coding(doc, "junta spokesman") == ("MLI", "MIL")


def test_an_officer_of_the_organisation_named_before_his_title(code_text):
    doc = code_text("ECOWAS Commission President Jean Brou read the communique to reporters.", "2023-07-30")
    officer = next(m for m in doc.actors if "Jean Brou" in m.span.text)
    assert (officer.kb_id, officer.sector) == ("ECOWAS", "IGO")
