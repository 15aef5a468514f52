"""`polybius serve`: the web explorer over a store, and the JSON API its page is built on.

Everything here only reads. The store is opened read-only; only GET is answered; requests
are capped (1 MB, an 8 KB query string, 500 rows per page); every filter reaches DuckDB as a bound
parameter (explore.py); and the page (web/) puts data into the DOM with textContent, never as HTML,
under a Content-Security-Policy that allows no inline script. The API is documented at /docs from the
OpenAPI schema, with Swagger UI served from the package like every other asset: nothing from a CDN.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
from starlette.middleware.trustedhost import TrustedHostMiddleware

from polybius.errors import PolybiusError, RequestError
from polybius.explore import MAX_PAGE_SIZE, ExploreFilter, Explorer, SortKey, SortOrder
from polybius.query import EventFilter, Period, parse_dyad

WEB_DIR = Path(__file__).parent / "web"
MAX_REQUEST_BYTES = 1 << 20
MAX_QUERY_STRING = 8 << 10
MAX_PARAM_LENGTH = 200
MAX_DOWNLOAD_ROWS = 100_000
READ_METHODS = frozenset({"GET"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

# No inline script or style, no plugins, no framing, no other origin: an injected tag has nothing to run.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
STATUS = {"E200": 405, "E201": 413, "E202": 414, "E203": 404, "E107": 422}

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def error_response(err: PolybiusError) -> JSONResponse:
    response = JSONResponse({"error": err.code, "message": err.reason}, status_code=STATUS.get(err.code, 500))
    if err.code == "E200":
        response.headers["allow"] = "GET"
    return response


class RequestGuard:
    """Refuses what the explorer never needs before any route runs: writes and oversized requests;
    adds the security headers to every response, errors included."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        refusal = refuse(scope)
        if refusal is not None:
            await error_response(refusal)(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)


def refuse(scope: Scope) -> RequestError | None:
    """Why a request is refused, or None. No route reads a body, so a declared length is enough."""
    source = scope.get("path", "")
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            size = int(value) if value.isdigit() else MAX_REQUEST_BYTES + 1
            if size > MAX_REQUEST_BYTES:
                return RequestError("E201", source, size=size, limit=MAX_REQUEST_BYTES)
    query = scope.get("query_string", b"")
    if len(query) > MAX_QUERY_STRING:
        return RequestError("E202", source, size=len(query), limit=MAX_QUERY_STRING)
    if scope["method"] not in READ_METHODS:
        return RequestError("E200", source, method=scope["method"])
    return None


# --- response models: the shapes /docs documents ---------------------------------------------------


class EventRow(BaseModel):
    global_event_id: int
    date: dt.date | None
    source: str | None
    source_text: str | None
    cameo: str
    cameo_name: str
    plover: str | None
    target: str | None
    target_text: str | None
    goldstein: float
    quad_class: int
    modality: str
    negated: bool
    location: str | None
    num_mentions: int
    num_sources: int
    num_articles: int
    trigger: str
    article_id: str
    event_id: str


class EventPage(BaseModel):
    total: int
    page: int
    per_page: int
    sort: SortKey
    order: SortOrder
    rows: list[EventRow]


class TimelinePoint(BaseModel):
    period: dt.date
    quad_class: int
    quad_label: str
    events: int
    goldstein_mean: float


class TimelineTotal(BaseModel):
    period: dt.date
    events: int
    goldstein_mean: float


class Timeline(BaseModel):
    by: Period
    undated: int
    series: list[TimelinePoint]
    totals: list[TimelineTotal]


class Node(BaseModel):
    id: str
    events: int


class Edge(BaseModel):
    source: str
    target: str
    events: int
    goldstein_mean: float


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool


class Span(BaseModel):
    text: str
    start: int
    end: int


class ActorSpan(Span):
    country: str | None
    sector: str | None
    kb_id: str | None
    entity: str
    code: str


class Mention(Span):
    """An actor mention as the output contract writes it (quotes' speakers, claims' roles)."""

    model_config = ConfigDict(extra="allow")
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    entity: str | None = None


class Place(BaseModel):
    name: str | None
    country: str | None
    text: str | None
    start: int | None
    end: int | None


class ArticleEvent(BaseModel):
    event_id: str
    global_event_id: int | None
    representative: bool
    cameo: str
    cameo_name: str
    plover: str | None
    goldstein: float
    quad_class: int
    date: dt.date | None
    date_from: str
    negated: bool
    modality: str
    source: list[ActorSpan]
    target: list[ActorSpan]
    reported_by: list[ActorSpan]
    attribution: Span | None  # the reporting frame ("the Kremlin said"), when the event is reported speech
    trigger: Span
    date_evidence: Span | None
    location: Place | None
    sentence: dict[str, int]


class Quote(Span):
    speaker: Mention | None
    speaker_method: str | None
    confidence: float | None


class Claim(BaseModel):
    id: str
    trigger: Span
    content: Span | None
    issued_by: list[Mention]
    released_by: list[Mention]
    confirmed_by: list[Mention]
    denied_by: list[Mention]
    no_comment_from: list[Mention]
    reported_by: list[Mention]
    events: list[str]


class Article(BaseModel):
    id: str
    title: str | None
    date: dt.date | None
    source: str | None
    url: str | None
    text: str


class ArticleView(BaseModel):
    article: Article
    events: list[ArticleEvent]
    quotes: list[Quote]
    claims: list[Claim]


class ActorCount(BaseModel):
    code: str
    events: int


class Coded(BaseModel):
    code: str | int
    name: str


class Meta(BaseModel):
    articles: int
    reports: int
    events: int  # deduplicated, affirmative: what an unfiltered search finds
    negated: int  # deduplicated events the text says did not happen
    first_date: dt.date | None
    last_date: dt.date | None
    actors: list[ActorCount]
    locations: list[str]
    roots: list[Coded]
    plover_types: list[str]
    quad_classes: list[Coded]


class ErrorBody(BaseModel):
    error: str
    message: str


# --- request parameters ------------------------------------------------------------------------------


def _text(description: str, **extra: Any) -> Any:
    return Query(max_length=MAX_PARAM_LENGTH, description=description, **extra)


def _clean(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def event_filter(
    actor: Annotated[str | None, _text("Actor on either side: country (RUS), actor code (RUSGOV) or KB id.")] = None,
    dyad: Annotated[str | None, _text("SOURCE:TARGET actor codes (RUS:UKR).")] = None,
    code: Annotated[str | None, _text("CAMEO code prefix (19, 190, 0256).", pattern=r"^\s*\d{0,4}\s*$")] = None,
    root: Annotated[str | None, _text("CAMEO root, exactly (19).", pattern=r"^\s*(\d{2})?\s*$")] = None,
    plover: Annotated[str | None, _text("PLOVER event type (ASSAULT).")] = None,
    since: Annotated[dt.date | None, Query(description="From this event date (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Up to this event date (YYYY-MM-DD).")] = None,
    location: Annotated[str | None, _text("ISO3 country of the event's place.")] = None,
    q: Annotated[str | None, _text("Words in the event's sentence or its article's title (any case).")] = None,
    negated: Annotated[bool, Query(description="Include negated events.")] = False,
) -> ExploreFilter:
    dyad = _clean(dyad)
    return ExploreFilter(
        EventFilter(
            actor=_clean(actor),
            dyad=parse_dyad(dyad) if dyad else None,
            code=_clean(code),
            plover=_clean(plover),
            since=since,
            until=until,
            location=_clean(location),
            include_negated=negated,
        ),
        root=_clean(root),
        text=_clean(q),
    )


Filters = Annotated[ExploreFilter, Depends(event_filter)]
Sort = Annotated[SortKey, Query(description="Column to sort by.")]
Order = Annotated[SortOrder, Query(description="Sort order.")]


# --- the app ---------------------------------------------------------------------------------------------


def create_app(db_path: str | Path, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The explorer over one store, opened read-only now (a bad store fails here, not on the first request).

    `allowed_hosts`: Host header values to accept (DNS-rebinding protection for a loopback server);
    None accepts any.
    """
    explorer = Explorer(db_path)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        explorer.close()

    app = FastAPI(
        title="Polybius explorer",
        summary="Read-only JSON API over a Polybius event store: the data behind every view of the explorer.",
        version="1",
        docs_url=None,  # Swagger UI from the package at /docs, below, instead of FastAPI's CDN page
        redoc_url=None,
        lifespan=lifespan,
        responses={422: {"model": ErrorBody}},
    )
    app.state.explorer = explorer
    app.add_middleware(RequestGuard)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    @app.exception_handler(PolybiusError)
    async def coded_error(_: Request, err: PolybiusError) -> JSONResponse:
        return error_response(err)

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(WEB_DIR / "docs.html")

    @app.get("/api/meta", tags=["explorer"])
    def meta() -> Meta:
        """Store totals and what the filter form offers: frequent actors, locations, CAMEO roots, PLOVER types."""
        return Meta(**explorer.meta())

    @app.get("/api/events", tags=["explorer"])
    def events(
        filters: Filters,
        sort: Sort = SortKey.date,
        order: Order = SortOrder.desc,
        page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")] = 50,
    ) -> EventPage:
        """A page of deduplicated events (each as its first report) that match the filters."""
        found = explorer.events(filters, sort, order, page, per_page)
        rows = [EventRow(**row) for row in found.rows]
        return EventPage(total=found.total, page=found.page, per_page=found.per_page, sort=sort, order=order, rows=rows)

    @app.get("/api/timeline", tags=["explorer"])
    def timeline(
        filters: Filters, by: Annotated[Period, Query(description="Period length.")] = Period.week
    ) -> Timeline:
        """Event counts and mean Goldstein score per period, by QuadClass and in all; undated events counted apart."""
        return Timeline(**explorer.timeline(filters, by))

    @app.get("/api/network", tags=["explorer"])
    def network(filters: Filters) -> Network:
        """Actors as nodes; source-to-target edges weighted by events, with their mean Goldstein score."""
        return Network(**explorer.network(filters))

    @app.get("/api/articles/{article_id:path}", tags=["explorer"], responses={404: {"model": ErrorBody}})
    def article(article_id: str) -> ArticleView:
        """An article's text with the evidence spans of each of its events, its quotes and its claims."""
        found = explorer.article(article_id)
        if found is None:
            raise RequestError("E203", "/api/articles", article_id=article_id)
        return ArticleView(**found)

    def download(filters: ExploreFilter, sort: SortKey, order: SortOrder, suffix: str) -> Response:
        frame, total = explorer.download(filters, sort, order, MAX_DOWNLOAD_ROWS)
        body, media = (frame.write_csv(), "text/csv") if suffix == "csv" else (frame.write_json(), "application/json")
        headers = {
            "content-disposition": f'attachment; filename="polybius-events.{suffix}"',
            "x-polybius-total": str(total),
            "x-polybius-rows": str(frame.height),
        }
        return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)

    @app.get("/api/export.csv", tags=["downloads"], response_class=Response)
    def export_csv(filters: Filters, sort: Sort = SortKey.date, order: Order = SortOrder.desc) -> Response:
        """The events of the current filter as CSV (the columns of /api/events; at most 100,000 rows)."""
        return download(filters, sort, order, "csv")

    @app.get("/api/export.json", tags=["downloads"], response_class=Response)
    def export_json(filters: Filters, sort: Sort = SortKey.date, order: Order = SortOrder.desc) -> Response:
        """The events of the current filter as a JSON array (the rows of /api/events; at most 100,000)."""
        return download(filters, sort, order, "json")

    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(db_path: Path, host: str, port: int, echo: Callable[[str], None] = print) -> None:
    """Serve the explorer until interrupted. Raises StoreError when the store cannot be opened."""
    import uvicorn

    loopback = is_loopback(host)
    app = create_app(db_path, allowed_hosts=list(LOOPBACK_NAMES) if loopback else None)
    if not loopback:
        echo(f"polybius: warning: {RequestError('E204', '--host', host=host)}")
    shown = f"[{host}]" if ":" in host else host
    echo(f"Polybius explorer on {db_path}: http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
