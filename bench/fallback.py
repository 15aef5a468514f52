"""The fallback classifier alone on our own event test sentences (tests/events/cases.yaml).

    .venv/bin/python bench/fallback.py

Trained only on data/examples/*.jsonl; the test sentences are different sentences.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from polybius.events.fallback import MIN_MARGIN, event_words, load_models

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cases = yaml.safe_load((ROOT / "tests" / "events" / "cases.yaml").read_text(encoding="utf-8"))
    positive = [c for c in cases if "variant" not in c]
    models = load_models()
    matrix = models.vectorizer.transform([event_words(c["text"]) for c in positive])
    scores = models.roots.decision_function(matrix)
    roots = models.roots.classes_[scores.argmax(1)]
    codes = models.codes.predict(matrix)
    confident = scores.max(1) >= MIN_MARGIN
    right_root = [r == str(c["code"])[:2] for r, c in zip(roots, positive, strict=True)]
    right_code = [k == str(c["code"]) for k, c in zip(codes, positive, strict=True)]
    n = len(positive)
    print(f"sentences={n} root_accuracy={sum(right_root) / n:.3f} code_accuracy={sum(right_code) / n:.3f}")
    kept = [ok for ok, keep in zip(right_root, confident, strict=True) if keep]
    print(f"above_margin={len(kept) / n:.3f} root_accuracy_above_margin={sum(kept) / max(len(kept), 1):.3f}")


if __name__ == "__main__":
    main()
