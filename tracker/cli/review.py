"""The review from the command line: the queue as a table, JSON or CSV, and closing it."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation
from tracker.cli.render import dumps, review_table
from tracker.export import REVIEW_COLUMNS, review_record, review_rows, write_csv


@click.command()
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|DATETIME",
    help="Review as of the end of this local day, or this moment (default: now).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--sort",
    type=click.Choice(["kind", "priority"]),
    default="kind",
    show_default=True,
    help="kind: the review's own order; priority: highest score first.",
)
@click.option("--why", is_flag=True, help="Show each item's priority score and its parts.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Include the lapsed items (due longer than [review] horizon_days), marked lapsed.",
)
@pass_invocation
def review(
    invocation: Invocation, as_of: str | None, fmt: str, sort: str, why: bool, everything: bool
) -> None:
    """Show the daily review queue: what is due, why, and what to do."""
    from tracker.priority import by_priority

    tracker = invocation.tracker
    clock = tracker.clock(as_of)
    found = tracker.full_review(clock)
    items = found.everything() if everything else found.queue
    if sort == "priority":
        items = by_priority(items)
    if fmt == "json":
        click.echo(dumps([review_record(item, invocation.tz) for item in items]))
    elif fmt == "csv":
        write_csv(sys.stdout, REVIEW_COLUMNS, review_rows(items, invocation.tz))
    else:
        click.echo(review_table(items, show_priority=why))
        footer = _footer(len(found.queue), len(found.lapsed), everything)
        if footer:
            click.echo(footer)


def _footer(due: int, lapsed: int, everything: bool) -> str:
    """How many items are due, and how many older (lapsed) ones are hidden or shown."""
    lines = [f"{due:,} item{'s' if due != 1 else ''} due"] if due else []
    older = f"{lapsed:,} older item{'s' if lapsed != 1 else ''}"
    if lapsed and everything:
        lines.append(f"{older} shown, marked lapsed")
    elif lapsed:
        lines.append(f"{older} hidden; review --all shows them")
    return "\n" + "\n".join(lines) if lines else ""


@click.command(name="close-review")
@click.option(
    "--done",
    type=click.IntRange(0, MAX_INT),
    default=None,
    help="Items you dealt with (default: those the app and `outreach done` counted today).",
)
@pass_invocation
def close_review(invocation: Invocation, done: int | None) -> None:
    """Close today's review (counts toward your streak)."""
    tracker = invocation.tracker
    clock = tracker.clock()
    left = len(tracker.queue(clock))
    if done is None:
        done = tracker.done_count(clock.today)
    streak = tracker.close_review(clock.today, done, left)
    click.echo(
        f"review for {clock.today.isoformat()} closed; streak {streak} day"
        f"{'s' if streak != 1 else ''}"
    )


COMMANDS = [review, close_review]
