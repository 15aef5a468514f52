from __future__ import annotations

import pytest

from polybius.context.dateline import dateline


def located(doc) -> list[tuple]:
    return [
        (e.code.root, e.location.name, e.location.country, e.location.lat is not None) for e in doc.events if e.location
    ]


def test_country_city_and_venue(code_text):
    doc = code_text(
        "Russian jets bombed rebel positions in Syria on Tuesday. Turkish troops attacked Kurdish fighters in "
        "Aleppo. Iran's foreign minister met his Omani counterpart at United Nations headquarters.",
        "2016-02-10",
    )
    places = {name: (country, has_point) for _, name, country, has_point in located(doc)}
    assert places["Syria"] == ("SYR", True)
    assert places["Aleppo"] == ("SYR", True)
    assert places["United Nations headquarters"] == ("USA", True)


def test_unknown_place_keeps_its_span_without_coordinates(code_text):
    doc = code_text("Kenyan police arrested protesters in Xyloville on Monday.", "2020-01-06")
    event = next(e for e in doc.events if e.location)
    assert event.location.span.text == "Xyloville" and event.location.lat is None


def test_a_place_elsewhere_in_the_sentence_locates_the_event(code_text):
    doc = code_text("Belarusian police detained the journalist after the plane landed in Minsk.", "2021-05-24")
    (event,) = [e for e in doc.events if e.code.root == "17"]
    assert (event.location.country, event.location.span.text) == ("BLR", "Minsk")


def test_words_with_no_place_happen_where_the_story_was_filed(code_text):
    doc = code_text("UNITED NATIONS (AP) - The Security Council voted to impose sanctions on Iran.", "2006-10-14")
    (event,) = doc.events
    assert (event.location.name, event.location.country) == ("United Nations headquarters", "USA")
    assert event.location.span.text == "UNITED NATIONS"


def test_fighting_is_not_placed_at_the_dateline(code_text):
    doc = code_text("MOSCOW (AP) - Russian jets bombed rebel positions on Tuesday.", "2015-10-06")
    assert [e.location for e in doc.events if e.code.root in ("18", "19", "20")] == [None]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("BRUSSELS (AP) - NATO met.", "BRUSSELS"),
        ("UNITED NATIONS, Oct 2 (Reuters) -- The council met.", "UNITED NATIONS"),
        ("NATO (the alliance) - met.", None),
        ("Russia attacked Georgia.", None),
    ],
)
def test_the_dateline_place_is_read_from_the_story_opening(text, place):
    length, span = dateline(text)
    assert (span.text if span else None) == place
    assert (length > 0) == (place is not None)


@pytest.mark.parametrize(
    ("text", "name", "country", "words"),
    [
        ("Russian jets bombed rebel positions in northern Syria.", "Syria", "SYR", "northern Syria"),
        # a compass word that is part of the name stays: the West Bank is not a "Bank"
        ("Israeli troops raided a village in the southern West Bank.", "Palestine", "PSE", "southern West Bank"),
    ],
)
def test_a_qualified_place_resolves_to_the_place_it_narrows(code_text, text, name, country, words):
    (event,) = code_text(text, "2015-10-06").events
    assert (event.location.name, event.location.country, event.location.span.text) == (name, country, words)
