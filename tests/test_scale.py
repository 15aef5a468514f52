"""The local multi-process engine: same output as one process, input order, bounded memory, bad records skipped."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from polybius import scale
from polybius.api import code_many
from polybius.errors import InputError
from polybius.ingest import read_inputs
from polybius.model import Document
from polybius.pipeline import DEFAULT_STAGES, PipelineSettings
from polybius.registry import register_stage
from polybius.scale import ScaleSettings, as_articles, code_parallel, code_stream
from polybius.synthetic import articles
from tests.conftest import ROOT

FORCE_POOL = ScaleSettings(workers=2, chunk_size=4, min_parallel=1)


def records_with_bad_ones(n: int) -> list[dict | object]:
    items: list[dict | object] = list(articles(n, seed=7, sentences=3))
    items.insert(3, {"text": ""})  # E001
    items.insert(11, {"title": "no text"})  # E006
    items.insert(12, {"text": "Russia attacked Syria.", "date": "not a date"})  # E009
    return items


def outcome(results) -> list[dict | str]:
    return [r.code if isinstance(r, InputError) else r.to_dict() for r in results]


def test_two_workers_give_exactly_what_one_process_gives_in_input_order():
    items = records_with_bad_ones(30)
    one = outcome(code_stream(as_articles(items), scale=ScaleSettings(workers=1)))
    two = outcome(code_stream(as_articles(items), scale=FORCE_POOL))
    assert one == two
    assert [r for r in one if isinstance(r, str)] == ["E001", "E006", "E009"]
    assert [i for i, r in enumerate(one) if isinstance(r, str)] == [3, 11, 12]
    ids = [r["article"]["id"] for r in one if isinstance(r, dict)]
    assert ids == [f"synthetic-7-{n}" for n in range(30)]
    assert sum(len(r["events"]) for r in one if isinstance(r, dict)) > 30


def test_engine_documents_equal_the_api_code_many_documents():
    items = list(articles(12, seed=3, sentences=3))
    expected = [d.to_dict() for d in code_many(items)]
    assert [d.to_dict() for d in code_parallel(items, scale=FORCE_POOL)] == expected


def test_bad_records_are_reported_and_the_run_goes_on(tmp_path):
    path = tmp_path / "shard.jsonl"
    lines = [json.dumps(r).encode() for r in articles(6, seed=1, sentences=3)]
    lines[2] = b"{not json"
    lines.insert(4, b'{"text": "\xff\xfe broken"}')
    path.write_bytes(b"\n".join(lines) + b"\n")
    errors: list[InputError] = []
    docs = list(code_parallel(read_inputs([str(path)]), on_error=errors.append, scale=FORCE_POOL))
    assert [d.article.id for d in docs] == [f"synthetic-1-{n}" for n in (0, 1, 3, 4, 5)]
    assert [(e.code, e.source) for e in errors] == [("E005", f"{path}:3"), ("E003", f"{path}:5")]


@register_stage("explode_on_marker")
class ExplodeOnMarker:
    """A stage with a bug that only one article triggers."""

    def __init__(self, settings: PipelineSettings) -> None:
        pass

    def __call__(self, doc: Document) -> Document:
        if "Tuvalu" in doc.article.text:
            raise RuntimeError("stage bug")
        return doc


def test_a_stage_that_fails_on_one_article_loses_only_that_article():
    settings = PipelineSettings(stages=(*DEFAULT_STAGES, "explode_on_marker"))
    items = [r for r in articles(40, seed=5, sentences=3) if "Tuvalu" not in r["text"]][:9]
    items.insert(5, {"id": "bad", "text": "Tuvalu protested to Fiji about fishing rights.", "date": "2020-01-01"})
    for options in (ScaleSettings(workers=1), FORCE_POOL):
        results = list(code_stream(as_articles(items), settings, options))
        assert [type(r).__name__ for r in results].count("Document") == 9
        failed = results[5]
        assert isinstance(failed, InputError) and failed.code == "E015" and "stage bug" in str(failed)


def test_in_flight_work_is_bounded_whatever_the_stream_length():
    consumed = 0

    def source():
        nonlocal consumed
        for record in articles(80, seed=2, sentences=2):
            consumed += 1
            yield record

    options = ScaleSettings(workers=2, chunk_size=4, in_flight=2, min_parallel=1)
    bound = options.workers * options.in_flight * options.chunk_size + options.chunk_size
    yielded = 0
    for _ in code_stream(as_articles(source()), scale=options):
        yielded += 1
        assert consumed - yielded <= bound
    assert yielded == 80


def test_small_inputs_are_coded_in_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(scale, "_code_in_pool", no_pool)
    results = list(code_stream(as_articles(articles(5, sentences=2)), scale=ScaleSettings(workers=4)))
    assert len(results) == 5


def test_workers_below_one_is_a_config_error():
    with pytest.raises(Exception, match="E019"):
        list(code_stream([], scale=ScaleSettings(workers=0)))


def test_errors_survive_the_trip_between_processes():
    error = InputError("E005", "shard.jsonl:7", detail="Expecting value")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError and (copy.code, copy.source, str(copy)) == ("E005", "shard.jsonl:7", str(error))


def test_cli_workers_flag_gives_the_same_jsonl_as_one_worker(tmp_path):
    shard = tmp_path / "shard.jsonl"
    shard.write_text("".join(json.dumps(r) + "\n" for r in articles(70, seed=9, sentences=2)), encoding="utf-8")

    def run(workers: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "polybius", "code", str(shard), "--format", "jsonl", "--workers", workers],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )

    one, two = run("1"), run("2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 70
    assert "coded 70 article(s)" in two.stderr and "articles/s" in two.stderr
