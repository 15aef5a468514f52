"""Polybius: political event data from raw news text.

import polybius
doc = polybius.code(text, date="2015-10-02")
for event in doc.to_dict()["events"]:
    print(event["cameo"], event["source"], event["target"])
"""

from polybius.api import code, code_many
from polybius.errors import InputError, PolybiusError
from polybius.model import Article, Document, Event, Mention, Span

__version__ = "0.1.0"
__all__ = [
    "Article",
    "Document",
    "Event",
    "InputError",
    "Mention",
    "PolybiusError",
    "Span",
    "code",
    "code_many",
]
