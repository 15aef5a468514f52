"""The event store: coded documents in a DuckDB file, written in chunked transactions.

One chunk of articles is one transaction: the old rows of those article ids are deleted and the
new rows inserted, so coding an article again replaces it, and a crash (even `kill -9`) loses at
most the chunk in flight. Deduplicated events (`clusters`) are recomputed after each write; a
write that dies before that leaves the `dedup_dirty` flag set and the next opener recomputes them.

DuckDB allows one writing process per file: the store is the single writer that coding workers
feed through `Store.write` / `Store.tee`. The schema is in docs/store.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from polybius.dedup import DedupEvent, DedupSettings, actor_key, assign_ids, cluster_events
from polybius.errors import InputError, StoreError
from polybius.model import Article, Document, actor_code

DEFAULT_DB = Path("polybius.duckdb")  # what `export`, `query` and `serve` read unless --db says otherwise
DEFAULT_CHUNK_SIZE = 100
SCHEMA_VERSION = 3
APPLICATION = "polybius"

Record = dict[str, Any]  # Document.to_dict() output
OnCommit = Callable[[int, int], None]  # (articles in this chunk, articles stored by this write so far)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_ACTOR_COLUMNS = """
    text VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    country VARCHAR, sector VARCHAR, kb_id VARCHAR, entity VARCHAR NOT NULL, code VARCHAR NOT NULL,
    members VARCHAR[], antecedent_text VARCHAR, antecedent_start INTEGER, antecedent_end INTEGER, extra JSON"""


def _rebuild(table: str, columns: str) -> tuple[str, ...]:
    """Statements that recreate a table with new column definitions, keeping its rows (DuckDB cannot
    drop a primary key in place)."""
    return (
        f"CREATE TABLE {table}_rebuilt ({columns})",
        f"INSERT INTO {table}_rebuilt SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {table}_rebuilt RENAME TO {table}",
    )


# Primary keys on the tables whose key is an identity (articles, events, clusters). The per-article
# lists (actors, event actors, quotes, claims) and cluster links have none since migration 2: the
# writer replaces them whole, per article, and their index upkeep doubled the cost of re-coding
# (`check()` verifies they stay unique).
# Applied in order, each in one transaction with its version bump. Never edit a released migration:
# add the next one, so every older store can be brought up to date.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, events, actor mentions, quotes, claims and deduplicated events",
        (
            "CREATE TABLE polybius_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
            """CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)""",
            """CREATE TABLE articles (
                article_id VARCHAR PRIMARY KEY, title VARCHAR, date DATE, source VARCHAR, url VARCHAR,
                text VARCHAR NOT NULL, text_hash VARCHAR NOT NULL, n_events INTEGER NOT NULL,
                n_actors INTEGER NOT NULL, n_quotes INTEGER NOT NULL, n_claims INTEGER NOT NULL,
                coded_at TIMESTAMP NOT NULL, extra JSON)""",
            """CREATE TABLE events (
                event_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, position INTEGER NOT NULL,
                cameo VARCHAR NOT NULL, cameo_root VARCHAR NOT NULL, cameo_name VARCHAR NOT NULL,
                plover_type VARCHAR, plover_mode VARCHAR, plover_context VARCHAR,
                goldstein DOUBLE NOT NULL, quad_class TINYINT NOT NULL,
                date DATE, date_evidence_text VARCHAR, date_evidence_start INTEGER, date_evidence_end INTEGER,
                date_from VARCHAR NOT NULL,
                location_name VARCHAR, location_country VARCHAR, location_lat DOUBLE, location_lon DOUBLE,
                location_text VARCHAR, location_start INTEGER, location_end INTEGER,
                negated BOOLEAN NOT NULL, modality VARCHAR NOT NULL,
                trigger_text VARCHAR NOT NULL, trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
                sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL, sentence_text VARCHAR NOT NULL,
                confidence DOUBLE NOT NULL, extra JSON)""",
            f"""CREATE TABLE event_actors (
                event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
                position INTEGER NOT NULL, {_ACTOR_COLUMNS}, PRIMARY KEY (event_id, role, position))""",
            f"""CREATE TABLE actors (
                article_id VARCHAR NOT NULL, position INTEGER NOT NULL, {_ACTOR_COLUMNS},
                PRIMARY KEY (article_id, position))""",
            """CREATE TABLE quotes (
                article_id VARCHAR NOT NULL, position INTEGER NOT NULL,
                text VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
                speaker JSON, speaker_method VARCHAR, confidence DOUBLE, extra JSON,
                PRIMARY KEY (article_id, position))""",
            """CREATE TABLE claims (
                article_id VARCHAR NOT NULL, position INTEGER NOT NULL, claim_id VARCHAR NOT NULL,
                trigger_text VARCHAR NOT NULL, trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
                content_text VARCHAR, content_start INTEGER, content_end INTEGER,
                issued_by JSON, released_by JSON, confirmed_by JSON, denied_by JSON, no_comment_from JSON,
                reported_by JSON, events VARCHAR[], extra JSON, PRIMARY KEY (article_id, position))""",
            """CREATE TABLE clusters (
                cluster_id BIGINT PRIMARY KEY, representative VARCHAR NOT NULL, cameo_root VARCHAR NOT NULL,
                negated BOOLEAN NOT NULL, date DATE, first_date DATE, last_date DATE,
                num_mentions INTEGER NOT NULL, num_sources INTEGER NOT NULL, num_articles INTEGER NOT NULL)""",
            """CREATE TABLE cluster_members (
                event_id VARCHAR PRIMARY KEY, cluster_id BIGINT NOT NULL, rule VARCHAR NOT NULL)""",
        ),
    ),
    Migration(
        2,
        "no primary keys on the per-article lists and cluster links (index upkeep doubled re-coding time)",
        (
            *_rebuild(
                "event_actors",
                "event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, role VARCHAR NOT NULL, "
                f"position INTEGER NOT NULL, {_ACTOR_COLUMNS}",
            ),
            *_rebuild("actors", f"article_id VARCHAR NOT NULL, position INTEGER NOT NULL, {_ACTOR_COLUMNS}"),
            *_rebuild(
                "quotes",
                """article_id VARCHAR NOT NULL, position INTEGER NOT NULL,
                text VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
                speaker JSON, speaker_method VARCHAR, confidence DOUBLE, extra JSON""",
            ),
            *_rebuild(
                "claims",
                """article_id VARCHAR NOT NULL, position INTEGER NOT NULL, claim_id VARCHAR NOT NULL,
                trigger_text VARCHAR NOT NULL, trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
                content_text VARCHAR, content_start INTEGER, content_end INTEGER,
                issued_by JSON, released_by JSON, confirmed_by JSON, denied_by JSON, no_comment_from JSON,
                reported_by JSON, events VARCHAR[], extra JSON""",
            ),
            *_rebuild(
                "cluster_members", "event_id VARCHAR NOT NULL, cluster_id BIGINT NOT NULL, rule VARCHAR NOT NULL"
            ),
        ),
    ),
    Migration(
        3,
        "events: the attribution frame of reported speech (attribution_text, _start, _end)",
        (
            "ALTER TABLE events ADD COLUMN attribution_text VARCHAR",
            "ALTER TABLE events ADD COLUMN attribution_start INTEGER",
            "ALTER TABLE events ADD COLUMN attribution_end INTEGER",
            # Output written by a newer Polybius into a version 2 store kept its attribution in `extra`.
            """UPDATE events SET
                attribution_text = json_extract_string(extra, '$.attribution.text'),
                attribution_start = CAST(json_extract(extra, '$.attribution.start') AS INTEGER),
                attribution_end = CAST(json_extract(extra, '$.attribution.end') AS INTEGER),
                extra = nullif(CAST(json_merge_patch(extra, '{"attribution": null}') AS VARCHAR), '{}')
            WHERE json_exists(extra, '$.attribution')""",
        ),
    ),
)

# Tables holding rows of an article, in the order a chunk deletes them (children first).
ARTICLE_TABLES = ("event_actors", "events", "actors", "quotes", "claims", "articles")


@dataclass(slots=True)
class WriteReport:
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0


# --- rows from the output contract -------------------------------------------------------------


def _extra(record: Record, known: Iterable[str]) -> str | None:
    """Keys a later output version added, kept as JSON so nothing the pipeline wrote is lost."""
    rest = {k: v for k, v in record.items() if k not in known}
    return json.dumps(rest, ensure_ascii=False) if rest else None


ACTOR_KEYS = ("text", "start", "end", "country", "sector", "kb_id", "entity", "members", "antecedent")


def actor_row(actor: Record) -> Record:
    antecedent = actor.get("antecedent") or {}
    return {
        "text": actor["text"],
        "char_start": actor["start"],
        "char_end": actor["end"],
        "country": actor.get("country"),
        "sector": actor.get("sector"),
        "kb_id": actor.get("kb_id"),
        "entity": actor.get("entity") or actor["text"],
        "code": actor_code(actor.get("country"), actor.get("sector"), actor.get("kb_id")),
        "members": actor.get("members"),
        "antecedent_text": antecedent.get("text"),
        "antecedent_start": antecedent.get("start"),
        "antecedent_end": antecedent.get("end"),
        "extra": _extra(actor, ACTOR_KEYS),
    }


EVENT_KEYS = (
    "id", "source", "target", "cameo", "cameo_root", "cameo_name", "plover", "goldstein", "quad_class", "date",
    "date_evidence", "date_from", "location", "negated", "modality", "reported_by", "attribution", "trigger",
    "sentence", "confidence",
)  # fmt: skip


def event_row(event: Record, article_id: str, position: int, text: str) -> Record:
    plover = event.get("plover") or {}
    evidence = event.get("date_evidence") or {}
    location = event.get("location") or {}
    attribution = event.get("attribution") or {}
    sentence = event["sentence"]
    return {
        "event_id": event["id"],
        "article_id": article_id,
        "position": position,
        "cameo": event["cameo"],
        "cameo_root": event["cameo_root"],
        "cameo_name": event["cameo_name"],
        "plover_type": plover.get("type"),
        "plover_mode": plover.get("mode"),
        "plover_context": plover.get("context"),
        "goldstein": float(event["goldstein"]),
        "quad_class": event["quad_class"],
        "date": _date(event.get("date")),
        "date_evidence_text": evidence.get("text"),
        "date_evidence_start": evidence.get("start"),
        "date_evidence_end": evidence.get("end"),
        "date_from": event["date_from"],
        "location_name": location.get("name"),
        "location_country": location.get("country"),
        "location_lat": location.get("lat"),
        "location_lon": location.get("lon"),
        "location_text": location.get("text"),
        "location_start": location.get("start"),
        "location_end": location.get("end"),
        "negated": bool(event["negated"]),
        "modality": event["modality"],
        "attribution_text": attribution.get("text"),
        "attribution_start": attribution.get("start"),
        "attribution_end": attribution.get("end"),
        "trigger_text": event["trigger"]["text"],
        "trigger_start": event["trigger"]["start"],
        "trigger_end": event["trigger"]["end"],
        "sentence_start": sentence["start"],
        "sentence_end": sentence["end"],
        "sentence_text": text[sentence["start"] : sentence["end"]],
        "confidence": float(event["confidence"]),
        "extra": _extra(event, EVENT_KEYS),
    }


QUOTE_KEYS = ("text", "start", "end", "speaker", "speaker_method", "confidence")
CLAIM_ROLES = ("issued_by", "released_by", "confirmed_by", "denied_by", "no_comment_from", "reported_by")
CLAIM_KEYS = ("id", "trigger", "content", *CLAIM_ROLES, "events")
DOCUMENT_KEYS = ("article", "events", "actors", "quotes", "claims")
ARTICLE_KEYS = ("id", "title", "date", "source", "url", "text")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def document_rows(record: Record, coded_at: dt.datetime) -> dict[str, list[Record]]:
    """The rows of every table for one output document."""
    article = record["article"]
    article_id = str(article["id"])
    text = article["text"]
    rows: dict[str, list[Record]] = {table: [] for table in ARTICLE_TABLES}
    extra = {
        key: value
        for key, value in (
            ("article", {k: v for k, v in article.items() if k not in ARTICLE_KEYS}),
            ("document", {k: v for k, v in record.items() if k not in DOCUMENT_KEYS}),
        )
        if value
    }
    rows["articles"].append(
        {
            "article_id": article_id,
            "title": article.get("title"),
            "date": _date(article.get("date")),
            "source": article.get("source"),
            "url": article.get("url"),
            "text": text,
            "text_hash": hashlib.sha1(text.encode("utf-8")).hexdigest(),
            "n_events": len(record.get("events", [])),
            "n_actors": len(record.get("actors", [])),
            "n_quotes": len(record.get("quotes", [])),
            "n_claims": len(record.get("claims", [])),
            "coded_at": coded_at,
            "extra": _json(extra) if extra else None,
        }
    )
    for position, event in enumerate(record.get("events", [])):
        rows["events"].append(event_row(event, article_id, position, text))
        for role in ("source", "target", "reported_by"):
            for n, actor in enumerate(event.get(role) or []):
                base = {"event_id": event["id"], "article_id": article_id, "role": role, "position": n}
                rows["event_actors"].append(base | actor_row(actor))
    for position, actor in enumerate(record.get("actors", [])):
        rows["actors"].append({"article_id": article_id, "position": position} | actor_row(actor))
    for position, quote in enumerate(record.get("quotes", [])):
        rows["quotes"].append(
            {
                "article_id": article_id,
                "position": position,
                "text": quote["text"],
                "char_start": quote["start"],
                "char_end": quote["end"],
                "speaker": _json(quote.get("speaker")),
                "speaker_method": quote.get("speaker_method"),
                "confidence": quote.get("confidence"),
                "extra": _extra(quote, QUOTE_KEYS),
            }
        )
    for position, claim in enumerate(record.get("claims", [])):
        content = claim.get("content") or {}
        rows["claims"].append(
            {
                "article_id": article_id,
                "position": position,
                "claim_id": claim["id"],
                "trigger_text": claim["trigger"]["text"],
                "trigger_start": claim["trigger"]["start"],
                "trigger_end": claim["trigger"]["end"],
                "content_text": content.get("text"),
                "content_start": content.get("start"),
                "content_end": content.get("end"),
                **{role: _json(claim.get(role) or []) for role in CLAIM_ROLES},
                "events": list(claim.get("events") or []),
                "extra": _extra(claim, CLAIM_KEYS),
            }
        )
    return rows


def as_record(item: Document | Record) -> Record:
    return item.to_dict() if isinstance(item, Document) else item


# --- opening --------------------------------------------------------------------------------------


def _connect(path: Path, read_only: bool, create: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, turning DuckDB's exceptions into coded errors that say what to do."""
    if not path.exists() and (read_only or not create):
        raise StoreError("E104", str(path))
    if path.is_dir():
        raise StoreError("E105", str(path), detail="it is a directory")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as err:
        raise _store_error(err, path) from None


def _store_error(err: duckdb.Error, path: Path) -> StoreError:
    message = str(err).removeprefix("IO Error: ").strip()
    if "lock" in message.lower() and ("conflicting" in message.lower() or "could not set" in message.lower()):
        return StoreError("E100", str(path), detail=message.split(". See also")[0])
    if isinstance(err, duckdb.IOException | duckdb.SerializationException | duckdb.InternalException):
        return StoreError("E101", str(path), detail=message.splitlines()[0])
    return StoreError("E105", str(path), detail=message.splitlines()[0])


class Store:
    """A Polybius event store in one DuckDB file.

    `Store(path)` creates the file when it is missing and brings an older schema up to date;
    `read_only=True` only reads (several readers may share a file, but not with a writer).
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        create: bool = True,
        dedup: DedupSettings | None = None,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.con = _connect(self.path, read_only, create)
        try:
            self._prepare_schema()
            self.dedup_settings = self._dedup_settings(dedup)
        except StoreError:
            self.con.close()
            raise
        except duckdb.Error as err:
            self.con.close()
            raise _store_error(err, self.path) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # --- schema ---

    def _tables(self) -> list[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
        return sorted(r[0] for r in rows)

    def _meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM polybius_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO polybius_meta VALUES (?, ?)", [key, value])

    @property
    def schema_version(self) -> int:
        return int(self._meta("schema_version") or 0)

    def _prepare_schema(self) -> None:
        tables = self._tables()
        if tables and "polybius_meta" not in tables:
            raise StoreError("E103", str(self.path), tables=", ".join(tables[:5]))
        found = self.schema_version if tables else 0
        if found and self._meta("application") != APPLICATION:
            raise StoreError("E103", str(self.path), tables=", ".join(tables[:5]))
        if found > SCHEMA_VERSION:
            raise StoreError("E102", str(self.path), found=found, supported=SCHEMA_VERSION)
        if found == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError("E106", str(self.path), found=found, supported=SCHEMA_VERSION)
        self.migrate(found)

    def migrate(self, found: int) -> None:
        """Apply every migration above `found`, each atomically with its version bump."""
        for migration in MIGRATIONS:
            if migration.version <= found:
                continue
            self.con.begin()
            try:
                for statement in migration.statements:
                    self.con.execute(statement)
                if migration.version == 1:
                    self._set_meta("application", APPLICATION)
                    self._set_meta("dedup_dirty", "false")
                self._set_meta("schema_version", str(migration.version))
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.description, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
                )
                self.con.commit()
            except BaseException:
                self.con.rollback()
                raise

    def _dedup_settings(self, wanted: DedupSettings | None) -> DedupSettings:
        """The settings a store was deduplicated with are kept in it, so later refreshes agree."""
        stored = self._meta("dedup_settings")
        current = DedupSettings(**json.loads(stored)) if stored else DedupSettings()
        if wanted is None or wanted == current:
            return current
        if not self.read_only:
            self.con.begin()
            self._set_meta("dedup_settings", json.dumps(dataclasses.asdict(wanted)))
            self._set_meta("dedup_dirty", "true")
            self.con.commit()
        return wanted

    # --- writing ---

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("E105", str(self.path), detail="it was opened read-only")

    def stored_ids(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT article_id FROM articles").fetchall()}

    def skip_stored(
        self, items: Iterable[Article | InputError | Any], on_skip: Callable[[Article], None] | None = None
    ) -> Iterator[Any]:
        """The items whose article is not stored yet (`--resume`); errors and raw records pass through."""
        stored = self.stored_ids()
        for item in items:
            if isinstance(item, Article) and item.id in stored:
                if on_skip:
                    on_skip(item)
                continue
            yield item

    def write_chunk(self, items: Iterable[Document | Record]) -> int:
        """Replace the rows of these articles in one transaction; returns how many articles were written."""
        self._require_writable()
        coded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        latest: dict[str, Record] = {}
        for item in items:  # an id twice in one chunk: the later one wins, as across chunks
            record = as_record(item)
            latest[str(record["article"]["id"])] = record
        if not latest:
            return 0
        rows: dict[str, list[Record]] = {table: [] for table in ARTICLE_TABLES}
        for record in latest.values():
            for table, table_rows in document_rows(record, coded_at).items():
                rows[table].extend(table_rows)
        ids = list(latest)
        self.con.begin()
        try:
            self._view("_chunk_ids", [{"article_id": article_id} for article_id in ids])
            for table in ARTICLE_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _chunk_ids)")
            for table in reversed(ARTICLE_TABLES):
                if rows[table]:
                    self._insert(table, rows[table])
            self.con.execute("UPDATE polybius_meta SET value = 'true' WHERE key = 'dedup_dirty'")
            self.con.commit()
        except BaseException as err:
            self.con.rollback()
            if isinstance(err, duckdb.Error):
                raise _store_error(err, self.path) from None
            raise
        return len(ids)

    def _view(self, name: str, rows: list[Record]) -> None:
        """Rows as a connection-local view over an Arrow table. Cheaper than bound list parameters, for
        which DuckDB's Python client tries to import pandas on every call (slow when it is not installed)."""
        self.con.from_arrow(pa.Table.from_pylist(rows)).create_view(name, replace=True)

    def _insert(self, table: str, rows: list[Record]) -> None:
        self._view("_incoming", rows)
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")

    def tee(
        self,
        documents: Iterable[Document | Record],
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        on_commit: OnCommit | None = None,
        report: WriteReport | None = None,
    ) -> Iterator[Document | Record]:
        """Yield each document on while storing them a chunk at a time; deduplicate at the end."""
        report = report if report is not None else WriteReport()
        start = dt.datetime.now()
        pending: list[Document | Record] = []
        for document in documents:
            pending.append(document)
            yield document
            if len(pending) >= chunk_size:
                self._commit_pending(pending, report, on_commit)
                pending = []
        if pending:
            self._commit_pending(pending, report, on_commit)
        self.refresh_dedup()
        report.seconds = (dt.datetime.now() - start).total_seconds()

    def _commit_pending(self, pending: list, report: WriteReport, on_commit: OnCommit | None) -> None:
        written = self.write_chunk(pending)
        report.articles += written
        report.chunks += 1
        if on_commit:
            on_commit(written, report.articles)

    def write(
        self,
        documents: Iterable[Document | Record],
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        on_commit: OnCommit | None = None,
    ) -> WriteReport:
        """Store any stream of Documents (or their `to_dict()` records) and deduplicate the events."""
        report = WriteReport()
        for _ in self.tee(documents, chunk_size, on_commit, report):
            pass
        return report

    # --- deduplication ---

    @property
    def dedup_dirty(self) -> bool:
        return self._meta("dedup_dirty") == "true"

    def _dedup_events(self) -> list[DedupEvent]:
        actors: dict[tuple[str, str], list[str | None]] = {}
        for event_id, role, entity, country, sector in self.con.execute(
            "SELECT event_id, role, entity, country, sector FROM event_actors WHERE role IN ('source', 'target')"
        ).fetchall():
            actors.setdefault((event_id, role), []).append(actor_key(entity, country, sector))
        rows = self.con.execute(
            """SELECT e.event_id, e.article_id, e.position,
                      coalesce(a.source, nullif(regexp_extract(a.url, '^[a-zA-Z]+://([^/]+)', 1), ''), a.article_id),
                      a.date, e.date, e.cameo_root, e.negated, e.sentence_text, e.trigger_text
               FROM events e JOIN articles a USING (article_id)"""
        ).fetchall()
        events = []
        for event_id, article_id, position, source_key, article_date, date, root, negated, sentence, trigger in rows:
            sources = actors.get((event_id, "source"), [])
            targets = actors.get((event_id, "target"), [])
            events.append(
                DedupEvent(
                    event_id=event_id,
                    article_id=article_id,
                    position=position,
                    source_key=source_key,
                    article_date=article_date,
                    date=date,
                    cameo_root=root,
                    negated=negated,
                    sentence=sentence,
                    trigger=trigger,
                    sources=frozenset(k for k in sources if k),
                    targets=frozenset(k for k in targets if k),
                    fully_resolved=all(sources) and all(targets),
                )
            )
        return events

    def refresh_dedup(self) -> int:
        """Recompute the deduplicated events from all stored events; returns how many there are."""
        self._require_writable()
        clusters = assign_ids(cluster_events(self._dedup_events(), self.dedup_settings))
        cluster_rows, member_rows = [], []
        for cluster_id, cluster in clusters:
            dates = [m.date for m in cluster.members if m.date is not None]
            cluster_rows.append(
                {
                    "cluster_id": cluster_id,
                    "representative": cluster.leader.event_id,
                    "cameo_root": cluster.leader.cameo_root,
                    "negated": cluster.leader.negated,
                    "date": cluster.leader.date,
                    "first_date": min(dates, default=None),
                    "last_date": max(dates, default=None),
                    "num_mentions": len(cluster.members),
                    "num_sources": cluster.num_sources,
                    "num_articles": cluster.num_articles,
                }
            )
            member_rows += [
                {"event_id": m.event_id, "cluster_id": cluster_id, "rule": rule}
                for m, rule in zip(cluster.members, cluster.rules, strict=True)
            ]
        self.con.begin()
        try:
            self.con.execute("DELETE FROM cluster_members")
            self.con.execute("DELETE FROM clusters")
            if cluster_rows:
                self._insert("clusters", cluster_rows)
                self._insert("cluster_members", member_rows)
            self._set_meta("dedup_dirty", "false")
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        return len(cluster_rows)

    def ensure_deduplicated(self) -> None:
        """Finish the deduplication an interrupted write left undone (needs a writable store)."""
        if self.dedup_dirty:
            if self.read_only:
                raise StoreError("E105", str(self.path), detail="its deduplication is out of date; open it writable")
            self.refresh_dedup()

    # --- reading ---

    def sql(self, query: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run a read query with bound parameters; the result as a polars DataFrame."""
        try:
            return self.con.execute(query, params or []).pl()
        except duckdb.Error as err:
            raise _store_error(err, self.path) from None

    def counts(self) -> dict[str, int]:
        tables = (*reversed(ARTICLE_TABLES), "clusters", "cluster_members")
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def check(self) -> list[str]:
        """Consistency problems (empty when the store is sound): orphans, duplicates, stale links."""
        checks = {
            "events without their article": "SELECT count(*) FROM events e ANTI JOIN articles a USING (article_id)",
            "event actors without their event": (
                "SELECT count(*) FROM event_actors x ANTI JOIN events e USING (event_id)"
            ),
            "actor mentions without their article": (
                "SELECT count(*) FROM actors x ANTI JOIN articles a USING (article_id)"
            ),
            "duplicate actor mentions": "SELECT count(*) - count(DISTINCT (article_id, position)) FROM actors",
            "duplicate event actors": (
                "SELECT count(*) - count(DISTINCT (event_id, role, position)) FROM event_actors"
            ),
            "duplicate quotes or claims": """SELECT (SELECT count(*) - count(DISTINCT (article_id, position))
                FROM quotes) + (SELECT count(*) - count(DISTINCT (article_id, position)) FROM claims)""",
            "articles whose event count is off": """SELECT count(*) FROM articles a
                WHERE n_events != (SELECT count(*) FROM events e WHERE e.article_id = a.article_id)""",
        }
        if not self.dedup_dirty:
            checks |= {
                "events in no deduplicated event": (
                    "SELECT count(*) FROM events e ANTI JOIN cluster_members m USING (event_id)"
                ),
                "events in several deduplicated events": (
                    "SELECT count(*) - count(DISTINCT event_id) FROM cluster_members"
                ),
                "cluster links to missing events": (
                    "SELECT count(*) FROM cluster_members m ANTI JOIN events e USING (event_id)"
                ),
                "clusters whose mention count is off": """SELECT count(*) FROM clusters c
                    WHERE num_mentions != (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = c.cluster_id)""",
            }
        problems = []
        for label, query in checks.items():
            n = self.con.execute(query).fetchone()[0]
            if n:
                problems.append(f"{n} {label}")
        return problems

    def events_frame(self, include_negated: bool = False) -> pl.DataFrame:
        """One row per deduplicated event: its first report's fields in the output contract's shape,
        with `num_mentions`, `num_sources`, `num_articles` and the ids of every report (`mentions`)."""
        self.ensure_deduplicated()
        where = "" if include_negated else "WHERE NOT c.negated"
        return self.sql(f"{EVENTS_SQL} {where} ORDER BY e.date NULLS LAST, c.cluster_id")


_ACTOR_STRUCT = """{'text': x.text, 'start': x.char_start, 'end': x.char_end, 'country': x.country,
    'sector': x.sector, 'kb_id': x.kb_id, 'entity': x.entity, 'code': x.code, 'members': x.members}"""

EVENTS_SQL = f"""
WITH roles AS (
    SELECT x.event_id, x.role, list({_ACTOR_STRUCT} ORDER BY x.position) AS actors
    FROM event_actors x JOIN clusters c ON c.representative = x.event_id
    GROUP BY x.event_id, x.role
),
links AS (
    SELECT cluster_id, list(event_id ORDER BY event_id) AS mentions FROM cluster_members GROUP BY cluster_id
)
SELECT
    c.cluster_id AS global_event_id,
    e.event_id,
    e.article_id,
    coalesce(s.actors, []) AS source,
    coalesce(t.actors, []) AS target,
    e.cameo, e.cameo_root, e.cameo_name,
    CASE WHEN e.plover_type IS NULL THEN NULL
         ELSE {{'type': e.plover_type, 'mode': e.plover_mode, 'context': e.plover_context}} END AS plover,
    e.goldstein,
    e.quad_class,
    e.date,
    CASE WHEN e.date_evidence_text IS NULL THEN NULL
         ELSE {{'text': e.date_evidence_text, 'start': e.date_evidence_start, 'end': e.date_evidence_end}}
    END AS date_evidence,
    e.date_from,
    CASE WHEN e.location_text IS NULL AND e.location_name IS NULL THEN NULL
         ELSE {{'name': e.location_name, 'country': e.location_country, 'lat': e.location_lat,
                'lon': e.location_lon, 'text': e.location_text, 'start': e.location_start,
                'end': e.location_end}} END AS location,
    e.negated,
    e.modality,
    coalesce(r.actors, []) AS reported_by,
    CASE WHEN e.attribution_text IS NULL THEN NULL
         ELSE {{'text': e.attribution_text, 'start': e.attribution_start, 'end': e.attribution_end}}
    END AS attribution,
    {{'text': e.trigger_text, 'start': e.trigger_start, 'end': e.trigger_end}} AS trigger,
    {{'start': e.sentence_start, 'end': e.sentence_end}} AS sentence,
    e.sentence_text,
    -- in the headline or the first paragraph of the body, as GDELT's IsRootEvent
    e.sentence_start < coalesce(length(a.title) + 2, 0) + coalesce(
        nullif(strpos(substr(a.text, coalesce(length(a.title) + 2, 0) + 1), chr(10) || chr(10)), 0) - 1,
        length(a.text)) AS in_lead,
    e.confidence,
    c.num_mentions,
    c.num_sources,
    c.num_articles,
    l.mentions,
    a.date AS article_date,
    a.source AS article_source,
    a.url AS article_url,
    a.title AS article_title,
    a.coded_at
FROM clusters c
JOIN events e ON e.event_id = c.representative
JOIN articles a ON a.article_id = e.article_id
JOIN links l ON l.cluster_id = c.cluster_id
LEFT JOIN roles s ON s.event_id = e.event_id AND s.role = 'source'
LEFT JOIN roles t ON t.event_id = e.event_id AND t.role = 'target'
LEFT JOIN roles r ON r.event_id = e.event_id AND r.role = 'reported_by'
"""
