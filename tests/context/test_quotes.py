from __future__ import annotations

from polybius.context.quotes import find_quotes


def spans(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


def test_curly_and_straight_quotes_pair_within_a_paragraph():
    text = 'He said \u201cno deal\u201d and then "maybe later" before leaving.'
    assert spans(text) == ["no deal", "maybe later"]


def test_quote_over_two_paragraphs_is_one_quote():
    text = '"We will not retreat.\n\n"We will hold the line," she said.'
    (quote,) = find_quotes(text)
    assert text[quote.start : quote.end] == 'We will not retreat.\n\n"We will hold the line,'


def test_unclosed_quote_ends_at_its_paragraph():
    text = 'He shouted "enough\n\nThen he left.'
    assert spans(text) == ["enough"]


def test_speakers_explicit_pronoun_and_previous(code_text):
    doc = code_text(
        "Iranian Foreign Minister Mohammad Javad Zarif met reporters in Vienna on Tuesday. "
        '"We have kept our word," Zarif said.\n\n'
        '"Now it is their turn," he added.\n\n'
        '"Nobody should doubt our resolve."',
        "2015-07-14",
    )
    methods = [(q.speaker.kb_id if q.speaker else None, q.speaker_method) for q in doc.quotes]
    assert methods == [
        ("MOHAMMAD_JAVAD_ZARIF", "explicit"),
        ("MOHAMMAD_JAVAD_ZARIF", "pronoun"),
        ("MOHAMMAD_JAVAD_ZARIF", "previous"),
    ]


def test_a_surname_given_in_apposition_speaks_for_the_role(code_text):
    doc = code_text(
        "Chile's ambassador to the United Nations, Marta Ortega, spoke after the vote. "
        '"We will not block the text," Ortega said.',
        "2020-01-01",
    )
    (quote,) = doc.quotes
    assert (quote.speaker.country, quote.speaker.sector, quote.speaker_method) == ("CHL", "GOV", "explicit")


def test_a_speaker_who_lost_his_subject_is_a_person_not_an_organisation_noun(code_text):
    doc = code_text(
        "French Foreign Minister Bernard Kouchner said the bloc was ready to send monitors to Georgia. "
        '"We cannot watch from a distance," said at a news conference.',
        "2008-08-13",
    )
    (quote,) = doc.quotes
    assert (quote.speaker.kb_id, quote.speaker_method) == ("BERNARD_KOUCHNER", "dropped_subject")


def test_an_official_without_a_country_of_his_own_speaks_for_the_ministry_before(code_text):
    doc = code_text(
        "Iran's Foreign Ministry rejected the report on Friday. "
        '"These claims from Washington are baseless," ministry spokesman Abbas Mousavi said.',
        "2019-06-14",
    )
    (quote,) = doc.quotes
    assert (quote.speaker.country, quote.speaker.sector) == ("IRN", "GOV")
