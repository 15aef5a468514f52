"""The `polybius` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from polybius.errors import ConfigError, EngineError, InputError
from polybius.ingest import parse_date, read_inputs
from polybius.model import Document
from polybius.render import print_events
from polybius.scale import ScaleSettings, code_parallel

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
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (local) or Ray actors (default: all cores; one for under 64 articles)."),
    ] = None,
    engine: Annotated[Engine, typer.Option(help="local: processes on this machine; ray: Ray Data.")] = Engine.local,
    ray_address: Annotated[
        str | None, typer.Option(help="Address of an existing Ray cluster (default: start a local Ray).")
    ] = None,
) -> None:
    """Code articles into events and print them as JSON lines, JSON or a table."""
    stderr = Console(stderr=True)
    try:
        default_date = parse_date(date, "--date")
    except InputError as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    if output_format is None:
        to_terminal = output is None and sys.stdout.isatty()
        output_format = OutputFormat.table if to_terminal else OutputFormat.jsonl
    errors: list[InputError] = []

    def report(err: InputError) -> None:
        errors.append(err)
        typer.echo(f"polybius: {err}", err=True)  # one unwrapped line per bad input

    started = time.perf_counter()
    try:
        if engine is Engine.ray:
            from polybius.scale_ray import RaySettings, code_ray

            ray_settings = RaySettings(workers=workers, address=ray_address)
            documents = code_ray(paths, default_date, on_error=report, ray=ray_settings)
        else:
            documents = code_parallel(read_inputs(paths, default_date), on_error=report, scale=ScaleSettings(workers))
        coded, events = write_documents(documents, output_format, output, stderr)
    except (ConfigError, EngineError) as err:
        typer.echo(f"polybius: {err}", err=True)
        raise typer.Exit(2) from None
    seconds = time.perf_counter() - started
    stderr.print(
        f"coded {coded} article(s), {events} event(s); {len(errors)} input(s) could not be coded; "
        f"{seconds:.1f} s ({coded / seconds if seconds else 0:.1f} articles/s)",
        style="dim",
    )
    if coded == 0:
        raise typer.Exit(1)


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
    coded = events = 0
    with progress_bar(stderr) as advance:
        for document in documents:
            coded += 1
            advance()
            events += len(document.events)
            record = document.to_dict()
            if output_format is OutputFormat.jsonl:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                collected.append(record)
    if output_format is OutputFormat.json:
        json.dump(collected, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    elif output_format is OutputFormat.table:
        print_events(collected, Console(file=handle) if output else None)
    if output:
        handle.close()
    return coded, events


def write_parquet(documents: Iterable[Document], output: Path | None, stderr: Console) -> tuple[int, int]:
    from polybius.parquet_sink import ParquetShardWriter

    if output is None:
        raise ConfigError("E022", "--format parquet")
    coded = events = 0
    with ParquetShardWriter(output) as writer, progress_bar(stderr) as advance:
        for document in documents:
            writer.write(document)
            coded += 1
            events += len(document.events)
            advance()
    return coded, events


@contextmanager
def progress_bar(stderr: Console) -> Iterator[Callable[[], None]]:
    """A progress bar with articles/s on stderr, shown once the batch is more than a few articles."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("coding"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        RateColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    task = progress.add_task("coding", total=None)
    count = 0

    def advance() -> None:
        nonlocal count
        count += 1
        if count == PROGRESS_AFTER:
            progress.start()
        progress.advance(task)

    try:
        yield advance
    finally:
        progress.stop()


@app.command("show")
def show_command(
    path: Annotated[Path, typer.Argument(help="A JSONL file written by `polybius code`.", exists=True)],
) -> None:
    """Print the events of a JSONL output file as a table."""
    with path.open(encoding="utf-8") as handle:
        print_events(json.loads(line) for line in handle if line.strip())
