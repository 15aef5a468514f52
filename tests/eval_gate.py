"""Accuracy gate (as in trafilatura): scores on the dev gold sets must not fall below the baseline.

Raise `tests/eval_baseline.json` when the coder improves (`python bench/accuracy.py --update-baseline`).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from polybius.evaluation import code_gold
from tests.conftest import ROOT

BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))
TOLERANCE = 0.0005  # scores are rounded to 4 places by the scorer


def score(shared, gold_name: str, coded, lenient: bool) -> dict:
    command = [
        sys.executable,
        str(shared / "eval" / "score.py"),
        str(shared / "gold" / gold_name),
        str(coded),
        "--json",
    ] + (["--lenient-null"] if lenient else [])
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize("gold_set", sorted(BASELINE))
def test_dev_gold_scores_hold_the_baseline(shared, tmp_path, gold_set):
    spec = BASELINE[gold_set]
    coded = tmp_path / "coded.jsonl"
    assert code_gold(shared / "gold" / spec["gold"], coded) > 0
    result = score(shared, spec["gold"], coded, spec["lenient_null"])
    for level, floor in spec["f1"].items():
        assert result[level]["f1"] >= floor - TOLERANCE, (gold_set, level, result[level], floor)
