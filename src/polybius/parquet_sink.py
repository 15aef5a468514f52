"""Parquet output: coded documents as numbered shards in a folder, one row per article.

Columns: id, title, date, source, url, n_events, and `document`, the full output document as
JSON (docs/output.md). Rows are written a row group at a time and a shard closes after
`rows_per_shard` rows, so memory stays flat however long the run.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any

from polybius.errors import ConfigError
from polybius.model import Document

SHARD_GLOB = "part-*.parquet"


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            "E016", "--format parquet", feature="Parquet output", package="pyarrow", extra="parquet"
        ) from None
    return pa, pq


class ParquetShardWriter:
    """Writes Documents to `folder/part-00000.parquet`, `part-00001.parquet`, ...; use as a context manager."""

    def __init__(self, folder: Path, rows_per_shard: int = 50_000, rows_per_group: int = 1_000) -> None:
        self.pa, self.pq = _pyarrow()
        self.folder = folder
        self.rows_per_shard = rows_per_shard
        self.rows_per_group = rows_per_group
        self.schema = self.pa.schema(
            [
                ("id", self.pa.string()),
                ("title", self.pa.string()),
                ("date", self.pa.date32()),
                ("source", self.pa.string()),
                ("url", self.pa.string()),
                ("n_events", self.pa.int32()),
                ("document", self.pa.string()),
            ]
        )
        folder.mkdir(parents=True, exist_ok=True)
        if next(folder.glob(SHARD_GLOB), None) is not None:
            raise ConfigError("E021", str(folder))
        self.shards: list[Path] = []
        self.rows: list[dict[str, Any]] = []
        self.in_shard = 0
        self.writer: Any = None

    def write(self, document: Document) -> None:
        article = document.article
        self.rows.append(
            {
                "id": article.id,
                "title": article.title,
                "date": article.date,
                "source": article.source,
                "url": article.url,
                "n_events": len(document.events),
                "document": json.dumps(document.to_dict(), ensure_ascii=False),
            }
        )
        if len(self.rows) >= self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        while self.rows:
            if self.writer is None:
                path = self.folder / f"part-{len(self.shards):05d}.parquet"
                self.writer = self.pq.ParquetWriter(path, self.schema)
                self.shards.append(path)
            room = self.rows_per_shard - self.in_shard
            batch, self.rows = self.rows[:room], self.rows[room:]
            self.writer.write_table(self.pa.Table.from_pylist(batch, schema=self.schema))
            self.in_shard += len(batch)
            if self.in_shard >= self.rows_per_shard:
                self.writer.close()
                self.writer, self.in_shard = None, 0

    def close(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def __enter__(self) -> ParquetShardWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
