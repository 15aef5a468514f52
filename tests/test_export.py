from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from polybius.cli import app
from polybius.export import GDELT_COLUMNS, export
from polybius.store import Store
from tests.storedata import CLUSTER, EXAMPLES, coded, located_record

CONTRACT_EVENT_FIELDS = (
    "source", "target", "cameo", "cameo_root", "cameo_name", "plover", "goldstein", "quad_class", "date",
    "date_evidence", "date_from", "location", "negated", "modality", "reported_by", "attribution", "trigger",
    "sentence", "confidence",
)  # fmt: skip
TEXT_CODES = {"cameo": pl.String, "cameo_root": pl.String}  # CAMEO codes keep their leading zeros


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([*coded(EXAMPLES), *coded(CLUSTER), located_record()], chunk_size=4)
        yield store


def test_gdelt_export_has_the_61_codebook_columns_one_row_per_dyad(store, tmp_path):
    out = tmp_path / "events.tsv"
    rows = export(store, "gdelt", out)
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[:3] == ("GlobalEventID", "Day", "MonthYear")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )  # fmt: skip
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    frame = pl.read_csv(
        out, separator="\t", has_header=False, new_columns=list(GDELT_COLUMNS), quote_char=None,
        schema_overrides={"EventCode": pl.String, "EventBaseCode": pl.String, "EventRootCode": pl.String},
    )  # fmt: skip
    events = store.events_frame()
    pairs = sum(max(len(s), 1) * max(len(t), 1) for s, t in events.select("source", "target").iter_rows())
    assert frame.height == rows == pairs
    assert frame["GlobalEventID"].dtype == pl.Int64 and frame["GlobalEventID"].n_unique() == frame.height
    assert frame["Day"].dtype == pl.Int64 and frame["GoldsteinScale"].dtype == pl.Float64
    assert frame["NumArticles"].min() >= 1 and (frame["AvgTone"] == 0).all()
    assert set(frame["EventRootCode"].str.len_chars()) == {2}
    afrin = frame.filter(pl.col("ActionGeo_FullName") == "Afrin").row(0, named=True)
    assert afrin["ActionGeo_Type"] == 4 and afrin["ActionGeo_Lat"] == pytest.approx(36.51)
    assert afrin["Actor1Code"] == "TURMIL" and afrin["Actor1CountryCode"] == "TUR" and afrin["Day"] == 20180121
    assert afrin["FractionDate"] == pytest.approx(2018 + (30 + 21) / 365, abs=1e-4)
    assert frame.filter(pl.col("Actor1Code") == "TURMIL")["Actor2Type1Code"].to_list() == ["REB"]
    assert export(store, "gdelt", tmp_path / "again.tsv") == rows
    assert (tmp_path / "again.tsv").read_text() == out.read_text()  # stable ids: the same file again


def test_parquet_round_trip_equals_the_store(store, tmp_path):
    out = tmp_path / "events.parquet"
    rows = export(store, "parquet", out)
    back = pl.read_parquet(out)
    expected = store.events_frame()
    assert rows == back.height == store.sql("SELECT count(*) AS n FROM clusters WHERE NOT negated")["n"][0]
    assert back.equals(expected) and back.schema == expected.schema
    assert set(CONTRACT_EVENT_FIELDS) <= set(back.columns)
    assert {"global_event_id", "num_mentions", "num_sources", "num_articles", "mentions"} <= set(back.columns)
    assert not back["negated"].any()


def test_jsonl_rows_have_the_output_contract_shape(store, tmp_path):
    out = tmp_path / "events.jsonl"
    rows = export(store, "jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == rows == store.events_frame().height
    afrin = next(r for r in records if r["event_id"] == "hand-afrin:0")
    original = located_record()["events"][0]
    for field in ("cameo", "date", "trigger", "attribution", "sentence", "plover", "goldstein"):
        assert afrin[field] == original[field], field
    assert afrin["location"]["name"] == "Afrin" and afrin["source"][0]["code"] == "TURMIL"
    frame = pl.read_ndjson(out, schema_overrides=TEXT_CODES)
    assert frame.height == rows and frame["num_mentions"].dtype == pl.Int64


def test_csv_is_flat_with_nested_fields_as_json(store, tmp_path):
    out = tmp_path / "events.csv"
    rows = export(store, "csv", out)
    frame = pl.read_csv(out, try_parse_dates=True, schema_overrides=TEXT_CODES)
    expected = store.events_frame()
    assert frame.height == rows == expected.height and frame.columns == expected.columns
    assert frame["date"].dtype == pl.Date and frame["goldstein"].dtype == pl.Float64
    assert frame["global_event_id"].to_list() == expected["global_event_id"].to_list()
    first_sources = json.loads(frame["source"][0])
    assert first_sources == expected["source"][0].to_list()


def test_plover_records_leave_out_public_statements(store, tmp_path):
    out = tmp_path / "events.plover.jsonl"
    rows = export(store, "plover", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = store.events_frame().filter(pl.col("plover").is_not_null())
    assert len(records) == rows == expected.height > 0
    afrin = next(r for r in records if r["story"]["id"] == "hand-afrin")
    assert afrin["event_type"] == "ASSAULT" and afrin["mode"] == "heavy-weapons" and afrin["context"] == ["military"]
    assert afrin["actors"]["source"][0]["code"] == "TURMIL" and afrin["date"] == "2018-01-21"
    assert "shelled positions of Kurdish fighters" in afrin["text"]
    assert afrin["trigger"] == "shelled" and afrin["attribution"] == "a monitoring group said"
    assert not any(r["cameo"].startswith("01") for r in records)


def test_export_command_defaults_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    missing = runner.invoke(app, ["export", "--format", "jsonl"])
    assert missing.exit_code == 2 and "polybius.duckdb" in missing.stderr and "E104" in missing.stderr
    with Store(tmp_path / "polybius.duckdb") as store:  # the default store of export, query and serve
        store.write([located_record()])
    result = runner.invoke(app, ["export", "--format", "gdelt", "-o", "out.tsv"])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out.tsv").read_text().rstrip("\n").split("\t")) == 61
