from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from typer.testing import CliRunner

from polybius import store as store_module
from polybius.api import code_many
from polybius.cli import app
from polybius.errors import StoreError
from polybius.ingest import read_inputs
from polybius.model import Claim, Mention, Quote, Span
from polybius.store import SCHEMA_VERSION, Migration, Store
from tests.conftest import ROOT
from tests.storedata import CLUSTER, EXAMPLES, coded, located_record, with_id


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "polybius", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )


def test_new_store_has_the_schema_and_its_version(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert set(store.counts()) == {
            "articles", "events", "event_actors", "actors", "quotes", "claims", "clusters", "cluster_members",
        }  # fmt: skip
        applied = store.sql("SELECT version FROM schema_migrations")["version"].to_list()
        assert applied == [m.version for m in store_module.MIGRATIONS]


def test_rows_are_typed_and_linked_to_their_article(tmp_path):
    records = coded(EXAMPLES)
    with Store(tmp_path / "s.duckdb") as store:
        report = store.write(records, chunk_size=3)
        assert report.articles == len(records) and report.chunks == 3
        counts = store.counts()
        assert counts["articles"] == len(records)
        assert counts["events"] == sum(len(r["events"]) for r in records)
        assert counts["actors"] == sum(len(r["actors"]) for r in records)
        roles = sum(len(e[role]) for r in records for e in r["events"] for role in ("source", "target", "reported_by"))
        assert counts["event_actors"] == roles
        assert store.check() == []
        types = dict(store.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                       "WHERE table_name = 'events'").fetchall())  # fmt: skip
        assert types["date"] == "DATE" and types["goldstein"] == "DOUBLE" and types["negated"] == "BOOLEAN"
        first = records[0]["events"][0]
        row = store.sql("SELECT * FROM events WHERE event_id = ?", [first["id"]]).row(0, named=True)
        assert row["cameo"] == first["cameo"] and row["trigger_text"] == first["trigger"]["text"]
        text = records[0]["article"]["text"]
        assert row["sentence_text"] == text[first["sentence"]["start"] : first["sentence"]["end"]]


def test_coding_the_same_articles_again_replaces_their_rows(tmp_path):
    records = coded(EXAMPLES)
    with Store(tmp_path / "s.duckdb") as store:
        store.write(records, chunk_size=5)
        before = store.counts()
        store.write(records, chunk_size=3)
        store.write(records[:2] + records[:2], chunk_size=10)  # an id twice in one chunk
        assert store.counts() == before
        changed = with_id(records[0], records[0]["article"]["id"])
        changed["events"] = changed["events"][:1]
        store.write([changed])
        assert store.counts()["events"] == before["events"] - len(records[0]["events"]) + 1
        assert store.check() == []


def test_an_article_without_id_is_known_by_its_text_hash(tmp_path, pipeline):
    story = "Russian jets bombed rebel positions in Syria on Wednesday, the Pentagon said."
    docs = list(code_many([story], date="2015-10-02"))
    again = list(code_many([story], date="2015-10-02"))
    assert docs[0].article.id == again[0].article.id and docs[0].article.id.startswith("sha1-")
    with Store(tmp_path / "s.duckdb") as store:
        store.write(docs)
        store.write(again)
        assert store.counts()["articles"] == 1


def test_quotes_claims_and_keys_from_later_versions_are_kept(tmp_path):
    record = located_record()
    text = record["article"]["text"]
    speaker = Mention(Span(0, 14, text[:14]), "TUR", "MIL", "TUR", "TUR.MIL", head=1)
    quote = Quote(Span(20, 40, text[20:40]), speaker, "explicit", 0.8)
    claim = Claim("hand-afrin:c0", Span(5, 12, text[5:12]), content=Span(20, 40, text[20:40]), denied_by=[speaker])
    record["quotes"] = [quote.to_dict()]
    record["claims"] = [claim.to_dict() | {"events": ["hand-afrin:0"]}]
    record["actors"][0]["evidence"] = [{"text": "Turkish", "start": 51, "end": 58, "gives": "country"}]
    with Store(tmp_path / "s.duckdb") as store:
        store.write([record])
        (speaker_json, method) = store.con.execute("SELECT speaker, speaker_method FROM quotes").fetchone()
        assert json.loads(speaker_json)["entity"] == "TUR.MIL" and method == "explicit"
        denied, events = store.con.execute("SELECT denied_by, events FROM claims").fetchone()
        assert json.loads(denied)[0]["text"] == text[:14] and events == ["hand-afrin:0"]
        (extra,) = store.con.execute("SELECT extra FROM actors WHERE position = 0").fetchone()
        assert json.loads(extra)["evidence"][0]["gives"] == "country"
        assert store.counts()["quotes"] == 1 and store.counts()["claims"] == 1


def test_the_writer_takes_any_iterator_of_documents(tmp_path, pipeline):
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()[:3]
    (tmp_path / "three.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    commits: list[tuple[int, int]] = []
    with Store(tmp_path / "s.duckdb") as store:
        documents = code_many(read_inputs([str(tmp_path / "three.jsonl")]))
        store.write(documents, chunk_size=2, on_commit=lambda n, total: commits.append((n, total)))
        assert commits == [(2, 2), (1, 3)]
        assert store.counts()["articles"] == 3 and not store.dedup_dirty


def test_a_newer_migration_is_applied_once_to_an_older_store(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    extra = Migration(SCHEMA_VERSION + 1, "a later column", ("ALTER TABLE articles ADD COLUMN language VARCHAR",))
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, extra))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        assert "language" in store.sql("SELECT * FROM articles").columns
    with Store(path) as store:  # nothing left to apply
        assert store.sql("SELECT count(*) AS n FROM schema_migrations")["n"][0] == SCHEMA_VERSION + 1


def old_writer(patch: pytest.MonkeyPatch, version: int) -> None:
    """The store module as it was at schema `version`: its migrations, and (before migration 3) no
    attribution columns, so an event's attribution stays in `extra` as any key without a column does."""
    patch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:version])
    patch.setattr(store_module, "SCHEMA_VERSION", version)
    if version < 3:
        patch.setattr(store_module, "EVENT_KEYS", tuple(k for k in store_module.EVENT_KEYS if k != "attribution"))
        row = store_module.event_row
        patch.setattr(
            store_module,
            "event_row",
            lambda *args: {k: v for k, v in row(*args).items() if not k.startswith("attribution_")},
        )


def upgraded_on_open(path, before: dict) -> Store:
    """An old store: a reader cannot upgrade it (E106); a writer opening it does, keeping every row."""
    with pytest.raises(StoreError) as err:
        Store(path, read_only=True)
    assert err.value.code == "E106"
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION == 3
    assert store.counts() == before and store.check() == []
    return store


def test_a_version_1_store_is_migrated_with_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "v1.duckdb"
    records = coded(EXAMPLES)[:3]
    with monkeypatch.context() as patch:  # a store written before migration 2 existed
        old_writer(patch, 1)
        with Store(path) as store:
            store.write(records)
            before = store.counts()
            keyed = store.sql("SELECT table_name FROM information_schema.table_constraints "
                              "WHERE constraint_type = 'PRIMARY KEY'")["table_name"].to_list()  # fmt: skip
            assert "event_actors" in keyed and store.schema_version == 1
    with upgraded_on_open(path, before) as store:
        keyed = store.sql("SELECT table_name FROM information_schema.table_constraints "
                          "WHERE constraint_type = 'PRIMARY KEY'")["table_name"].to_list()  # fmt: skip
        assert "event_actors" not in keyed and {"articles", "events", "clusters"} <= set(keyed)
        store.write(records)
        assert store.counts() == before


def test_a_version_2_store_gains_the_attribution_columns_and_keeps_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "v2.duckdb"
    records = coded(EXAMPLES)
    attributed = {e["id"]: e["attribution"] for r in records for e in r["events"] if e["attribution"]}
    assert attributed and len(attributed) < sum(len(r["events"]) for r in records)
    with monkeypatch.context() as patch:  # written by the writer of schema version 2
        old_writer(patch, 2)
        with Store(path) as store:
            store.write(records)
            before = store.counts()
            assert "attribution_text" not in store.sql("SELECT * FROM events LIMIT 0").columns
            kept = store.sql("SELECT event_id, extra FROM events WHERE json_exists(extra, '$.attribution')")
            assert len(kept) == sum(len(r["events"]) for r in records)  # the key without a column, in `extra`
    with upgraded_on_open(path, before) as store:
        rows = store.sql(
            """SELECT event_id, CASE WHEN attribution_text IS NOT NULL THEN {'text': attribution_text,
                      'start': attribution_start, 'end': attribution_end} END AS attribution, extra FROM events"""
        )
        for row in rows.iter_rows(named=True):
            assert row["attribution"] == attributed.get(row["event_id"]), row["event_id"]
            assert "attribution" not in json.loads(row["extra"] or "{}")  # moved out of `extra`, the rest kept
        assert any(json.loads(extra or "{}").get("method") for extra in rows["extra"])
        applied = store.sql("SELECT version FROM schema_migrations ORDER BY version")["version"].to_list()
        assert applied == [1, 2, 3]
        store.write(records)  # the current writer fills the new columns itself
        assert store.counts() == before
        again = store.sql("SELECT count(*) AS n FROM events WHERE attribution_text IS NOT NULL")["n"][0]
        assert again == len(attributed)


def test_attribution_is_stored_and_exported_with_the_event(tmp_path):
    records = coded(EXAMPLES)
    with Store(tmp_path / "s.duckdb") as store:
        store.write(records)
        frame = store.events_frame(include_negated=True)
    by_id = {e["id"]: e for r in records for e in r["events"]}
    assert 0 < frame["attribution"].null_count() < frame.height
    for event_id, attribution in zip(frame["event_id"], frame["attribution"], strict=True):
        assert attribution == by_id[event_id]["attribution"]


def test_unusable_files_give_coded_errors(tmp_path):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"this is not a database\n" * 400)
    with pytest.raises(StoreError) as err:
        Store(corrupt)
    assert err.value.code == "E101"
    assert corrupt.read_bytes().startswith(b"this is not")  # left as it was

    newer = tmp_path / "newer.duckdb"
    Store(newer).close()
    with duckdb.connect(str(newer)) as con:
        con.execute("UPDATE polybius_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError) as err:
        Store(newer)
    assert err.value.code == "E102" and "99" in str(err.value)

    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE sales (id INTEGER)")
    with pytest.raises(StoreError) as err:
        Store(foreign)
    assert err.value.code == "E103"

    with pytest.raises(StoreError) as err:
        Store(tmp_path / "missing.duckdb", create=False)
    assert err.value.code == "E104"


def test_cli_reports_locked_corrupt_and_newer_stores_without_a_traceback(tmp_path):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"\x00garbage" * 1000)
    newer = tmp_path / "newer.duckdb"
    Store(newer).close()
    with duckdb.connect(str(newer)) as con:
        con.execute("UPDATE polybius_meta SET value = '7' WHERE key = 'schema_version'")
    for path, code in ((corrupt, "E101"), (newer, "E102")):
        result = CliRunner().invoke(app, ["export", "--db", str(path), "--format", "jsonl"])
        assert result.exit_code == 2 and code in result.stderr
        assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error
    locked = tmp_path / "locked.duckdb"
    holder = Store(locked)  # this process holds DuckDB's write lock; another process must be refused
    try:
        result = run_cli("query", "--db", str(locked))
        assert result.returncode == 2 and "E100" in result.stderr and "Traceback" not in result.stderr
    finally:
        holder.close()


def test_kill_9_mid_batch_loses_at_most_a_chunk_and_resume_completes(tmp_path, pipeline):
    records = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as handle:
        for n in range(40):
            record = dict(records[n % len(records)], id=f"copy-{n:02d}")
            handle.write(json.dumps(record) + "\n")
    db = tmp_path / "killed.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-m", "polybius", "code", str(big), "--db", str(db), "--chunk-size", "4"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        for line in process.stderr:  # the first committed chunk
            if line.startswith("stored ") or time.monotonic() > deadline:
                break
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    with Store(db, read_only=True) as store:
        stored = store.counts()["articles"]
        assert 4 <= stored < 40 and stored % 4 == 0  # whole chunks only
        assert store.check() == []  # no event without its article, counts consistent
        assert store.dedup_dirty  # the run died before deduplicating

    resumed = run_cli("code", str(big), "--db", str(db), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{stored} already stored" in resumed.stderr

    clean = tmp_path / "clean.duckdb"
    with Store(clean) as store:  # the same documents written in one clean run (coding ignores the id)
        store.write(with_id(coded(EXAMPLES)[n % len(records)], f"copy-{n:02d}") for n in range(40))
        expected = store.counts()
        expected_events = store.sql("SELECT event_id, cameo FROM events ORDER BY event_id")
    with Store(db) as store:
        assert store.counts() == expected
        assert store.sql("SELECT event_id, cameo FROM events ORDER BY event_id").equals(expected_events)
        assert store.check() == [] and not store.dedup_dirty


def test_cli_code_db_writes_the_store_and_rerun_changes_nothing(tmp_path, pipeline):
    db = tmp_path / "cluster.duckdb"
    runner = CliRunner()
    first = runner.invoke(app, ["code", str(CLUSTER), "--db", str(db), "--chunk-size", "2"])
    assert first.exit_code == 0, first.output
    assert first.stdout == ""  # --db alone writes no documents to stdout
    with Store(db) as store:
        counts = store.counts()
    again = runner.invoke(app, ["code", str(CLUSTER), "--db", str(db)])
    assert again.exit_code == 0, again.output
    with Store(db) as store:
        assert store.counts() == counts and counts["articles"] == 6


def test_resume_without_db_is_a_usage_error():
    result = run_cli("code", str(EXAMPLES), "--resume")
    assert result.returncode == 2 and "E109" in result.stderr
