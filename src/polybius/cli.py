"""The `polybius` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from polybius import api
from polybius.actors.kb import default_kb_dir, load_kb
from polybius.actors.kb_import import read_dictionary, write_user_kb
from polybius.dedup import DedupSettings
from polybius.errors import ConfigError, EngineError, InputError, StoreError
from polybius.evaluation import evaluate
from polybius.export import ExportFormat, export
from polybius.ingest import parse_date, read_inputs
from polybius.model import ArticleSummary, Document
from polybius.query import EventFilter, Period, counts, events, parse_dyad
from polybius.render import print_errors, print_events, print_frame, print_report, print_summaries
from polybius.scale import ScaleSettings, code_parallel
from polybius.store import DEFAULT_CHUNK_SIZE, DEFAULT_DB, Store

app = typer.Typer(help="Polybius: political event data from raw news text.", no_args_is_help=True)
PROGRESS_AFTER = 5  # articles; below this a progress bar is noise


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"
    parquet = "parquet"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class RateColumn(ProgressColumn):
    """Articles per second over the last few seconds."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.1f} articles/s")


@app.callback()
def main() -> None:
    """Polybius codes news articles into political events (CAMEO, PLOVER) with evidence spans."""


@app.command("code")
def code_command(
    paths: Annotated[
        list[str], typer.Argument(help="Files (.txt, .html, .jsonl, .parquet), directories, or - for stdin.")
    ],
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, else jsonl)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (a folder for parquet).")
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also store the documents in this DuckDB file.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip articles already in the --db store.")] = False,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Articles per store transaction.")
    ] = DEFAULT_CHUNK_SIZE,
    dedup_window: Annotated[
        int | None, typer.Option("--dedup-window", min=0, help="Days apart that reports of one event may be.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (local) or Ray actors (default: all cores; one for under 64 articles)."),
    ] = None,
    engine: Annotated[Engine, typer.Option(help="local: processes on this machine; ray: Ray Data.")] = Engine.local,
    ray_address: Annotated[
        str | None, typer.Option(help="Address of an existing Ray cluster (default: start a local Ray).")
    ] = None,
) -> None:
    """Code articles into events and print them as JSON lines, JSON or a table, or store them (--db)."""
    stderr = Console(stderr=True)
    try:
        default_date = parse_date(date, "--date")
        if resume and db is None:
            raise InputError("E109", "--resume")
    except InputError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    if output_format is None and (db is None or output is not None):
        to_terminal = output is None and sys.stdout.isatty()
        output_format = OutputFormat.table if to_terminal else OutputFormat.jsonl
    errors: list[InputError] = []
    skipped: list[str] = []

    def report(err: InputError) -> None:
        errors.append(err)
        typer.echo(f"polybius: {err}", err=True)  # one unwrapped line per bad input

    started = time.perf_counter()
    articles = read_inputs(paths, default_date)
    store = open_store(db, dedup_window=dedup_window) if db is not None else None
    try:
        if store is not None and resume:
            if engine is Engine.ray:
                raise ConfigError("E024", "--resume")
            articles = store.skip_stored(articles, on_skip=lambda article: skipped.append(article.id))
        if engine is Engine.ray:
            from polybius.scale_ray import RaySettings, code_ray

            ray_settings = RaySettings(workers=workers, address=ray_address)
            documents = code_ray(paths, default_date, on_error=report, ray=ray_settings)
        else:
            documents = code_parallel(articles, on_error=report, scale=ScaleSettings(workers))
        if store is not None:

            def committed(_: int, total: int) -> None:
                stderr.print(f"stored {total} article(s) in {db}", style="dim", highlight=False, soft_wrap=True)

            documents = store.tee(documents, chunk_size, on_commit=committed)
        if output_format is None:
            with ArticleProgress(stderr) as progress:  # store only
                for document in documents:
                    progress.add(document)
            coded, n_events = progress.articles, progress.events
        else:
            coded, n_events = write_documents(documents, output_format, output, stderr)
        if store is not None:
            totals = store.counts()
            stderr.print(
                f"{db}: {totals['articles']} article(s), {totals['events']} event(s), "
                f"{totals['clusters']} after merging reports of the same event",
                style="dim",
                highlight=False,
                soft_wrap=True,
            )
    except (StoreError, ConfigError, EngineError) as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        if store is not None:
            store.close()
    seconds = time.perf_counter() - started
    resumed = f"; {len(skipped)} already stored" if resume else ""
    stderr.print(
        f"coded {coded} article(s), {n_events} event(s){resumed}; {len(errors)} input(s) could not be coded; "
        f"{seconds:.1f} s ({coded / seconds if seconds else 0:.1f} articles/s)",
        style="dim",
    )
    if coded == 0 and not skipped:
        raise typer.Exit(1)


def open_store(path: Path, read_only: bool = False, create: bool = True, dedup_window: int | None = None):
    """Open a store or exit with its coded error (locked, corrupt, newer schema)."""
    dedup = DedupSettings(window_days=dedup_window) if dedup_window is not None else None
    try:
        return Store(path, read_only=read_only, create=create, dedup=dedup)
    except StoreError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None


def write_documents(
    documents: Iterable[Document], output_format: OutputFormat, output: Path | None, stderr: Console
) -> tuple[int, int]:
    """Stream documents to the sink, with a progress bar once the batch is more than a few articles.

    Returns the number of articles and of events written.
    """
    if output_format is OutputFormat.parquet:
        return write_parquet(documents, output, stderr)
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    collected: list[dict] = []
    summaries: list[ArticleSummary] = []
    with ArticleProgress(stderr) as progress:
        for document in documents:
            progress.add(document)
            if output_format is OutputFormat.table:
                summaries.append(document.summary())
                continue
            record = document.to_dict()
            if output_format is OutputFormat.jsonl:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                collected.append(record)
    if output_format is OutputFormat.json:
        json.dump(collected, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    elif output_format is OutputFormat.table:
        print_summaries(summaries, Console(file=handle) if output else None)
    if output:
        handle.close()
    return progress.articles, progress.events


def write_parquet(documents: Iterable[Document], output: Path | None, stderr: Console) -> tuple[int, int]:
    from polybius.parquet_sink import ParquetShardWriter

    if output is None:
        raise ConfigError("E022", "--format parquet")
    with ParquetShardWriter(output) as writer, ArticleProgress(stderr) as progress:
        for document in documents:
            writer.write(document)
            progress.add(document)
    return progress.articles, progress.events


class ArticleProgress:
    """Counts the articles and events written; a progress bar with articles/s once past a few articles."""

    def __init__(self, stderr: Console) -> None:
        self.articles = self.events = 0
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("coding"),
            BarColumn(),
            TextColumn("{task.completed} articles"),
            RateColumn(),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        )
        self.task = self.bar.add_task("coding", total=None)

    def add(self, document: Document) -> None:
        self.articles += 1
        self.events += len(document.events)
        if self.articles == PROGRESS_AFTER:
            self.bar.start()
        self.bar.advance(self.task)

    def __enter__(self) -> ArticleProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


@app.command("show")
def show_command(
    path: Annotated[Path, typer.Argument(help="A JSONL file written by `polybius code`.", exists=True)],
) -> None:
    """Print the events of a JSONL output file as a table."""
    with path.open(encoding="utf-8") as handle:
        print_events(json.loads(line) for line in handle if line.strip())


@app.command("actors")
def actors_command(
    text: Annotated[str, typer.Argument(help="The text, or - to read one text per line from stdin.")],
    date: Annotated[str | None, typer.Option(help="Date (YYYY-MM-DD) at which people are coded.")] = None,
) -> None:
    """Print the resolved actor mentions of a text as a JSON list (one list per input line with -)."""
    try:
        day = parse_date(date, "--date")
    except InputError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    lines = (line.rstrip("\n") for line in sys.stdin) if text == "-" else [text]
    for line in lines:
        try:
            mentions = [m.to_dict() for m in api.actors(line, day)] if line.strip() else []
        except InputError as err:
            typer.echo(f"polybius: {err}", err=True)
            mentions = []
        typer.echo(json.dumps(mentions, ensure_ascii=False))


kb_app = typer.Typer(help="Manage the user knowledge base that adds to the built-in one.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def kb_import_command(
    path: Annotated[Path, typer.Argument(help="A PETRARCH/TABARI .actors or .agents dictionary file.")],
    kb_dir: Annotated[Path | None, typer.Option(help="User KB directory (default: the user data directory).")] = None,
) -> None:
    """Add the entries of a PETRARCH/TABARI dictionary to the user KB (never to the installed package)."""
    target = kb_dir or default_kb_dir()
    try:
        result = read_dictionary(path, load_kb())
    except InputError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(1) from None
    for skipped in result.skipped:
        typer.echo(f"polybius: {path}: skipped {skipped}", err=True)
    counts = write_user_kb(result, target)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    typer.echo(f"imported {summary} into {target}")


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="A gold JSONL file: {id, text, events, extra.date}.", exists=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    lenient_null: Annotated[bool, typer.Option(help="A null gold country or sector matches anything.")] = False,
    errors: Annotated[bool, typer.Option(help="Also list each record whose events differ at the dyad level.")] = False,
) -> None:
    """Code the text of each gold record and score it: P/R/F1 per level and a confusion table by CAMEO root."""
    result = evaluate(gold, lenient_null)
    if as_json:
        typer.echo(json.dumps(result.report.to_dict(), indent=2))
    else:
        print_report(result.report)
    if errors:
        print_errors(result)


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


EVENT_TABLE_COLUMNS = ("date", "source", "cameo", "plover", "target", "goldstein", "num_articles", "trigger")
DbOption = Annotated[Path, typer.Option("--db", help="The store (a DuckDB file written by `polybius code --db`).")]


@app.command("export")
def export_command(
    export_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")],
    db: DbOption = DEFAULT_DB,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Export the store's deduplicated events as GDELT 2.0, PLOVER JSON, JSON lines, CSV or Parquet."""
    if export_format is ExportFormat.parquet and output is None and sys.stdout.isatty():
        typer.echo(f"polybius: {StoreError('E108', '--format parquet')}", err=True)
        raise typer.Exit(2)
    store = open_store(db, create=False)
    try:
        rows = export(store, export_format, output)
    except StoreError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        store.close()
    Console(stderr=True).print(
        f"exported {rows} row(s) as {export_format.value}", style="dim", highlight=False, soft_wrap=True
    )


@app.command("query")
def query_command(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[str | None, typer.Option("--actor", help="Country, CAMEO actor code or KB id.")] = None,
    dyad: Annotated[str | None, typer.Option("--dyad", help="SOURCE:TARGET actor codes.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="CAMEO code prefix (19, 0256).")] = None,
    plover: Annotated[str | None, typer.Option("--plover", help="PLOVER event type (ASSAULT).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD).")] = None,
    location: Annotated[str | None, typer.Option("--location", help="ISO3 country of the event's place.")] = None,
    by: Annotated[Period | None, typer.Option("--by", help="Count events per period and dyad.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many rows.")] = None,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = QueryFormat.table,
) -> None:
    """List the store's deduplicated events that match the filters, or count them per period and dyad."""
    try:
        filters = EventFilter(
            actor=actor,
            dyad=parse_dyad(dyad) if dyad else None,
            code=code,
            plover=plover,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            location=location,
        )
    except (InputError, StoreError) as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    store = open_store(db, create=False)
    try:
        frame = events(store, filters, limit) if by is None else counts(store, filters, by.value, limit)
    except StoreError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        store.close()
    if output_format is QueryFormat.table:
        shown = frame if by else frame.select(EVENT_TABLE_COLUMNS)  # the rest is in csv/json output
        print_frame(shown, "Event counts" if by else "Events")
    elif output_format is QueryFormat.csv:
        sys.stdout.write(frame.write_csv())
    elif output_format is QueryFormat.json:
        sys.stdout.write(frame.write_json() + "\n")
    else:
        sys.stdout.write(frame.write_ndjson())


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Open the web explorer on a store (read-only): event search, timeline, actor network, evidence."""
    from polybius.serve import run

    try:
        run(db, host, port, echo=lambda line: typer.echo(line, err=True))
    except StoreError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
