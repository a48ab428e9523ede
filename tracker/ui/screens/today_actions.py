"""Today's actions on the selected item: open the contact, log a touch or their reply
(with the coach's copied message, if any), mark an invitation (asking when, for
accepted), snooze, set or clear the follow-up, and write a message. Marked items go to
``MarkedItems``' bulk versions of the same keys.

A base of ``TodayScreen``, which owns the list, the keys and when each action applies.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.coach.channels import out_channel, reply_channel
from tracker.models import Direction, InviteStatus, Kind
from tracker.service.day import QueueEntry
from tracker.timeutil import local_date, start_of_day
from tracker.ui.screens.today_items import ItemExtras
from tracker.ui.widgets.item_detail import invitation_item
from tracker.words import long_date, one_line

if TYPE_CHECKING:
    from tracker.service.edits import TouchDraft
    from tracker.ui.dialogs.follow_up import FollowUp


class ItemActions(ItemExtras):
    """Logging, invitations, snoozing, follow-ups and writing, for ``TodayScreen``."""

    def action_open(self) -> None:
        if entry := self.current:
            self.outreach.open_contact(entry.item.contact_id)

    def _log(self, direction: Direction) -> None:
        from tracker.ui.dialogs.touch_form import TouchForm

        entry = self.current
        if entry is None:
            return
        item = entry.item
        channel = reply_channel(item) if direction is Direction.IN else out_channel(item)
        heading = "Log their reply" if direction is Direction.IN else "Log a touch"
        if item.kind is Kind.RESEND_INVITE and direction is Direction.OUT:
            heading = "Log the new invitation"
        copied = self._copied.get(entry.key) if direction is Direction.OUT else None
        form = TouchForm(
            one_line(item.contact),
            self.outreach.now,
            self.outreach.tz,
            copied.channel if copied and copied.channel else channel,
            direction,
            heading=heading,
            text=copied.text if copied else "",
            contact_id=item.contact_id,
            template=copied.template if copied else None,
        )

        def logged(draft: TouchDraft | None) -> None:
            if draft is None:
                return
            now = self.outreach.now()
            what = "reply from" if direction is Direction.IN else "touch with"
            self.outreach.write(
                f"Logged a {what} {item.contact}.",
                lambda t: t.log_touch(item.contact_id, draft, now),
            )

        self.app.push_screen(form, logged)

    def action_reply(self) -> None:
        self._log(Direction.IN)

    def action_log(self) -> None:
        self._log(Direction.OUT)

    def action_invitation(self, status: str) -> None:
        if marked := self._marked():
            self._mark_invitations(marked, InviteStatus(status))
            return
        entry = self.current
        if entry is None or not invitation_item(entry, status == InviteStatus.WITHDRAWN):
            return
        if status == InviteStatus.ACCEPTED.value:
            self._ask_when_accepted(entry)
            return
        self._mark_invitation(entry, InviteStatus(status), self.outreach.now())

    def _mark_invitation(
        self, entry: QueueEntry, status: InviteStatus, now: datetime, at: datetime | None = None
    ) -> None:
        item = entry.item
        self.outreach.write(
            f"{item.contact}: invitation marked {status.value}. (u undoes)",
            lambda t: t.mark_invitation(item.contact_id, status, now, at),
            hide=entry.key,
        )

    def _ask_when_accepted(self, entry: QueueEntry) -> None:
        """Accepting asks when (today, or the day it happened): it feeds time-to-accept."""
        from tracker.ui.dialogs.choice import AcceptedDialog

        item, tz = entry.item, self.outreach.tz
        today = local_date(self.outreach.now(), tz)

        def chosen(day: object) -> None:
            if not isinstance(day, date):
                return
            now = self.outreach.now()
            # A past day means its start, but never before the invitation was sent.
            at = None if day >= today else max(start_of_day(day, tz), item.since)
            self._mark_invitation(entry, InviteStatus.ACCEPTED, now, at)

        sent_on = local_date(item.since, tz)
        self.app.push_screen(AcceptedDialog(today, sent_on, one_line(item.contact)), chosen)

    def action_snooze(self) -> None:
        from tracker.ui.dialogs.choice import SnoozeDialog

        entry = self.current
        snapshot = self.snapshot
        if entry is None or snapshot is None:
            return
        if marked := self._marked():
            self._snooze_marked(marked, snapshot)
            return
        item = entry.item

        def chosen(until: object) -> None:
            if not isinstance(until, date):
                return
            self.outreach.write(
                f"Snoozed {item.contact} until {long_date(until)}.",
                lambda t: t.snooze_item(item.contact_id, item.kind, until),
                hide=entry.key,
            )

        self.app.push_screen(SnoozeDialog(snapshot.today, one_line(item.contact)), chosen)

    def action_follow_up(self) -> None:
        from tracker.ui.dialogs.follow_up import FollowUpForm

        entry = self.current
        snapshot = self.snapshot
        if entry is None or snapshot is None:
            return
        item = entry.item
        reason = entry.follow_up_reason

        def chosen(follow_up: FollowUp | None) -> None:
            if follow_up is None:
                return
            now = self.outreach.now()
            resolves = item.kind is Kind.FOLLOW_UP_DUE and follow_up.due > snapshot.today
            self.outreach.write(
                f"Follow up with {item.contact} on {long_date(follow_up.due)}.",
                lambda t: t.set_follow_up(item.contact_id, follow_up.due, follow_up.reason, now),
                hide=entry.key if resolves else None,
            )

        form = FollowUpForm(one_line(item.contact), snapshot.today, reason=reason)
        self.app.push_screen(form, chosen)

    def action_clear_follow_up(self) -> None:
        if entry := self.current:
            item = entry.item
            self.outreach.write(
                f"Cleared the follow-up date for {item.contact}.",
                lambda t: t.remove_follow_up(item.contact_id),
                hide=entry.key if item.kind is Kind.FOLLOW_UP_DUE else None,
            )

    def action_compose(self) -> None:
        from tracker.ui.dialogs.compose import ComposeDialog

        if entry := self.current:
            item = entry.item
            self.app.push_screen(ComposeDialog(item.contact_id, one_line(item.contact), item.kind))
