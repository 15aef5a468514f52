"""Ray engine: the same pipeline on Ray Data, on a local Ray started on the fly or an existing cluster.

Reading is distributed: each JSONL or Parquet shard is read whole by a light task and split into
records, each a JSON line with the origin the local reader would give it (`shard.jsonl:17`,
`shard.parquet:3`), so both engines read the same files in the same order. A pool of `workers` actors
(one callable class, so the NLP model loads once per actor, not once per task) turns lines into
articles with the same ingest functions and codes them with the same `scale.code_chunk` as the
local engine, so both engines give the same Documents. Results stream back to the driver in input
order: the caller stays the single writer of its sink.

Ray is an optional extra: `pip install 'polybius[ray]'`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polybius.api import get_pipeline
from polybius.errors import ConfigError, EngineError, InputError
from polybius.ingest import (
    JSONL_SUFFIXES,
    PARQUET_SUFFIXES,
    IngestSettings,
    iter_paths,
    read_jsonl_line,
)
from polybius.model import Article, Document
from polybius.pipeline import PipelineSettings
from polybius.scale import Result, code_chunk, documents_only, limit_native_threads

TARGET_BLOCK_BYTES = 64 * 1024  # about 20 real articles per Ray block


@dataclass(frozen=True, slots=True)
class RaySettings:
    workers: int | None = None  # actors; None: one per CPU of the cluster
    address: str | None = None  # an existing cluster ("auto", "ray://host:10001"); None: start a local Ray
    batch_size: int | None = None  # records per actor call; None: the parser's batch size


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("E016", "--engine ray", feature="the Ray engine", package="ray", extra="ray") from None
    return ray


def split_inputs(paths: Iterable[str]) -> tuple[list[str], list[InputError]]:
    """The JSONL and Parquet files to code, in the local reader's order, and an error for each other input."""
    files: list[str] = []
    errors: list[InputError] = []
    for item in paths:
        path = Path(item)
        if item == "-":
            errors.append(InputError("E018", "<stdin>", engine="ray", what="stdin"))
            continue
        if not path.exists():
            errors.append(InputError("E010", item))
            continue
        for file in list(iter_paths(path)) if path.is_dir() else [path]:
            suffix = file.suffix.lower()
            if suffix in JSONL_SUFFIXES | PARQUET_SUFFIXES:
                files.append(str(file))
            else:
                errors.append(InputError("E018", str(file), engine="ray", what=f"{suffix or 'extensionless'} files"))
    return files, errors


def shard_lines(row: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per record of a shard, as a JSON line with the origin the local reader would give it."""
    path, data = row["path"], row["bytes"]
    if Path(path).suffix.lower() in PARQUET_SUFFIXES:
        return parquet_lines(path, data)
    return [
        {"origin": f"{path}:{n}", "line": raw, "error": None}
        for n, raw in enumerate(data.split(b"\n"), start=1)
        if raw.strip()
    ]


def parquet_lines(path: str, data: bytes) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        records = pq.read_table(pa.BufferReader(data)).to_pylist()
    except (pa.ArrowException, OSError) as err:
        # An unreadable shard becomes one bad line, reported like any malformed record.
        return [{"origin": path, "line": b"", "error": str(err).splitlines()[0]}]
    return [
        {"origin": f"{path}:{n}", "line": json.dumps(record, default=str).encode("utf-8"), "error": None}
        for n, record in enumerate(records, start=1)
    ]


class CodeBatch:
    """A Ray actor: loads the pipeline once, then codes batches of JSON lines into pickled results."""

    def __init__(self, settings: PipelineSettings | None, default_date: dt.date | None) -> None:
        limit_native_threads()
        self.pipeline = get_pipeline(settings)
        self.ingest = IngestSettings()
        self.default_date = default_date

    def __call__(self, batch: Any) -> dict[str, list[bytes]]:
        items = [
            InputError("E017", origin, detail=error)
            if error is not None
            else read_jsonl_line(line, origin, self.ingest, self.default_date)
            for origin, line, error in zip(*(batch[c].to_pylist() for c in ("origin", "line", "error")), strict=True)
        ]
        coded = iter(code_chunk(self.pipeline, [item for item in items if isinstance(item, Article)]))
        results: list[Result] = [item if isinstance(item, InputError) else next(coded) for item in items]
        return {"result": [pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) for result in results]}


def ray_stream(
    paths: Iterable[str],
    default_date: dt.date | None = None,
    settings: PipelineSettings | None = None,
    options: RaySettings | None = None,
) -> Iterator[Result]:
    """Documents (or errors) for JSONL and Parquet inputs, coded on Ray; inputs Ray cannot read come first."""
    ray = import_ray()
    options = options or RaySettings()
    files, errors = split_inputs(paths)
    yield from errors
    if not files:
        return
    started_here = not ray.is_initialized()
    if started_here:
        local = options.address is None
        ray.init(
            address=options.address,
            num_cpus=options.workers if local else None,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    try:
        yield from _run(ray, files, default_date, settings, options)
    finally:
        if started_here:
            ray.shutdown()


def _run(
    ray: Any,
    files: list[str],
    default_date: dt.date | None,
    settings: PipelineSettings | None,
    options: RaySettings,
) -> Iterator[Result]:
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # output in input order, as the local engine gives it
    context.enable_progress_bars = False  # the CLI draws its own
    # Text is small and coding it slow: small blocks spread even a single shard over every actor.
    # (A streaming repartition would need a CPU that the actors hold, and stall.)
    context.target_max_block_size = TARGET_BLOCK_BYTES
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    workers = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    batch_size = options.batch_size or (settings or PipelineSettings()).batch_size
    # Reading and splitting are light I/O: they ask for no CPU, so actors holding every CPU never starve them.
    shards = ray.data.read_binary_files(files, include_paths=True, num_cpus=0)
    lines = shards.flat_map(shard_lines, num_cpus=0)
    coded = lines.map_batches(
        CodeBatch,
        fn_constructor_kwargs={"settings": settings, "default_date": default_date},
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    try:
        for batch in coded.iter_batches(batch_size=None, batch_format="pyarrow"):
            for blob in batch["result"].to_pylist():
                yield pickle.loads(blob)
    except ray.exceptions.RayError as err:
        raise EngineError("E023", "ray engine", detail=str(err).splitlines()[0]) from None


def code_ray(
    paths: Iterable[str],
    date: dt.date | None = None,
    on_error: Callable[[InputError], None] | None = None,
    settings: PipelineSettings | None = None,
    ray: RaySettings | None = None,
) -> Iterator[Document]:
    """Like `scale.code_parallel`, on Ray: Documents, with bad inputs sent to `on_error` (default: raise)."""
    yield from documents_only(ray_stream(paths, date, settings, ray), on_error)
