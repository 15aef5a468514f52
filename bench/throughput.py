"""Throughput of the full Polybius pipeline with 1 and 2 worker processes, against bare spaCy parsing.

    .venv/bin/python bench/throughput.py [--articles 300] [--batch-size 16] [--quick] [--ray]

Three measurements on the same texts, in one run, one after another:

  bare    spaCy `nlp.pipe`: the same model with all its components, one process
  full-1  Polybius from raw records (ingest, parse, actors, events, dates, `to_dict`), one process
  full-2  the same through the local engine with 2 worker processes (the parent ingests and serialises)

--quick  the bundled examples replicated to 300 articles; each measurement codes that corpus for at
         most QUICK_SECONDS and reports articles/s over the articles it finished, so the whole run
         fits in 45 s on a 2-core machine. Without it every article is coded in every measurement.
--ray    also codes the corpus (as a JSONL shard) on a local 2-CPU Ray with 2 actors, against the
         local engine with 2 workers on the same file.

The last line is `ratio_full_vs_parse=R workers2_vs_1=S`: R = full-1 articles/s / bare articles/s,
S = full-2 articles/s / full-1 articles/s, both measured in this run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy

from polybius.ingest import read_inputs
from polybius.pipeline import PipelineSettings
from polybius.scale import ScaleSettings, as_articles, available_cores, code_stream

ROOT = Path(__file__).resolve().parent.parent
QUICK_ARTICLES = 300
QUICK_SECONDS = 7.0
WARM_UP_ARTICLES = 4


@dataclass(frozen=True, slots=True)
class Measurement:
    label: str
    articles: int
    words: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds

    def row(self) -> str:
        return (
            f"| {self.label} | {self.articles} | {self.seconds:.2f} | {self.per_second:.1f} "
            f"| {self.words / self.seconds:,.0f} |"
        )


def corpus(n: int, bundled_only: bool) -> list[dict]:
    """The bundled examples (and the team's AP story when present), cycled to `n` records with distinct ids."""
    records = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    ap_story = ROOT.parent / "shared" / "examples" / "ap-2015-10-02-coalition-russia.txt"
    if ap_story.exists() and not bundled_only:
        records.append({"id": "ap", "text": ap_story.read_text(encoding="utf-8"), "date": "2015-10-02"})
    return [dict(r, id=f"{r['id']}-{i}") for i, r in zip(range(n), itertools.cycle(records), strict=False)]


def measure(label: str, outputs: Iterator[object], words: list[int], limit: float | None) -> Measurement:
    """Consume `outputs` (one per article, in corpus order) until done or `limit` seconds have passed."""
    start = time.perf_counter()
    done = 0
    for _ in outputs:
        done += 1
        if limit is not None and time.perf_counter() - start >= limit:
            break
    seconds = time.perf_counter() - start
    if hasattr(outputs, "close"):
        outputs.close()  # stops a pool; the wind-down is outside the timing
    return Measurement(label, done, sum(words[:done]), seconds)


def coded_dicts(results: Iterable[object]) -> Iterator[dict]:
    for result in results:
        yield result.to_dict()  # serialised, as any writer would


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((x.split(":", 1)[1].strip() for x in lines if x.startswith("model name")), platform.processor())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.machine()} {model}, {available_cores()} cores usable, load average {load} at start; "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )


def ray_comparison(records: list[dict], settings: PipelineSettings, words: list[int]) -> list[Measurement]:
    import ray

    from polybius.scale_ray import RaySettings, ray_stream

    with tempfile.TemporaryDirectory() as folder:
        shard = Path(folder) / "corpus.jsonl"
        shard.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        local = measure(
            "local engine, 2 workers (JSONL shard)",
            coded_dicts(code_stream(read_inputs([str(shard)]), settings, ScaleSettings(workers=2))),
            words,
            None,
        )
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            on_ray = measure(
                "Ray engine, 2 actors, local Ray (JSONL shard; actor start-up included)",
                coded_dicts(ray_stream([str(shard)], None, settings, RaySettings(workers=2))),
                words,
                None,
            )
        finally:
            ray.shutdown()
    return [local, on_ray]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=QUICK_ARTICLES)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="time-boxed measurements on the bundled examples")
    parser.add_argument("--ray", action="store_true", help="also measure the Ray engine against the local one")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"machine: {machine()}")

    n = max(args.articles, QUICK_ARTICLES) if args.quick else args.articles
    records = corpus(n, bundled_only=args.quick)
    limit = QUICK_SECONDS if args.quick else None
    settings = PipelineSettings(batch_size=args.batch_size)
    bare = spacy.load(settings.model)
    texts = [article.text for article in as_articles(records)]  # what the parser sees after ingest
    words = [len(text.split()) for text in texts]

    # Warm-up: lazy loads and first-call caches, outside every timing.
    for _ in bare.pipe(texts[:WARM_UP_ARTICLES], batch_size=args.batch_size):
        pass
    for _ in code_stream(as_articles(records[:WARM_UP_ARTICLES]), settings, ScaleSettings(workers=1)):
        pass

    one = ScaleSettings(workers=1)
    two = ScaleSettings(workers=2)
    results = [
        measure("bare spaCy nlp.pipe (all components)", bare.pipe(texts, batch_size=args.batch_size), words, limit),
        measure(
            "Polybius full pipeline, 1 worker",
            coded_dicts(code_stream(as_articles(records), settings, one)),
            words,
            limit,
        ),
        measure(
            "Polybius full pipeline, 2 workers",
            coded_dicts(code_stream(as_articles(records), settings, two)),
            words,
            limit,
        ),
    ]
    bare_rate, one_rate, two_rate = (m.per_second for m in results)
    mode = f"time-boxed to {QUICK_SECONDS:.0f} s each" if args.quick else "every article"
    print(f"corpus: {n} articles ({sum(words):,} words), batch size {args.batch_size}, {mode}")
    print("| pipeline | articles | seconds | articles/s | words/s |")
    print("|---|---:|---:|---:|---:|")
    for m in results:
        print(m.row())
    if args.ray:
        local, on_ray = ray_comparison(records, settings, words)
        print(local.row())
        print(on_ray.row())
        print(f"ray_vs_local_2_workers={on_ray.per_second / local.per_second:.2f}")
    print(f"total run time {time.perf_counter() - started:.1f} s")
    print(f"ratio_full_vs_parse={one_rate / bare_rate:.2f} workers2_vs_1={two_rate / one_rate:.2f}")


if __name__ == "__main__":
    main()
