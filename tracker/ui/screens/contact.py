"""One contact: the profile (every field, consent, cadence, follow-up, what is due) and the
whole timeline of touches, newest first. Edit the contact; log, edit or delete touches."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tracker.errors import NotFoundError, TrackerError
from tracker.invitations import invitation_refusal
from tracker.links import contact_links
from tracker.models import Channel, Touch
from tracker.service import Tracker
from tracker.service.edits import TouchDraft, UndoStep
from tracker.service.reads import ContactDetail
from tracker.timeutil import local_date
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.follow_up import FollowUp, FollowUpForm
from tracker.ui.dialogs.merge import MergeConfirm, MergePicker, MergePlan
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.reach import open_links
from tracker.ui.screens.base import keys
from tracker.ui.screens.contact_sequence import SequenceActions
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.paged_table import Column, PagedTable
from tracker.ui.widgets.profile import Profile, safe_block
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import (
    CHANNEL_LABELS,
    arrow,
    long_date,
    one_line,
    short_when,
    when,
    words,
)

TIMELINE = (
    Column("at", "When", 12, priority=9),
    Column("channel", "Channel", 16, priority=7),
    Column("direction", "", 2, priority=8),
    Column("text", "Text", 12, weight=1, priority=6),
)
"""The text takes the room left: a call's or an invitation's status leads it."""


class TouchList:
    """The timeline's rows, already in memory (newest first)."""

    def __init__(self) -> None:
        self.rows: tuple[Touch, ...] = ()

    def count(self, query: Hashable) -> int:
        return len(self.rows)

    def page(self, query: Hashable, offset: int, limit: int) -> Sequence[Touch]:
        return self.rows[offset : offset + limit]

    def position(self, query: Hashable, key: Hashable) -> int | None:
        return next((i for i, touch in enumerate(self.rows) if touch.id == key), None)


class ContactScreen(SequenceActions):
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
            text = one_line(touch.text, 400)
            if touch.is_invitation:
                text = text if touch.has_note else "(no note)"
            ahead = touch.channel is Channel.MEETING and touch.at > self.outreach.now()
            status = "scheduled" if ahead else words(touch.status)
            return [
                short_when(touch.at, tz, today),
                _channel(touch),
                arrow(touch.direction),
                Text.assemble((status, "italic"), " · ", text) if status else text,
            ]

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
        timeline.columns = _timeline_columns(message.detail.touches)
        timeline.reload()
        self.refresh_bindings()

    def _today(self) -> date:
        return local_date(self.outreach.now(), self.outreach.tz)

    # -- the timeline --------------------------------------------------------------
    @property
    def selected(self) -> Touch | None:
        row = self.query_one("#timeline", PagedTable).current
        return row if isinstance(row, Touch) else None

    @on(PagedTable.Highlighted, "#timeline")
    def _touch_highlighted(self, event: PagedTable.Highlighted) -> None:
        touch = event.row
        text = Text()
        if isinstance(touch, Touch) and touch.text:
            text.append(f"{CHANNEL_LABELS[touch.channel]} {arrow(touch.direction)} ", style="bold")
            text.append(safe_block(touch.text))
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

    def _contact_name(self) -> str:
        return self.detail.contact.name if self.detail else "this contact"

    def action_log(self) -> None:
        if self.detail is None:
            return
        detail, app = self.detail, self.outreach
        last = detail.touches[0] if detail.touches else None
        channel = last.channel if last else Channel.SMS
        contact_id, name = self.contact_id, self._contact_name()
        history = detail.touches[::-1]
        refusal = invitation_refusal(detail.contact, history, app.now(), app.settings, app.tz)
        form = TouchForm(
            one_line(name),
            app.now,
            app.tz,
            channel,
            contact_id=contact_id,
            invite_refusal=refusal,
        )

        def logged(draft: TouchDraft | None) -> None:
            if draft is not None:
                now = self.outreach.now()
                self.outreach.write(
                    f"Logged a touch with {name}.",
                    lambda t: t.log_touch(contact_id, draft, now),
                )

        self.app.push_screen(form, logged)

    def action_open_link(self) -> None:
        if self.detail is not None:
            contact = self.detail.contact
            open_links(self.outreach, one_line(contact.name), contact_links(contact))

    def action_compose(self) -> None:
        if self.detail is not None:
            due = self.detail.due[0].kind if self.detail.due else None
            name = one_line(self._contact_name())
            self.app.push_screen(ComposeDialog(self.contact_id, name, due))

    def action_edit(self) -> None:
        if self.detail is not None:
            app = self.outreach
            detail = self.detail
            form = ContactForm(
                detail.contact,
                app.settings.default_region,
                app.now,
                detail.phones + detail.emails,
                detail.key_dates,
            )
            app.push_screen(form)

    def action_edit_touch(self) -> None:
        touch = self.selected
        if touch is None:
            return
        form = TouchForm(
            one_line(self._contact_name()), self.outreach.now, self.outreach.tz, touch=touch
        )

        def edited(draft: TouchDraft | None) -> None:
            if draft is not None:
                now = self.outreach.now()
                self.outreach.write("Touch saved.", lambda t: t.edit_touch(touch.id, draft, now))

        self.app.push_screen(form, edited)

    def action_delete_touch(self) -> None:
        touch = self.selected
        if touch is None:
            return
        what = f"{CHANNEL_LABELS[touch.channel]} {arrow(touch.direction)} on "
        what += when(touch.at, self.outreach.tz)
        if touch.text:
            what += f": “{one_line(touch.text, 80)}”"

        def answered(yes: bool | None) -> None:
            if yes:
                self.outreach.write("Touch deleted. (u undoes)", lambda t: t.remove_touch(touch.id))

        self.app.push_screen(ConfirmDialog("Delete this touch?", what, "Delete", "Keep"), answered)

    def action_follow_up(self) -> None:
        detail = self.detail
        if detail is None:
            return
        contact = detail.contact

        def chosen(follow_up: FollowUp | None) -> None:
            if follow_up is not None:
                now = self.outreach.now()
                self.outreach.write(
                    f"Follow up with {contact.name} on {long_date(follow_up.due)}.",
                    lambda t: t.set_follow_up(contact.id, follow_up.due, follow_up.reason, now),
                )

        form = FollowUpForm(
            one_line(contact.name), self._today(), contact.follow_up_on, contact.follow_up_reason
        )
        self.app.push_screen(form, chosen)

    def action_clear_follow_up(self) -> None:
        contact_id, name = self.contact_id, self._contact_name()
        self.outreach.write(
            f"Cleared the follow-up date for {name}.",
            lambda t: t.remove_follow_up(contact_id),
        )

    def action_consent(self, opted_out: bool) -> None:
        contact_id, name = self.contact_id, self._contact_name()
        now = self.outreach.now()
        said = f"{name} opted out of texts." if opted_out else f"{name} opted in to texts."
        self.outreach.write(said, lambda t: t.set_consent(contact_id, opted_out, now))

    # -- the contact itself: merge, delete -------------------------------------------
    def action_merge(self) -> None:
        """Pick the other contact (a likely duplicate, or any found), confirm what moves
        and which one is kept, then merge; the screen shows the contact kept."""
        if self.detail is None:
            return
        on_screen = self.contact_id

        def picked(other_id: int | None) -> None:
            if other_id is not None:
                confirm = MergeConfirm(on_screen, other_id, on_screen)
                self.app.push_screen(confirm, confirmed)

        def confirmed(plan: MergePlan | None) -> None:
            if plan is None:
                return

            def merge(tracker: Tracker) -> UndoStep:
                _, step = tracker.merge_into(plan.keep_id, plan.other_id)
                self.contact_id = plan.keep_id  # before the reload that follows the write
                return step

            said = f"Merged {one_line(plan.other_name)} into {one_line(plan.keep_name)}. (u undoes)"
            self.outreach.write(said, merge)

        self.app.push_screen(MergePicker(on_screen, self._contact_name()), picked)

    def action_delete_contact(self) -> None:
        """Delete the contact (asks first, naming them and what goes with them); back to
        the screen before, where ``u`` brings them back."""
        detail = self.detail
        if detail is None:
            return
        contact_id, name = self.contact_id, one_line(detail.contact.name)
        touches = len(detail.touches)
        if touches:
            count = f"{touches:,} touch{'' if touches == 1 else 'es'}"
            question = f"{name} and their {count} (with any follow-up, tags and notes)"
        else:
            question = f"{name} (no touches recorded)"
        question += " will be deleted. u undoes it."

        def answered(yes: bool | None) -> None:
            if yes:
                self.outreach.go_back()
                self.outreach.write(
                    f"Deleted {name}. (u undoes)", lambda t: t.remove_contact(contact_id)
                )

        dialog = ConfirmDialog(f"Delete {name}?", question, "Delete", "Keep")
        self.app.push_screen(dialog, answered)


def _channel(touch: Touch) -> str:
    return CHANNEL_LABELS[touch.channel] + (" (group)" if touch.is_group else "")


def _timeline_columns(touches: Sequence[Touch]) -> tuple[Column, ...]:
    """The timeline's columns, the channel's no wider than its longest label, so the
    text has the room."""
    widest = max((len(_channel(touch)) for touch in touches), default=0)
    return tuple(
        replace(column, min_width=max(widest, len(column.label)))
        if column.key == "channel"
        else column
        for column in TIMELINE
    )
