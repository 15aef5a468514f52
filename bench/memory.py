"""Memory of a long streamed run: generated articles through the local engine, RSS of every worker sampled.

    .venv/bin/python bench/memory.py [--articles 20000] [--workers 2] [--samples samples.csv]

Articles are generated lazily (`polybius.synthetic`, every one a different text), coded by the
local engine and serialised to JSON as a writer would (then dropped), so nothing but the engine's
bounded in-flight work is held. A sampler thread records the resident set size (RSS) of the parent
and of each worker process every `--interval` seconds, with the number of articles done.

Reported per process: RSS after warm-up (the first `--warm-up` articles), peak RSS, RSS over the
last tenth of the run, and growth after warm-up as a least-squares slope in MB per 10,000 articles.
"""

from __future__ import annotations

import argparse
import csv
import json
import threading
import time
from dataclasses import dataclass

import psutil

from polybius.scale import ScaleSettings, as_articles, code_stream
from polybius.synthetic import articles

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    done: int
    pid: int
    role: str
    rss: int


class Sampler(threading.Thread):
    """Samples the RSS of this process and its children until stopped."""

    def __init__(self, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[Sample] = []
        self.done = 0
        self.started_at = time.perf_counter()
        self.halt = threading.Event()

    def run(self) -> None:
        parent = psutil.Process()
        while not self.halt.wait(self.interval):
            now = time.perf_counter() - self.started_at
            for process in [parent, *parent.children(recursive=True)]:
                try:
                    rss = process.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                role = "parent" if process.pid == parent.pid else "worker"
                self.samples.append(Sample(now, self.done, process.pid, role, rss))


def slope_mb_per_10k(points: list[tuple[int, int]]) -> float:
    """Least-squares slope of RSS against articles done, in MB per 10,000 articles."""
    if len(points) < 2:
        return 0.0
    xs = [x for x, _ in points]
    ys = [y / MB for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    return 0.0 if var == 0 else 10_000 * sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sentences", type=int, default=15, help="sentences per generated article")
    parser.add_argument("--warm-up", type=int, default=2_000, help="articles before growth is measured")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between RSS samples")
    parser.add_argument("--samples", help="write every RSS sample to this CSV file")
    args = parser.parse_args()

    source = as_articles(articles(args.articles, seed=2026, sentences=args.sentences))
    results = code_stream(source, scale=ScaleSettings(workers=args.workers))
    sampler = Sampler(args.interval)
    started = time.perf_counter()
    events = errors = words = 0
    for result in results:
        if sampler.done == 0:
            sampler.start()  # after the pool has forked, so no thread is running at fork time
        if hasattr(result, "events"):
            json.dumps(result.to_dict())
            events += len(result.events)
            words += len(result.article.text.split())
        else:
            errors += 1
        sampler.done += 1
        if sampler.done % 1000 == 0:
            rate = sampler.done / (time.perf_counter() - started)
            print(f"{sampler.done} articles, {rate:.1f} articles/s", flush=True)
    seconds = time.perf_counter() - started
    sampler.halt.set()
    sampler.join()

    print(
        f"{sampler.done} articles ({words:,} words), {events} events, {errors} errors in {seconds:.0f} s "
        f"({sampler.done / seconds:.1f} articles/s) with {args.workers} workers; "
        f"{len(sampler.samples)} RSS samples every {args.interval:.0f} s"
    )
    print("| process | pid | RSS after warm-up (MB) | peak RSS (MB) | RSS, last tenth (MB) | growth after warm-up |")
    print("|---|---:|---:|---:|---:|---:|")
    tail_from = int(args.articles * 0.9)
    for pid in sorted({s.pid for s in sampler.samples}, key=lambda p: (sampler.samples[0].pid != p, p)):
        mine = [s for s in sampler.samples if s.pid == pid]
        warm = [s for s in mine if s.done >= args.warm_up]
        tail = [s for s in mine if s.done >= tail_from]
        if not warm or not tail:
            continue
        peak = max(s.rss for s in mine)
        slope = slope_mb_per_10k([(s.done, s.rss) for s in warm])
        print(
            f"| {mine[0].role} | {pid} | {warm[0].rss / MB:.0f} | {peak / MB:.0f} | "
            f"{sum(s.rss for s in tail) / len(tail) / MB:.0f} | {slope:+.1f} MB per 10,000 articles |"
        )
    if args.samples:
        with open(args.samples, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["seconds", "articles_done", "pid", "role", "rss_mb"])
            for s in sampler.samples:
                writer.writerow([f"{s.seconds:.1f}", s.done, s.pid, s.role, f"{s.rss / MB:.1f}"])


if __name__ == "__main__":
    main()
