"""Human-readable output: per article its actors and timeline, a table of coded events, scores."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from polybius.evaluation import Evaluation
    from polybius.model import ArticleSummary, TimelineEntry
    from polybius.scoring import FlatEvent, Report


def actor_label(actor: dict[str, Any]) -> str:
    code = " ".join(part for part in (actor.get("country") or actor.get("kb_id"), actor.get("sector")) if part)
    return f"{code or '?'} [dim]{actor['text']}[/dim]"


def event_flags(negated: bool, modality: str) -> str:
    """ " negated", " possible", ...: what keeps an event from being a plain fact, in colour."""
    flags = " [red]negated[/red]" if negated else ""
    if modality != "asserted":
        flags += f" [yellow]{modality}[/yellow]"
    return flags


def event_label(event: dict[str, Any]) -> str:
    plover = (event["plover"] or {}).get("type") or "-"
    return f"{event['cameo']} {plover}{event_flags(event['negated'], event['modality'])}"


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


def actors_table(summary: ArticleSummary) -> Table:
    """One row per actor, most mentioned first; `first at` is the character offset of its first mention."""
    table = Table(title="Actors", title_justify="left", expand=False)
    for column in ("actor", "name", "country", "sector", "mentions", "first at"):
        table.add_column(column, overflow="fold", justify="right" if column in ("mentions", "first at") else "left")
    for actor in summary.actors:
        table.add_row(
            actor.kb_id or actor.code or "?",
            actor.label,
            actor.country or "-",
            actor.sector or "-",
            str(actor.mentions),
            str(actor.first.start),
        )
    return table


def timeline_event(entry: TimelineEntry) -> str:
    """CAMEO code with its PLOVER type (its name for statements, which PLOVER drops), then any flags."""
    return f"{entry.cameo} {entry.plover or entry.cameo_name}{event_flags(entry.negated, entry.modality)}"


TIMELINE_COLUMNS = ("date", "source", "event", "target", "trigger", "place", "reported by")
OPTIONAL_COLUMNS = {"place", "reported by"}  # shown only when some event has one: most articles have no places


def timeline_row(entry: TimelineEntry) -> tuple[Text | str, ...]:
    date = entry.date.isoformat() if entry.date else "?"
    return (
        Text(date, style="dim" if entry.date_from == "publication" else ""),
        "\n".join(entry.source) or "-",
        timeline_event(entry),
        "\n".join(entry.target) or "-",
        entry.trigger,
        entry.location or "",
        "\n".join(entry.reported_by),
    )


def timeline_table(summary: ArticleSummary) -> Table:
    """The article's events by date; dates taken from the publication date, not the text, are dimmed."""
    rows = [timeline_row(entry) for entry in summary.timeline]
    shown = [
        n for n, column in enumerate(TIMELINE_COLUMNS) if column not in OPTIONAL_COLUMNS or any(row[n] for row in rows)
    ]
    table = Table(title="Timeline", title_justify="left", expand=False)
    for n in shown:
        table.add_column(TIMELINE_COLUMNS[n], overflow="fold")
    for row in rows:
        table.add_row(*(row[n] for n in shown))
    return table


def print_summaries(summaries: Iterable[ArticleSummary], console: Console | None = None) -> None:
    """Per article: a heading, its actors table and its timeline table."""
    console = console or Console()
    for summary in summaries:
        heading = " · ".join(part for part in (summary.article_id, summary.title) if part)
        date = f" ({summary.date.isoformat()})" if summary.date else ""
        console.print()
        console.print(Text(heading + date, style="bold"))
        if summary.actors:
            console.print(actors_table(summary))
        if summary.timeline:
            console.print(timeline_table(summary))
        else:
            console.print("no events", style="dim")


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
