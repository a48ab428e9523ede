"""The review from the command line: the queue as a table, JSON or CSV, and closing it."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import CliState, pass_state
from tracker.cli.render import dumps, review_record, review_table
from tracker.export import REVIEW_COLUMNS, write_csv


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
@pass_state
def review(state: CliState, as_of: str | None, fmt: str) -> None:
    """Show the daily review queue: what is due, why, and what to do."""
    tracker = state.tracker
    clock = tracker.clock(as_of)
    items = tracker.store.review(clock, tracker.settings)
    if fmt == "json":
        click.echo(dumps([review_record(item, state.tz) for item in items]))
    elif fmt == "csv":
        records = [review_record(item, state.tz) for item in items]
        write_csv(sys.stdout, REVIEW_COLUMNS, ([r[c] for c in REVIEW_COLUMNS] for r in records))
    else:
        click.echo(review_table(items))
        if items:
            click.echo(f"\n{len(items)} item{'s' if len(items) != 1 else ''} due")


@click.command(name="close-review")
@click.option("--done", type=click.IntRange(0), default=None, help="Items you dealt with.")
@pass_state
def close_review(state: CliState, done: int | None) -> None:
    """Close today's review (counts toward your streak)."""
    tracker = state.tracker
    clock = tracker.clock()
    left = len(tracker.store.review(clock, tracker.settings))
    tracker.store.close_review(clock.today, done or 0, left)
    streak = tracker.store.streak(clock.today)
    click.echo(
        f"review for {clock.today.isoformat()} closed; streak {streak} day"
        f"{'s' if streak != 1 else ''}"
    )


COMMANDS = [review, close_review]
