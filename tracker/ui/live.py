"""The screen shows what the database holds: what another program writes (the CLI in
another pane, a nightly import, a second app) reaches the open screens within a second.

Twice a second a worker asks the session whether anything changed (SQLite's
``PRAGMA data_version``: next to free, and it never waits on the session's lock). Only
when something did does the app read again: today's queue (the header and Today) and,
through the app's ``data_version``, whatever the other open screens show, each keeping its
cursor on the same item. Nothing is read or drawn when nothing changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.service.session import Session
    from tracker.ui.app import OutreachApp

WATCH_SECONDS = 0.5
"""How often the app asks whether another program wrote to the database."""


class DatabaseWatch:
    """Watches the app's open database for other programs' writes."""

    def __init__(self, app: OutreachApp) -> None:
        self.app = app

    def start(self) -> None:
        self.app.set_interval(WATCH_SECONDS, self._tick, name="watch the database")

    def _tick(self) -> None:
        app = self.app
        if len(app.screen_stack) > 1:  # a database is open and shown
            data = app.data
            app.run_worker(lambda: self._look(data), thread=True, exclusive=True, group="watch")

    def _look(self, data: Session) -> None:
        """In a worker thread: tell the app (on its own thread) if ``data`` changed."""
        try:
            changed = data.changed_elsewhere()
        except TrackerError:
            return  # the screens' own reads say what is wrong
        if changed:
            self.app.call_from_thread(self._changed, data)

    def _changed(self, data: Session) -> None:
        """Read again what the screens show. An empty database that another program
        filled leaves the welcome screen for Today."""
        from tracker.ui.screens.welcome import WelcomeScreen

        app = self.app
        if data is not app.data:
            return  # the app moved to another database meanwhile
        if isinstance(app.screen, WelcomeScreen) and not data.demo:
            app.open_if_filled()
        else:
            app.refresh_queue()
