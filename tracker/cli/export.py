"""``outreach export``: contacts, touches, invitations, the review queue or the stats as
CSV, or the calendar as iCalendar, to standard output or a file (never over an existing
one without ``--force``)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from tracker.cli.common import Invocation, pass_reader
from tracker.errors import RefusedError, UsageError
from tracker.export import REVIEW_COLUMNS, atomic_text_file, review_rows, write_csv
from tracker.service import collection_paused
from tracker.words import plural

WHAT = ("contacts", "touches", "invitations", "review", "stats", "calendar")
FILTERED = ("contacts", "touches", "invitations")
"""The exports ``--tag``, ``--segment`` and ``--since`` narrow (the stats take them too)."""
CALENDAR_DAYS = 30
"""How far ahead ``export calendar`` looks by default, in days."""


def to_stdout(out: str | None) -> bool:
    """Whether ``--out`` means standard output: not given, or ``-``."""
    return out is None or out == "-"


@contextlib.contextmanager
def _output(out: str | None, force: bool) -> Iterator[TextIO]:
    """stdout, or a private file renamed into place once complete; an existing file is
    replaced only with ``force``."""
    if to_stdout(out):
        yield sys.stdout
        return
    target = Path(str(out)).expanduser()
    if target.exists() and not target.is_dir() and not force:
        raise RefusedError(
            f"{target}: already exists; choose a new file name, or --force to replace it"
        )
    with atomic_text_file(target) as handle:
        yield handle


@click.command()
@click.argument("what", type=click.Choice(WHAT))
@click.option(
    "--out",
    "-o",
    metavar="FILE",
    help="Write to FILE (default, or -: standard output). An existing FILE needs --force.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--tag", default="", help="Only contacts with this tag (and their touches).")
@click.option("--segment", default="", help="Only contacts in this segment (and their touches).")
@click.option(
    "--since",
    metavar="DATE",
    help="Touches and invitations from DATE on; contacts added or touched since DATE.",
)
@click.option("--as-of", "as_of", metavar="DATE|DATETIME", help="For the review: as of when.")
@click.option("--raw", is_flag=True, help="Do not neutralise cells that look like formulas.")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    metavar="N",
    help=f"For the calendar: how many days ahead (default {CALENDAR_DAYS}).",
)
@pass_reader
def export(
    invocation: Invocation,
    what: str,
    out: str | None,
    force: bool,
    tag: str,
    segment: str,
    since: str | None,
    as_of: str | None,
    raw: bool,
    days: int | None,
) -> None:
    """Export WHAT as CSV (UTF-8, header row); `export calendar` writes an iCalendar
    file (.ics) of your follow-ups, key dates and today's review for your phone's
    calendar (import it again later: the events update, they do not double)."""
    header: tuple[str, ...]
    rows: Any
    if days is not None and what != "calendar":
        raise UsageError("--days applies to the calendar export only")
    if what == "calendar":
        if tag or segment or since or raw:
            raise UsageError("--tag, --segment, --since and --raw apply to the CSV exports")
        _calendar(invocation, out, force, as_of, CALENDAR_DAYS if days is None else days)
        return
    since_day = invocation.day(since, direction="behind") if since else None
    if what == "review":
        if tag or segment or since:
            raise UsageError("--tag, --segment and --since apply to the other exports")
        tracker = invocation.tracker
        with collection_paused():
            items = tracker.with_messages(tracker.review(as_of))
            header = REVIEW_COLUMNS
            rows = list(review_rows(items, invocation.tz))
    elif what == "stats":
        from tracker.cli.stats import STATS_COLUMNS
        from tracker.stats import flatten

        data = invocation.tracker.stats(since_day, tag, segment, as_of=as_of)
        header, rows = STATS_COLUMNS, flatten(data)
    else:
        if as_of:
            raise UsageError("--as-of applies to the review, stats and calendar exports only")
        header, rows = invocation.tracker.export_rows(what, tag, segment, since_day)
    with _output(out, force) as handle:
        count = write_csv(handle, header, rows, raw=raw)
    if not to_stdout(out):
        noun = {"review": "review item", "stats": "stats row"}.get(what, what.rstrip("s"))
        written = plural(count, noun)
        click.echo(f"wrote {written} to {Path(str(out)).expanduser()}", err=True)


def _calendar(
    invocation: Invocation, out: str | None, force: bool, as_of: str | None, days: int
) -> None:
    from tracker.calendar_export import summary_line, to_ics
    from tracker.timeutil import now_utc

    entries = invocation.tracker.calendar(days, as_of)
    text = to_ics(entries, now_utc())
    with _output(out, force) as handle:
        handle.write(text)
    if not to_stdout(out):
        click.echo(f"wrote {summary_line(entries)} to {Path(str(out)).expanduser()}", err=True)


COMMANDS = [export]
