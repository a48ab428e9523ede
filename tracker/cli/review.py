"""The review from the command line: the queue as a table, JSON or CSV, and closing it."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation, pass_reader
from tracker.cli.render import dumps, review_table
from tracker.export import REVIEW_COLUMNS, review_record, review_rows, write_csv
from tracker.words import STREAK_RULE, plural


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
@pass_reader
def review(invocation: Invocation, as_of: str | None, fmt: str, sort: str, why: bool) -> None:
    """Show the daily review queue: what is due, why, and what to do."""
    from tracker.priority import by_priority

    tracker = invocation.tracker
    clock = tracker.clock(as_of)
    items = tracker.queue(clock)
    if sort == "priority":
        items = by_priority(items)
    if fmt != "table":
        items = tracker.with_messages(items)
    if fmt == "json":
        click.echo(dumps([review_record(item, invocation.tz) for item in items]))
    elif fmt == "csv":
        write_csv(sys.stdout, REVIEW_COLUMNS, review_rows(items, invocation.tz))
    else:
        click.echo(review_table(items, show_priority=why))
        if items:
            click.echo(f"\n{plural(len(items), 'item')} due")


@click.command(name="close-review")
@click.option(
    "--done",
    type=click.IntRange(0, MAX_INT),
    default=None,
    help="Items you dealt with (default: those the app counted today).",
)
@pass_invocation
def close_review(invocation: Invocation, done: int | None) -> None:
    """Close today's review. The streak counts the days you close the review with at
    least one item dealt with (in the app, or --done N here)."""
    tracker = invocation.tracker
    clock = tracker.clock()
    day = tracker.day(clock)
    dealt_with = day.done if done is None else done
    streak = tracker.close_review(clock.today, dealt_with, day.left)
    click.echo(f"review for {clock.today.isoformat()} closed; streak {plural(streak, 'day')}")
    if not dealt_with:
        click.echo(
            f"nothing was dealt with, so the streak did not grow ({STREAK_RULE}; "
            "--done N says how many you did)",
            err=True,
        )


COMMANDS = [review, close_review]
