"""Golden facts of our own articles (tests/context/articles/*.yaml): a gate on the share held.

Each article was written for the project and its facts reviewed by hand. The gate fails when
fewer facts of a kind hold than the recorded baseline (tests/context/facts_baseline.json).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from polybius.api import get_pipeline
from polybius.ingest import IngestSettings, read_record
from tests.context.golden import check

HERE = Path(__file__).parent
ARTICLES = sorted((HERE / "articles").glob("*.yaml"))
BASELINE = json.loads((HERE / "facts_baseline.json").read_text(encoding="utf-8"))


def held_facts() -> tuple[Counter, Counter, list[str]]:
    held: Counter = Counter()
    total: Counter = Counter()
    failures = []
    pipeline = get_pipeline()
    for path in ARTICLES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        record = {"id": path.stem, "title": spec["title"], "text": spec["text"], "date": str(spec["date"])}
        doc = pipeline(read_record(record, str(path), IngestSettings(), None))
        for fact in spec["facts"]:
            kind, ok = check(doc, fact)
            total[kind] += 1
            held[kind] += ok
            if not ok:
                failures.append(f"{path.stem}: {fact}")
    return held, total, failures


@pytest.fixture(scope="module")
def results():
    return held_facts()


def test_at_least_eight_articles_with_every_kind_of_fact():
    assert len(ARTICLES) >= 8
    kinds = Counter()
    for path in ARTICLES:
        kinds.update({next(iter(f)) for f in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]})
    assert all(kinds[k] >= 8 for k in ("claim", "event", "quote", "coref")), kinds


@pytest.mark.parametrize("kind", ["claim", "event", "quote", "coref"])
def test_golden_facts_hold_the_baseline(results, kind):
    held, total, failures = results
    assert held[kind] >= BASELINE[kind], (f"{held[kind]}/{total[kind]} {kind} facts held", failures)
