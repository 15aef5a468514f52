"""The in-project scorer agrees with the team's reference scorer (when ../shared is present)."""

from __future__ import annotations

import json
import subprocess
import sys

from polybius.scoring import flatten_document, flatten_gold, score

GOLD = {"r1": flatten_gold([{"source": {"country": "USA"}, "target": {"country": "RUS", "sector": "GOV"},
                             "cameo": "042", "plover": "CONSULT"}]),
        "r2": flatten_gold([{"source": {"country": "IGO"}, "target": {}, "cameo": "190", "plover": "ASSAULT"}]),
        "r3": []}  # fmt: skip


def doc_events(*events):
    return flatten_document(events)


def test_pairs_negation_and_levels():
    predicted = {
        "r1": doc_events({"source": [{"country": "USA"}], "target": [{"country": "RUS", "sector": "GOV"}],
                          "cameo": "040", "plover": {"type": "CONSULT"}}),
        "r2": doc_events({"source": [{"country": None}], "target": [], "cameo": "193", "plover": {"type": "ASSAULT"}},
                         {"source": [{"country": "SYR"}], "target": [], "cameo": "190", "negated": True}),
        "r3": doc_events({"source": [{"country": "FRA"}], "target": [{"country": "DEU"}], "cameo": "010"}),
    }  # fmt: skip
    report = score(GOLD, predicted).to_dict()
    assert report["root"] == {"records": 3, "gold": 2, "pred": 3, "tp": 2, "precision": 0.6667, "recall": 1.0,
                              "f1": 0.8}  # fmt: skip
    assert report["full"]["tp"] == 0 and report["dyad"]["tp"] == 2
    assert report["plover"]["records"] == 3 and report["plover"]["tp"] == 2


def test_lenient_null_matches_any_prediction():
    predicted = {"r2": doc_events({"source": [{"country": "SYR"}], "target": [{"country": "TUR"}], "cameo": "190",
                                   "plover": {"type": "ASSAULT"}})}  # fmt: skip
    assert score(GOLD, predicted, lenient=False).levels["dyad"].true_positives == 0
    assert score(GOLD, predicted, lenient=True).levels["dyad"].true_positives == 1


def test_agrees_with_the_reference_scorer(shared, tmp_path):
    from polybius.evaluation import evaluate

    gold = shared / "gold" / "petr2_gsr_dev.jsonl"
    ours = evaluate(gold, lenient_null=True)
    coded = tmp_path / "coded.jsonl"
    with coded.open("w", encoding="utf-8") as out:
        for record_id, events in ours.predicted.items():
            flat = [{"source": {"country": e.source_country, "sector": e.source_sector},
                     "target": {"country": e.target_country, "sector": e.target_sector},
                     "cameo": e.cameo, "plover": e.plover} for e in events]  # fmt: skip
            out.write(json.dumps({"id": record_id, "events": flat}) + "\n")
    command = [sys.executable, str(shared / "eval" / "score.py"), str(gold), str(coded), "--json", "--lenient-null"]
    reference = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert ours.report.to_dict() == reference
