"""What every command shares: the lazily opened tracker, and option types for dates."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from tracker.config import Settings, load_settings
from tracker.dates import Direction
from tracker.models import Contact
from tracker.paths import default_db_path, ensure_private_dir
from tracker.service import Tracker
from tracker.text import shown
from tracker.timeutil import local_tz, parse_date, parse_when


class Invocation:
    """One run of a command: the database path, the settings and (once needed) the tracker."""

    def __init__(self, db_path: str | None) -> None:
        self.db_arg = db_path
        self._settings: Settings | None = None
        self._tracker: Tracker | None = None
        self.reads_only = False
        """Set by commands that only read: they never create the data folder or a
        database (on a fresh machine they read an empty one in memory instead)."""

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            notes: list[str] = []
            self._settings = load_settings(notes=notes)
            for note in notes:
                click.echo(f"outreach: note: {shown(note)}", err=True)
        return self._settings

    @property
    def tz(self) -> tzinfo:
        return local_tz(self.settings.timezone)

    @property
    def db_path(self) -> Path:
        """The database file; its folder is made (private) unless the command only
        reads, and tightened to private when it exists."""
        if self.db_arg:
            return Path(self.db_arg).expanduser()
        path = default_db_path()
        if not self.reads_only or path.parent.is_dir():
            ensure_private_dir(path.parent)
        return path

    @property
    def has_data(self) -> bool:
        """Whether there is a database to read (a command that only reads asks)."""
        return self.db_path.exists()

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            if self.reads_only and not self.has_data:
                click.echo(f"outreach: {no_data_yet(self.db_path)}", err=True)
                self._tracker = Tracker.open(":memory:", self.settings)
            else:
                self._tracker = Tracker.open(self.db_path, self.settings)
        return self._tracker

    def resolve(self, ref: str) -> Contact:
        """The contact ``ref`` names; one found by first name or the start of the name
        is named on stderr, so the user sees who it was."""
        contact, exact = self.tracker.match(ref)
        if not exact:
            who = shown(contact.name) + (f", {shown(contact.company)}" if contact.company else "")
            click.echo(f"outreach: {shown(ref.strip())!r} is {who} (#{contact.id})", err=True)
        return contact

    def when(self, text: str | None) -> datetime | None:
        """``--at`` parsed in local time (``None`` means now)."""
        return parse_when(text, self.tz) if text else None

    def day(self, text: str, today: date | None = None, direction: Direction = "ahead") -> date:
        """A day typed by the user; a bare weekday is the next one, or the last one with
        ``direction="behind"`` (a ``--since``)."""
        return parse_date(text, self.tz, today, direction)

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None


pass_invocation = click.make_pass_decorator(Invocation)


def no_data_yet(path: Path) -> str:
    """What a command that only reads says on a machine with no database yet."""
    return (
        f"no data yet (no database at {path}): `outreach add NAME` or `outreach import` starts one"
    )


def pass_reader(command: Callable[..., Any]) -> Callable[..., Any]:
    """``pass_invocation`` for a command that only reads: it never creates the data
    folder or a database; with none there yet it reads an empty one and says so."""

    def run(*args: Any, **kwargs: Any) -> Any:
        invocation = click.get_current_context().find_object(Invocation)
        if invocation is None:
            raise RuntimeError("no invocation")
        invocation.reads_only = True
        return command(invocation, *args, **kwargs)

    return functools.update_wrapper(run, command)


MAX_INT = 2**63 - 1
"""The largest whole number SQLite stores: the bound of every numeric option."""

at_option = click.option(
    "--at",
    "at",
    metavar="WHEN",
    help="When it happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time (default: now).",
)
