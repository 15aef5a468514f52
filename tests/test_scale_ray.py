"""The Ray engine gives exactly what the local engine gives, on a local two-CPU Ray."""

from __future__ import annotations

import json

import pytest

from polybius.errors import InputError
from polybius.ingest import read_inputs
from polybius.scale import ScaleSettings, code_stream
from polybius.synthetic import articles

ray = pytest.importorskip("ray", reason="the Ray engine is an optional extra: pip install 'polybius[ray]'")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(
        num_cpus=2,
        object_store_memory=100 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    yield
    ray.shutdown()


def outcome(results) -> list[dict | str]:
    return [str(r) if isinstance(r, InputError) else r.to_dict() for r in results]


def test_ray_output_equals_local_output_on_500_articles(tmp_path, local_ray):
    from polybius.scale_ray import RaySettings, ray_stream

    records = list(articles(500, seed=11, sentences=2))
    lines = [json.dumps(r) for r in records[:300]]
    lines.insert(40, "{broken")  # a malformed record is reported and skipped
    lines.insert(200, json.dumps({"id": "empty", "text": " "}))
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records[300:]), tmp_path / "b.parquet")
    (tmp_path / "notes.txt").write_text("not for ray", encoding="utf-8")

    got = outcome(ray_stream([str(tmp_path)], options=RaySettings(workers=2)))
    errors = [r for r in got if isinstance(r, str)]
    assert len(errors) == 3 and "notes.txt" in errors[0] and "E018" in errors[0]
    assert "a.jsonl:41" in errors[1] and "E005" in errors[1] and "E001" in errors[2]

    local = outcome(
        code_stream(
            read_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "b.parquet")]), scale=ScaleSettings(workers=2)
        )
    )
    documents = [r for r in got if isinstance(r, dict)]
    assert documents == [r for r in local if isinstance(r, dict)]
    assert [d["article"]["id"] for d in documents] == [r["id"] for r in records]


def test_inputs_ray_cannot_read_are_reported_first(tmp_path):
    from polybius.scale_ray import ray_stream

    (tmp_path / "page.html").write_text("<html><body>Hi</body></html>", encoding="utf-8")
    results = list(ray_stream(["-", str(tmp_path / "missing.jsonl"), str(tmp_path)]))
    assert [(r.code, r.source) for r in results] == [
        ("E018", "<stdin>"),
        ("E010", str(tmp_path / "missing.jsonl")),
        ("E018", str(tmp_path / "page.html")),
    ]
