"""The wire dateline that opens a story: "BRUSSELS (AP) -", "UNITED NATIONS, Oct 2 (Reuters) --".

It says where the story was filed. That place names no actor (the actors stage skips it), and it is
where an event the text does not place happened, for the statements, meetings and decisions that
make up most wire copy (the locations stage falls back on it).
"""

from __future__ import annotations

import re

from polybius.model import Span

# An upper-case place, an optional date after a comma, a one-word agency in parentheses, a dash.
DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z .'-]{1,40}?)(?:,[A-Za-z0-9 .]{1,20})?\s*\([A-Za-z-]{2,12}\)\s*[-\u2013\u2014]+\s"
)


def dateline(text: str) -> tuple[int, Span | None]:
    """The dateline's length (0 when the story has none) and the span of its place."""
    found = DATELINE.match(text)
    if found is None:
        return 0, None
    start, end = found.span("place")
    return found.end(), Span(start, end, text[start:end])
