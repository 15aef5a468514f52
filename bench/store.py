"""The event store at scale: N articles made from the bundled examples, coded into one store.

    .venv/bin/python bench/store.py [--articles 10000] [--chunk-size 100] [--workdir DIR]

Each article is a variation of one of examples/articles.jsonl: a new id, a publication date shifted by
up to four years (relative dates move with it), several country names and adjectives swapped for
others, another outlet; one in ten is a republished copy of an earlier variation under a new
headline and outlet, so deduplication has real work. The run codes them all into one store through
`Store.write` (the single writer the CLI uses), then checks: no lost article, no duplicate row, the
store's own consistency checks, a Parquet round trip equal to the store, and that writing the same
batch again and resuming it leave every row count unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from polybius.api import code_many
from polybius.export import export
from polybius.ingest import read_inputs
from polybius.store import Store

ROOT = Path(__file__).resolve().parent.parent
# Countries whose name and adjective can stand in for each other in the example texts.
COUNTRIES = [
    ("Bangladesh", "Bangladeshi"), ("Peru", "Peruvian"), ("Venezuela", "Venezuelan"), ("Argentina", "Argentine"),
    ("Brazil", "Brazilian"), ("Canada", "Canadian"), ("Chile", "Chilean"), ("Colombia", "Colombian"),
    ("Mexico", "Mexican"), ("Germany", "German"), ("Yemen", "Yemeni"), ("Iran", "Iranian"), ("Egypt", "Egyptian"),
    ("Israel", "Israeli"), ("Libya", "Libyan"), ("Turkey", "Turkish"), ("France", "French"), ("Italy", "Italian"),
    ("Nigeria", "Nigerian"), ("Somalia", "Somali"), ("Estonia", "Estonian"), ("Latvia", "Latvian"),
    ("Lithuania", "Lithuanian"), ("Poland", "Polish"), ("Belarus", "Belarusian"), ("Russia", "Russian"),
    ("Kenya", "Kenyan"), ("Ghana", "Ghanaian"), ("Sweden", "Swedish"), ("Norway", "Norwegian"), ("Japan", "Japanese"),
    ("India", "Indian"), ("Pakistan", "Pakistani"), ("Ukraine", "Ukrainian"), ("Morocco", "Moroccan"),
    ("Algeria", "Algerian"), ("Tunisia", "Tunisian"), ("Ethiopia", "Ethiopian"), ("Sudan", "Sudanese"),
]  # fmt: skip
OUTLETS = [
    f"{a} {b}"
    for a in ("Northern", "Coastal", "Capital", "Evening", "Morning")
    for b in ("Post", "Wire", "Times", "Herald")
]
HEADLINE_PREFIXES = ("Update:", "Analysis:", "World Briefing:", "From the Wire:")


def swap_names(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def variations(n: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    examples = [json.loads(line) for line in (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8")]
    made: list[dict] = []
    for i in range(n):
        if made and rng.random() < 0.1:  # a republished copy of an earlier variation
            original = rng.choice(made[-200:])
            record = dict(original, id=f"bench-{i:05d}", source=rng.choice(OUTLETS))
            record["title"] = f"{rng.choice(HEADLINE_PREFIXES)} {original['title']}"
            record["date"] = (
                dt.date.fromisoformat(original["date"]) + dt.timedelta(days=rng.randint(0, 2))
            ).isoformat()
        else:
            base = examples[i % len(examples)]
            full = f"{base['title']}\n{base['text']}"
            present = [pair for pair in COUNTRIES if re.search(rf"\b{pair[0]}\b", full)]
            absent = [pair for pair in COUNTRIES if pair not in present]
            mapping: dict[str, str] = {}
            swapped = rng.sample(present, min(len(present), rng.randint(1, 3)))
            for old, new in zip(swapped, rng.sample(absent, len(swapped)), strict=True):
                mapping |= {old[0]: new[0], old[1]: new[1]}
            shifted = dt.date.fromisoformat(base["date"]) + dt.timedelta(days=rng.randint(-730, 730))
            record = {
                "id": f"bench-{i:05d}",
                "title": swap_names(base["title"], mapping),
                "text": swap_names(base["text"], mapping),
                "date": shifted.isoformat(),
                "source": rng.choice(OUTLETS),
                "url": f"https://news.example/{shifted:%Y/%m/%d}/story-{i:05d}",
            }
        made.append(record)
        yield record


def size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + ".wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def duplicate_rows(store: Store) -> dict[str, int]:
    keys = {
        "articles": "article_id", "events": "event_id", "event_actors": "event_id, role, position",
        "actors": "article_id, position", "clusters": "cluster_id", "cluster_members": "event_id",
    }  # fmt: skip
    out = {}
    for table, key in keys.items():
        out[table] = store.con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchone()[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--chunk-size", type=int, default=100)
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the corpus and store here.")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="polybius-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for record in variations(args.articles):
            handle.write(json.dumps(record) + "\n")
    db = workdir / "bench.duckdb"
    coded = workdir / "coded.jsonl.gz"
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    figures: dict[str, object] = {"articles": args.articles, "chunk_size": args.chunk_size}
    errors: list[str] = []

    # 1. Code and store: the pipeline and the writer in one process, as `polybius code --db` runs.
    start = time.perf_counter()
    with Store(db) as store, gzip.open(coded, "wt", encoding="utf-8") as keep:
        documents = code_many(read_inputs([str(corpus)]), on_error=lambda err: errors.append(str(err)))
        for document in store.tee(documents, chunk_size=args.chunk_size):
            keep.write(json.dumps(document.to_dict()) + "\n")  # to write the same batch again without re-coding
        figures["code_and_store_s"] = round(time.perf_counter() - start, 1)
        first = store.counts()
        start = time.perf_counter()
        store.refresh_dedup()
        figures["dedup_s"] = round(time.perf_counter() - start, 2)
        figures["counts"] = first
        figures["input_errors"] = len(errors)
        figures["lost_articles"] = args.articles - len(errors) - first["articles"]
        figures["duplicate_rows"] = duplicate_rows(store)
        figures["check_problems"] = store.check()
        merged = store.sql("SELECT count(*) AS n, max(num_articles) AS most FROM clusters WHERE num_articles > 1")
        figures["events_reported_by_several_articles"] = merged["n"][0]
        figures["most_articles_for_one_event"] = merged["most"][0]
    figures["db_mb"] = round(size_mb(db), 1)

    # 2. Exports: Parquet must read back equal to the store; GDELT for its row count and time.
    with Store(db) as store:
        start = time.perf_counter()
        rows = export(store, "parquet", workdir / "events.parquet")
        figures["parquet_export_s"] = round(time.perf_counter() - start, 2)
        figures["parquet_rows"] = rows
        figures["parquet_round_trip_equal"] = pl.read_parquet(workdir / "events.parquet").equals(store.events_frame())
        start = time.perf_counter()
        figures["gdelt_rows"] = export(store, "gdelt", workdir / "events.gdelt.tsv")
        figures["gdelt_export_s"] = round(time.perf_counter() - start, 2)

    # 3. The same batch again: written again (replacing every article), then resumed (skipping them all).
    with Store(db) as store:
        start = time.perf_counter()
        with gzip.open(coded, "rt", encoding="utf-8") as handle:
            store.write((json.loads(line) for line in handle), chunk_size=args.chunk_size)
        figures["rewrite_same_batch_s"] = round(time.perf_counter() - start, 1)
        figures["counts_after_rewrite_unchanged"] = store.counts() == first
        skipped: list[str] = []
        remaining = sum(
            1 for _ in store.skip_stored(read_inputs([str(corpus)]), on_skip=lambda a: skipped.append(a.id))
        )
        figures["resume_skips"] = len(skipped)
        figures["resume_left_to_code"] = remaining
        figures["counts_after_resume_unchanged"] = store.counts() == first
    figures["db_mb_after_rewrite"] = round(size_mb(db), 1)
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    figures["workdir"] = str(workdir)
    print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
