"""Human-readable output: a rich table of coded events, one section per article."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table


def actor_label(actor: dict[str, Any]) -> str:
    code = " ".join(part for part in (actor.get("country") or actor.get("kb_id"), actor.get("sector")) if part)
    return f"{code or '?'} [dim]{actor['text']}[/dim]"


def event_label(event: dict[str, Any]) -> str:
    plover = (event["plover"] or {}).get("type") or "-"
    flags = " [red]negated[/red]" if event["negated"] else ""
    if event["modality"] != "asserted":
        flags += f" [yellow]{event['modality']}[/yellow]"
    return f"{event['cameo']} {plover}{flags}"


def events_table(documents: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Coded events", show_lines=False, expand=False)
    for column in ("date", "source", "event", "target", "trigger"):
        table.add_column(column, overflow="fold")
    for document in documents:
        article = document["article"]
        table.add_section()
        table.add_row(f"[bold]{article['id']}[/bold]", article.get("title") or "", "", "", "")
        for event in document["events"]:
            table.add_row(
                event["date"] or "",
                "\n".join(actor_label(a) for a in event["source"]) or "-",
                event_label(event),
                "\n".join(actor_label(a) for a in event["target"]) or "-",
                event["trigger"]["text"],
            )
    return table


def print_events(documents: Iterable[dict[str, Any]], console: Console | None = None) -> None:
    (console or Console()).print(events_table(documents))


def print_frame(frame: Any, title: str, console: Console | None = None) -> None:
    """A polars DataFrame (query results) as a table; empty cells for nulls."""
    table = Table(title=f"{title} ({frame.height} rows)", expand=False)
    for column in frame.columns:
        table.add_column(column, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*("" if value is None else str(value) for value in row))
    (console or Console()).print(table)
