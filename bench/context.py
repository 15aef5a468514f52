"""What whole-article reading (coreference, locations, quotes, claims) adds to the pipeline's time.

    .venv/bin/python bench/context.py [--articles 120]

Runs, in one process and one run, the pipeline without the whole-article stages and the full
default pipeline on the same articles (the bundled examples and our golden-fact articles, cycled),
alternating the two three times and keeping each one's best CPU time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import yaml

from polybius.api import to_article
from polybius.pipeline import DEFAULT_STAGES, Pipeline, PipelineSettings

ROOT = Path(__file__).resolve().parent.parent
CONTEXT_STAGES = ("coref", "scene", "locations", "quotes", "claims")


def corpus(n: int) -> list[dict]:
    records = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    for path in sorted((ROOT / "tests" / "context" / "articles").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        records.append({"id": path.stem, "title": spec["title"], "text": spec["text"], "date": str(spec["date"])})
    return [dict(r, id=f"{r['id']}-{i}") for i, r in zip(range(n), itertools.cycle(records), strict=False)]


def best_time(pipeline: Pipeline, records: list[dict]) -> float:
    start = time.process_time()  # CPU time of this process: other jobs on a shared machine do not count
    for document in pipeline.pipe(to_article(r) for r in records):
        document.to_dict()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    records = corpus(args.articles)
    without = Pipeline(PipelineSettings(stages=tuple(s for s in DEFAULT_STAGES if s not in CONTEXT_STAGES)))
    full = Pipeline(PipelineSettings())
    best_time(full, records[:5])  # warm up models, gazetteers and caches
    times: dict[str, list[float]] = {"without": [], "full": []}
    for _ in range(3):
        times["without"].append(best_time(without, records))
        times["full"].append(best_time(full, records))
    base, whole = min(times["without"]), min(times["full"])
    words = sum(len(r["text"].split()) for r in records)
    print(f"articles={len(records)} words={words}")
    print(f"without_whole_article_cpu_s={base:.2f} full_cpu_s={whole:.2f}")
    print(f"whole_article_overhead={whole / base - 1:.3f}")


if __name__ == "__main__":
    main()
