"""Coding gold-standard sets for measurement: gold JSONL in, Polybius output JSONL out.

Scoring itself is done by the team's scorer (`../shared/eval/score.py`), which reads
Polybius output documents directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from polybius.api import code_many


def gold_inputs(gold_path: Path) -> Iterator[dict]:
    """The article records of a gold file: id, text and publication date (from `extra.date`)."""
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                yield {
                    "id": record["id"],
                    "text": record["text"],
                    "date": record.get("extra", {}).get("date"),
                }


def code_gold(gold_path: Path, output_path: Path) -> int:
    """Code every gold record into `output_path` (JSONL); returns the number coded."""
    coded = 0
    with output_path.open("w", encoding="utf-8") as out:
        for document in code_many(gold_inputs(gold_path), on_error=lambda err: None):
            out.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
            coded += 1
    return coded
