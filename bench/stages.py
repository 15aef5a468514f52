"""CPU time per article of each Polybius stage outside the spaCy parse (the profile's hotspots).

    .venv/bin/python bench/stages.py [--articles 64] [--repeats 5]

Parses the corpus once (half bundled examples, half generated articles, all distinct), then runs
the actors, events and dates stages and the paragraph-boundary component over the parsed documents
`--repeats` times and reports the lowest CPU time (`time.process_time`, so other processes on a
shared machine barely move it) per article of each. Run it on two commits to compare them.
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
    args = parser.parse_args()
    bundled = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    half = args.articles // 2
    records = [dict(r, id=f"{r['id']}-{i}") for i, r in zip(range(half), itertools.cycle(bundled), strict=False)]
    records += list(articles(args.articles - half, seed=5))
    pipeline = Pipeline(PipelineSettings())
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


if __name__ == "__main__":
    main()
