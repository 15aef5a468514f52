"""Parquet in (shards of records) and out (shards of documents), streamed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from polybius.api import code_many
from polybius.errors import ConfigError, InputError
from polybius.ingest import read_inputs
from polybius.model import Article
from polybius.synthetic import articles
from tests.conftest import ROOT

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def write_records(path, records) -> None:
    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=3)


def test_parquet_rows_are_read_like_jsonl_records(tmp_path):
    records = list(articles(5, seed=4, sentences=2))
    records[2] = dict(records[2], text="")
    write_records(tmp_path / "shard.parquet", records)
    items = list(read_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError", "Article", "Article"]
    assert items[2].code == "E001" and items[2].source == f"{tmp_path / 'shard.parquet'}:3"
    first = items[0]
    assert isinstance(first, Article) and first.id == records[0]["id"] and first.date.isoformat() == records[0]["date"]


def test_an_unreadable_parquet_shard_is_reported_and_the_next_one_read(tmp_path):
    (tmp_path / "a-broken.parquet").write_bytes(b"PAR1 this is not parquet at all")
    write_records(tmp_path / "b-good.parquet", list(articles(2, sentences=2)))
    items = list(read_inputs([str(tmp_path)]))
    assert isinstance(items[0], InputError) and items[0].code == "E017"
    assert [type(i).__name__ for i in items[1:]] == ["Article", "Article"]


def test_shard_writer_rolls_over_and_round_trips_documents(tmp_path):
    from polybius.parquet_sink import ParquetShardWriter

    docs = list(code_many(articles(7, seed=6, sentences=2)))
    with ParquetShardWriter(tmp_path / "out", rows_per_shard=3, rows_per_group=2) as writer:
        for doc in docs:
            writer.write(doc)
    shards = sorted((tmp_path / "out").glob("part-*.parquet"))
    assert [s.name for s in shards] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    rows = [row for shard in shards for row in pq.read_table(shard).to_pylist()]
    assert [json.loads(r["document"]) for r in rows] == [d.to_dict() for d in docs]
    assert [r["n_events"] for r in rows] == [len(d.events) for d in docs]
    with pytest.raises(ConfigError, match="E021"):
        ParquetShardWriter(tmp_path / "out")


def test_cli_parquet_output(tmp_path):
    shard = tmp_path / "in.jsonl"
    shard.write_text("".join(json.dumps(r) + "\n" for r in articles(3, sentences=2)), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "polybius", "code", str(shard), "--format", "parquet", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert pq.read_table(out / "part-00000.parquet").num_rows == 3
