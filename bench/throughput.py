"""Throughput of the full Polybius pipeline vs bare spaCy parsing of the same texts, in one run.

    .venv/bin/python bench/throughput.py [--articles 200] [--batch-size 16]

Both sides use the same model with all its components, on one process. The full side
starts from raw records (ingest: boilerplate, language check) and ends with coded
Documents serialised to dicts, so the ratio is what a user gets over a bare parse.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import time
from pathlib import Path

import spacy

from polybius.api import to_article
from polybius.pipeline import Pipeline, PipelineSettings

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[dict]:
    records = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    ap_story = ROOT.parent / "shared" / "examples" / "ap-2015-10-02-coalition-russia.txt"
    if ap_story.exists():
        records.append({"id": "ap", "text": ap_story.read_text(encoding="utf-8"), "date": "2015-10-02"})
    return [dict(r, id=f"{r['id']}-{i}") for i, r in zip(range(n), itertools.cycle(records), strict=False)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    records = corpus(args.articles)
    settings = PipelineSettings(batch_size=args.batch_size)
    pipeline = Pipeline(settings)
    bare = spacy.load(settings.model)
    texts = [to_article(r).text for r in records]
    words = sum(len(t.split()) for t in texts)

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    def run_full() -> None:
        for doc in pipeline.pipe(to_article(r) for r in records):
            doc.to_dict()

    run_bare(), run_full()  # warm-up: lazy loads, caches
    bare_s, full_s = timed(run_bare), timed(run_full)
    n = len(records)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, model {settings.model}; {n} articles, {words} words, 1 process"
    )
    print("| pipeline | seconds | articles/s | words/s |")
    print("|---|---:|---:|---:|")
    print(f"| bare spaCy nlp.pipe (all components) | {bare_s:.2f} | {n / bare_s:.1f} | {words / bare_s:,.0f} |")
    print(f"| Polybius full pipeline (raw text in) | {full_s:.2f} | {n / full_s:.1f} | {words / full_s:,.0f} |")
    print(f"ratio full / bare (throughput): {bare_s / full_s:.2f}")


if __name__ == "__main__":
    main()
