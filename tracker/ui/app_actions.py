"""The app's actions: moving between the main screens (Today, Contacts, Insights, Import)
and to a contact, help, undo, and the actions of the command palette's commands (a new
contact, an export, closing the review).

``OutreachApp`` is built on this part (and this on ``QueueWrites``); the screens import
lazily, each when first shown, so the app's start does not pay for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from tracker.config import Settings
from tracker.timeutil import local_date
from tracker.ui.app_writes import QueueWrites
from tracker.ui.screens import screen_class


class AppActions(QueueWrites):
    """Navigation and the app-wide keys and commands."""

    settings: Settings
    now: Callable[[], datetime]
    """The clock (tests freeze it)."""
    tz: tzinfo
    last_contact: tuple[int, object] | None = None
    """The contact opened last, and the screen it was opened over (Contacts, shown
    again, puts its cursor on a contact opened over it)."""

    def open_contact(self, contact_id: int) -> None:
        from tracker.ui.screens.contact import ContactScreen

        # The main screen under it, not a dialog that opened it (the new-contact form,
        # the palette) and may still be closing.
        under = next((s for s in reversed(self.screen_stack) if not s.is_modal), self.screen)
        self.last_contact = (contact_id, under)
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
        shown = frozenset(entry.key for entry in self.queue.entries) if self.queue else None
        token = self.report(self.data.undo)
        self._undoing = (token, shown) if shown is not None else None

    # -- the palette's commands ----------------------------------------------------
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
