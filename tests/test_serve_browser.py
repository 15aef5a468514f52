"""The explorer end to end in real headless Chromium (Debian's `chromium`, driven by playwright).

Any JavaScript error, uncaught exception or Content-Security-Policy violation on the page fails the
test: Chromium reports all three as console errors or page errors. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import urlopen

import pytest

from polybius.serve import create_app
from tests.conftest import ROOT
from tests.servedata import XSS_ID, XSS_SOURCE, XSS_TITLE, served_store

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 20_000


def chromium_path() -> str:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("no chromium executable (`make test` installs Debian's chromium)")
    return found


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, pipeline) -> Iterator[str]:
    """The explorer served by uvicorn in a thread on a free loopback port."""
    import uvicorn

    db = served_store(tmp_path_factory, pipeline)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(db, allowed_hosts=["127.0.0.1"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the explorer server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


class WatchedPage:
    """A page whose console errors, uncaught exceptions and dialogs are collected."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.set_default_timeout(TIMEOUT_MS)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda err: self.errors.append(f"page error: {err}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ready(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator("body[data-ready=true]").wait_for()

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("() => window.__pwned === undefined"), "injected markup ran"


def api(base_url: str, path: str, **params) -> dict:
    """What the explorer's JSON API answers: the truth the page is checked against."""
    with urlopen(f"{base_url}{path}?{urlencode(params)}", timeout=TIMEOUT_MS / 1000) as response:
        return json.load(response)


@pytest.fixture
def watched(browser) -> Iterator[WatchedPage]:
    watched = WatchedPage(browser)
    yield watched
    watched.page.close()


def test_filter_by_actor_click_event_and_see_the_highlight(base_url, watched):
    from playwright.sync_api import expect

    # The test article's accusation (placed by hand in tests/servedata.py) and an actor code it was coded with.
    placed = [r for r in api(base_url, "/api/events", location="UKR")["rows"] if r["article_id"] == XSS_ID]
    assert placed, "the test article's accusation is not found by its place"
    event = placed[0]
    view = api(base_url, f"/api/articles/{quote(XSS_ID, safe='')}")
    detail = next(e for e in view["events"] if e["event_id"] == event["event_id"])
    codes = [a["code"] for a in detail["target"] + detail["source"] if a["code"]]
    assert codes, f"the accusation has no coded actor: {detail}"
    actor = codes[0]
    matched = api(base_url, "/api/events", actor=actor, per_page=50)

    page = watched.page
    watched.ready(base_url + "/")
    page.fill("input[name=actor]", actor)
    page.click("#search")
    rows = page.locator("#events tbody tr.event-row")
    # the address is updated once the rows are in
    expect(page).to_have_url(re.compile(rf"actor={re.escape(actor)}(&|$)"))
    total = matched["total"]
    expect(page.locator("#status")).to_have_text("1 event matches." if total == 1 else f"{total} events match.")
    expect(rows).to_have_count(len(matched["rows"]))
    shown = [rows.nth(n).get_attribute("data-event-id") for n in range(rows.count())]
    assert shown == [r["event_id"] for r in matched["rows"]]  # the rows the API finds, in its order
    for n in range(rows.count()):  # every row has the actor on one side
        sides = rows.nth(n).locator("td.col-source").inner_text() + rows.nth(n).locator("td.col-target").inner_text()
        assert actor in sides

    row = rows.nth(shown.index(event["event_id"]))
    expect(row.locator("td.col-trigger")).to_have_text(detail["trigger"]["text"])
    row.click()
    expect(row).to_have_class(re.compile(r"\bselected\b"))
    highlight = page.locator("#article-text mark.hl-trigger")
    expect(highlight).to_have_count(1)
    expect(highlight).to_have_text(detail["trigger"]["text"])
    for kind in ("source", "target"):  # the clicked event's own actors (one side at least has the typed code)
        spans = sorted((a for a in detail[kind] if a["start"] is not None), key=lambda a: a["start"])
        marks = page.locator(f"#article-text mark.hl-{kind}")
        if spans:
            expect(marks).to_have_text([a["text"] for a in spans])
        else:
            expect(marks).to_have_count(0)
    expect(page.locator("#article-text mark.hl-location")).to_have_text(["border village"])
    # the reported accusation ("..., the Kremlin said") from the article's event list: its frame highlighted
    reported = next(n for n, e in enumerate(view["events"]) if e["attribution"])
    page.locator("#article-events button").nth(reported).click()
    said = view["events"][reported]["attribution"]["text"]
    expect(page.locator("#article-text mark.hl-attribution")).to_have_text([said])
    expect(page.locator("#event-detail")).to_contain_text(said)
    expect(page.locator("#article-quotes li")).to_have_count(1)
    expect(page.locator("#article-quotes")).to_contain_text("Kremlin")
    expect(page.locator("#article-claims")).to_contain_text("no comment from")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-event.png"), full_page=True)

    page.click("#tab-timeline")
    expect(page.locator("#timeline svg").first).to_be_visible()
    expect(page.locator("#timeline-note")).to_contain_text("Events of this actor per week")
    page.screenshot(path=str(ARTIFACTS / "explorer-timeline.png"))
    page.click("#tab-network")
    expect(page.locator("#network svg").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "explorer-network.png"))
    watched.assert_clean()


def test_markup_in_articles_and_in_the_address_never_runs(base_url, watched):
    from playwright.sync_api import expect

    page = watched.page
    payload = "\"><img src=x onerror=\"window.__pwned='address'\"><script>window.__pwned='address'</script>"
    query = urlencode({"actor": payload, "q": payload, "plover": payload, "source": payload, "target": "x"})
    watched.ready(f"{base_url}/?{query}")
    expect(page.locator("input[name=actor]")).to_have_value(payload)  # the value, as text
    expect(page.locator("#status")).to_have_text("0 events match.")

    watched.ready(f"{base_url}/?{urlencode({'q': 'Germany urged'})}")
    page.locator("#events tbody tr.event-row").first.click()
    expect(page.locator("#article-text mark.hl-trigger")).to_have_text("urged")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned" in text and "<img src=x onerror=" in text  # shown, not parsed
    expect(page.locator("#article-title")).to_have_text(XSS_TITLE)
    expect(page.locator("#article-meta")).to_contain_text(XSS_SOURCE)
    expect(page.locator("#article-meta a")).to_have_count(0)  # a javascript: URL is not made a link
    assert page.locator("img, script:not([src]), iframe, object, embed").count() == 0
    page.locator("#article-events button").first.click()  # re-render from the event list too
    assert page.locator("#article img").count() == 0
    assert "article=" in page.url and "event=" in page.url
    watched.assert_clean()


def test_api_docs_page_renders_offline(base_url, watched):
    from playwright.sync_api import expect

    watched.page.goto(base_url + "/docs")
    expect(watched.page.locator(".opblock-summary-path").first).to_be_visible()
    expect(watched.page.locator(".opblock")).to_have_count(7)
    watched.assert_clean()
