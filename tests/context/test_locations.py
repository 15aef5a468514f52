from __future__ import annotations


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
