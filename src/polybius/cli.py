"""The `polybius` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from polybius import api
from polybius.actors.kb import default_kb_dir, load_kb
from polybius.actors.kb_import import read_dictionary, write_user_kb
from polybius.api import code_many
from polybius.dedup import DedupSettings
from polybius.errors import InputError, StoreError
from polybius.evaluation import evaluate
from polybius.export import ExportFormat, export
from polybius.ingest import parse_date, read_inputs
from polybius.model import Document
from polybius.query import EventFilter, Period, counts, events, parse_dyad
from polybius.render import print_errors, print_events, print_frame, print_report
from polybius.store import DEFAULT_CHUNK_SIZE, DEFAULT_DB, Store

app = typer.Typer(help="Polybius: political event data from raw news text.", no_args_is_help=True)
PROGRESS_AFTER = 5  # articles; below this a progress bar is noise


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


@app.callback()
def main() -> None:
    """Polybius codes news articles into political events (CAMEO, PLOVER) with evidence spans."""


@app.command("code")
def code_command(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .html, .jsonl), directories, or - for stdin.")],
    date: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, else jsonl)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also store the documents in this DuckDB file.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip articles already in the --db store.")] = False,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Articles per store transaction.")
    ] = DEFAULT_CHUNK_SIZE,
    dedup_window: Annotated[
        int | None, typer.Option("--dedup-window", min=0, help="Days apart that reports of one event may be.")
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

    articles = read_inputs(paths, default_date)
    store = open_store(db, dedup_window=dedup_window) if db is not None else None
    try:
        if store is not None and resume:
            articles = store.skip_stored(articles, on_skip=lambda article: skipped.append(article.id))
        documents = code_many(articles, on_error=report)
        if store is not None:

            def committed(_: int, total: int) -> None:
                stderr.print(f"stored {total} article(s) in {db}", style="dim", highlight=False, soft_wrap=True)

            documents = store.tee(documents, chunk_size, on_commit=committed)
        if output_format is None:
            coded = sum(1 for _ in documents)  # store only
        else:
            coded = write_documents(documents, output_format, output, stderr)
        if store is not None:
            totals = store.counts()
            stderr.print(
                f"{db}: {totals['articles']} article(s), {totals['events']} event(s), "
                f"{totals['clusters']} after merging reports of the same event",
                style="dim",
                highlight=False,
                soft_wrap=True,
            )
    except StoreError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        if store is not None:
            store.close()
    resumed = f"; {len(skipped)} already stored" if resume else ""
    stderr.print(f"coded {coded} article(s){resumed}; {len(errors)} input(s) could not be coded", style="dim")
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
) -> int:
    """Stream documents to the sink, with a progress bar once the batch is more than a few articles."""
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    collected: list[dict] = []
    coded = 0
    progress = Progress(
        SpinnerColumn(),
        TextColumn("coding"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    task = progress.add_task("coding", total=None)
    try:
        for document in documents:
            coded += 1
            if coded == PROGRESS_AFTER:
                progress.start()
            progress.advance(task)
            record = document.to_dict()
            if output_format is OutputFormat.jsonl:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                collected.append(record)
    finally:
        progress.stop()
    if output_format is OutputFormat.json:
        json.dump(collected, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    elif output_format is OutputFormat.table:
        print_events(collected, Console(file=handle) if output else None)
    if output:
        handle.close()
    return coded


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
