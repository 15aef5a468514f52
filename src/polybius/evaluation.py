"""Coding gold-standard sets and scoring them: gold JSONL in, scores (and the coded output) out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from polybius.api import code_many
from polybius.model import Document
from polybius.pipeline import PipelineSettings
from polybius.scoring import FlatEvent, Report, flatten_document, flatten_gold, score


def gold_date(value: str | None) -> str | None:
    """Gold files write dates as YYYY-MM-DD, YYYYMMDD or (a few PETR2 records) YYMMDD."""
    if value and value.isdigit() and len(value) == 6:
        return f"20{value[:2]}-{value[2:4]}-{value[4:]}"
    return value


def gold_records(gold_path: Path) -> Iterator[dict]:
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def gold_inputs(gold_path: Path) -> Iterator[dict]:
    """The article records of a gold file: id, text and publication date (from `extra.date`)."""
    for record in gold_records(gold_path):
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


@dataclass(slots=True)
class Evaluation:
    report: Report
    gold: dict[str, list[FlatEvent]]
    predicted: dict[str, list[FlatEvent]]
    texts: dict[str, str]


def evaluate(gold_path: Path, lenient_null: bool = False, settings: PipelineSettings | None = None) -> Evaluation:
    """Code the text of every gold record (with its date) and score the output against the gold events."""
    records = list(gold_records(gold_path))
    gold = {r["id"]: flatten_gold(r.get("events") or []) for r in records}
    documents: list[Document] = list(code_many(gold_inputs(gold_path), settings=settings))
    predicted = {d.article.id: flatten_document(e.to_dict() for e in d.events) for d in documents}
    texts = {r["id"]: r["text"] for r in records}
    return Evaluation(score(gold, predicted, lenient_null), gold, predicted, texts)
