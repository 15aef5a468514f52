"""The Python API that the CLI and the web server are thin layers over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from polybius.errors import InputError
from polybius.ingest import IngestSettings, build_article, read_record
from polybius.model import Article, Document, Mention
from polybius.pipeline import Pipeline, PipelineSettings

ArticleLike = Article | str | Mapping[str, Any]


@lru_cache(maxsize=4)
def get_pipeline(settings: PipelineSettings | None = None) -> Pipeline:
    """One pipeline per settings per process: the spaCy model loads once."""
    return Pipeline(settings)


def to_article(item: ArticleLike, date: dt.date | str | None = None, origin: str = "<text>") -> Article:
    """An Article from an Article, a raw text, or a record `{id, title, text, date, source, url}`."""
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return build_article(item, origin, IngestSettings(), date=date, title_from_first_line=True)
    return read_record(dict(item), origin, IngestSettings(), date)


def code(text: str, date: dt.date | str | None = None, **meta: Any) -> Document:
    """Code one article. `meta` may give id, title, source and url. Raises InputError on bad input."""
    if meta:
        article = read_record({"text": text, "date": date, **meta}, "<text>", IngestSettings(), None)
    else:
        article = to_article(text, date)
    return get_pipeline()(article)


ACTOR_STAGES = ("parse", "actors")


def actors(text: str, date: dt.date | str | None = None) -> list[Mention]:
    """The resolved actor mentions of one text (parse and actors stages only)."""
    return get_pipeline(PipelineSettings(stages=ACTOR_STAGES))(to_article(text, date)).actors


def code_many(
    items: Iterable[ArticleLike | InputError],
    date: dt.date | str | None = None,
    on_error: Callable[[InputError], None] | None = None,
    settings: PipelineSettings | None = None,
) -> Iterator[Document]:
    """Code a stream of articles lazily. Bad items go to `on_error` (default: raise) and the stream goes on."""

    def articles() -> Iterator[Article]:
        for n, item in enumerate(items, start=1):
            try:
                if isinstance(item, InputError):
                    raise item
                yield to_article(item, date, origin=f"<item {n}>")
            except InputError as err:
                if on_error is None:
                    raise
                on_error(err)

    yield from get_pipeline(settings).pipe(articles())
