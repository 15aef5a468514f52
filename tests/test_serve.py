"""The explorer's JSON API (FastAPI TestClient): every endpoint, filters, limits, injection and markup."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable
from statistics import fmean
from typing import Any
from urllib.parse import quote as url_quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from polybius.cli import app as cli_app
from polybius.serve import (
    CONTENT_SECURITY_POLICY,
    MAX_QUERY_STRING,
    MAX_REQUEST_BYTES,
    WEB_DIR,
    create_app,
    is_loopback,
)
from polybius.store import Store, actor_code
from tests.servedata import QUOTE, XSS_BODY, XSS_ID, XSS_TITLE, XSS_URL, served_store, xss_record

INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "RUS' UNION SELECT * FROM articles --",
    "%",
    "R_S",
    "\\",
    "*",
    "RUS%",
    ") OR (1=1",
    "\x00",
    "<script>alert(1)</script>",
)
STRING_FILTERS = ("actor", "code", "root", "plover", "location", "q")


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline):
    return served_store(tmp_path_factory, pipeline)


@pytest.fixture(scope="module")
def explorer_app(db):
    return create_app(db)


@pytest.fixture(scope="module")
def client(explorer_app):
    return TestClient(explorer_app)


def all_events(client, **params):
    body = client.get("/api/events", params={"per_page": 500, **params}).json()
    assert body["total"] <= 500, "the test store outgrew one page"
    assert body["total"] == len(body["rows"])
    return body["rows"]


def store_rows(explorer_app, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows read straight from the store the explorer serves (plain SQL, bound parameters)."""
    cursor = explorer_app.state.explorer.store.con.cursor()
    try:
        return cursor.execute(sql, list(params)).pl().to_dicts()
    finally:
        cursor.close()


@pytest.fixture(scope="module")
def stored(explorer_app) -> list[dict[str, Any]]:
    """Every deduplicated event as the store holds it: its first report, its article's title and its actors.

    The tests below check the explorer's answers against these rows, filtered in Python, so they hold
    for whatever events the pipeline codes in the example articles.
    """
    events = store_rows(
        explorer_app,
        """SELECT c.cluster_id, c.negated, e.event_id, e.article_id, e.date, e.location_country, e.sentence_text,
                  e.goldstein, a.title
           FROM clusters c JOIN events e ON e.event_id = c.representative JOIN articles a USING (article_id)""",
    )
    actors: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for actor in store_rows(explorer_app, "SELECT * FROM event_actors ORDER BY event_id, role, position"):
        actors[(actor["event_id"], actor["role"])].append(actor)
    for event in events:
        event["date"] = event["date"] and event["date"].isoformat()
        event["source"] = actors[(event["event_id"], "source")]
        event["target"] = actors[(event["event_id"], "target")]
    return events


def matching(stored, keep: Callable[[dict[str, Any]], bool], negated: bool = False) -> set[int]:
    """The global ids of the stored events that a filter should find."""
    return {e["cluster_id"] for e in stored if keep(e) and (negated or not e["negated"])}


def ids(rows: list[dict[str, Any]]) -> set[int]:
    found = [r["global_event_id"] for r in rows]
    assert len(found) == len(set(found)), "an event is listed twice"
    return set(found)


def has_actor(event: dict[str, Any], code: str) -> bool:
    """What the actor filter means: a country, actor code, KB id or entity on either side of the first report."""
    return any(code in (a["country"], a["code"], a["kb_id"], a["entity"]) for a in event["source"] + event["target"])


def test_page_and_docs_are_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in page.text and "/static/vendor/vega-embed.min.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui-bundle.js" in docs.text
    assert "http" not in docs.text.replace("http-equiv", "")
    for asset in ("app.js", "app.css", "docs.js", "vendor/vega.min.js", "vendor/vega-lite.min.js",
                  "vendor/vega-embed.min.js", "vendor/swagger-ui-bundle.js", "vendor/swagger-ui.css"):  # fmt: skip
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200 and len(response.content) > 100, asset


def test_openapi_documents_every_view_and_no_write_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/meta", "/api/events", "/api/timeline", "/api/network", "/api/articles/{article_id}",
                 "/api/export.csv", "/api/export.json"):  # fmt: skip
        assert path in paths, path
    methods = {method for operations in paths.values() for method in operations}
    assert methods == {"get"}
    event_params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    expected = {"actor", "dyad", "code", "root", "plover", "since", "until", "location", "q", "sort", "order"}
    assert expected | {"page", "per_page"} <= event_params


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/api/events", "/api/meta", "/api/articles/x", "/static/app.js", "/nowhere"])
def test_write_methods_are_refused_everywhere(client, method, path):
    response = client.request(method, path, content=b"{}")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    if method != "HEAD":  # a HEAD answer has no body
        assert response.json()["error"] == "E200"


def test_requests_over_the_limits_are_refused(client):
    big = client.request("GET", "/api/events", content=b"x" * (MAX_REQUEST_BYTES + 1))
    assert big.status_code == 413 and big.json()["error"] == "E201"
    assert client.request("POST", "/api/events", content=b"x" * (MAX_REQUEST_BYTES + 1)).status_code == 413
    long_query = client.get("/api/events", params={"q": "x" * (MAX_QUERY_STRING + 1)})
    assert long_query.status_code == 414 and long_query.json()["error"] == "E202"
    assert client.get("/api/events", params={"actor": "A" * 201}).status_code == 422
    assert client.get("/api/events", params={"actor": "A" * 200}).status_code == 200


def test_at_most_500_rows_per_page(client):
    assert client.get("/api/events", params={"per_page": 501}).status_code == 422
    assert client.get("/api/events", params={"per_page": 0}).status_code == 422
    assert client.get("/api/events", params={"page": 0}).status_code == 422
    body = client.get("/api/events", params={"per_page": 500}).json()
    assert body["per_page"] == 500 and len(body["rows"]) == min(500, body["total"])


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/api/meta"), client.post("/api/events"), client.get("/nowhere")):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_meta_offers_the_filter_choices(client):
    meta = client.get("/api/meta").json()
    assert meta["articles"] == 9 and meta["events"] > 50 and meta["reports"] >= meta["events"]
    codes = {a["code"] for a in meta["actors"]}
    assert {"RUS", "UKR", "BLR"} <= codes
    assert {"code": "19", "name": "FIGHT"} in meta["roots"] and "ASSAULT" in meta["plover_types"]
    assert "UKR" in meta["locations"] and all(len(code) == 3 and code.isupper() for code in meta["locations"])
    assert meta["locations"] == sorted(meta["locations"])


@pytest.mark.parametrize("sort", ["date", "quad_class"])  # quad_class: many ties, broken by the event id
def test_unfiltered_search_pages_through_every_event(client, stored, sort):
    total = client.get("/api/meta").json()["events"]
    assert total == len(matching(stored, lambda e: True)) > 30
    per_page = 30
    pages = -(-total // per_page)
    seen = []
    for page in range(1, pages + 2):  # every page, then one past the end
        body = client.get("/api/events", params={"per_page": per_page, "page": page, "sort": sort}).json()
        assert body["total"] == total and body["page"] == page
        assert len(body["rows"]) == max(0, min(per_page, total - (page - 1) * per_page)), page
        seen += [row["global_event_id"] for row in body["rows"]]
    assert len(seen) == len(set(seen)) == total and set(seen) == matching(stored, lambda e: True)
    one_page = all_events(client, sort=sort)
    assert [row["global_event_id"] for row in one_page] == seen  # the pages are slices of one stable order
    if sort == "date":
        dates = [row["date"] for row in one_page if row["date"]]
        assert dates == sorted(dates, reverse=True)  # default: newest first
        assert all(row["date"] is None for row in one_page[len(dates) :])


def test_actor_dyad_and_code_filters(client):
    russia = all_events(client, actor="RUS")
    assert russia and all("RUS" in f"{r['source']} {r['target']}" for r in russia)
    dyad = all_events(client, dyad="RUS:UKR")
    assert dyad and all(r["source"].startswith("RUS") and "UKR" in r["target"] for r in dyad)
    assert {r["event_id"] for r in dyad} < {r["event_id"] for r in russia}
    backwards = all_events(client, dyad="UKR:RUS")
    assert not {r["event_id"] for r in backwards} & {r["event_id"] for r in dyad}
    accusations = all_events(client, code="112")
    assert accusations and all(r["cameo"].startswith("112") for r in accusations)
    fights = all_events(client, root="19")
    assert fights and all(r["cameo"].startswith("19") for r in fights)
    assert all_events(client, code="19") == fights  # a two-digit code prefix is the root
    assert all_events(client, code="1") != fights
    assaults = all_events(client, plover="assault")
    assert assaults and all(r["plover"] == "ASSAULT" for r in assaults)


def test_date_location_text_and_negated_filters(client, stored):
    window = all_events(client, since="2020-01-01", until="2020-12-31")
    assert window and all("2020-01-01" <= r["date"] <= "2020-12-31" for r in window)
    assert ids(window) == matching(
        stored, lambda e: e["date"] is not None and "2020-01-01" <= e["date"] <= "2020-12-31"
    )

    meta = client.get("/api/meta").json()
    # the filter form offers exactly the places the location filter can find
    assert meta["locations"] == sorted({e["location_country"] for e in stored if e["location_country"]})
    for country in meta["locations"]:
        placed = all_events(client, location=country, negated="true")
        assert placed and all(r["location"] == country for r in placed), country
        assert ids(placed) == matching(stored, lambda e, c=country: e["location_country"] == c, negated=True), country
    placed = all_events(client, location="UKR")
    assert ids(placed) == matching(stored, lambda e: e["location_country"] == "UKR")
    # the test article's accusation, placed by hand in tests/servedata.py
    accusation = matching(stored, lambda e: e["article_id"] == XSS_ID and e["location_country"] == "UKR")
    assert accusation and accusation <= ids(placed)

    def text_matches(words: str) -> set[int]:
        words = words.lower()
        return matching(stored, lambda e: words in e["sentence_text"].lower() or words in (e["title"] or "").lower())

    # words of an event's sentence, any case
    sentence = next(
        e["sentence_text"] for e in sorted(stored, key=lambda e: e["cluster_id"])
        if not e["negated"] and e["sentence_text"].isascii() and len(e["sentence_text"].split()) > 5
    )  # fmt: skip
    words = " ".join(sentence.split()[2:5]).swapcase()
    found = all_events(client, q=words)
    assert found and ids(found) == text_matches(words), words
    shelling = all_events(client, q="SHELLING a border")
    assert ids(shelling) == text_matches("shelling a border")
    assert {r["article_id"] for r in shelling} <= {XSS_ID}
    for title_words, article in (("press belarus", "2020-08-14"), ("ACCUSES kyiv", XSS_ID)):  # of a headline
        by_title = all_events(client, q=title_words)
        assert by_title and all(r["article_id"].startswith(article) for r in by_title), title_words
        assert ids(by_title) == text_matches(title_words), title_words
    # % and _ are characters, not LIKE wildcards: these would match "Russia accused Ukraine" as patterns
    assert all_events(client, q="Russia%Ukraine") == [] and all_events(client, q="Russia_accused") == []
    pwned = all_events(client, q="window.__pwned")  # the underscore itself is found, in the test article's title
    assert pwned and {r["article_id"] for r in pwned} == {XSS_ID} and ids(pwned) == text_matches("window.__pwned")

    assert client.get("/api/events").json()["total"] == meta["events"] == len(matching(stored, lambda e: True))
    with_negated = all_events(client, negated="true")
    assert ids(with_negated) == matching(stored, lambda e: True, negated=True)
    assert meta["negated"] == sum(e["negated"] for e in stored) > 0
    assert len(with_negated) == meta["events"] + meta["negated"]
    assert {r["global_event_id"] for r in with_negated if r["negated"]} == {
        e["cluster_id"] for e in stored if e["negated"]}  # fmt: skip


def test_only_places_of_first_reports_are_offered(tmp_path, pipeline):
    """A place that only a later report of an event names is not offered: the filter reads first reports."""
    first = xss_record(pipeline)
    later = copy.deepcopy(first)  # the same article, republished a day later with another place
    later["article"] |= {"id": "republished", "date": "2021-03-03"}
    for n, event in enumerate(later["events"]):
        event |= {"id": f"republished:{n}", "date": "2021-03-03"}
        if event["location"]:
            event["location"]["country"] = "POL"
    path = tmp_path / "republished.duckdb"
    with Store(path) as store:
        store.write([first, later])
    client = TestClient(create_app(path))
    app = client.app
    placed = store_rows(app, "SELECT event_id FROM events WHERE location_country = 'POL'")
    representatives = {r["representative"] for r in store_rows(app, "SELECT representative FROM clusters")}
    assert placed and not {r["event_id"] for r in placed} & representatives  # merged into the first reports
    meta = client.get("/api/meta").json()
    assert "UKR" in meta["locations"] and "POL" not in meta["locations"]
    assert client.get("/api/events", params={"location": "UKR"}).json()["total"] >= 1
    assert client.get("/api/events", params={"location": "POL", "negated": "true"}).json()["total"] == 0


@pytest.mark.parametrize("sort", ["date", "source", "target", "cameo", "plover", "goldstein", "quad_class",
                                  "location", "num_articles", "trigger"])  # fmt: skip
def test_every_sort_key_orders_rows(client, sort):
    column = {"quad_class": "quad_class", "location": "location"}.get(sort, sort)
    for order in ("asc", "desc"):
        rows = all_events(client, sort=sort, order=order)
        values = [r[column] for r in rows if r[column] is not None]
        assert values == sorted(values, reverse=order == "desc"), (sort, order)
        assert all(r[column] is None for r in rows[len(values) :])  # missing values last


def test_bad_parameters_are_client_errors(client):
    for params in ({"sort": "goldstein; DROP TABLE events"}, {"order": "sideways"}, {"since": "yesterday"},
                   {"dyad": "RUS"}, {"by": "year"}, {"code": "19a"}, {"root": "190"}, {"page": "x"}):  # fmt: skip
        path = "/api/timeline" if "by" in params else "/api/events"
        response = client.get(path, params=params)
        assert response.status_code == 422, params
    assert client.get("/api/events", params={"dyad": "RUS"}).json()["error"] == "E107"


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_every_filter_match_nothing(client, db, value):
    before = client.get("/api/meta").json()
    for name in STRING_FILTERS:
        response = client.get("/api/events", params={name: value})
        assert response.status_code in (200, 422), (name, value)
        if response.status_code == 200:
            assert response.json()["total"] == 0, (name, value)
    for dyad in (f"{value}:UKR", f"RUS:{value}"):
        response = client.get("/api/events", params={"dyad": dyad})
        assert response.status_code in (200, 422) and (response.status_code == 422 or response.json()["total"] == 0)
    for endpoint in ("/api/timeline", "/api/network", "/api/export.json"):
        for name in STRING_FILTERS:
            response = client.get(endpoint, params={name: value})
            assert response.status_code in (200, 422), (endpoint, name, value)
    for name in ("sort", "order", "by", "since", "until", "page", "per_page", "negated"):
        response = client.get("/api/events" if name != "by" else "/api/timeline", params={name: value})
        assert response.status_code == 422, (name, value)
    assert client.get(f"/api/articles/{url_quote(value, safe='')}").status_code == 404
    assert client.get("/api/meta").json() == before  # nothing was changed or dropped


def test_the_store_is_opened_read_only(explorer_app):
    store = explorer_app.state.explorer.store
    assert store.read_only
    with pytest.raises(Exception, match="read-only"):
        store.con.execute("DELETE FROM events")


def test_timeline_counts_add_up_per_quad_class(client):
    dated = [r for r in all_events(client, actor="RUS") if r["date"]]
    for by in ("day", "week", "month"):
        timeline = client.get("/api/timeline", params={"actor": "RUS", "by": by}).json()
        assert timeline["by"] == by
        assert sum(p["events"] for p in timeline["series"]) == len(dated)
        assert sum(t["events"] for t in timeline["totals"]) == len(dated)
        assert {p["quad_label"] for p in timeline["series"]} <= {
            "Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"}  # fmt: skip
        for total in timeline["totals"]:
            parts = [p for p in timeline["series"] if p["period"] == total["period"]]
            weighted = sum(p["events"] * p["goldstein_mean"] for p in parts) / total["events"]
            assert total["goldstein_mean"] == pytest.approx(weighted, abs=0.01)
    daily = client.get("/api/timeline", params={"dyad": "RUS:UKR", "by": "day"}).json()
    assert {p["period"] for p in daily["series"]} == {r["date"] for r in all_events(client, dyad="RUS:UKR")}


def expected_edges(stored, keep: Callable[[dict[str, Any]], bool]) -> dict[tuple[str, str], list[float]]:
    """Source -> target actor codes of the matching stored events, with the Goldstein score of each event."""
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    for event in stored:
        if event["negated"] or not keep(event):
            continue
        sources = {a["code"] or a["text"] for a in event["source"]}
        targets = {a["code"] or a["text"] for a in event["target"]}
        for pair in {(s, t) for s in sources for t in targets if s != t}:
            edges[pair].append(event["goldstein"])
    return edges


def test_network_edges_are_weighted_and_coloured(client, stored):
    for params, keep in (({}, lambda e: True), ({"actor": "RUS"}, lambda e: has_actor(e, "RUS"))):
        network = client.get("/api/network", params=params).json()
        assert network["edges"] and not network["truncated"], params
        expected = expected_edges(stored, keep)
        assert {(e["source"], e["target"]): e["events"] for e in network["edges"]} == {
            pair: len(scores) for pair, scores in expected.items()}, params  # fmt: skip
        nodes = {n["id"]: n["events"] for n in network["nodes"]}
        for edge in network["edges"]:
            assert edge["source"] in nodes and edge["target"] in nodes and edge["source"] != edge["target"]
            assert edge["events"] >= 1 and -10 <= edge["goldstein_mean"] <= 10
            scores = expected[(edge["source"], edge["target"])]
            assert edge["goldstein_mean"] == pytest.approx(fmean(scores), abs=1e-3)
        for node, weight in nodes.items():
            assert weight == sum(e["events"] for e in network["edges"] if node in (e["source"], e["target"]))
        assert sum(nodes.values()) == 2 * sum(e["events"] for e in network["edges"])


def test_article_view_has_spans_into_the_text_quotes_and_claims(client, explorer_app):
    # the id holds quotes, angle brackets and spaces
    view = client.get(f"/api/articles/{url_quote(XSS_ID, safe='')}").json()
    text = view["article"]["text"]
    assert view["article"]["title"] == XSS_TITLE and XSS_BODY in text and view["article"]["url"] == XSS_URL
    assert "<script>" in text  # data, returned as data: the page shows it as text
    assert view["events"]
    spans = []
    for event in view["events"]:
        spans += [*event["source"], *event["target"], *event["reported_by"], event["trigger"]]
        spans += [event["date_evidence"], event["location"], event["attribution"]]
    spans += [q for q in view["quotes"]] + [c["content"] for c in view["claims"]]
    spans += [m for c in view["claims"] for m in c["issued_by"] + c["no_comment_from"]]
    spans = [s for s in spans if s and s.get("start") is not None]
    assert len(spans) >= 2 * len(view["events"]) + 4  # every trigger and place, the quote, the claim and its actors
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"], span

    # the quote and the claim written into the test article (tests/servedata.py)
    (quote,) = view["quotes"]
    assert quote["text"] == QUOTE and quote["speaker"]["text"] == "Kremlin"
    assert quote["speaker_method"] == "previous" and quote["confidence"] == pytest.approx(0.6)
    (claim,) = view["claims"]
    assert claim["content"]["text"] == "We will respond." and claim["trigger"]["text"] == "statement"
    assert [m["text"] for m in claim["issued_by"]] == ["Kremlin"]
    assert [m["text"] for m in claim["no_comment_from"]] == ["Ukraine"]
    assert claim["released_by"] == claim["confirmed_by"] == claim["denied_by"] == claim["reported_by"] == []
    # and the place given by hand to every report of the accusation
    accusations = [e for e in view["events"] if e["cameo"].startswith("11")]
    assert accusations
    for event in accusations:
        start = text.index("border village")
        place = {"name": "border village", "country": "UKR", "text": "border village", "start": start}
        assert event["location"] == place | {"end": start + len("border village")}
    # the body's accusation is reported speech; the headline's is not
    assert sorted((e["attribution"] or {}).get("text", "") for e in accusations) == ["", "the Kremlin said"]

    # every event as the store holds it: its reports' order, global ids, representatives and actor codes
    stored = store_rows(
        explorer_app,
        """SELECT e.event_id, e.cameo, m.cluster_id, c.representative = e.event_id AS representative
           FROM events e JOIN cluster_members m USING (event_id) JOIN clusters c USING (cluster_id)
           WHERE e.article_id = ? ORDER BY e.position""",
        XSS_ID,
    )
    assert [(e["event_id"], e["cameo"], e["global_event_id"], e["representative"]) for e in view["events"]] == [
        (e["event_id"], e["cameo"], e["cluster_id"], e["representative"]) for e in stored]  # fmt: skip
    codes = store_rows(
        explorer_app,
        "SELECT event_id, role, code FROM event_actors WHERE article_id = ? ORDER BY event_id, role, position",
        XSS_ID,
    )
    for event in view["events"]:
        for role in ("source", "target", "reported_by"):
            want = [c["code"] for c in codes if c["event_id"] == event["event_id"] and c["role"] == role]
            assert [a["code"] for a in event[role]] == want, (event["event_id"], role)
            for actor in event[role]:
                assert actor["code"] == actor_code(actor["country"], actor["sector"], actor["kb_id"])
    # the representatives are the article's rows in the event search, with their global ids
    searched = {(r["event_id"], r["global_event_id"]) for r in all_events(client, negated="true")
                if r["article_id"] == XSS_ID}  # fmt: skip
    assert searched == {(e["event_id"], e["global_event_id"]) for e in view["events"] if e["representative"]}
    assert {e["global_event_id"] for e in view["events"]} == {g for _, g in searched}  # all of its events are its own


def test_unknown_article_is_a_coded_404(client):
    response = client.get("/api/articles/no-such-article")
    assert response.status_code == 404 and response.json()["error"] == "E203"


def test_downloads_follow_the_filter_and_the_sort(client):
    rows = all_events(client, actor="RUS", sort="goldstein", order="asc")
    csv_response = client.get("/api/export.csv", params={"actor": "RUS", "sort": "goldstein", "order": "asc"})
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert 'filename="polybius-events.csv"' in csv_response.headers["content-disposition"]
    assert csv_response.headers["x-polybius-total"] == csv_response.headers["x-polybius-rows"] == str(len(rows))
    table = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert [r["event_id"] for r in table] == [r["event_id"] for r in rows]
    assert set(table[0]) == set(rows[0])
    json_response = client.get("/api/export.json", params={"actor": "RUS", "sort": "goldstein", "order": "asc"})
    assert json_response.headers["content-type"].startswith("application/json")
    assert [r["event_id"] for r in json.loads(json_response.text)] == [r["event_id"] for r in rows]
    empty = client.get("/api/export.csv", params={"actor": "NOBODY"})
    assert empty.status_code == 200 and empty.headers["x-polybius-total"] == "0"


def test_host_header_is_checked_when_serving_on_loopback(db):
    guarded = TestClient(create_app(db, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1")
    assert guarded.get("/api/meta").status_code == 200
    assert guarded.get("/api/meta", headers={"host": "attacker.example"}).status_code == 400
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_page_holds_no_data_and_sets_text_only(client):
    """The page is static: store data only ever arrives as JSON, and the script never parses it as HTML."""
    script = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert XSS_BODY[:20] not in client.get("/").text


def test_serve_command_reports_a_missing_store(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2 and "E104" in result.output


def test_serve_command_runs_uvicorn_on_loopback_with_host_checks(db, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--port", "8765"])
    assert result.exit_code == 0, result.output
    (app, kwargs) = calls[0]
    assert kwargs["host"] == "127.0.0.1" and kwargs["port"] == 8765
    assert "http://127.0.0.1:8765/" in result.output and "warning" not in result.output
    guarded = TestClient(app, base_url="http://127.0.0.1:8765")
    assert guarded.get("/api/meta", headers={"host": "rebound.example"}).status_code == 400
    calls.clear()
    exposed = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert exposed.exit_code == 0 and "E204" in exposed.output
