"""The Textual app: opens the database, picks the first screen, and runs every write.

The app stays thin: screens own their layout and keys, the ``Session`` (the service's
``Tracker`` behind a lock) owns the database, and the writes go through ``write`` so
that each one is followed by a fresh queue (the header counts and the Today list update
together) and can be undone with ``u``. All database work runs in thread workers; the
event loop only ever handles their messages.
What other programs write shows within a second (``live.DatabaseWatch``).

This module holds the opening (of the user's database or the demo), the theme and the
command palette; the app's other parts are its bases: ``app_actions`` (moving between
screens, the app-wide keys, the palette's commands) on ``app_writes`` (``write`` and the
queue it refreshes).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.paths import demo_db_path
from tracker.service.day import QueueSnapshot
from tracker.service.session import Session
from tracker.timeutil import local_tz
from tracker.ui.app_actions import AppActions
from tracker.ui.collector import START_PAUSE
from tracker.ui.keys_in_flight import KeyRouting
from tracker.ui.live import DatabaseWatch
from tracker.ui.screens import SCREENS, screen_class

if TYPE_CHECKING:
    from textual.command import Provider


DARK, LIGHT = "textual-dark", "textual-light"


def contacts_provider() -> type[Provider]:
    """The palette's contact search, imported when the palette first opens."""
    from tracker.ui.commands import ContactsProvider

    return ContactsProvider


class OutreachApp(KeyRouting, AppActions):
    """``now`` is the clock (tests freeze it); ``demo_path`` is where the demo lives."""

    TITLE = "Outreach Tracker"
    CSS_PATH = "tracker.tcss"
    COMMANDS = App.COMMANDS | {contacts_provider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", tooltip="Quit the app", show=False, priority=True, id="quit"
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Find",
            tooltip="Find a contact by any word (name, company, phone, email, tag, notes,"
            " messages) or run a command",
            show=False,
            priority=True,
            id="command_palette",
        ),
        Binding("question_mark", "help", "Help", tooltip="Every key on this screen", id="help"),
        Binding(
            "f1",
            "help",
            "Help",
            tooltip="Every key on this screen (in a text field too)",
            show=False,
            priority=True,
            id="help_anywhere",
        ),
        Binding("u", "undo", "Undo", tooltip="Take back the last change", show=False, id="undo"),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Dark / light",
            tooltip="Switch dark / light theme",
            show=False,
            id="toggle_theme",
        ),
    ]

    demo: reactive[bool] = reactive(False, init=False)

    class Opened(Message):
        def __init__(
            self,
            data: Session,
            empty: bool,
            theme: str | None,
            start: str,
            contact_id: int | None = None,
            snapshot: QueueSnapshot | None = None,
        ) -> None:
            super().__init__()
            self.data, self.empty, self.theme, self.start = data, empty, theme, start
            self.contact_id = contact_id
            self.snapshot = snapshot
            """Today's queue, read with the opening when it opens on Today."""

    def __init__(
        self,
        db_path: Path,
        settings: Settings,
        now: Callable[[], datetime] | None = None,
        demo_path: Path | None = None,
        start: str = "today",
        contact: int | None = None,
    ) -> None:
        """``start`` is the screen to open on (one of ``SCREENS``); an empty database
        opens on the welcome screen whatever it says (with Import on top for "import").
        ``contact``: a contact's id to open on, over the ``start`` screen."""
        if start not in SCREENS:
            raise ValueError(f"no screen {start!r}: one of {', '.join(SCREENS)}")
        super().__init__()
        self.start = start
        self.start_contact = contact
        self.settings = settings
        self.now: Callable[[], datetime] = now or (lambda: datetime.now(UTC).replace(microsecond=0))
        self.tz = local_tz(settings.timezone)
        self.home = Session(Path(db_path), settings, self.now)
        self.data = self.home
        self.demo_path = demo_path or demo_db_path()
        self.hidden: dict[int, tuple[str, ...]] = {}
        """Keys of queue items a write in flight resolves, by the write's token."""
        self._tokens = 0
        self.restored = None
        self._undoing = None
        self._theme_ready = False
        self._queue_asked = False
        self.asked_for_name = False
        """Whether the compose panel has asked for the user's name in this run."""

    def compose(self) -> ComposeResult:
        yield Static("Opening…", id="opening")

    def on_load(self) -> None:
        # Before the styles are parsed and the first screen built: SQLite runs beside them.
        START_PAUSE.pause()  # until the first screen has painted (``_opened``)
        self._open(self.home, start=self.start, contact_id=self.start_contact)

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        DatabaseWatch(self).start()
        # The first screen's code loads (once "Opening…" is up) while SQLite reads what it
        # shows: SQLite lets go of the interpreter while a query runs, so the two overlap.
        self.call_after_refresh(screen_class, self.start)

    def on_unmount(self) -> None:
        START_PAUSE.end()
        for data in {id(self.home): self.home, id(self.data): self.data}.values():
            data.close()

    # -- opening a database --------------------------------------------------------
    @work(thread=True, exclusive=True, group="open")
    def _open(
        self,
        data: Session,
        seed_demo: bool = False,
        start: str = "today",
        contact_id: int | None = None,
        only_if_filled: bool = False,
    ) -> None:
        """Open ``data``. Today comes with its queue (its many short SQLite steps crawl
        beside a busy event loop); another screen is built while SQLite reads ahead.
        With ``contact_id``, that contact opens on top of the first screen;
        ``only_if_filled``: leave things as they are if the database is still empty."""
        try:
            if seed_demo:
                data.seed_demo()
            empty = data.is_empty()
            if empty and only_if_filled:
                return
            theme = self.home.theme() if not self._theme_ready else None
            snapshot = data.snapshot() if not empty and start == "today" else None
        except TrackerError as exc:
            self.call_from_thread(self.exit, None, exc.exit_code, f"outreach: error: {exc}")
            return
        self.post_message(self.Opened(data, empty, theme, start, contact_id, snapshot))
        if snapshot is None and not empty:
            screen_class(start).read_ahead(data)

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self.call_after_refresh(START_PAUSE.resume)
        if message.theme and message.theme in self.available_themes:
            self.theme = message.theme
        self._theme_ready = True
        self.data = message.data
        self.demo = message.data.demo
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if message.snapshot is not None:  # Today composes with it: painted once, full
            self._take(message.snapshot)
        if message.empty:
            from tracker.ui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
            if message.start == "import":
                self.action_import()
            return
        self.push_screen(screen_class(message.start)())
        if message.start in ("insights", "import"):
            self.load_queue()
        if message.contact_id is not None:
            self.open_contact(message.contact_id)

    def explore_demo(self) -> None:
        """Open a fresh demo database (rebuilt around today) in its own file."""
        if self.data.demo:
            self.data.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.demo_path}{suffix}").unlink()
        self.query_one("#opening", Static).update("Building the demo…")
        self._open(Session(self.demo_path, self.settings, self.now, demo=True), seed_demo=True)

    def leave_demo(self) -> None:
        if self.data.demo:
            self.data.close()
            self.queue = None
            self._open(self.home)

    def open_database(self, contact_id: int | None = None) -> None:
        """Back to the user's own database (after the first contact on the welcome screen:
        then ``contact_id`` opens that contact, over Today)."""
        self._open(self.home, contact_id=contact_id)

    def open_if_filled(self) -> None:
        """From the welcome screen to Today, if another program filled the database."""
        self._open(self.home, only_if_filled=True)

    # -- the theme (kept in the user's own database) -------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready:
            self._save_theme(theme)

    @work(thread=True, group="theme")
    def _save_theme(self, theme: str) -> None:
        with contextlib.suppress(TrackerError):
            self.home.set_theme(theme)

    # -- the command palette -------------------------------------------------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = "Find a contact (name, company, phone, email, tag) or a command…"
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from tracker.ui.commands import app_commands

        yield from app_commands(self, screen)
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Screenshot", "Maximize", "Minimize"):
                yield command
