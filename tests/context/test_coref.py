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
