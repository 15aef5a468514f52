"""Accuracy on the team's dev gold sets, scored by ../shared/eval/score.py.

    .venv/bin/python bench/accuracy.py                    # print the table for docs/accuracy.md
    .venv/bin/python bench/accuracy.py --update-baseline  # also raise tests/eval_baseline.json

The held-out halves are not in our tree; these figures are for regression, not for claims.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from polybius.evaluation import code_gold

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASELINE = ROOT / "tests" / "eval_baseline.json"
GOLD_SETS = {
    "petr2_dev": ("petr2_gsr_dev.jsonl", False),
    "petr2_dev_lenient": ("petr2_gsr_dev.jsonl", True),
    "plover_dev_lenient": ("plover_gsr_dev.jsonl", True),
}


def score(gold: Path, coded: Path, lenient: bool) -> dict:
    command = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(coded), "--json"]
    command += ["--lenient-null"] if lenient else []
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update-baseline", action="store_true")
    args = parser.parse_args()
    if not (SHARED / "gold").is_dir():
        sys.exit("../shared/gold is not present: nothing to score")
    baseline = {}
    print("| gold set | level | records | gold | pred | tp | precision | recall | F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        coded_files: dict[str, Path] = {}
        for name, (gold_name, lenient) in GOLD_SETS.items():
            gold = SHARED / "gold" / gold_name
            if gold_name not in coded_files:
                coded_files[gold_name] = Path(tmp) / f"{gold.stem}.coded.jsonl"
                code_gold(gold, coded_files[gold_name])
            result = score(gold, coded_files[gold_name], lenient)
            scored = {level: m for level, m in result.items() if m["records"]}
            for level, m in scored.items():
                print(
                    f"| {name} | {level} | {m['records']} | {m['gold']} | {m['pred']} | {m['tp']} | "
                    f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |"
                )
            baseline[name] = {
                "gold": gold_name,
                "lenient_null": lenient,
                "f1": {level: m["f1"] for level, m in scored.items()},
            }
    if args.update_baseline:
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
