"""The review from the command line: the queue as a table, JSON or CSV, and closing it."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation, pass_reader
from tracker.cli.render import dumps_records, review_table
from tracker.export import REVIEW_COLUMNS, review_records_json, review_rows, write_csv
from tracker.service import collection_paused
from tracker.text import shown
from tracker.words import STREAK_RULE, meeting_when, plural


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
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Include the lapsed items (due longer than [review] horizon_days), marked lapsed.",
)
@pass_reader
def review(
    invocation: Invocation, as_of: str | None, fmt: str, sort: str, why: bool, everything: bool
) -> None:
    """Show the daily review queue: what is due, why, and what to do."""
    with collection_paused():
        _review(invocation, as_of, fmt, sort, why, everything)


def _review(
    invocation: Invocation, as_of: str | None, fmt: str, sort: str, why: bool, everything: bool
) -> None:
    from tracker.priority import by_priority

    tracker = invocation.tracker
    tz = invocation.tz  # the system's zone is looked up once, not once per item
    clock = tracker.clock(as_of)
    found = tracker.full_review(clock)
    items = found.everything() if everything else found.queue
    if sort == "priority":
        items = by_priority(items)
    if fmt == "json":
        click.echo(dumps_records(review_records_json(items, tz, tracker.item_messages(items))))
    elif fmt == "csv":
        items = tracker.with_messages(items)
        write_csv(sys.stdout, REVIEW_COLUMNS, review_rows(items, tz))
    elif fmt == "markdown":
        from tracker.digest import markdown_digest

        items = tracker.with_messages(items)
        click.echo(markdown_digest(items, clock.today), nl=False)
    else:
        meeting = tracker.next_meeting(clock)
        if meeting is not None:
            when = meeting_when(meeting.at, tz, clock.today)
            click.echo(f"next meeting: {shown(meeting.name)}, {when}\n")
        click.echo(review_table(items, show_priority=why))
        footer = _footer(len(found.queue), len(found.lapsed), everything)
        if footer:
            click.echo(footer)


def _footer(due: int, lapsed: int, everything: bool) -> str:
    """How many items are due, and how many older (lapsed) ones are hidden or shown."""
    lines = [f"{plural(due, 'item')} due"] if due else []
    older = plural(lapsed, "older item")
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
    """Close today's review. The streak counts the days you close the review with at
    least one item dealt with (in the app, or --done N here)."""
    tracker = invocation.tracker
    clock = tracker.clock()
    left = len(tracker.queue(clock))
    dealt_with = tracker.done_count(clock.today) if done is None else done
    streak = tracker.close_review(clock.today, dealt_with, left)
    click.echo(f"review for {clock.today.isoformat()} closed; streak {plural(streak, 'day')}")
    if not dealt_with:
        click.echo(
            f"nothing was dealt with, so the streak did not grow ({STREAK_RULE}; "
            "--done N says how many you did)",
            err=True,
        )


COMMANDS = [review, close_review]
