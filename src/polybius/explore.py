"""Read queries behind the web explorer: pages of events, a timeline, the actor network, one article's evidence.

The filters are `query.EventFilter` plus a CAMEO root and free text, turned into SQL by
`query.where_clause` and the two extra clauses here; every value reaches DuckDB as a bound parameter.
Sort keys, orders and periods come from the fixed tables below, never from the request text.

The store is opened read-only and queried through one cursor per call, so the web server's worker
threads never share a DuckDB connection.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from polybius.errors import StoreError
from polybius.events.ontology import cameo_codes
from polybius.query import EVENTS_SELECT, EventFilter, Period, where_clause
from polybius.store import CLAIM_ROLES, Store

MAX_PAGE_SIZE = 500
MAX_EDGES = 150  # a force layout with more edges is unreadable; the strongest are kept
QUAD_CLASSES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}


class SortKey(StrEnum):
    date = "date"
    source = "source"
    target = "target"
    cameo = "cameo"
    plover = "plover"
    goldstein = "goldstein"
    quad_class = "quad_class"
    location = "location"
    num_articles = "num_articles"
    trigger = "trigger"


class SortOrder(StrEnum):
    asc = "asc"
    desc = "desc"


# The only SQL a sort request can choose: column expressions of EVENTS_SELECT.
_SORT_SQL = {
    SortKey.date: "e.date",
    SortKey.source: "source",
    SortKey.target: "target",
    SortKey.cameo: "e.cameo",
    SortKey.plover: "e.plover_type",
    SortKey.goldstein: "e.goldstein",
    SortKey.quad_class: "e.quad_class",
    SortKey.location: "e.location_country",
    SortKey.num_articles: "c.num_articles",
    SortKey.trigger: "e.trigger_text",
}
_ORDER_SQL = {SortOrder.asc: "ASC", SortOrder.desc: "DESC"}
_ARTICLE_ROWS = {t: f"SELECT * FROM {t} WHERE article_id = ? ORDER BY position" for t in ("quotes", "claims")}


@dataclass(frozen=True, slots=True)
class ExploreFilter:
    events: EventFilter = field(default_factory=EventFilter)
    root: str | None = None  # CAMEO root, exactly ("19")
    text: str | None = None  # words in the event's sentence or its article's title, any case


def explore_where(filters: ExploreFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `clusters c JOIN events e` (each deduplicated event's first report)."""
    sql, params = where_clause(filters.events)
    clauses = [sql]
    if filters.root:
        clauses.append("e.cameo_root = ?")
        params.append(filters.root)
    if filters.text:
        # contains() matches literally: % and _ in the request are characters, not wildcards
        clauses.append(
            "(contains(lower(e.sentence_text), lower(?)) OR EXISTS (SELECT 1 FROM articles a "
            "WHERE a.article_id = e.article_id AND contains(lower(coalesce(a.title, '')), lower(?))))"
        )
        params.extend([filters.text, filters.text])
    return " AND ".join(clauses), params


@dataclass(slots=True)
class EventPage:
    total: int
    page: int
    per_page: int
    rows: list[dict[str, Any]]


class Explorer:
    """The explorer's read-only view of one store."""

    def __init__(self, path: str | Path) -> None:
        self.store = Store(path, read_only=True, create=False)
        try:
            self.store.ensure_deduplicated()  # a read-only store cannot finish an interrupted write
        except StoreError:
            self.store.close()
            raise

    def close(self) -> None:
        self.store.close()

    def frame(self, sql: str, params: list[Any]) -> pl.DataFrame:
        cursor = self.store.con.cursor()
        try:
            return cursor.execute(sql, params).pl()
        except duckdb.Error as err:
            raise StoreError("E105", str(self.store.path), detail=str(err).splitlines()[0]) from None
        finally:
            cursor.close()

    # --- events ---

    def _ordered_events(self, filters: ExploreFilter, sort: SortKey, order: SortOrder) -> tuple[str, list[Any]]:
        where, params = explore_where(filters)
        sql = f"{EVENTS_SELECT} WHERE {where} ORDER BY {_SORT_SQL[sort]} {_ORDER_SQL[order]} NULLS LAST, c.cluster_id"
        return sql, params

    def count(self, filters: ExploreFilter) -> int:
        where, params = explore_where(filters)
        sql = f"SELECT count(*) AS n FROM clusters c JOIN events e ON e.event_id = c.representative WHERE {where}"
        return int(self.frame(sql, params)["n"][0])

    def events(
        self,
        filters: ExploreFilter,
        sort: SortKey = SortKey.date,
        order: SortOrder = SortOrder.desc,
        page: int = 1,
        per_page: int = 50,
    ) -> EventPage:
        per_page = max(1, min(per_page, MAX_PAGE_SIZE))
        page = max(1, page)
        sql, params = self._ordered_events(filters, sort, order)
        rows = self.frame(f"{sql} LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page])
        return EventPage(total=self.count(filters), page=page, per_page=per_page, rows=rows.to_dicts())

    def download(self, filters: ExploreFilter, sort: SortKey, order: SortOrder, limit: int) -> tuple[pl.DataFrame, int]:
        """The rows of a download (at most `limit`) and how many matched."""
        sql, params = self._ordered_events(filters, sort, order)
        return self.frame(f"{sql} LIMIT ?", [*params, limit]), self.count(filters)

    # --- timeline and network ---

    def timeline(self, filters: ExploreFilter, by: Period) -> dict[str, Any]:
        """Events and mean Goldstein score per period and QuadClass, and per period over all classes."""
        where, params = explore_where(filters)
        by_class = self.frame(
            f"""SELECT CAST(date_trunc(?, e.date) AS DATE) AS period, e.quad_class,
                       count(*) AS events, avg(e.goldstein) AS goldstein_mean
                FROM clusters c JOIN events e ON e.event_id = c.representative
                WHERE {where} AND e.date IS NOT NULL
                GROUP BY ALL ORDER BY period, e.quad_class""",
            [by.value, *params],
        )
        totals = (
            by_class.group_by("period")
            .agg(
                pl.col("events").sum(),
                ((pl.col("goldstein_mean") * pl.col("events")).sum() / pl.col("events").sum()).alias("goldstein_mean"),
            )
            .sort("period")
        )
        undated = self.frame(
            f"""SELECT count(*) AS n FROM clusters c JOIN events e ON e.event_id = c.representative
                WHERE {where} AND e.date IS NULL""",
            params,
        )["n"][0]
        rounded = pl.col("goldstein_mean").round(3)
        return {
            "by": by.value,
            "undated": int(undated),
            "series": by_class.with_columns(
                rounded, pl.col("quad_class").replace_strict(QUAD_CLASSES, return_dtype=pl.String).alias("quad_label")
            ).to_dicts(),
            "totals": totals.with_columns(rounded).to_dicts(),
        }

    def network(self, filters: ExploreFilter, max_edges: int = MAX_EDGES) -> dict[str, Any]:
        """Source -> target actor edges (by actor code) weighted by events, with their mean Goldstein score."""
        where, params = explore_where(filters)
        edges = self.frame(
            f"""WITH picked AS (
                    SELECT c.cluster_id, e.event_id, e.goldstein
                    FROM clusters c JOIN events e ON e.event_id = c.representative WHERE {where}
                ),
                pairs AS (
                    SELECT DISTINCT p.cluster_id, p.goldstein,
                           coalesce(nullif(s.code, ''), s.text) AS source,
                           coalesce(nullif(t.code, ''), t.text) AS target
                    FROM picked p
                    JOIN event_actors s ON s.event_id = p.event_id AND s.role = 'source'
                    JOIN event_actors t ON t.event_id = p.event_id AND t.role = 'target'
                )
                SELECT source, target, count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean
                FROM pairs WHERE source <> target
                GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?""",
            [*params, max_edges],
        ).to_dicts()
        weight: dict[str, int] = defaultdict(int)
        for edge in edges:
            weight[edge["source"]] += edge["events"]
            weight[edge["target"]] += edge["events"]
        ranked = sorted(weight.items(), key=lambda item: (-item[1], item[0]))
        nodes = [{"id": actor, "events": n} for actor, n in ranked]
        return {"nodes": nodes, "edges": edges, "truncated": len(edges) == max_edges}

    # --- one article ---

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The article's text with every event's evidence spans, its quotes and its claims."""
        found = self.frame(
            "SELECT article_id AS id, title, date, source, url, text FROM articles WHERE article_id = ?", [article_id]
        ).to_dicts()
        if not found:
            return None
        actors: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in self.frame(
            """SELECT event_id, role, text, char_start AS start, char_end AS "end", country, sector, kb_id, entity, code
               FROM event_actors WHERE article_id = ? ORDER BY event_id, role, position""",
            [article_id],
        ).iter_rows(named=True):
            actors[(row.pop("event_id"), row.pop("role"))].append(row)
        events = [
            _article_event(row, actors)
            for row in self.frame(
                """SELECT e.*, m.cluster_id AS global_event_id, c.representative = e.event_id AS representative
                   FROM events e LEFT JOIN cluster_members m USING (event_id)
                   LEFT JOIN clusters c ON c.cluster_id = m.cluster_id
                   WHERE e.article_id = ? ORDER BY e.position""",
                [article_id],
            ).iter_rows(named=True)
        ]
        quotes = [
            {
                "text": row["text"],
                "start": row["char_start"],
                "end": row["char_end"],
                "speaker": _loads(row["speaker"]),
                "speaker_method": row["speaker_method"],
                "confidence": row["confidence"],
            }
            for row in self._rows("quotes", article_id)
        ]
        claims = [
            {
                "id": row["claim_id"],
                "trigger": {"text": row["trigger_text"], "start": row["trigger_start"], "end": row["trigger_end"]},
                "content": _span(row, "content"),
                **{role: _loads(row[role]) or [] for role in CLAIM_ROLES},
                "events": row["events"] or [],
            }
            for row in self._rows("claims", article_id)
        ]
        return {"article": found[0], "events": events, "quotes": quotes, "claims": claims}

    def _rows(self, table: str, article_id: str) -> list[dict[str, Any]]:
        return self.frame(_ARTICLE_ROWS[table], [article_id]).to_dicts()

    # --- what the filter form offers ---

    def meta(self) -> dict[str, Any]:
        counts = self.frame(
            """SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM events) AS reports,
                      (SELECT count(*) FROM clusters WHERE NOT negated) AS events,
                      (SELECT count(*) FROM clusters WHERE negated) AS negated,
                      (SELECT min(date) FROM events) AS first_date, (SELECT max(date) FROM events) AS last_date""",
            [],
        ).to_dicts()[0]
        actors = self.frame(
            """SELECT coalesce(nullif(x.code, ''), x.text) AS code, count(DISTINCT c.cluster_id) AS events
               FROM event_actors x JOIN clusters c ON c.representative = x.event_id
               WHERE x.role IN ('source', 'target') GROUP BY ALL ORDER BY events DESC, code LIMIT 300""",
            [],
        ).to_dicts()
        # the location filter reads each event's first report, so only those places can be found
        countries = self.frame(
            """SELECT DISTINCT e.location_country AS c FROM clusters c JOIN events e ON e.event_id = c.representative
               WHERE e.location_country IS NOT NULL ORDER BY c""",
            [],
        )["c"].to_list()
        codes = cameo_codes().values()
        return {
            **counts,
            "actors": actors,
            "locations": countries,
            "roots": [{"code": c.code, "name": c.name} for c in codes if len(c.code) == 2],
            "plover_types": sorted({c.plover_type for c in codes if c.plover_type}),
            "quad_classes": [{"code": k, "name": v} for k, v in QUAD_CLASSES.items()],
        }


def _span(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if row[f"{prefix}_text"] is None or row[f"{prefix}_start"] is None:
        return None
    return {"text": row[f"{prefix}_text"], "start": row[f"{prefix}_start"], "end": row[f"{prefix}_end"]}


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _article_event(row: dict[str, Any], actors: dict[tuple[str, str], list[dict[str, Any]]]) -> dict[str, Any]:
    event_id = row["event_id"]
    location = None
    if row["location_name"] is not None or row["location_text"] is not None:
        location = {
            "name": row["location_name"],
            "country": row["location_country"],
            "text": row["location_text"],
            "start": row["location_start"],
            "end": row["location_end"],
        }
    return {
        "event_id": event_id,
        "global_event_id": row["global_event_id"],
        "representative": bool(row["representative"]),
        "cameo": row["cameo"],
        "cameo_name": row["cameo_name"],
        "plover": row["plover_type"],
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "date": row["date"],
        "date_from": row["date_from"],
        "negated": row["negated"],
        "modality": row["modality"],
        "source": actors.get((event_id, "source"), []),
        "target": actors.get((event_id, "target"), []),
        "reported_by": actors.get((event_id, "reported_by"), []),
        "attribution": _span(row, "attribution"),
        "trigger": {"text": row["trigger_text"], "start": row["trigger_start"], "end": row["trigger_end"]},
        "date_evidence": _span(row, "date_evidence"),
        "location": location,
        "sentence": {"start": row["sentence_start"], "end": row["sentence_end"]},
    }
