import datetime as dt

import pytest

from polybius.dates import resolve_date

FRIDAY = dt.date(2015, 10, 2)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Friday", "2015-10-02"),  # the publication day itself, not a week earlier
        ("Wednesday", "2015-09-30"),
        ("Thursday", "2015-10-01"),
        ("Saturday", "2015-09-26"),
        ("last Friday", "2015-09-25"),
        ("next Monday", "2015-10-05"),
        ("yesterday", "2015-10-01"),
        ("today", "2015-10-02"),
        ("Oct. 1", "2015-10-01"),
        ("Sept. 28", "2015-09-28"),
        ("three days ago", "2015-09-29"),
        ("March 3, 2014", "2014-03-03"),
    ],
)
def test_date_phrases_resolve_from_the_publication_date(phrase, expected):
    assert resolve_date(phrase, FRIDAY) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("phrase", ["three years", "the first", "recent weeks"])
def test_durations_and_vague_phrases_are_not_dates(phrase):
    assert resolve_date(phrase, FRIDAY) is None


def test_event_gets_its_clause_date_or_the_publication_date(code_text):
    doc = code_text("Russian jets bombed rebel positions in Syria on Wednesday. Iran praised Iraq.")
    bombing, praise = doc.events
    assert (bombing.date.isoformat(), bombing.date_from, bombing.date_evidence.text) == (
        "2015-09-30",
        "text",
        "Wednesday",
    )
    assert (praise.date.isoformat(), praise.date_from, praise.date_evidence) == (
        "2015-10-02",
        "publication",
        None,
    )
