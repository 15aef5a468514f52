from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from polybius.cli import app
from polybius.errors import StoreError
from polybius.query import EventFilter, counts, events, parse_dyad
from polybius.store import Store
from tests.storedata import CLUSTER, EXAMPLES, coded, located_record


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "s.duckdb"
    with Store(path) as store:
        store.write([*coded(EXAMPLES), *coded(CLUSTER), located_record()])
    return path


def sides(frame: pl.DataFrame) -> list[set[str]]:
    return [set((s or "").split(";")) | set((t or "").split(";")) for s, t in frame.select("source", "target").rows()]


def test_actor_matches_country_sector_code_or_kb_id_on_either_side(db):
    russia = events(db, EventFilter(actor="RUS"))
    assert russia.height > 0
    with Store(db) as store:
        expected = store.sql(
            """SELECT count(DISTINCT c.cluster_id) AS n FROM clusters c JOIN event_actors x
               ON x.event_id = c.representative AND x.role IN ('source', 'target')
               WHERE NOT c.negated AND (x.country = 'RUS' OR x.code = 'RUS' OR x.kb_id = 'RUS' OR x.entity = 'RUS')"""
        )["n"][0]
    assert russia.height == expected
    government = events(db, EventFilter(actor="RUSGOV"))
    assert 0 < government.height < russia.height
    assert all(any(code == "RUSGOV" for code in codes) for codes in sides(government))
    hamas = events(db, EventFilter(actor="HAMAS"))  # a KB id; its country code is PSE
    assert hamas.height > 0 and all(not any(c == "HAMAS" for c in codes) for codes in sides(hamas))


def test_dyad_code_plover_and_dates(db):
    dyad = events(db, EventFilter(dyad=("POL", "RUSGOV")))
    assert dyad.height >= 2 and set(dyad["source"]) == {"POL"} and set(dyad["target"]) == {"RUSGOV"}
    reverse = events(db, EventFilter(dyad=("RUSGOV", "POL")))
    assert set(reverse["event_id"]).isdisjoint(dyad["event_id"])
    fights = events(db, EventFilter(code="19"))
    assert fights.height > 0 and fights["cameo"].str.starts_with("19").all()
    assert events(db, EventFilter(code="195")).height < fights.height
    assault = events(db, EventFilter(plover="assault"))
    assert assault.height > 0 and set(assault["plover"]) == {"ASSAULT"}
    march = events(db, EventFilter(since=dt.date(2018, 3, 1), until=dt.date(2018, 3, 31)))
    assert march.height > 0 and all(dt.date(2018, 3, 1) <= d <= dt.date(2018, 3, 31) for d in march["date"])
    merged = march.filter(pl.col("source") == "POL").filter(pl.col("target") == "RUSGOV")
    assert merged["num_articles"].max() >= 5  # one event for five reports
    assert events(db, EventFilter(location="SYR"))["event_id"].to_list() == ["hand-afrin:0"]
    assert events(db, limit=3).height == 3


def test_counts_per_period_and_dyad(db):
    weekly = counts(db, EventFilter(actor="POL"), by="week")
    assert weekly.columns == ["period", "dyad", "events", "goldstein_mean"]
    assert weekly["period"].dtype == pl.Date and all(d.weekday() == 0 for d in weekly["period"])
    expulsion = weekly.filter((pl.col("dyad") == "POL:RUSGOV") & (pl.col("period") == dt.date(2018, 3, 26)))
    assert expulsion["events"][0] == 1 and expulsion["goldstein_mean"][0] < 0
    monthly = counts(db, by="month")
    assert all(d.day == 1 for d in monthly["period"])
    total = events(db).filter(pl.col("date").is_not_null()).height
    assert monthly["events"].sum() >= total  # an event with two sources counts in both dyads


def test_query_command_formats(db):
    runner = CliRunner(env={"COLUMNS": "200"})
    as_json = runner.invoke(app, ["query", "--db", str(db), "--actor", "POL", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert len(json.loads(as_json.stdout)) == events(db, EventFilter(actor="POL")).height
    lines = runner.invoke(app, ["query", "--db", str(db), "--code", "16", "--format", "jsonl"]).stdout.splitlines()
    assert lines and all(json.loads(line)["cameo"].startswith("16") for line in lines)
    csv = runner.invoke(app, ["query", "--db", str(db), "--by", "month", "--format", "csv", "--limit", "2"])
    assert csv.stdout.splitlines()[0] == "period,dyad,events,goldstein_mean" and len(csv.stdout.splitlines()) == 3
    table = runner.invoke(app, ["query", "--db", str(db), "--dyad", "POL:RUSGOV", "--since", "2018-03-01"])
    assert table.exit_code == 0 and "RUSGOV" in table.stdout and "Events" in table.stdout
    bad = runner.invoke(app, ["query", "--db", str(db), "--dyad", "POL"])
    assert bad.exit_code == 2 and "E107" in bad.stderr
    bad_date = runner.invoke(app, ["query", "--db", str(db), "--since", "March"])
    assert bad_date.exit_code == 2 and "E009" in bad_date.stderr


def test_parse_dyad():
    assert parse_dyad("RUSMIL:SYR") == ("RUSMIL", "SYR")
    with pytest.raises(StoreError):
        parse_dyad("RUSMIL:")
