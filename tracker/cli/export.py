"""``outreach export``: contacts, touches, invitations or the review queue as CSV."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from tracker.cli.common import CliState, pass_state
from tracker.cli.render import review_record
from tracker.errors import UsageError
from tracker.export import REVIEW_COLUMNS, write_csv

WHAT = ("contacts", "touches", "invitations", "review", "stats")


@contextlib.contextmanager
def _output(out: str | None) -> Iterator[TextIO]:
    """stdout, or a file written beside its target and renamed into place when complete."""
    if out is None:
        yield sys.stdout
        return
    target = Path(out).expanduser()
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name")
    if not target.parent.exists():
        raise UsageError(f"{target.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@click.command()
@click.argument("what", type=click.Choice(WHAT))
@click.option("--out", "-o", metavar="FILE", help="Write to FILE (default: stdout).")
@click.option("--as-of", "as_of", metavar="DATE|DATETIME", help="For the review: as of when.")
@click.option("--raw", is_flag=True, help="Do not neutralise cells that look like formulas.")
@pass_state
def export(state: CliState, what: str, out: str | None, as_of: str | None, raw: bool) -> None:
    """Export WHAT as CSV (UTF-8, header row)."""
    tracker = state.tracker
    header: tuple[str, ...]
    rows: Any
    if what == "review":
        items = tracker.store.review(tracker.clock(as_of), tracker.settings)
        header = REVIEW_COLUMNS
        rows = ([review_record(i, state.tz)[c] for c in REVIEW_COLUMNS] for i in items)
    elif what == "stats":
        from tracker.cli.stats import STATS_COLUMNS
        from tracker.stats import flatten

        header, rows = STATS_COLUMNS, flatten(tracker.stats(as_of=as_of))
    else:
        if as_of:
            raise UsageError("--as-of applies to the review and stats exports only")
        header, rows = tracker.store.export_rows(what)
    with _output(out) as handle:
        count = write_csv(handle, header, rows, raw=raw)
    if out:
        click.echo(f"wrote {count} {what} rows to {Path(out).expanduser()}", err=True)


COMMANDS = [export]
