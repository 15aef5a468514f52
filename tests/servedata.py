"""The store the explorer's tests read: the bundled example articles coded by the pipeline, plus one
article written for these tests whose title, text, id, source and URL carry markup that must never run.

The pipeline finds quotes and claims of its own, but what it makes of this markup-laden text is no
fixed thing: the test article's quotes and claims are replaced by one quote and one claim written
here, with spans found in its own text, so the article view is checked against known values. It
also gets one place by hand (the pipeline finds none in it), so the location filter always has
something to find. Everything else is the pipeline's own output, which the tests compare with the
store rather than with fixed values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from polybius.store import Store
from tests.conftest import ROOT

# Each payload sets window.__pwned if it ever runs; the browser test checks that it never does.
XSS_ID = 'xss-"><img src=x onerror="window.__pwned=\'id\'">'
XSS_TITLE = 'Kremlin <script>window.__pwned = "title"</script> accuses Kyiv'
XSS_SOURCE = "<b>Wire</b><img src=x onerror=\"window.__pwned='source'\">"
XSS_URL = "javascript:window.__pwned='url'"
XSS_BODY = (
    "Russia accused Ukraine of shelling a border village on Monday, the Kremlin said. "
    '<script>window.__pwned = "script"</script>\n\n'
    'A statement posted as "><img src=x onerror="window.__pwned = \'img\'"> said: "We will respond." '
    "Germany urged Russia to stop the fighting."
)
XSS_DATE = "2021-03-02"
QUOTE = '"We will respond."'


def _span(text: str, needle: str, after: int = 0) -> dict[str, Any]:
    start = text.index(needle, after)
    return {"text": needle, "start": start, "end": start + len(needle)}


def _mention(text: str, needle: str, after: int = 0, **fields: Any) -> dict[str, Any]:
    return _span(text, needle, after) | {"country": None, "sector": None, "kb_id": None, "entity": needle} | fields


def xss_record(pipeline) -> dict[str, Any]:
    from polybius.api import to_article

    article = to_article(
        {"id": XSS_ID, "title": XSS_TITLE, "text": XSS_BODY, "date": XSS_DATE, "source": XSS_SOURCE, "url": XSS_URL}
    )
    record = pipeline(article).to_dict()
    text = record["article"]["text"]
    kremlin = _mention(text, "Kremlin", text.index("Russia accused"), country="RUS", sector="GOV", kb_id="RUS")
    kremlin["entity"] = "RUS.GOV"
    record["quotes"] = [
        _span(text, QUOTE) | {"speaker": kremlin, "speaker_method": "previous", "confidence": 0.6},
    ]
    record["claims"] = [
        {
            "id": "c0",
            "trigger": _span(text, "statement"),
            "content": _span(text, "We will respond."),
            "issued_by": [kremlin],
            "released_by": [],
            "confirmed_by": [],
            "denied_by": [],
            "no_comment_from": [_mention(text, "Ukraine", country="UKR", kb_id="UKR")],
            "reported_by": [],
            "events": [],
        }
    ]
    # Every report of the accusation (the headline's and the body's) is placed at the border village, so
    # the deduplicated event has the place whichever report the store keeps as its first.
    accusations = [e for e in record["events"] if e["cameo_root"] == "11"]
    assert accusations, f"the pipeline coded no accusation in the test article: {record['events']}"
    for event in accusations:
        event["location"] = _span(text, "border village") | {"name": "border village", "country": "UKR"}
        event["location"] |= {"lat": None, "lon": None}
    return record


def example_records(pipeline) -> list[dict[str, Any]]:
    from polybius.api import to_article

    lines = (ROOT / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [pipeline(to_article(json.loads(line))).to_dict() for line in lines if line.strip()]


def served_store(tmp_path_factory, pipeline) -> Path:
    """Build the store once per test session (both explorer test modules read it, read-only)."""
    path = tmp_path_factory.getbasetemp() / "explorer" / "explorer.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with Store(path) as store:
            store.write([*example_records(pipeline), xss_record(pipeline)])
    return path
