"""Actor KB load time and resolver throughput (mentions per second), parse excluded.

    .venv/bin/python bench/actors.py

Parses the bundled examples once, then times only the actors stage over the parsed documents.
"""

from __future__ import annotations

import time
from pathlib import Path

from polybius.actors.kb import _build_kb
from polybius.api import get_pipeline
from polybius.ingest import read_inputs
from polybius.model import Document
from polybius.pipeline import PipelineSettings

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 20


def main() -> None:
    started = time.perf_counter()
    kb = _build_kb(None)
    load_s = time.perf_counter() - started
    people = sum(1 for e in kb.entries.values() if e.kind == "person")
    pipeline = get_pipeline(PipelineSettings(stages=("parse", "actors")))
    parse, actors = (stage for _, stage in pipeline.stages)
    articles = [a for a in read_inputs([str(ROOT / "examples")]) if not isinstance(a, Exception)]
    parsed = [parse(Document(article=a)) for a in articles]
    started = time.perf_counter()
    mentions = 0
    for _ in range(REPEAT):
        for doc in parsed:
            mentions += len(actors(doc).actors)
    resolve_s = time.perf_counter() - started
    words = sum(len(d.parse) for d in parsed) * REPEAT
    print(f"kb_entries={len(kb.entries)} people={people} terms={len(kb.terms)} load_s={load_s:.3f}")
    print(
        f"mentions={mentions} resolve_s={resolve_s:.3f} mentions_per_s={mentions / resolve_s:.0f} "
        f"tokens_per_s={words / resolve_s:.0f}"
    )


if __name__ == "__main__":
    main()
