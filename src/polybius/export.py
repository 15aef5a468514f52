"""Exports of the deduplicated events of a store: GDELT 2.0, PLOVER JSON, JSON lines, CSV, Parquet.

Every export leaves negated events out (the output contract: "analyses and exports leave
negated events out") and writes one record per deduplicated event, except GDELT, which writes
one row per source/target pair as GDELT itself does.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import polars as pl

from polybius.dedup import stable_id
from polybius.store import Store


class ExportFormat(StrEnum):
    gdelt = "gdelt"
    plover = "plover"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


# The GDELT 2.0 Event table, in the codebook's order (61 columns, tab-separated, no header).
_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    *("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate"),
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    *("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale"),
    *("NumMentions", "NumSources", "NumArticles", "AvgTone"),
    *(f"{block}_{f}" for block in ("Actor1Geo", "Actor2Geo", "ActionGeo") for f in _GEO_FIELDS),
    *("DATEADDED", "SOURCEURL"),
)
GDELT_TYPE_COUNTRY, GDELT_TYPE_WORLDCITY = 1, 4
NO_TONE = 0  # Polybius computes no tone measure yet; GDELT's AvgTone is written as 0


def _clean(value: Any) -> str:
    """One GDELT field: no tabs or line breaks inside, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def _actor_fields(actor: dict[str, Any] | None) -> list[Any]:
    if actor is None:
        return [None] * len(_ACTOR_FIELDS)
    group = actor["kb_id"] if actor["kb_id"] and actor["kb_id"] != actor["country"] else None
    ethnic = religion1 = religion2 = type2 = type3 = None  # not coded
    name = actor["text"].upper()
    return [actor["code"], name, actor["country"], group, ethnic, religion1, religion2, actor["sector"], type2, type3]


def _geo_fields(location: dict[str, Any] | None) -> list[Any]:
    if location is None:
        return [0, None, None, None, None, None, None, None]
    has_point = location["lat"] is not None and location["lon"] is not None
    kind = GDELT_TYPE_WORLDCITY if has_point else GDELT_TYPE_COUNTRY
    return [kind, location["name"], location["country"], None, None, location["lat"], location["lon"], None]


def gdelt_rows(frame: pl.DataFrame) -> Iterator[list[Any]]:
    """GDELT 2.0 Event rows: one per source/target pair of each deduplicated, non-negated event."""
    taken: set[int] = set()
    for event in frame.iter_rows(named=True):
        day: dt.date = event["date"] or event["article_date"] or event["coded_at"].date()
        pairs = [(s, t) for s in (event["source"] or [None]) for t in (event["target"] or [None])]
        for n, (source, target) in enumerate(pairs):
            # The event's own id for its first pair; the others hashed from it, so every row id is stable.
            if n == 0 and event["global_event_id"] not in taken:
                row_id = event["global_event_id"]
                taken.add(row_id)
            else:
                codes = f"{(source or {}).get('code')}|{(target or {}).get('code')}"
                row_id = stable_id(f"{event['global_event_id']}|{n}|{codes}", taken)
            yield [
                row_id,
                day.strftime("%Y%m%d"),
                day.strftime("%Y%m"),
                day.year,
                f"{day.year + (day.month * 30 + day.day) / 365:.4f}",  # GDELT's own FractionDate formula
                *_actor_fields(source),
                *_actor_fields(target),
                int(event["in_lead"]),
                event["cameo"],
                event["cameo"][:3],
                event["cameo_root"],
                event["quad_class"],
                event["goldstein"],
                event["num_mentions"],
                event["num_sources"],
                event["num_articles"],
                NO_TONE,
                *_geo_fields(None),  # actor locations: not coded yet
                *_geo_fields(None),
                *_geo_fields(event["location"]),
                event["coded_at"].strftime("%Y%m%d%H%M%S"),
                event["article_url"] or event["article_source"] or event["article_id"],
            ]


def plover_records(frame: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """PLOVER-style records; CAMEO 01x public statements have no PLOVER type and are left out."""
    for event in frame.iter_rows(named=True):
        if event["plover"] is None:
            continue
        plover = event["plover"]
        context = plover["context"]
        yield {
            "id": str(event["global_event_id"]),
            "date": event["date"].isoformat() if event["date"] else None,
            "event_type": plover["type"],
            "mode": plover["mode"],
            "context": [c.strip() for c in context.split(",")] if context else [],
            "actors": {role: [_plover_actor(a) for a in event[role]] for role in ("source", "target")},
            "location": event["location"],
            "text": event["sentence_text"].strip(),
            "trigger": event["trigger"]["text"],
            "attribution": event["attribution"]["text"] if event["attribution"] else None,
            "modality": event["modality"],
            "cameo": event["cameo"],
            "goldstein": event["goldstein"],
            "num_mentions": event["num_mentions"],
            "num_sources": event["num_sources"],
            "num_articles": event["num_articles"],
            "story": {
                "id": event["article_id"],
                "title": event["article_title"],
                "date": event["article_date"].isoformat() if event["article_date"] else None,
                "source": event["article_source"],
                "url": event["article_url"],
            },
            "mentions": event["mentions"],
        }


def _plover_actor(actor: dict[str, Any]) -> dict[str, Any]:
    return {k: actor[k] for k in ("text", "code", "country", "sector", "kb_id")}


NESTED_TYPES = (pl.List, pl.Struct)


def flat_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV has no nested values: list and struct columns become JSON text."""
    columns = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, NESTED_TYPES):
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in frame[name].to_list()]
            columns.append(pl.Series(name, values, dtype=pl.String))
        else:
            columns.append(frame[name])
    return pl.DataFrame(columns)


def export(store: Store, fmt: ExportFormat | str, out: Path | IO | None = None) -> int:
    """Write the store's deduplicated events in `fmt` to `out` (a path, a file or stdout); returns the rows."""
    fmt = ExportFormat(fmt)
    frame = store.events_frame()
    if fmt is ExportFormat.parquet:
        target = out if out is not None else sys.stdout.buffer
        frame.write_parquet(target)
        return frame.height
    handle, close = _text_handle(out)
    try:
        if fmt is ExportFormat.gdelt:
            rows = 0
            for row in gdelt_rows(frame):
                handle.write("\t".join(_clean(v) for v in row) + "\n")
                rows += 1
            return rows
        if fmt is ExportFormat.plover:
            rows = 0
            for record in plover_records(frame):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                rows += 1
            return rows
        if fmt is ExportFormat.csv:
            flat_for_csv(frame).write_csv(handle)
        else:
            frame.write_ndjson(handle)
        return frame.height
    finally:
        if close:
            handle.close()


def _text_handle(out: Path | IO | None) -> tuple[IO, bool]:
    if out is None:
        return sys.stdout, False
    if isinstance(out, str | Path):
        return Path(out).open("w", encoding="utf-8", newline=""), True
    return out, False
