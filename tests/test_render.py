"""The per-article tables of `polybius code --format table`."""

from __future__ import annotations

import dataclasses
import datetime as dt

from rich.console import Console

from polybius.model import ArticleSummary, TimelineEntry
from polybius.render import print_summaries

ENTRY = TimelineEntry(
    event_id="a:0",
    date=dt.date(2015, 10, 4),
    date_from="text",
    cameo="190",
    cameo_name="Use conventional military force, not specified below",
    plover="ASSAULT",
    source=["Russian jets"],
    target=["Syria"],
    trigger="bombed",
    negated=False,
    modality="asserted",
    location=None,
    reported_by=[],
)


def rendered(*summaries: ArticleSummary) -> str:
    console = Console(width=160, record=True, color_system=None)
    print_summaries(summaries, console)
    return console.export_text()


def summary(*entries: TimelineEntry) -> ArticleSummary:
    return ArticleSummary("a", "Jets Hit Syria", dt.date(2015, 10, 5), [], list(entries))


def header(text: str) -> str:
    return next(line for line in text.splitlines() if "┃ date" in line)


def test_place_and_reported_by_columns_only_when_an_event_has_one():
    plain = rendered(summary(ENTRY))
    assert "a · Jets Hit Syria (2015-10-05)" in plain and "Timeline" in plain
    assert "place" not in header(plain) and "reported by" not in header(plain)
    reported = dataclasses.replace(ENTRY, event_id="a:1", location="Aleppo", reported_by=["the Pentagon"])
    both = rendered(summary(ENTRY, reported))
    assert "place" in header(both) and "reported by" in header(both)
    assert "Aleppo" in both and "the Pentagon" in both


def test_flags_and_statements_without_a_plover_type():
    statement = dataclasses.replace(ENTRY, cameo="010", cameo_name="Make statement", plover=None, negated=True,
                                    modality="possible")  # fmt: skip
    text = rendered(summary(statement))
    assert "010 Make statement negated possible" in text


def test_an_article_without_events_says_so():
    text = rendered(summary())
    assert "no events" in text and "Timeline" not in text and "Actors" not in text
