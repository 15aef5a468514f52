from __future__ import annotations

import datetime as dt

import yaml

from polybius.actors.kb import ActorKB, load_kb
from polybius.actors.kb_import import parse_dictionary_date, read_dictionary, write_user_kb
from polybius.api import get_pipeline, to_article
from polybius.pipeline import PipelineSettings
from tests.conftest import ROOT
from tests.test_cli import run_cli

SAMPLES = ROOT / "tests" / "data"


def imported_kb(tmp_path) -> ActorKB:
    kb = load_kb()
    for name in ("sample.actors", "sample.agents"):
        write_user_kb(read_dictionary(SAMPLES / name, kb), tmp_path)
    return load_kb(tmp_path)


def test_six_digit_dates_pivot_on_the_century():
    assert parse_dictionary_date("120101") == dt.date(2012, 1, 1)
    assert parse_dictionary_date("450703") == dt.date(1945, 7, 3)
    assert parse_dictionary_date("20150529") == dt.date(2015, 5, 29)


def test_actors_file_gives_dated_people_and_named_actors(tmp_path):
    result = read_dictionary(SAMPLES / "sample.actors", load_kb())
    assert result.skipped == []
    people = {p["name"]: p for p in result.people}
    assert set(people) == {"Zandria Okafor", "Korvan Tellis"}
    assert people["Zandria Okafor"]["aliases"] == ["Z. Okafor"]
    first, later = people["Zandria Okafor"]["offices"]
    assert (first["country"], first["sector"], first["start"], first["end"]) == (
        "NGA",
        "GOV",
        dt.date(2015, 5, 29),
        dt.date(2019, 5, 28),
    )
    assert (later["sector"], later["start"], later["end"]) == ("ELI", dt.date(2019, 5, 29), None)
    assert people["Korvan Tellis"]["offices"][0]["end"] == dt.date(2012, 1, 1)
    actors = {a["kb_id"]: a for a in result.actors}
    assert actors["NORTHERN_RIVERS_BRIGADE"]["aliases"] == ["NRB"]
    assert (actors["NORTHERN_RIVERS_BRIGADE"]["country"], actors["NORTHERN_RIVERS_BRIGADE"]["sector"]) == ("SDN", "REB")
    assert actors["AFG"]["name"] == "Kabul"


def test_agents_file_gives_sector_nouns_with_plurals():
    result = read_dictionary(SAMPLES / "sample.agents", load_kb())
    assert result.sector_nouns["CVL"] == ["fisherman", "fishermen"]
    assert result.sector_nouns["GOV"] == ["harbourmaster", "harbourmasters", "grand vizier"]
    assert result.sector_nouns["AGR"] == ["beekeeper", "beekeepers"]


def test_import_writes_only_the_user_directory_and_merges_by_id(tmp_path):
    imported_kb(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["actors.yaml", "people.yaml", "sectors.yaml"]
    write_user_kb(read_dictionary(SAMPLES / "sample.actors", load_kb()), tmp_path)  # again: replaced, not doubled
    people = yaml.safe_load((tmp_path / "people.yaml").read_text(encoding="utf-8"))
    assert len(people) == 2


def test_resolver_uses_user_kb_with_dates(tmp_path):
    imported_kb(tmp_path)
    pipeline = get_pipeline(PipelineSettings(stages=("parse", "actors"), kb_dir=tmp_path))

    def coded(text: str, date: str) -> dict[str, tuple]:
        return {m.span.text: (m.country, m.sector, m.kb_id) for m in pipeline(to_article(text, date)).actors}

    assert coded("Zandria Okafor met fishermen in Lagos.", "2016-03-01")["Zandria Okafor"] == (
        "NGA",
        "GOV",
        "ZANDRIA_OKAFOR",
    )
    assert coded("Zandria Okafor spoke on Monday.", "2021-03-01")["Zandria Okafor"][:2] == ("NGA", "ELI")
    assert coded("The harbourmaster closed the port.", "2016-03-01")["harbourmaster"][:2] == (None, "GOV")
    assert coded("NRB fighters attacked a convoy.", "2016-03-01")["NRB fighters"] == (
        "SDN",
        "REB",
        "NORTHERN_RIVERS_BRIGADE",
    )


def test_cli_import_then_actors_reads_the_user_kb(tmp_path):
    result = run_cli("kb", "import", str(SAMPLES / "sample.actors"), "--kb-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "imported 2 people, 2 actors" in result.stdout
    missing = run_cli("kb", "import", str(tmp_path / "nope.actors"), "--kb-dir", str(tmp_path))
    assert missing.returncode == 1 and "E010" in missing.stderr and "nope.actors" in missing.stderr
