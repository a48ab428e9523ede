"""``outreach export``: contacts, touches, invitations or the review queue as CSV."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.errors import UsageError
from tracker.export import REVIEW_COLUMNS, atomic_text_file, review_rows, write_csv

WHAT = ("contacts", "touches", "invitations", "review", "stats", "calendar")
CALENDAR_DAYS = 30
"""How far ahead ``export calendar`` looks by default, in days."""


@contextlib.contextmanager
def _output(out: str | None) -> Iterator[TextIO]:
    """stdout, or a private file renamed into place once complete."""
    if out is None:
        yield sys.stdout
        return
    with atomic_text_file(Path(out)) as handle:
        yield handle


@click.command()
@click.argument("what", type=click.Choice(WHAT))
@click.option("--out", "-o", metavar="FILE", help="Write to FILE (default: stdout).")
@click.option("--as-of", "as_of", metavar="DATE|DATETIME", help="For the review: as of when.")
@click.option("--raw", is_flag=True, help="Do not neutralise cells that look like formulas.")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    metavar="N",
    help=f"For the calendar: how many days ahead (default {CALENDAR_DAYS}).",
)
@pass_invocation
def export(
    invocation: Invocation,
    what: str,
    out: str | None,
    as_of: str | None,
    raw: bool,
    days: int | None,
) -> None:
    """Export WHAT as CSV (UTF-8, header row); `export calendar` writes an iCalendar
    file (.ics) of your follow-ups, key dates and today's review for your phone's
    calendar (import it again later: the events update, they do not double)."""
    tracker = invocation.tracker
    header: tuple[str, ...]
    rows: Any
    if days is not None and what != "calendar":
        raise UsageError("--days applies to the calendar export only")
    if what == "calendar":
        _calendar(invocation, out, as_of, CALENDAR_DAYS if days is None else days)
        return
    if what == "review":
        items = tracker.review(as_of)
        header = REVIEW_COLUMNS
        rows = review_rows(items, invocation.tz)
    elif what == "stats":
        from tracker.cli.stats import STATS_COLUMNS
        from tracker.stats import flatten

        header, rows = STATS_COLUMNS, flatten(tracker.stats(as_of=as_of))
    else:
        if as_of:
            raise UsageError("--as-of applies to the review and stats exports only")
        header, rows = tracker.export_rows(what)
    with _output(out) as handle:
        count = write_csv(handle, header, rows, raw=raw)
    if out:
        click.echo(f"wrote {count} {what} rows to {Path(out).expanduser()}", err=True)


def _calendar(invocation: Invocation, out: str | None, as_of: str | None, days: int) -> None:
    from tracker.calendar_export import summary_line, to_ics
    from tracker.timeutil import now_utc

    entries = invocation.tracker.calendar(days, as_of)
    text = to_ics(entries, now_utc())
    with _output(out) as handle:
        handle.write(text)
    if out:
        click.echo(f"wrote {summary_line(entries)} to {Path(out).expanduser()}", err=True)


COMMANDS = [export]
