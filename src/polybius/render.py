"""Human-readable output: a rich table of coded events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table


def actor_label(actor: dict[str, Any]) -> str:
    code = " ".join(part for part in (actor.get("country") or actor.get("kb_id"), actor.get("sector")) if part)
    return f"{code or '?'} ({actor['text']})"


def events_table(documents: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Coded events", show_lines=False, expand=False)
    for column in ("article", "date", "source", "event", "target", "trigger"):
        table.add_column(column, overflow="fold")
    for document in documents:
        for event in document["events"]:
            plover = (event["plover"] or {}).get("type") or "-"
            flags = " [dim](negated)[/dim]" if event["negated"] else ""
            if event["modality"] != "asserted":
                flags += f" [dim]({event['modality']})[/dim]"
            table.add_row(
                document["article"]["id"],
                event["date"] or "",
                "\n".join(actor_label(a) for a in event["source"]) or "-",
                f"{event['cameo']} {plover}\n[dim]{event['cameo_name']}[/dim]{flags}",
                "\n".join(actor_label(a) for a in event["target"]) or "-",
                event["trigger"]["text"],
            )
    return table


def print_events(documents: Iterable[dict[str, Any]], console: Console | None = None) -> None:
    (console or Console()).print(events_table(documents))
