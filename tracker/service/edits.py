"""The app's writes, each returning the ``UndoStep`` that takes it back exactly: logging,
editing and deleting a touch, marking an invitation, follow-ups, snoozes, consent, and
adding or changing a contact.

They take ids, run the operations of ``touch_log`` (``log``, ``set_invitation``: what
the CLI calls, with the status rules written once) and of ``Tracker``, and remember
what was there before; the undo steps and the values they put back are ``undo``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.errors import BlockedError, UsageError
from tracker.models import Channel, Contact, Direction, InviteStatus, KeyDate, Kind, Moment, Touch
from tracker.service.touch_log import TouchLogMixin
from tracker.service.undo import (
    UndoStep,
    contact_values,
    follow_up_restorer,
    identifier_sets,
    reinsert,
    touch_values,
)
from tracker.timeutil import local_date
from tracker.words import TOUCH_WORDS

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker

__all__ = ["EditsMixin", "TouchDraft", "UndoStep"]


@dataclass(frozen=True)
class TouchDraft:
    """A touch as the app's touch form or compose panel collected it, validated."""

    channel: Channel
    direction: Direction
    at: datetime
    text: str = ""
    status: str | None = None
    moment: Moment | None = None
    follow_up_days: int | None = None
    follow_up_reason: str = ""
    template: str | None = None
    force: bool = False


class EditsMixin(TouchLogMixin):
    """The app's writes, each returning its ``UndoStep`` (the touches' status rules are
    ``TouchLogMixin``'s)."""

    # -- the app's writes, each with its undo ----------------------------------------
    def log_touch(self, contact_id: int, draft: TouchDraft, now: datetime) -> UndoStep:
        """Record a touch (and maybe a follow-up date) for one contact.

        An outbound message the coach blocks is refused (``BlockedError`` with the reasons)
        unless ``draft.force``: the user confirmed sending it anyway.
        """
        tracker = self._tracker
        before = self.store.get_contact(contact_id)
        try:
            touch = self.log(
                before,
                draft.channel,
                draft.direction,
                at=draft.at,
                text=draft.text,
                moment=draft.moment,
                status=draft.status,
                template=draft.template,
                coach=True,
                force=draft.force,
                now=now,
            )
        except BlockedError:
            reasons = tracker.refusals(before, draft.channel, draft.text, draft.at)
            raise BlockedError("; ".join(reasons)) from None
        if draft.follow_up_days is not None:
            due = local_date(now, self.tz) + timedelta(days=draft.follow_up_days)
            tracker.follow_up(before, due, draft.follow_up_reason, at=now)
        restore_follow_up = follow_up_restorer(before)

        def revert(t: Tracker) -> None:
            t.store.delete_touch(touch.id)
            if draft.follow_up_days is not None:
                restore_follow_up(t)
            after = t.store.get_contact(contact_id)
            if after.sms_opt_out_at != before.sms_opt_out_at:
                t.store.restore_consent(contact_id, before.sms_opt_in_at, before.sms_opt_out_at)

        return UndoStep(f"logged {TOUCH_WORDS[draft.channel]} with {before.name}", revert)

    def edit_touch(self, touch_id: int, draft: TouchDraft, now: datetime) -> UndoStep:
        """Change a touch's channel, direction, time, text, status or moment. An
        invitation's settled status keeps the moment it was settled unless it changes."""
        before = self.store.get_touch(touch_id)
        self._check_when(draft.channel, draft.at, now)
        settled_at = max(now, draft.at)
        status_fields = self._status_fields(
            draft.channel, draft.direction, draft.status, draft.text, settled_at
        )
        unchanged = status_fields["status"] == before.status and before.status_at is not None
        if status_fields["status_at"] is not None and unchanged:
            status_fields["status_at"] = before.status_at
        after = replace(
            before,
            channel=draft.channel,
            direction=draft.direction,
            at=draft.at,
            text=draft.text,
            moment=draft.moment,
            **status_fields,
        )
        self.store.update_touch(touch_id, touch_values(after))
        old = touch_values(before)
        return UndoStep("touch edit", lambda t: t.store.update_touch(touch_id, old))

    def remove_touch(self, touch_id: int) -> UndoStep:
        """Delete a touch; its undo puts it back as it was."""
        values = touch_values(self.delete_touch(touch_id))
        return UndoStep("touch deleted", lambda t: reinsert(t, values))

    def delete_touch(self, touch_id: int) -> Touch:
        """Delete a touch; returns it as it was (``NotFoundError`` for an unknown id)."""
        return self.store.delete_touch(touch_id)

    def mark_invitation(
        self, contact_id: int, status: InviteStatus, now: datetime, at: datetime | None = None
    ) -> UndoStep:
        """Mark the contact's pending invitation ``status`` as of ``at`` (``now`` when
        ``None``: accepting asks when, for time-to-accept)."""
        contact = self.store.get_contact(contact_id)
        invitation = self.set_invitation(contact, status, at=at or now)
        pending = {"status": InviteStatus.PENDING.value, "status_at": None}
        return UndoStep(
            f"invitation marked {status.value}",
            lambda t: t.store.update_touch(invitation.id, pending),
        )

    def set_follow_up(self, contact_id: int, due: date, reason: str, now: datetime) -> UndoStep:
        """Plan a follow-up on ``due`` (replacing any planned)."""
        before = self.store.get_contact(contact_id)
        self._tracker.follow_up(before, due, reason, at=now)
        return UndoStep("follow-up set", follow_up_restorer(before))

    def remove_follow_up(self, contact_id: int) -> UndoStep:
        """Clear the planned follow-up; ``UsageError`` when there is none."""
        before = self.store.get_contact(contact_id)
        if not self._tracker.clear_follow_up(before):
            raise UsageError(f"{before.name} has no follow-up date to clear")
        return UndoStep("follow-up cleared", follow_up_restorer(before))

    def snooze_item(self, contact_id: int, kind: Kind, until: date) -> UndoStep:
        """Snooze the contact's ``kind`` item until ``until``."""
        contact = self.store.get_contact(contact_id)
        previous = self.store.snoozed_until(contact_id, kind)
        self._tracker.snooze(contact, kind, until)

        def revert(t: Tracker) -> None:
            if previous is None:
                t.store.unsnooze(contact_id, kind)
            else:
                t.store.snooze(contact_id, kind, previous)

        return UndoStep("snooze", revert)

    def set_consent(self, contact_id: int, opted_out: bool, now: datetime) -> UndoStep:
        """Record that the contact opted out of texts (or back in) at ``now``."""
        before = self.store.get_contact(contact_id)
        if opted_out:
            self._tracker.opt_out(before, at=now)
        else:
            self._tracker.opt_in(before, at=now)
        return UndoStep(
            "text consent change",
            lambda t: t.store.restore_consent(
                contact_id, before.sms_opt_in_at, before.sms_opt_out_at
            ),
        )

    # -- contacts --------------------------------------------------------------------
    def create_contact(
        self,
        raw: Mapping[str, Any],
        tags: Sequence[str],
        now: datetime,
        key_dates: Mapping[str, KeyDate | None] | None = None,
    ) -> tuple[Contact, UndoStep]:
        """Add a contact from what the user typed; the undo deletes it."""
        contact = self._tracker.add_contact(raw, tuple(tags), at=now, key_dates=key_dates)
        return contact, UndoStep(
            f"added {contact.name}", lambda t: t.store.delete_contact(contact.id)
        )

    def change_contact(
        self,
        contact_id: int,
        raw: Mapping[str, Any],
        tags: Sequence[str] | None,
        key_dates: Mapping[str, KeyDate | None] | None = None,
    ) -> UndoStep:
        """Change the given fields (and the tags unless ``None``, the key dates of the
        labels in ``key_dates``) of one contact."""
        before = self.store.get_contact(contact_id)
        identifiers = identifier_sets(self.store.identifiers_of(contact_id))
        held = {k.label: k for k in self.store.key_dates_of(contact_id)}
        old_dates = {label: held.get(label) for label in key_dates or {}}
        new_tags = None if tags is None else list(tags)
        self._tracker.edit_contact(before, raw, new_tags, key_dates=key_dates)
        fields = contact_values(before)
        old_tags = list(before.tags)

        def revert(t: Tracker) -> None:
            with t.store.write():
                t.store.update_contact(contact_id, fields, old_tags, identifiers)
                t.store.set_key_dates(contact_id, old_dates)

        return UndoStep(f"edit of {before.name}", revert)
