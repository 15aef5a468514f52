from __future__ import annotations


def resolved(doc) -> dict[str, tuple]:
    return {m.span.text: (m.kb_id, m.country, m.sector, m.antecedent.text) for m in doc.actors if m.antecedent}


def test_she_and_the_minister_refer_back(code_text):
    doc = code_text(
        "German Foreign Minister Annalena Baerbock arrived in Kyiv on Monday. She met Ukrainian officials. "
        "Later the minister visited a hospital.",
        "2023-02-06",
    )
    found = resolved(doc)
    assert found["She"][:3] == ("ANNALENA_BAERBOCK", "DEU", "GOV")
    assert found["minister"][0] == "ANNALENA_BAERBOCK"


def test_he_does_not_take_a_female_antecedent(code_text):
    doc = code_text("Spokeswoman Maria Lopez read the statement. He then left the room.", "2020-01-01")
    assert "He" not in resolved(doc)


def test_unknown_surname_repeats_the_full_name(code_text):
    doc = code_text(
        "Ruritanian Foreign Minister Karel Vondrak arrived in Vienna. Vondrak said talks would go on.",
        "2020-01-01",
    )
    assert resolved(doc)["Vondrak"][3] == "Foreign Minister Karel Vondrak"


def test_the_president_refers_to_a_president_the_kb_does_not_know(code_text):
    doc = code_text(
        "President Karel Vondrak opened the new session of parliament on Monday. "
        "The president said the budget would be cut by a tenth.",
        "2020-01-01",
    )
    assert resolved(doc)["president"][3] == "President Karel Vondrak"


def test_a_role_with_a_country_adjective_takes_a_person_of_that_country(code_text):
    doc = code_text(
        "Spanish Prime Minister Pedro Sanchez welcomed German Chancellor Olaf Scholz in Madrid on Tuesday. "
        "The German leader then flew on to Lisbon.",
        "2023-05-02",
    )
    found = resolved(doc)
    assert found["German leader"][:3] == ("OLAF_SCHOLZ", "DEU", "GOV")
    assert "German" not in found  # the adjective is part of the resolved mention, not an actor of its own


def test_the_secretary_general_refers_to_the_named_secretary_general(code_text):
    doc = code_text(
        "U.N. Secretary-General Antonio Guterres visited Kabul on Monday and met Afghan officials. "
        "The secretary-general called for more aid, and he urged donors to act quickly.",
        "2022-03-14",
    )
    found = resolved(doc)
    assert found["secretary-general"][0] == "ANTONIO_GUTERRES"
    assert found["he"][0] == "ANTONIO_GUTERRES"


def test_the_minister_is_the_latest_minister_even_named_by_surname_only(code_text):
    doc = code_text(
        "Indian External Affairs Minister Sushma Swaraj arrived in Dubai on Friday. Pakistani Foreign Minister "
        "Shah Mahmood Qureshi stayed in Islamabad. Swaraj addressed the delegates. The minister did not name "
        "any country.",
        "2019-03-01",
    )
    assert resolved(doc)["minister"][0] == "SUSHMA_SWARAJ"


def test_a_surname_repeats_the_name_given_in_apposition(code_text):
    doc = code_text(
        "Chile's ambassador, Marta Ortega, was summoned on Monday. Ortega said she had nothing to add.",
        "2020-01-01",
    )
    assert resolved(doc)["Ortega"][1:3] == ("CHL", "GOV")


def test_the_leaders_and_the_two_leaders(code_text):
    doc = code_text(
        "European Union leaders met in Brussels on Friday. The leaders agreed to extend the sanctions. "
        "French President Emmanuel Macron later held talks with German Chancellor Olaf Scholz in Berlin, "
        "and the two leaders called for a ceasefire.",
        "2023-06-30",
    )
    assert resolved(doc)["leaders"][0] == "EU"
    two = {m.kb_id for m in doc.actors if m.span.text == "two leaders"}
    assert two == {"EMMANUEL_MACRON", "OLAF_SCHOLZ"}


def test_organisation_nouns_refer_to_a_named_organisation(code_text):
    doc = code_text(
        "NATO foreign ministers met in Oslo on Thursday. The alliance said it would keep its troops in the region. "
        "The U.N. Security Council met the same day, and the council called for restraint.",
        "2023-06-01",
    )
    found = resolved(doc)
    assert found["alliance"][0] == "NATO"
    assert found["council"][0] == "UNSC"


def test_a_pronoun_after_a_quote_takes_the_main_subject_not_a_name_inside_the_quote(code_text):
    doc = code_text(
        "Kenyan President William Ruto signed the accord in Nairobi with Ugandan President Yoweri Museveni, "
        "after the Ugandan leader dropped his objections.\n\n"
        '"President Museveni has shown courage," he said.',
        "2023-07-10",
    )
    assert resolved(doc)["he"][1] == "KEN"


def test_he_does_not_pass_over_a_person_the_kb_cannot_code(code_text):
    doc = code_text(
        "U.S. President Donald Trump recognized the opposition leader on Wednesday. Karel Vondrak responded by "
        'breaking off relations with Washington. "We have had enough," he said.',
        "2019-01-23",
    )
    assert "he" not in resolved(doc)
    (quote,) = doc.quotes
    assert quote.speaker is None
