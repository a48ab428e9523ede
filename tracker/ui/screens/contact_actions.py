"""The contact screen's actions: log a touch, write a message, reach the contact, edit
the contact or the touch selected, delete a touch, set or clear the follow-up, record
consent, and the contact itself: merge it with another, or delete it (each asks first;
``u`` undoes). Every change is one ``OutreachApp.write``.

``ContactScreen`` is built on this part (and this on ``SequenceActions``); the screen
owns the layout, the loading and when each key applies.
"""

from __future__ import annotations

from datetime import date

from tracker.invitations import invitation_refusal
from tracker.links import contact_links
from tracker.models import Channel, Touch
from tracker.service import Tracker
from tracker.service.edits import TouchDraft, UndoStep
from tracker.timeutil import local_date
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.follow_up import FollowUp, FollowUpForm
from tracker.ui.dialogs.merge import MergeConfirm, MergePicker, MergePlan
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.reach import open_links
from tracker.ui.screens.contact_sequence import SequenceActions
from tracker.ui.widgets.paged_table import PagedTable
from tracker.words import CHANNEL_LABELS, arrow, long_date, one_line, when


class ContactActions(SequenceActions):
    """Every change the contact screen makes, for the contact it shows."""

    def _today(self) -> date:
        return local_date(self.outreach.now(), self.outreach.tz)

    @property
    def selected(self) -> Touch | None:
        row = self.query_one("#timeline", PagedTable).current
        return row if isinstance(row, Touch) else None

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
