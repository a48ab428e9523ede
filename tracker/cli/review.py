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
    type=click.Choice(["table", "json", "csv", "markdown"]),
    default="table",
    show_default=True,
    help="markdown: a short digest of the day's queue (for a cron job to mail).",
)
@click.option(
    "--sort",
    type=click.Choice(["kind", "priority"]),
    default="kind",
    show_default=True,
    help="kind: the review's own order; priority: highest score first.",
)
@click.option("--why", is_flag=True, help="Show each item's priority score and its parts.")
@pass_invocation
def review(invocation: Invocation, as_of: str | None, fmt: str, sort: str, why: bool) -> None:
    """Show the daily review queue: what is due, why, and what to do."""
    from tracker.priority import by_priority

    tracker = invocation.tracker
    clock = tracker.clock(as_of)
    items = tracker.queue(clock)
    if sort == "priority":
        items = by_priority(items)
    if fmt == "json":
        click.echo(dumps([review_record(item, invocation.tz) for item in items]))
    elif fmt == "csv":
        write_csv(sys.stdout, REVIEW_COLUMNS, review_rows(items, invocation.tz))
    elif fmt == "markdown":
        from tracker.digest import markdown_digest

        click.echo(markdown_digest(items, clock.today), nl=False)
    else:
        click.echo(review_table(items, show_priority=why))
        if items:
            click.echo(f"\n{len(items)} item{'s' if len(items) != 1 else ''} due")


@click.command(name="close-review")
@click.option("--done", type=click.IntRange(0, MAX_INT), default=None, help="Items you dealt with.")
@pass_invocation
def close_review(invocation: Invocation, done: int | None) -> None:
    """Close today's review (counts toward your streak)."""
    tracker = invocation.tracker
    clock = tracker.clock()
    left = len(tracker.queue(clock))
    streak = tracker.close_review(clock.today, done or 0, left)
    click.echo(
        f"review for {clock.today.isoformat()} closed; streak {streak} day"
        f"{'s' if streak != 1 else ''}"
    )


COMMANDS = [review, close_review]
