"""Coding gold-standard sets for measurement: gold JSONL in, Polybius output JSONL out.

Scoring itself is done by the team's scorer (`../shared/eval/score.py`), which reads
Polybius output documents directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from polybius.api import code_many


def gold_date(value: str | None) -> str | None:
    """Gold files write dates as YYYY-MM-DD, YYYYMMDD or (a few PETR2 records) YYMMDD."""
    if value and value.isdigit() and len(value) == 6:
        return f"20{value[:2]}-{value[2:4]}-{value[4:]}"
    return value


def gold_inputs(gold_path: Path) -> Iterator[dict]:
    """The article records of a gold file: id, text and publication date (from `extra.date`)."""
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                date = gold_date(record.get("extra", {}).get("date"))
                yield {"id": record["id"], "text": record["text"], "date": date}


def code_gold(gold_path: Path, output_path: Path) -> int:
    """Code every gold record into `output_path` (JSONL); returns the number coded. Bad records raise."""
    coded = 0
    with output_path.open("w", encoding="utf-8") as out:
        for document in code_many(gold_inputs(gold_path)):
            out.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")
            coded += 1
    return coded
