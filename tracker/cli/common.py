"""What every command shares: the lazily opened tracker, and option types for dates."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path

import click

from tracker.config import Settings, load_settings
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
        if self.db_arg:
            return Path(self.db_arg).expanduser()
        path = default_db_path()
        ensure_private_dir(path.parent)
        return path

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            self._tracker = Tracker.open(self.db_path, self.settings)
        return self._tracker

    def resolve(self, ref: str) -> Contact:
        return self.tracker.resolve(ref)

    def when(self, text: str | None) -> datetime | None:
        """``--at`` parsed in local time (``None`` means now)."""
        return parse_when(text, self.tz) if text else None

    def day(self, text: str, today: date | None = None) -> date:
        return parse_date(text, self.tz, today)

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None


pass_invocation = click.make_pass_decorator(Invocation)

MAX_INT = 2**63 - 1
"""The largest whole number SQLite stores: the bound of every numeric option."""

at_option = click.option(
    "--at",
    "at",
    metavar="WHEN",
    help="When it happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time (default: now).",
)
