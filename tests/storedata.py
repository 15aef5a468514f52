"""Coded documents and hand-made records shared by the store, dedup, export and query tests."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from polybius.api import code_many
from polybius.ingest import read_inputs
from tests.conftest import ROOT

CLUSTER = ROOT / "tests" / "data" / "dedup_cluster.jsonl"
EXAMPLES = ROOT / "examples" / "articles.jsonl"


@lru_cache(maxsize=4)
def _coded(path: str) -> tuple[str, ...]:
    return tuple(json.dumps(doc.to_dict()) for doc in code_many(read_inputs([path])))


def coded(path) -> list[dict[str, Any]]:
    """The output documents of every article in a JSONL file (coded once per test session)."""
    return [json.loads(record) for record in _coded(str(path))]


def actor(text: str, start: int, country: str | None, sector: str | None, kb_id: str | None, entity: str) -> dict:
    return {"text": text, "start": start, "end": start + len(text), "country": country, "sector": sector,
            "kb_id": kb_id, "entity": entity}  # fmt: skip


def located_record() -> dict[str, Any]:
    """A hand-made output document whose one event has a location (the pipeline codes none yet)."""
    title = "Turkish Troops Shell Kurdish Positions Near Afrin"
    body = "Turkish troops shelled positions of Kurdish fighters near Afrin on Sunday, a monitoring group said."
    text = f"{title}\n\n{body}"
    offset = len(title) + 2
    turkish = actor("Turkish troops", offset, "TUR", "MIL", "TUR", "TUR.MIL")
    kurds = actor("Kurdish fighters", text.index("Kurdish fighters"), None, "REB", None, "REB@90")
    afrin = text.index("Afrin")
    said = "a monitoring group said"
    return {
        "article": {
            "id": "hand-afrin",
            "title": title,
            "date": "2018-01-22",
            "source": "Hand Written",
            "url": None,
            "text": text,
        },
        "events": [
            {
                "id": "hand-afrin:0",
                "source": [turkish],
                "target": [kurds],
                "cameo": "194",
                "cameo_root": "19",
                "cameo_name": "Fight with artillery and tanks",
                "plover": {"type": "ASSAULT", "mode": "heavy-weapons", "context": "military"},
                "goldstein": -9.5,
                "quad_class": 4,
                "date": "2018-01-21",
                "date_evidence": {"text": "Sunday", "start": text.index("Sunday"), "end": text.index("Sunday") + 6},
                "date_from": "text",
                "location": {
                    "name": "Afrin",
                    "country": "SYR",
                    "lat": 36.51,
                    "lon": 36.87,
                    "text": "Afrin",
                    "start": afrin,
                    "end": afrin + 5,
                },
                "negated": False,
                "modality": "asserted",
                "reported_by": [],
                "attribution": {"text": said, "start": text.index(said), "end": text.index(said) + len(said)},
                "trigger": {"text": "shelled", "start": text.index("shelled"), "end": text.index("shelled") + 7},
                "sentence": {"start": offset, "end": len(text)},
                "confidence": 0.9,
            }
        ],
        "actors": [turkish, kurds],
        "quotes": [],
        "claims": [],
    }


def with_id(record: dict[str, Any], article_id: str) -> dict[str, Any]:
    """A copy of a document under another article id (events renumbered to match)."""
    out = copy.deepcopy(record)
    out["article"]["id"] = article_id
    for n, event in enumerate(out["events"]):
        event["id"] = f"{article_id}:{n}"
    return out
