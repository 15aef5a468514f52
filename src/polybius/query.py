"""Queries over a store's deduplicated events: filters become SQL with bound parameters, results polars.

    from polybius.query import EventFilter, events, counts
    events("polybius.duckdb", EventFilter(actor="RUS", code="19", since=date(2015, 9, 1)))
    counts("polybius.duckdb", EventFilter(dyad=("RUSMIL", "SYR")), by="week")

An actor filter matches a country code (`RUS`), a sector-qualified code (`RUSGOV`), a KB id
(`NATO`, `HAMAS`) or an entity (`RUS.GOV`) among the actors of the event's first report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl

from polybius.errors import StoreError
from polybius.store import DEFAULT_DB, Store


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor: str | None = None  # on either side
    dyad: tuple[str, str] | None = None  # (source, target)
    code: str | None = None  # CAMEO prefix: "19", "190", "0256"
    plover: str | None = None  # PLOVER event type: "ASSAULT"
    since: dt.date | None = None
    until: dt.date | None = None
    location: str | None = None  # ISO3 of the event's location
    include_negated: bool = False


def parse_dyad(value: str) -> tuple[str, str]:
    source, sep, target = value.partition(":")
    if not sep or not source.strip() or not target.strip():
        raise StoreError("E107", "--dyad", value=value)
    return source.strip(), target.strip()


_ACTOR_MATCH = "(x.country = ? OR x.code = ? OR x.kb_id = ? OR x.entity = ?)"


def _actor_clause(roles: tuple[str, ...], code: str) -> tuple[str, list[Any]]:
    placeholders = ", ".join("?" for _ in roles)
    sql = (
        "EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.event_id "
        f"AND x.role IN ({placeholders}) AND {_ACTOR_MATCH})"
    )
    return sql, [*roles, code, code, code, code]


def where_clause(filters: EventFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `clusters c JOIN events e` (the first report), with their parameters."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        clauses.append(sql)
        params.extend(values)

    if not filters.include_negated:
        add("NOT c.negated")
    if filters.actor:
        add(*_flatten(_actor_clause(("source", "target"), filters.actor)))
    if filters.dyad:
        add(*_flatten(_actor_clause(("source",), filters.dyad[0])))
        add(*_flatten(_actor_clause(("target",), filters.dyad[1])))
    if filters.code:
        add("starts_with(e.cameo, ?)", filters.code)
    if filters.plover:
        add("upper(e.plover_type) = upper(?)", filters.plover)
    if filters.since:
        add("e.date >= ?", filters.since)
    if filters.until:
        add("e.date <= ?", filters.until)
    if filters.location:
        add("e.location_country = ?", filters.location)
    return (" AND ".join(clauses) or "TRUE"), params


def _flatten(clause: tuple[str, list[Any]]) -> tuple[Any, ...]:
    sql, values = clause
    return (sql, *values)


_ROLE_CODES = """(SELECT string_agg(coalesce(nullif(x.code, ''), x.text), ';' ORDER BY x.position)
    FROM event_actors x WHERE x.event_id = e.event_id AND x.role = '{role}')"""
_ROLE_TEXT = """(SELECT string_agg(x.text, '; ' ORDER BY x.position)
    FROM event_actors x WHERE x.event_id = e.event_id AND x.role = '{role}')"""

EVENTS_SELECT = f"""
SELECT c.cluster_id AS global_event_id, e.date,
       {_ROLE_CODES.format(role="source")} AS source, {_ROLE_TEXT.format(role="source")} AS source_text,
       e.cameo, e.cameo_name, e.plover_type AS plover,
       {_ROLE_CODES.format(role="target")} AS target, {_ROLE_TEXT.format(role="target")} AS target_text,
       e.goldstein, e.quad_class, e.modality, e.negated, e.location_country AS location,
       c.num_mentions, c.num_sources, c.num_articles, e.trigger_text AS trigger, e.article_id, e.event_id
FROM clusters c JOIN events e ON e.event_id = c.representative
"""


def _open(db: Store | str | Path) -> tuple[Store, bool]:
    if isinstance(db, Store):
        return db, False
    return Store(db, create=False), True


def _run(
    db: Store | str | Path, filters: EventFilter | None, limit: int | None, sql: Callable[[str], str]
) -> pl.DataFrame:
    """Run the query `sql(where)` for `filters` on the deduplicated store, with an optional LIMIT."""
    store, owned = _open(db)
    try:
        store.ensure_deduplicated()
        where, params = where_clause(filters or EventFilter())
        query = sql(where)
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return store.sql(query, params)
    finally:
        if owned:
            store.close()


def events(
    db: Store | str | Path = DEFAULT_DB, filters: EventFilter | None = None, limit: int | None = None
) -> pl.DataFrame:
    """The deduplicated events that pass `filters`, newest first, one flat row each."""

    def sql(where: str) -> str:
        return f"{EVENTS_SELECT} WHERE {where} ORDER BY e.date DESC NULLS LAST, c.cluster_id"

    return _run(db, filters, limit, sql)


def counts(
    db: Store | str | Path = DEFAULT_DB,
    filters: EventFilter | None = None,
    by: Period | str = Period.day,
    limit: int | None = None,
) -> pl.DataFrame:
    """Event counts and mean Goldstein score per period and dyad (`SRC:TGT` actor codes, `-` for none).

    An event with two sources or two targets counts once in each of its dyads; undated events are left out.
    """
    period = Period(by)

    def sql(where: str) -> str:
        return f"""
        WITH picked AS (
            SELECT c.cluster_id, e.event_id, e.date, e.goldstein
            FROM clusters c JOIN events e ON e.event_id = c.representative
            WHERE {where} AND e.date IS NOT NULL
        ),
        sides AS (
            SELECT DISTINCT p.*,
                   coalesce(nullif(s.code, ''), s.text, '-') AS src, coalesce(nullif(t.code, ''), t.text, '-') AS tgt
            FROM picked p
            LEFT JOIN event_actors s ON s.event_id = p.event_id AND s.role = 'source'
            LEFT JOIN event_actors t ON t.event_id = p.event_id AND t.role = 'target'
        )
        SELECT CAST(date_trunc('{period.value}', date) AS DATE) AS period, src || ':' || tgt AS dyad,
               count(DISTINCT cluster_id) AS events, round(avg(goldstein), 3) AS goldstein_mean
        FROM sides GROUP BY ALL ORDER BY period, events DESC, dyad
        """

    return _run(db, filters, limit, sql)
