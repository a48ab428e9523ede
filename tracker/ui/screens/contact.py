"""One contact: the profile (every field, consent, cadence, follow-up, what is due) and the
whole timeline of touches, newest first. Edit the contact; log, edit or delete touches.

This module holds the screen's layout, keys and loading (read again after every change);
what a touch looks like in the timeline is ``contact_timeline``, and the screen's actions
are its bases ``contact_actions`` and ``contact_sequence``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tracker.errors import NotFoundError, TrackerError
from tracker.models import Touch
from tracker.service.reads import ContactDetail
from tracker.ui.screens.base import keys
from tracker.ui.screens.contact_actions import ContactActions
from tracker.ui.screens.contact_timeline import (
    TIMELINE,
    TouchList,
    timeline_columns,
    touch_cells,
    touch_text,
)
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.paged_table import PagedTable
from tracker.ui.widgets.profile import Profile
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import one_line


class ContactScreen(ContactActions):
    WHERE = "Contact"
    # Side by side from 90 columns; the profile above the timeline below that.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    TIPS = (
        "★ marks the primary phone and email: texts and drafts use it (e changes it).",
        "Deleting a touch or the contact asks first; u undoes the last change, a merge too.",
    )
    # fmt: off
    BINDINGS = keys("contact", [
        ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
        ("l", "log", "Log touch", "Log a touch: text, call, email, message, invite", "log"),
        ("m", "compose", "Write", "Write a message: templates, live checks, copy, log as sent",
         "compose"),
        ("e", "edit", "Edit contact", "Edit the contact's details", "edit"),
        ("t", "edit_touch", "Edit touch", "Edit the selected touch (enter too)", "edit_touch"),
        ("d", "delete_touch", "Delete touch", "Delete the selected touch (asks first)",
         "delete_touch", False),
        ("f", "follow_up", "Follow-up", "Set the follow-up date and its reason", "follow_up"),
        ("F", "clear_follow_up", "Clear follow-up", "Clear the follow-up date", "clear", False),
        ("M", "merge", "Merge", "Merge with another contact: a likely duplicate or any found",
         "merge", False),
        ("D", "delete_contact", "Delete contact",
         "Delete this contact and all recorded about them (asks first)", "delete_contact",
         False),
        ("o", "open_link", "Reach", "Open their LinkedIn profile, or call, text or email them",
         "open_link", False),
        ("O", "consent(True)", "Opt out", "Record that they opted out of texts", "opt_out",
         False),
        ("O", "consent(False)", "Opt in", "Record that they opted in to texts", "opt_in", False),
        ("s", "enroll", "Sequence", "Enroll them in a sequence (a picker of sequences)",
         "enroll", False),
        ("S", "unenroll", "End sequence", "End their running sequence (asks first)",
         "unenroll", False),
        ("1", "app.today", "Today", "Back to today's queue", "today", False),
        ("2", "app.contacts", "Contacts", "All contacts", "contacts", False),
        ("3", "app.insights", "Insights", "What works for you, in numbers", "insights", False),
        ("q", "back", "Back", "Back to where you were", "back"),
    ])
    # fmt: on

    class Loaded(Message):
        def __init__(self, detail: ContactDetail) -> None:
            super().__init__()
            self.detail = detail

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.detail: ContactDetail | None = None
        self.touches = TouchList()

    def compose(self) -> ComposeResult:
        tz = self.outreach.tz
        today = self._today()

        def cells(touch: Touch) -> list[str | Text]:
            return touch_cells(touch, tz, today, self.outreach.now)

        yield StatusBar("Contact")
        with Horizontal(id="contact-body"):
            with VerticalScroll(id="profile"):
                yield Profile("Loading…", id="profile-text")
            with Vertical(id="timeline-box"):
                yield Static("Timeline", id="timeline-title", classes="section-title")
                yield PagedTable(
                    TIMELINE,
                    self.touches,
                    cells,
                    key=lambda touch: touch.id,
                    newest_first=True,
                    empty="No touches yet: press l to log the first one.",
                    id="timeline",
                )
                yield Static("", id="touch-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#timeline", PagedTable).focus()
        self.watch(self.app, "data_version", self._data_changed, init=False)
        self._load()

    def _data_changed(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="contact")
    def _load(self) -> None:
        try:
            detail = self.outreach.data.contact_detail(self.contact_id)
        except NotFoundError:
            self.app.call_from_thread(self._gone)
            return
        except TrackerError as exc:
            self.app.call_from_thread(self.outreach.say, str(exc), "error")
            return
        self.post_message(self.Loaded(detail))

    def _gone(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
        self.outreach.say("That contact no longer exists.")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.detail == self.detail:
            return  # read again after a change elsewhere that left this contact as it was
        self.detail = message.detail
        contact = message.detail.contact
        from tracker.ui.screens.contacts import ContactsScreen

        came_from = (
            "Contacts"
            if any(isinstance(screen, ContactsScreen) for screen in self.app.screen_stack)
            else "Today"
        )
        self.query_one(StatusBar).set_where(f"{came_from} › {one_line(contact.name, 40)}")
        self.query_one(Profile).show(
            message.detail, self.outreach.tz, self._today(), self.enroll_key()
        )
        count = len(message.detail.touches)
        label = f"Timeline · {count:,} touch{'' if count == 1 else 'es'}, newest first"
        self.query_one("#timeline-title", Static).update(Text(label, style="bold"))
        self.touches.rows = message.detail.touches
        timeline = self.query_one("#timeline", PagedTable)
        timeline.columns = timeline_columns(message.detail.touches)
        timeline.reload()
        self.refresh_bindings()

    @on(PagedTable.Highlighted, "#timeline")
    def _touch_highlighted(self, event: PagedTable.Highlighted) -> None:
        text = touch_text(event.row)
        self.query_one("#touch-text", Static).update(text)
        self.query_one("#touch-text", Static).display = bool(text.plain)

    @on(PagedTable.Chosen, "#timeline")
    def _touch_chosen(self) -> None:
        self.action_edit_touch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        detail = self.detail
        if action in ("edit_touch", "delete_touch"):
            return True if self.is_mounted and self.selected else None
        if action in ("merge", "delete_contact"):
            return detail is not None
        if action == "clear_follow_up":
            return bool(detail and detail.contact.follow_up_on) or None
        if action == "consent":
            opted_out = bool(detail and detail.contact.opted_out())
            wants_out = bool(parameters and parameters[0] is True)
            return wants_out != opted_out
        if action in ("enroll", "unenroll"):
            return (action == "unenroll") == self._in_sequence() or None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()
