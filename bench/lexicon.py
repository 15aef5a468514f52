"""Pattern coverage of the verb lexicon on our own example sentences (data/examples/*.jsonl).

    .venv/bin/python bench/lexicon.py            # per-root table and totals
    .venv/bin/python bench/lexicon.py --misses   # also list each miss with the codes it got

Runs the pipeline without the fallback classifier, so every event comes from verbs.yaml. A coded
sentence counts as right root when one of its events has the example's root, right code when one has
its exact code (a two-digit example code is a root-level label, so any code of that root is right),
wrong root when it has events but none of that root, no event when it has none. Events of any
modality count (an example "X will meet Y" is a consultation); null examples count as false when they
get any event at all.
"""

from __future__ import annotations

import argparse
import contextlib
from collections import Counter
from dataclasses import dataclass

from polybius.api import code_many, to_article
from polybius.errors import InputError
from polybius.events.fallback import NO_EVENT, examples
from polybius.model import Article, Document
from polybius.pipeline import PipelineSettings

PATTERN_STAGES = PipelineSettings(stages=("parse", "actors", "coref", "scene", "events"))
DATE = "2020-01-01"  # the examples carry no date and none of the figures depend on one


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    code: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    example: Example
    codes: tuple[str, ...]  # codes of the pattern events, in order

    @property
    def verdict(self) -> str:
        gold = self.example.code
        if gold is None:
            return "false" if self.codes else "clean"
        if not self.codes:
            return "none"
        return "right" if any(c[:2] == gold[:2] for c in self.codes) else "wrong"

    @property
    def exact(self) -> bool:
        gold = self.example.code
        return gold is not None and any(c == gold or (len(gold) == 2 and c[:2] == gold) for c in self.codes)


def load_examples() -> list[Example]:
    texts, codes = examples()
    return [Example(text, None if code == NO_EVENT else code) for text, code in zip(texts, codes, strict=True)]


def event_codes(doc: Document) -> tuple[str, ...]:
    return tuple(e.code.code for e in doc.events)


def measure(examples: list[Example]) -> list[Outcome]:
    articles: dict[int, Article] = {}
    for n, example in enumerate(examples):
        # ingest refuses a boilerplate line (a reporting credit): it gets no event
        with contextlib.suppress(InputError):
            articles[n] = to_article(example.text, DATE)
    docs = dict(zip(articles, code_many(articles.values(), settings=PATTERN_STAGES), strict=True))
    return [Outcome(e, event_codes(docs[n]) if n in docs else ()) for n, e in enumerate(examples)]


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}" if whole else "    -"


def print_table(outcomes: list[Outcome]) -> None:
    per_root: dict[str, Counter] = {}
    for o in outcomes:
        if o.example.code is not None:
            counts = per_root.setdefault(o.example.code[:2], Counter())
            counts["n"] += 1
            counts[o.verdict] += 1
            counts["exact"] += o.exact
    print("| root | n | right root % | right code % | no event % | wrong root % |")
    print("|---|---:|---:|---:|---:|---:|")
    total: Counter = Counter()
    for root in sorted(per_root):
        c = per_root[root]
        total.update(c)
        print(
            f"| {root} | {c['n']} | {pct(c['right'], c['n'])} | {pct(c['exact'], c['n'])} | "
            f"{pct(c['none'], c['n'])} | {pct(c['wrong'], c['n'])} |"
        )
    n = total["n"]
    print(
        f"| all | {n} | {pct(total['right'], n)} | {pct(total['exact'], n)} | "
        f"{pct(total['none'], n)} | {pct(total['wrong'], n)} |"
    )
    nulls = [o for o in outcomes if o.example.code is None]
    false = sum(o.verdict == "false" for o in nulls)
    print(
        f"\ncoded: right root {total['right']}/{n}, right code {total['exact']}/{n}, "
        f"no event {total['none']}/{n}, wrong root {total['wrong']}/{n}"
    )
    print(f"null examples: {false}/{len(nulls)} with a false event ({pct(false, len(nulls)).strip()}%)")


def print_misses(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.verdict in ("none", "wrong", "false"):
            print(f"{o.verdict:5} {o.example.code or 'null':4} got={','.join(o.codes) or '-':12} {o.example.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the sentences without the right root")
    args = parser.parse_args()
    outcomes = measure(load_examples())
    if args.misses:
        print_misses(outcomes)
        print()
    print_table(outcomes)


if __name__ == "__main__":
    main()
