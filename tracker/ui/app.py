"""The Textual app: opens the database, picks the first screen, and runs every write.

The app stays thin: screens own their layout and keys, the ``Session`` (the service's
``Tracker`` behind a lock) owns the database, and the writes go through ``write`` here so
that each one is followed by a fresh queue (the header counts and the Today list update
together) and can be undone with ``u``. All database work runs in thread workers; the
event loop only ever handles their messages.
What other programs write shows within a second (``live.DatabaseWatch``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
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
from tracker.service.edits import UndoStep
from tracker.service.session import Session
from tracker.text import safe
from tracker.timeutil import local_date, local_tz
from tracker.ui.collector import START_PAUSE
from tracker.ui.live import DatabaseWatch
from tracker.ui.screens import SCREENS, screen_class

if TYPE_CHECKING:
    from textual.command import Provider

    from tracker.service import Tracker

DARK, LIGHT = "textual-dark", "textual-light"


def _newer(snapshot: QueueSnapshot, shown: QueueSnapshot) -> bool:
    """Whether ``snapshot`` is a later read than ``shown`` and says something else."""
    return snapshot.seq > shown.seq and replace(snapshot, seq=shown.seq) != shown


def contacts_provider() -> type[Provider]:
    """The palette's contact search, imported when the palette first opens."""
    from tracker.ui.commands import ContactsProvider

    return ContactsProvider


class OutreachApp(App[None]):
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

    queue: reactive[QueueSnapshot | None] = reactive(None, init=False)
    demo: reactive[bool] = reactive(False, init=False)
    data_version: reactive[int] = reactive(0, init=False)
    hidden_version: reactive[int] = reactive(0, init=False)

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

    class Wrote(Message):
        def __init__(self, label: str, snapshot: QueueSnapshot | None, token: int) -> None:
            super().__init__()
            self.label, self.snapshot, self.token = label, snapshot, token

    class Refused(Message):
        def __init__(self, error: str, token: int) -> None:
            super().__init__()
            self.error, self.token = error, token

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

    def _read_queue(self, data: Session) -> None:
        """Today's queue, as a ``Wrote`` without a write (runs in a worker thread)."""
        try:
            snapshot = data.snapshot()
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), 0))
            return
        self.post_message(self.Wrote("", snapshot, 0))

    def load_queue(self) -> None:
        """Read today's queue unless it is here or on its way: the app opened on another
        screen reads it once that screen shows its own first rows (they come first)."""
        if self.queue is None and not self._queue_asked:
            self._queue_asked = True
            self._load_queue(self.data)

    @work(thread=True, group="write")
    def _load_queue(self, data: Session) -> None:
        self._read_queue(data)

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

    # -- writes --------------------------------------------------------------------
    def write(
        self,
        label: str,
        job: Callable[[Tracker], UndoStep | None],
        hide: str | Collection[str] | None = None,
    ) -> None:
        """Run ``job`` off the event loop, then refresh the queue. ``hide`` is the key (or
        keys) of queue items the write resolves: they leave the list at once, before the
        disk."""
        self._write(label, job, self._hide(hide))

    def _hide(self, hide: str | Collection[str] | None) -> int:
        """A new write's token, with the queue items it hides meanwhile."""
        self._tokens += 1
        keys = (hide,) if isinstance(hide, str) else tuple(hide or ())
        if keys:
            self.hidden[self._tokens] = keys
            self.hidden_version += 1
        return self._tokens

    @work(thread=True, group="write")
    def _write(self, label: str, job: Callable[[Tracker], UndoStep | None], token: int) -> None:
        try:
            said = self.data.write(label, job)
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), token))
            return
        self.post_message(self.Wrote(said, self.data.snapshot(), token))

    def report(self, job: Callable[[], str], hide: Collection[str] = ()) -> None:
        """Run ``job`` (which says what it did) off the event loop; refresh the queue.
        ``hide``: as for ``write``."""
        self._report(job, self._hide(hide))

    @work(thread=True, group="write")
    def _report(self, job: Callable[[], str], token: int) -> None:
        try:
            said = job()
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), token))
            return
        self.post_message(self.Wrote(said, self.data.snapshot(), token))

    def after_write(self, label: str) -> None:
        """A dialog wrote something itself: refresh the queue and say so."""
        self.write(label, lambda _: None)

    def refresh_queue(self) -> None:
        self.write("", lambda _: None)

    def _take(self, snapshot: QueueSnapshot) -> None:
        """Show ``snapshot`` unless the queue shown is as new. The same queue read again
        changes nothing on screen: nothing is redrawn."""
        shown = self.queue
        if shown is None or _newer(snapshot, shown):
            self.queue = snapshot

    @on(Wrote)
    def _wrote(self, message: Wrote) -> None:
        if message.snapshot is not None:
            self._take(message.snapshot)
        if self.hidden.pop(message.token, None) is not None:
            self.hidden_version += 1
        if message.token:
            self.data_version += 1
        if message.label:
            self.say(message.label)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        if self.hidden.pop(message.token, None) is not None:
            self.hidden_version += 1
        self.say(message.error, "error")

    def say(self, text: str, severity: str = "information") -> None:
        """A notification; ``text`` may hold user data, so it is never read as markup."""
        timeout = 8 if severity == "error" else 4
        self.notify(safe(text), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    # -- navigation ----------------------------------------------------------------
    def open_contact(self, contact_id: int) -> None:
        from tracker.ui.screens.contact import ContactScreen

        self.push_screen(ContactScreen(contact_id))

    def action_today(self) -> None:
        """Back to Today; if the app opened on another screen, Today takes its place."""
        from tracker.ui.screens.today import TodayScreen
        from tracker.ui.screens.welcome import WelcomeScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, TodayScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2 and not isinstance(self.screen, WelcomeScreen):
            self.load_queue()
            self.switch_screen(TodayScreen())

    def go_back(self) -> None:
        """Leave the main screen on top: to the one under it, or to Today when the app
        opened on it (nothing is under it but the opening screen)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.action_today()

    def action_contacts(self) -> None:
        self._bring("contacts")

    def action_insights(self) -> None:
        self._bring("insights")

    def action_import(self) -> None:
        self._bring("import")

    def _bring(self, name: str) -> None:
        """Back to the open main screen called ``name``, or open one."""
        kind = screen_class(name)
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, kind):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(kind())

    def action_help(self) -> None:
        """The keys of the screen or dialog on top (F1 again closes the list)."""
        from tracker.ui.dialogs.help import toggle_keys

        toggle_keys(self)

    def action_undo(self) -> None:
        if not self.data.can_undo:
            self.say("Nothing to undo.")
            return
        self.report(self.data.undo)

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

    def action_new_contact(self) -> None:
        from tracker.ui.dialogs.contact_form import ContactForm

        def opened(contact: Any) -> None:
            if contact is not None:
                self.open_contact(contact.id)

        self.push_screen(ContactForm(None, self.settings.default_region, self.now), opened)

    def action_export(self, what: str = "contacts") -> None:
        from tracker.ui.dialogs.export import ExportDialog

        def done(sentence: str | None) -> None:
            if sentence:
                self.notify(sentence, title="Exported", timeout=12, markup=False)

        today = self.queue.today if self.queue else local_date(self.now(), self.tz)
        self.push_screen(ExportDialog(today, what), done)

    def action_close_review(self) -> None:
        from tracker.ui.screens.today import TodayScreen

        self.action_today()
        if isinstance(self.screen, TodayScreen):
            self.screen.action_close_review()
