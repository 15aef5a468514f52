"""Checks one hand-reviewed golden fact (claim, event, quote, coref) against a coded Document."""

from __future__ import annotations

import re
from typing import Any

from polybius.model import Document, Mention


def matches_code(mention: Mention, code: str) -> bool:
    """ISO3 (any sector), ISO3+sector, or a KB id (organisation, person, group)."""
    if mention.kb_id == code or mention.entity == code:
        return True
    if len(code) == 3:
        return mention.country == code
    if len(code) == 6 and code[:3] == mention.country:
        return mention.sector == code[3:]
    return False


def covers(mentions: list[Mention], codes: list[str]) -> bool:
    return all(any(matches_code(m, code) for m in mentions) for code in codes)


def as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def check_claim(doc: Document, fact: dict) -> bool:
    roles = ("issued_by", "released_by", "confirmed_by", "denied_by", "no_comment_from")
    for claim in doc.claims:
        if fact["trigger"] not in claim.trigger.text and claim.trigger.text not in fact["trigger"]:
            continue
        if all(covers(getattr(claim, role), as_list(fact[role])) for role in roles if role in fact):
            return True
    return False


def check_event(doc: Document, fact: dict) -> bool:
    for event in doc.events:
        if event.negated or event.code.root != fact["root"]:
            continue
        if not covers(event.source, as_list(fact["source"])):
            continue
        if "target" in fact and not covers(event.target, as_list(fact["target"])):
            continue
        if "date" in fact and (event.date is None or event.date.isoformat() != str(fact["date"])):
            continue
        if "location" in fact and (event.location is None or event.location.country != fact["location"]):
            continue
        return True
    return False


def check_quote(doc: Document, fact: dict) -> bool:
    for quote in doc.quotes:
        if not quote.text.text.lstrip().startswith(fact["starts_with"]):
            continue
        if quote.speaker is None or not matches_code(quote.speaker, fact["speaker"]):
            return False
        return "method" not in fact or quote.speaker_method == fact["method"]
    return False


def check_coref(doc: Document, fact: dict) -> bool:
    found = list(re.finditer(rf"\b{re.escape(fact['text'])}\b", doc.article.text))
    if len(found) < fact.get("occurrence", 1):
        return False
    words = found[fact.get("occurrence", 1) - 1]
    word = fact["refers_to"]
    for mention in doc.actors:
        if mention.span.start < words.end() and words.start() < mention.span.end:
            if mention.antecedent is not None and word in mention.antecedent.text:
                return True
            if mention.kb_id and word.upper() in mention.kb_id:
                return True
    return False


CHECKS = {"claim": check_claim, "event": check_event, "quote": check_quote, "coref": check_coref}


def check(doc: Document, fact: dict) -> tuple[str, bool]:
    ((kind, body),) = fact.items()
    return kind, CHECKS[kind](doc, body)
