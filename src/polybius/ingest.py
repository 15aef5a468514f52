"""Ingest: files, JSONL records, HTML pages and stdin become clean `Article`s.

Readers yield `Article` or `InputError` values, so one bad input never stops a
batch: the caller reports the error and goes on with the next input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from polybius.data import load_yaml
from polybius.errors import InputError
from polybius.model import Article

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
PARQUET_SUFFIXES = {".parquet"}
PARQUET_BATCH_ROWS = 256
BINARY_SNIFF_BYTES = 8192
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """Limits and checks applied to every input."""

    max_bytes: int = 5_000_000
    check_language: bool = True
    min_english_stopword_ratio: float = 0.15
    min_words_for_language: int = 25


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern[str]:
    patterns = load_yaml("boilerplate.yaml")
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def remove_boilerplate(text: str) -> str:
    """Drop page furniture lines ("Copyright AP ...", "Contact Us", share lines)."""
    pattern = _boilerplate()
    kept = [line for line in text.splitlines() if not pattern.fullmatch(line.strip())]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def split_title(text: str) -> tuple[str | None, str]:
    """The first line is the title when a blank line follows it."""
    first, sep, rest = text.partition("\n")
    if sep and rest.startswith(("\n", "\r\n")) and first.strip() and len(first) < 300:
        return first.strip(), rest.strip()
    return None, text.strip()


def english_stopword_ratio(text: str) -> float:
    from spacy.lang.en.stop_words import STOP_WORDS

    words = WORD.findall(text[:5000].lower())
    return sum(w in STOP_WORDS for w in words) / len(words) if words else 0.0


def check_language(text: str, origin: str, settings: IngestSettings) -> None:
    """Reject text that a language identifier and the English stop-word ratio both say is not English."""
    if not settings.check_language or len(WORD.findall(text[:5000])) < settings.min_words_for_language:
        return  # too few words to tell a language apart ("Russia attacked Syria.")
    ratio = english_stopword_ratio(text)
    if ratio >= settings.min_english_stopword_ratio:
        return
    import py3langid

    language, _ = py3langid.classify(text[:5000])
    if language != "en":
        raise InputError("E007", origin, language=language, ratio=ratio)


def parse_date(value: Any, origin: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for candidate in (text[:10], text):
        try:
            return dt.date.fromisoformat(candidate)
        except ValueError:
            continue
    if re.fullmatch(r"\d{8}", text):  # YYYYMMDD, as wire archives often write it
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise InputError("E009", origin, value=value)


def text_id(text: str) -> str:
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def extract_html(html: str, origin: str) -> tuple[str | None, str, dict[str, Any]]:
    """Main text, title and metadata of a web page (trafilatura)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    body = (extracted.text if extracted else None) or ""
    if not body.strip():
        raise InputError("E008", origin)
    meta = {"date": extracted.date, "url": extracted.url, "source": extracted.sitename}
    return extracted.title, body, meta


def build_article(
    text: str,
    origin: str,
    settings: IngestSettings,
    *,
    id: str | None = None,
    title: str | None = None,
    date: Any = None,
    source: str | None = None,
    url: str | None = None,
    title_from_first_line: bool = False,
) -> Article:
    """Validate and clean one article's text; raises `InputError`."""
    if len(text.encode("utf-8")) > settings.max_bytes:
        raise InputError("E004", origin, size=len(text.encode("utf-8")), limit=settings.max_bytes)
    if looks_like_html(text):
        html_title, text, meta = extract_html(text, origin)
        title = title or html_title
        date = date or meta["date"]
        url = url or meta["url"]
        source = source or meta["source"]
    elif title is None and title_from_first_line:
        title, text = split_title(text)
    body = remove_boilerplate(text)
    if not body:
        raise InputError("E001", origin)
    check_language(body, origin, settings)
    title = " ".join(title.split()) if title else None
    full_text = f"{title}\n\n{body}" if title else body
    return Article(
        id=str(id) if id not in (None, "") else text_id(full_text),
        text=full_text,
        title=title,
        date=parse_date(date, origin),
        source=source,
        url=url,
    )


def decode(raw: bytes, origin: str, settings: IngestSettings) -> str:
    """Bytes to text, refusing empty, binary, oversized and non-UTF-8 input."""
    if len(raw) > settings.max_bytes:
        raise InputError("E004", origin, size=len(raw), limit=settings.max_bytes)
    if not raw.strip():
        raise InputError("E001", origin)
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        raise InputError("E002", origin, n=min(len(raw), BINARY_SNIFF_BYTES))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("E003", origin, byte=raw[err.start], offset=err.start) from None


def read_record(record: Any, origin: str, settings: IngestSettings, default_date: Any) -> Article:
    """One JSON record `{id, title, text, date, source, url}` to an Article."""
    if not isinstance(record, dict):
        raise InputError("E012", origin)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("E006", origin)
    if not text.strip():
        raise InputError("E001", origin)
    return build_article(
        text,
        origin,
        settings,
        id=record.get("id"),
        title=record.get("title") or None,
        date=record.get("date") or default_date,
        source=record.get("source"),
        url=record.get("url"),
    )


def read_jsonl_lines(
    lines: Iterable[bytes], name: str, settings: IngestSettings, default_date: Any
) -> Iterator[Article | InputError]:
    """One article per JSONL line; a bad line is reported with its line number."""
    for lineno, raw in enumerate(lines, start=1):
        if raw.strip():
            yield read_jsonl_line(raw, f"{name}:{lineno}", settings, default_date)


def read_jsonl_line(raw: bytes, origin: str, settings: IngestSettings, default_date: Any) -> Article | InputError:
    """One JSONL line to an Article, or the error that says why it cannot be coded."""
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return InputError("E003", origin, byte=raw[err.start], offset=err.start)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return InputError("E005", origin, detail=err.msg)
    try:
        return read_record(record, origin, settings, default_date)
    except InputError as err:
        return err


def read_parquet(path: Path, settings: IngestSettings, default_date: Any) -> Iterator[Article | InputError]:
    """One article per row of a Parquet file with `text` (and optional id, title, date, source, url) columns.

    Streamed a few hundred rows at a time, so a shard never sits whole in memory; a shard that
    turns out unreadable part-way is reported and the rows before it stand.
    """
    origin = str(path)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield InputError("E016", origin, feature="reading Parquet", package="pyarrow", extra="parquet")
        return
    row = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                try:
                    yield read_record(record, f"{origin}:{row}", settings, default_date)
                except InputError as err:
                    yield err
    except (pa.ArrowException, OSError) as err:
        yield InputError("E017", origin if row == 0 else f"{origin}:{row + 1}", detail=str(err).splitlines()[0])


def read_text_bytes(raw: bytes, origin: str, settings: IngestSettings, default_date: Any, id: str | None):
    text = decode(raw, origin, settings)
    return build_article(text, origin, settings, id=id, date=default_date, title_from_first_line=True)


def read_file(path: Path, settings: IngestSettings, default_date: Any) -> Iterator[Article | InputError]:
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                yield from read_jsonl_lines(handle, origin, settings, default_date)
            return
        if suffix in PARQUET_SUFFIXES:
            yield from read_parquet(path, settings, default_date)
            return
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise InputError("E011", origin, suffix=suffix)
        if path.stat().st_size > settings.max_bytes:
            raise InputError("E004", origin, size=path.stat().st_size, limit=settings.max_bytes)
        yield read_text_bytes(path.read_bytes(), origin, settings, default_date, id=path.stem)
    except InputError as err:
        yield err
    except OSError as err:
        yield InputError("E014", origin, detail=err.strerror or err)


def iter_paths(path: Path) -> Iterator[Path]:
    """A directory's codable files, recursively and in a stable order."""
    suffixes = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | PARQUET_SUFFIXES
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix.lower() in suffixes and not child.name.startswith("."):
            yield child


def read_inputs(
    inputs: Iterable[str], default_date: Any = None, settings: IngestSettings | None = None
) -> Iterator[Article | InputError]:
    """Articles (or errors) from paths, directories and `-` (stdin), in order."""
    settings = settings or IngestSettings()
    for item in inputs:
        if item == "-":
            yield from read_stdin(settings, default_date)
            continue
        path = Path(item)
        if path.is_dir():
            for file in iter_paths(path):
                yield from read_file(file, settings, default_date)
        elif path.exists():
            yield from read_file(path, settings, default_date)
        else:
            yield InputError("E010", item)


def read_stdin(settings: IngestSettings, default_date: Any) -> Iterator[Article | InputError]:
    raw = sys.stdin.buffer.read()
    if raw.lstrip().startswith(b"{"):
        yield from read_jsonl_lines(raw.splitlines(), "<stdin>", settings, default_date)
        return
    try:
        yield read_text_bytes(raw, "<stdin>", settings, default_date, id=None)
    except InputError as err:
        yield err
