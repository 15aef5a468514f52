"""Human-readable output: a rich table of coded events, one section per article."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from polybius.evaluation import Evaluation
    from polybius.scoring import FlatEvent, Report


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


def print_report(report: Report, console: Console | None = None) -> None:
    """Scores per level, then the confusion table by CAMEO root ("-" = missed or spurious)."""
    console = console or Console()
    scores = Table(title="Scores")
    for column in ("level", "records", "gold", "pred", "tp", "precision", "recall", "F1"):
        scores.add_column(column, justify="right" if column != "level" else "left")
    for level, s in report.levels.items():
        if not s.records:
            scores.add_row(level, "0", "-", "-", "-", "-", "-", "no gold labels")
            continue
        scores.add_row(level, str(s.records), str(s.gold), str(s.predicted), str(s.true_positives),
                       f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")  # fmt: skip
    console.print(scores)
    if not report.confusion:
        return
    roots = [*sorted({r for pair in report.confusion for r in pair if r != "-"}), "-"]
    confusion = Table(title="Confusion by CAMEO root (rows: gold, columns: predicted)")
    confusion.add_column("gold")
    for root in roots:
        confusion.add_column(root, justify="right")
    for gold_root in roots:
        cells = [str(report.confusion.get((gold_root, p), "") or "") for p in roots]
        if any(cells):
            confusion.add_row(gold_root, *cells)
    console.print(confusion)


def flat_label(event: FlatEvent) -> str:
    source = f"{event.source_country or '-'}{event.source_sector or ''}"
    target = f"{event.target_country or '-'}{event.target_sector or ''}"
    return f"{source}>{target} {event.cameo or ''}/{event.plover or ''}"


def print_errors(evaluation: Evaluation, console: Console | None = None) -> None:
    """Each record whose gold and predicted events differ at the dyad level, with its text."""
    console = console or Console(width=200)
    for record_id, gold in evaluation.gold.items():
        predicted = evaluation.predicted.get(record_id, [])

        def dyads(events: list[FlatEvent]) -> list[tuple]:
            return sorted((e.source_country or "", e.target_country or "", (e.cameo or "")[:2], e.plover or "")
                          for e in events)  # fmt: skip

        if dyads(gold) == dyads(predicted):
            continue
        console.print(f"[bold]{record_id}[/bold] {evaluation.texts[record_id]}", markup=True, highlight=False)
        console.print("  gold: " + "; ".join(flat_label(e) for e in gold), highlight=False, markup=False)
        console.print("  pred: " + "; ".join(flat_label(e) for e in predicted), highlight=False, markup=False)


def print_frame(frame: Any, title: str, console: Console | None = None) -> None:
    """A polars DataFrame (query results) as a table; empty cells for nulls."""
    table = Table(title=f"{title} ({frame.height} rows)", expand=False)
    for column in frame.columns:
        table.add_column(column, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*("" if value is None else str(value) for value in row))
    (console or Console()).print(table)
