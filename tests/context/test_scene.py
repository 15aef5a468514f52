"""Actors named by role only take the country their sentence is set in (context/scene.py)."""

from __future__ import annotations


def mention(doc, text: str):
    (found,) = [m for m in doc.actors if m.span.text == text]
    return found


def test_a_role_actor_takes_the_one_country_its_sentence_names(code_text):
    doc = code_text("Leaders of the opposition coalition agreed to call off the march in Tbilisi.", "2012-01-01")
    leaders = mention(doc, "opposition coalition")
    assert (leaders.country, leaders.sector) == ("GEO", "OPP")
    assert [(e.span.text, e.gives) for e in leaders.evidence if e.gives == "country"] == [("Tbilisi", "country")]


def test_the_place_an_actor_is_in_wins_over_other_countries_named(code_text):
    doc = code_text("Protesters in Lagos blocked a road to protest against the United States.", "2005-10-01")
    assert mention(doc, "Protesters").country == "NGA"


def test_a_city_the_kb_does_not_know_sets_the_scene(code_text):
    doc = code_text("Riot police fired tear gas at protesters in Monrovia on Tuesday.", "2005-10-01")
    assert {m.country for m in doc.actors if m.sector in ("COP", "CVL")} == {"LBR"}


def test_no_country_when_the_sentence_names_none_or_several(code_text):
    alone = code_text("Rebels attacked a convoy on Tuesday.", "2005-10-01")
    assert mention(alone, "Rebels").country is None
    torn = code_text("Rebels attacked a convoy on the border between Syria and Turkey.", "2005-10-01")
    assert mention(torn, "Rebels").country is None


def test_international_bodies_keep_no_country(code_text):
    doc = code_text("Aid agencies said the Lebanese army had closed the road.", "2005-10-01")
    assert mention(doc, "Aid agencies").country is None
