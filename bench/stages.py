"""CPU time per article of each Polybius stage outside the spaCy parse (the profile's hotspots).

    .venv/bin/python bench/stages.py [--articles 64] [--repeats 5] [--every-stage]

Parses the corpus once (half bundled examples, half generated articles, all distinct), then runs
the actors, events and dates stages and the paragraph-boundary component over the parsed documents
`--repeats` times and reports the lowest CPU time (`time.process_time`, so other processes on a
shared machine barely move it) per article of each. Run it on two commits to compare them.

--every-stage: instead, one pass of ingest, the parse and every stage of the default pipeline in
order (a stage's `pipe` when it has one, as the pipeline runs it), and `to_dict`, with the CPU time
per article of each and its share of the total.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from polybius.model import Document
from polybius.nlp import paragraph_boundaries
from polybius.pipeline import Pipeline, PipelineSettings
from polybius.scale import as_articles
from polybius.synthetic import articles

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--every-stage", action="store_true", help="one timed pass of every stage, in order")
    args = parser.parse_args()
    bundled = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    half = args.articles // 2
    records = [dict(r, id=f"{r['id']}-{i}") for i, r in zip(range(half), itertools.cycle(bundled), strict=False)]
    records += list(articles(args.articles - half, seed=5))
    pipeline = Pipeline(PipelineSettings())
    if args.every_stage:
        every_stage(pipeline, records)
        return
    stages = dict(pipeline.stages)
    nlp = stages["parse"].nlp
    docs = list(stages["parse"].pipe(Document(article=a) for a in as_articles(records)))
    best: dict[str, float] = {}
    for _ in range(args.repeats):
        for name in ("actors", "events", "dates"):
            start = time.process_time()
            docs = [stages[name](doc) for doc in docs]
            best[name] = min(best.get(name, float("inf")), time.process_time() - start)
        tokens_only = [nlp.make_doc(doc.article.text) for doc in docs]
        start = time.process_time()
        for doc in tokens_only:
            paragraph_boundaries(doc)
        best["paragraph_boundaries"] = min(best.get("paragraph_boundaries", float("inf")), time.process_time() - start)
    per_article = {name: 1000 * seconds / len(docs) for name, seconds in best.items()}
    print(" ".join(f"{name}={ms:.2f}ms" for name, ms in per_article.items()), end=" ")
    print(f"total={sum(per_article.values()):.2f}ms per article ({len(docs)} articles, CPU time)")


def every_stage(pipeline: Pipeline, records: list[dict]) -> None:
    list(pipeline.pipe(as_articles(records[:4])))  # warm-up: lazy loads outside the timing
    seconds: dict[str, float] = {}
    start = time.process_time()
    docs = [Document(article=a) for a in as_articles(records)]
    seconds["ingest"] = time.process_time() - start
    for name, stage in pipeline.stages:
        start = time.process_time()
        docs = list(stage.pipe(docs)) if hasattr(stage, "pipe") else [stage(doc) for doc in docs]
        seconds[name] = time.process_time() - start
    start = time.process_time()
    for doc in docs:
        doc.to_dict()
    seconds["to_dict"] = time.process_time() - start
    total = sum(seconds.values())
    for name, spent in seconds.items():
        print(f"{name:>10} {1000 * spent / len(docs):7.2f} ms per article {100 * spent / total:5.1f}%")


if __name__ == "__main__":
    main()
