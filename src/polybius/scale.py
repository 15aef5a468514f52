"""Local engine: code a stream of articles with N worker processes, in input order, in bounded memory.

The parent process reads and cleans the input (ingest) and hands chunks of articles to worker
processes, which run the NLP pipeline; results come back in input order, so the caller stays the
single writer of whatever sink it feeds. At most `workers * in_flight` chunks are out at any time:
a stream of millions of articles is never held at once.

Small inputs are coded in-process: when the stream ends before `min_parallel` articles (64), a
process pool would cost more to start than it saves. One worker also means in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from polybius.api import ArticleLike, get_pipeline, to_article
from polybius.errors import ConfigError, EngineError, InputError
from polybius.model import Article, Document
from polybius.pipeline import Pipeline, PipelineSettings

Result = Document | InputError
Chunk = list[Article | InputError]
# A chunk also closes after this many items in all, so a long run of bad records never piles up.
MAX_ITEMS_PER_CHUNK_FACTOR = 8


@dataclass(frozen=True, slots=True)
class ScaleSettings:
    workers: int | None = None  # None: every core this process may use
    chunk_size: int | None = None  # articles per task; None: the parser's batch size
    in_flight: int = 3  # chunks queued or running per worker: keeps workers fed, bounds memory
    min_parallel: int = 64  # a stream shorter than this is coded in-process


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity and container limits where the OS says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def resolve_workers(workers: int | None) -> int:
    if workers is None:
        return available_cores()
    if workers < 1:
        raise ConfigError("E019", "--workers", workers=workers)
    return workers


def code_one(pipeline: Pipeline, article: Article) -> Result:
    try:
        return pipeline(article)
    except Exception as err:  # a stage bug on one odd article must not end a run of millions
        return InputError("E015", article.id, detail=f"{type(err).__name__}: {err}")


def code_chunk(pipeline: Pipeline, articles: list[Article]) -> list[Result]:
    """Code a chunk as one parser batch; if a stage raises, code it article by article so only the bad one is lost."""
    try:
        results: list[Result] = list(pipeline.pipe(articles))
    except Exception:
        results = [code_one(pipeline, article) for article in articles]
    for result in results:
        if isinstance(result, Document):
            result.parse = None  # the spaCy Doc is large, internal, and never part of the output
    return results


def iter_chunks(items: Iterable[Article | InputError], size: int) -> Iterator[Chunk]:
    """Consecutive items holding `size` articles each; errors ride along in their place."""
    chunk: Chunk = []
    articles = 0
    for item in items:
        chunk.append(item)
        articles += isinstance(item, Article)
        if articles == size or len(chunk) >= size * MAX_ITEMS_PER_CHUNK_FACTOR:
            yield chunk
            chunk, articles = [], 0
    if chunk:
        yield chunk


def articles_of(chunk: Chunk) -> list[Article]:
    return [item for item in chunk if isinstance(item, Article)]


def merge(chunk: Chunk, coded: list[Result]) -> Iterator[Result]:
    """The chunk's items in order, each article replaced by what coding it gave."""
    results = iter(coded)
    for item in chunk:
        yield item if isinstance(item, InputError) else next(results)


def code_stream(
    items: Iterable[Article | InputError],
    settings: PipelineSettings | None = None,
    scale: ScaleSettings | None = None,
) -> Iterator[Result]:
    """Documents (or errors) for a stream of articles (or errors), in input order."""
    scale = scale or ScaleSettings()
    workers = resolve_workers(scale.workers)
    size = scale.chunk_size or (settings or PipelineSettings()).batch_size
    chunks = iter_chunks(items, size)
    head: list[Chunk] = []
    if workers > 1:
        # Peek far enough to know whether a pool pays for itself.
        seen = 0
        for chunk in chunks:
            head.append(chunk)
            seen += len(articles_of(chunk))
            if seen >= scale.min_parallel:
                break
        else:
            workers = 1
    stream = _chain(head, chunks)
    if workers == 1:
        pipeline = get_pipeline(settings)
        for chunk in stream:
            yield from merge(chunk, code_chunk(pipeline, articles_of(chunk)))
    else:
        yield from _code_in_pool(stream, settings, workers, scale.in_flight)


def _chain(head: list[Chunk], rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield from head
    yield from rest


# The pipeline of a worker process, set once by the pool's initializer.
_worker_pipeline: Pipeline | None = None


def limit_native_threads() -> None:
    """One thread per worker: the workers are the parallelism, and the BLAS and OpenMP pools that numpy
    and scikit-learn start in every process (one thread per core each) would only fight them for cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # no scikit-learn, no such pools
        return
    threadpool_limits(1)


def _init_worker(settings: PipelineSettings | None) -> None:
    global _worker_pipeline
    limit_native_threads()
    _worker_pipeline = get_pipeline(settings)  # a forked worker finds the parent's copy already loaded


def _code_in_worker(articles: list[Article]) -> list[Result]:
    assert _worker_pipeline is not None, "worker started without its initializer"
    return code_chunk(_worker_pipeline, articles)


def _pool_context() -> Any:
    # fork: workers share the parent's loaded model pages and start at once; elsewhere each worker loads it.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _code_in_pool(
    chunks: Iterator[Chunk], settings: PipelineSettings | None, workers: int, in_flight: int
) -> Iterator[Result]:
    context = _pool_context()
    if context.get_start_method() == "fork":
        get_pipeline(settings)  # load once in the parent, before forking
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(settings,))
    pending: deque[tuple[Chunk, Future[list[Result]] | None]] = deque()

    def settle() -> Iterator[Result]:
        chunk, future = pending.popleft()
        try:
            coded = future.result() if future is not None else []
        except BrokenProcessPool as err:
            raise EngineError("E020", "local engine", detail=str(err) or "killed") from None
        yield from merge(chunk, coded)

    try:
        for chunk in chunks:
            articles = articles_of(chunk)
            pending.append((chunk, pool.submit(_code_in_worker, articles) if articles else None))
            if len(pending) >= workers * in_flight:
                yield from settle()
        while pending:
            yield from settle()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def as_articles(items: Iterable[ArticleLike | InputError], date: Any = None) -> Iterator[Article | InputError]:
    """Articles from texts, records or Articles; a bad item becomes its error, in its place."""
    for n, item in enumerate(items, start=1):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield to_article(item, date, origin=f"<item {n}>")
        except InputError as err:
            yield err


def code_parallel(
    items: Iterable[ArticleLike | InputError],
    date: Any = None,
    on_error: Callable[[InputError], None] | None = None,
    settings: PipelineSettings | None = None,
    scale: ScaleSettings | None = None,
) -> Iterator[Document]:
    """`api.code_many` on all local cores: same arguments, same Documents (without the spaCy parse)."""
    yield from documents_only(code_stream(as_articles(items, date), settings, scale), on_error)


def documents_only(
    results: Iterable[Document | InputError], on_error: Callable[[InputError], None] | None
) -> Iterator[Document]:
    """The Documents of an engine's stream; its errors go to `on_error` (default: raise)."""
    for result in results:
        if isinstance(result, InputError):
            if on_error is None:
                raise result
            on_error(result)
        else:
            yield result
