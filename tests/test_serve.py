"""The explorer's JSON API (FastAPI TestClient): every endpoint, filters, limits, injection and markup."""

from __future__ import annotations

import csv
import io
import json
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
from tests.servedata import QUOTE, XSS_BODY, XSS_ID, XSS_TITLE, XSS_URL, served_store

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
    return body["rows"]


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


def test_unfiltered_search_pages_through_every_event(client):
    total = client.get("/api/meta").json()["events"]
    seen = []
    for page in (1, 2, 3):
        body = client.get("/api/events", params={"per_page": 30, "page": page}).json()
        assert body["total"] == total and body["page"] == page
        seen += [row["global_event_id"] for row in body["rows"]]
    assert len(seen) == len(set(seen)) == total
    dates = [row["date"] for row in all_events(client)]
    assert dates == sorted(dates, reverse=True)  # default: newest first


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


def test_date_location_text_and_negated_filters(client):
    window = all_events(client, since="2020-01-01", until="2020-12-31")
    assert window and all("2020-01-01" <= r["date"] <= "2020-12-31" for r in window)
    placed = all_events(client, location="UKR")
    assert [r["trigger"] for r in placed] == ["accused"] and placed[0]["location"] == "UKR"
    shelling = all_events(client, q="SHELLING a border")
    assert [r["article_id"] for r in shelling] == [XSS_ID]
    by_title = all_events(client, q="press belarus")  # words of an example's headline, any case
    assert by_title and all(r["article_id"].startswith("2020-08-14") for r in by_title)
    # % and _ are characters, not LIKE wildcards: these would match "Russia accused Ukraine" as patterns
    assert all_events(client, q="Russia%Ukraine") == [] and all_events(client, q="Russia_accused") == []
    assert all_events(client, q="window.__pwned")  # the underscore itself is found, in the test article's title
    meta = client.get("/api/meta").json()
    assert client.get("/api/events").json()["total"] == meta["events"]
    with_negated = all_events(client, negated="true")
    assert len(with_negated) == meta["events"] + meta["negated"] and meta["negated"] > 0
    assert any(r["negated"] for r in with_negated)


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


def test_network_edges_are_weighted_and_coloured(client):
    network = client.get("/api/network").json()
    assert network["edges"] and not network["truncated"]
    nodes = {n["id"]: n["events"] for n in network["nodes"]}
    for edge in network["edges"]:
        assert edge["source"] in nodes and edge["target"] in nodes and edge["source"] != edge["target"]
        assert edge["events"] >= 1 and -10 <= edge["goldstein_mean"] <= 10
    assert sum(nodes.values()) == 2 * sum(e["events"] for e in network["edges"])
    russia = client.get("/api/network", params={"actor": "RUS"}).json()
    assert russia["edges"] and "RUS" in {n["id"] for n in russia["nodes"]}
    assert {"source": "RUS", "target": "UKR"} in [{k: e[k] for k in ("source", "target")} for e in russia["edges"]]


def test_article_view_has_spans_into_the_text_quotes_and_claims(client):
    # the id holds quotes, angle brackets and spaces
    view = client.get(f"/api/articles/{url_quote(XSS_ID, safe='')}").json()
    text = view["article"]["text"]
    assert view["article"]["title"] == XSS_TITLE and XSS_BODY in text and view["article"]["url"] == XSS_URL
    assert "<script>" in text  # data, returned as data: the page shows it as text
    spans = []
    for event in view["events"]:
        spans += [*event["source"], *event["target"], event["trigger"], event["date_evidence"], event["location"]]
    spans += [q for q in view["quotes"]] + [c["content"] for c in view["claims"]]
    spans += [m for c in view["claims"] for m in c["issued_by"] + c["no_comment_from"]]
    spans = [s for s in spans if s and s.get("start") is not None]
    assert len(spans) > 8
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"], span
    (quote,) = view["quotes"]
    assert quote["text"] == QUOTE and quote["speaker"]["text"] == "Kremlin"
    (claim,) = view["claims"]
    assert [m["text"] for m in claim["issued_by"]] == ["Kremlin"]
    assert [m["text"] for m in claim["no_comment_from"]] == ["Ukraine"]
    accused = next(e for e in view["events"] if e["trigger"]["text"] == "accused")
    assert [a["code"] for a in accused["source"]] == ["RUS"] and [a["code"] for a in accused["target"]] == ["UKR"]
    assert accused["representative"] and accused["global_event_id"]


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
