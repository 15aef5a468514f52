"""Synthetic wire stories for load tests and benchmarks: any number of distinct, codable articles.

Each article is composed from the knowledge base's countries and a fixed set of sentence frames
written for Polybius, with a seeded random generator, so a run is reproducible and no two
articles are the same text (nothing downstream can profit from repeats). The stories are
plausible in shape, not in fact: they exist to exercise throughput and memory, not accuracy.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from polybius.data import load_yaml

# Event sentences: {a}/{b} are country names, {adj_a}/{adj_b} their adjectives, {day} a weekday.
EVENT_FRAMES = (
    "{adj_a} officials accused {b} on {day} of violating the ceasefire along the border.",
    "The government of {a} condemned the arrest of {n} opposition activists in {b}.",
    "{a} urged {b} to release the detained journalists without delay.",
    "The {adj_a} foreign minister met with his counterpart from {b} in {city} on {day}.",
    "{adj_a} troops attacked positions held by rebels near the border with {b}, the army said.",
    "{a} and {b} signed an agreement on {day} to reopen two border crossings.",
    "{adj_a} police arrested {n} protesters outside the embassy of {b} in {city}.",
    "{a} expelled {n} {adj_b} diplomats, accusing them of spying.",
    "{a} imposed sanctions on {adj_b} banks over the seizure of a cargo ship.",
    "The {adj_a} president threatened to cut trade ties with {b} if the talks failed.",
    "{a} welcomed the decision by {b} to withdraw its forces from the disputed region.",
    "{adj_a} jets bombed a convoy near the {adj_b} border on {day}, residents said.",
    "{a} pledged {n} million dollars in aid to {b} after the floods.",
    "The {adj_a} prime minister visited {b} on {day} for talks on energy and security.",
    "{adj_a} officials praised {b} for its help in the rescue of the hostages.",
)
# Sentences with no event, as wire copy mixes them in: background, numbers, colour.
FILLER_FRAMES = (
    "The two countries have disputed the area since the end of the war.",
    "Talks between the sides were expected to resume next month.",
    "About {n} people were displaced by the fighting last year, according to aid groups.",
    "Markets in {city} were quiet on {day} as traders waited for news.",
    "The region has seen repeated clashes over water and grazing land.",
    "A spokesman gave no further details.",
    "The statement was published on the ministry's website late on {day}.",
    "Analysts said the move was likely to raise tension ahead of the elections.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    adjective: str
    capital: str


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Countries of the KB with an adjective and a capital, and no ambiguous name."""
    found = []
    for row in load_yaml("countries.yaml"):
        if row.get("ambiguous") or not row.get("adjectives") or not row.get("capital"):
            continue
        found.append(Country(row["name"], row["adjectives"][0], row["capital"]))
    return tuple(found)


def article(n: int, seed: int = 0, sentences: int = 12) -> dict[str, str]:
    """The `n`th synthetic article as a JSONL record `{id, title, date, source, text}`."""
    rng = random.Random(seed * 1_000_003 + n)
    pool = countries()
    date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    lines = []
    for index in range(sentences):
        a, b = rng.sample(pool, 2)
        frames = EVENT_FRAMES if index % 3 != 2 else FILLER_FRAMES
        lines.append(
            rng.choice(frames).format(
                a=a.name,
                b=b.name,
                adj_a=a.adjective,
                adj_b=b.adjective,
                city=a.capital,
                day=rng.choice(WEEKDAYS),
                n=rng.randrange(2, 400),
            )
        )
    first = rng.sample(pool, 2)
    title = f"{first[0].name} and {first[1].name} trade charges as talks stall"
    paragraphs = [" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
    return {
        "id": f"synthetic-{seed}-{n}",
        "title": title,
        "date": date.isoformat(),
        "source": "Polybius synthetic wire",
        "text": "\n\n".join(paragraphs),
    }


def articles(count: int, seed: int = 0, sentences: int = 12) -> Iterator[dict[str, str]]:
    """`count` synthetic articles, generated lazily."""
    for n in range(count):
        yield article(n, seed, sentences)
