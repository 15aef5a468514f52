"""The document model's summary of an article: its actors and its timeline."""

from __future__ import annotations

import datetime as dt
import json

import polybius
from polybius.events.ontology import cameo_codes
from polybius.model import Article, Document, Event, Location, Mention, Span, actor_code

TITLE = "Russia and Syria Meet in Geneva"
BODY = (
    "Russia met Syria in Geneva on Monday. Russian Foreign Minister Sergey Lavrov said Russia had attacked "
    "Syria on Sunday. He said Russia would strike again."
)


def span(text: str, words: str, nth: int = 1) -> Span:
    start = -1
    for _ in range(nth):
        start = text.index(words, start + 1)
    return Span(start, start + len(words), words)


def mention(text: str, words: str, nth: int, country: str | None, sector: str | None, kb_id: str, entity: str):
    return Mention(span(text, words, nth), country, sector, kb_id, entity, head=-1)


def hand_made_document() -> Document:
    """A coded article written by hand, so that every count and order below is known."""
    text = f"{TITLE}\n\n{BODY}"
    russia = [mention(text, "Russia", n, "RUS", None, "RUS", "RUS") for n in (2, 4, 5)]  # 1st: title, 3rd: "Russian"
    syria = [mention(text, "Syria", n, "SYR", None, "SYR", "SYR") for n in (2, 3)]  # 1st: in the title
    lavrov = mention(text, "Russian Foreign Minister Sergey Lavrov", 1, "RUS", "GOV", "SERGEY_LAVROV", "LAVROV")
    he = mention(text, "He", 1, "RUS", "GOV", "SERGEY_LAVROV", "LAVROV")
    he.antecedent = lavrov.span
    codes = cameo_codes()

    def event(n: int, code: str, trigger: str, **fields) -> Event:
        return Event(id=f"a:{n}", code=codes[code], trigger=span(text, trigger), sentence=(0, len(text)), **fields)

    met = event(0, "040", "met", source=[russia[0]], target=[syria[0]], date=dt.date(2015, 10, 5), date_from="text",
                location=Location(span(text, "Geneva", 2), "Geneva", "CHE"))  # fmt: skip
    said = event(1, "010", "said", source=[lavrov], date=dt.date(2015, 10, 5))
    attacked = event(2, "190", "attacked", source=[russia[1]], target=[syria[1]], date=dt.date(2015, 10, 4),
                     date_from="text", reported_by=[lavrov])  # fmt: skip
    strike = event(3, "190", "strike", source=[russia[2]], modality="intended", reported_by=[he])
    article = Article(id="a", text=text, title=TITLE, date=dt.date(2015, 10, 5))
    # events not in text order, as when the fallback stage appends its events after the patterns'
    return Document(article, actors=[*russia, *syria, lavrov, he], events=[said, strike, attacked, met])


def test_actors_are_one_row_per_entity_most_mentioned_first():
    summary = hand_made_document().summary()
    rows = [(a.entity, a.code, a.label, a.mentions, a.first.text) for a in summary.actors]
    assert rows == [
        ("RUS", "RUS", "Russia", 3, "Russia"),
        ("SYR", "SYR", "Syria", 2, "Syria"),  # as many mentions as Lavrov, named before him
        ("LAVROV", "RUSGOV", "Russian Foreign Minister Sergey Lavrov", 2, "Russian Foreign Minister Sergey Lavrov"),
    ]
    lavrov = summary.actors[2]
    assert (lavrov.kb_id, lavrov.country, lavrov.sector) == ("SERGEY_LAVROV", "RUS", "GOV")
    assert summary.actors[0].first == hand_made_document().actors[0].span


def test_timeline_is_by_date_then_position_with_undated_events_last():
    summary = hand_made_document().summary()
    assert [(t.event_id, t.date) for t in summary.timeline] == [
        ("a:2", dt.date(2015, 10, 4)),
        ("a:0", dt.date(2015, 10, 5)),  # same day as "said", earlier in the text
        ("a:1", dt.date(2015, 10, 5)),
        ("a:3", None),
    ]
    attacked, met, said, strike = summary.timeline
    assert (attacked.cameo, attacked.plover) == ("190", "ASSAULT")
    assert (attacked.source, attacked.target) == (["Russia"], ["Syria"])
    assert attacked.reported_by == ["Russian Foreign Minister Sergey Lavrov"] and attacked.date_from == "text"
    assert (met.location, met.trigger, met.cameo_name) == ("Geneva", "met", cameo_codes()["040"].name)
    assert said.plover is None and said.date_from == "publication" and said.target == []
    # "He" is labelled with the words it refers to
    assert strike.reported_by == ["Russian Foreign Minister Sergey Lavrov"] and strike.modality == "intended"
    assert not any(t.negated for t in summary.timeline)


def test_summary_serialises_to_plain_json():
    summary = hand_made_document().summary()
    record = summary.to_dict()
    assert json.loads(json.dumps(record)) == record
    assert (record["article_id"], record["title"], record["date"]) == ("a", TITLE, "2015-10-05")
    assert record["actors"][0]["first"] == {"text": "Russia", "start": len(TITLE) + 2, "end": len(TITLE) + 8}
    assert [t["date"] for t in record["timeline"]] == ["2015-10-04", "2015-10-05", "2015-10-05", None]
    assert record["timeline"][0]["reported_by"] == ["Russian Foreign Minister Sergey Lavrov"]


def test_actor_code_is_country_and_sector_else_the_kb_id_else_the_sector():
    assert actor_code("RUS", "GOV", "RUS") == "RUSGOV" and actor_code("RUS", None, "RUS") == "RUS"
    assert actor_code(None, "IGO", "NATO") == "NATO" and actor_code(None, "COP", None) == "COP"


def test_the_api_summarises_a_coded_article():
    doc = polybius.code(
        "Turkey has called on Russia to stop the strikes, Turkey's Foreign Ministry said Friday. "
        "Russian jets bombed rebel positions in Syria on Wednesday. Russia denied that its jets had hit civilians.",
        date="2015-10-02",
    )
    summary = doc.summary()
    assert sum(a.mentions for a in summary.actors) == len(doc.actors)
    assert len({a.entity for a in summary.actors}) == len(summary.actors)
    assert [a.mentions for a in summary.actors] == sorted((a.mentions for a in summary.actors), reverse=True)
    assert sorted(t.event_id for t in summary.timeline) == sorted(e.id for e in doc.events)
    dates = [t.date for t in summary.timeline if t.date]
    assert dates == sorted(dates) and dates[0] == dt.date(2015, 9, 30)  # "on Wednesday" before the publication
    appeal = next(t for t in summary.timeline if t.cameo.startswith("02"))
    assert appeal.source == ["Turkey"] and appeal.target == ["Russia"]
    assert appeal.reported_by == ["Turkey's Foreign Ministry"]
    assert json.loads(json.dumps(summary.to_dict())) == summary.to_dict()
