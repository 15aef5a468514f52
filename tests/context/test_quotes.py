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
