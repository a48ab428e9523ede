"""The app's writes, each returning the step that takes it back (for undo).

Plain functions of a ``Tracker`` and the app's clock, called inside ``Data.write`` from a
worker thread. Validation errors surface as ``TrackerError`` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.errors import BlockedError, UsageError
from tracker.models import (
    Channel,
    Contact,
    Direction,
    InviteStatus,
    Kind,
    Moment,
    Touch,
)
from tracker.service import Tracker
from tracker.timeutil import local_date, start_of_day, to_stored
from tracker.ui.data import UndoStep
from tracker.ui.suggestions import blocked_reasons


@dataclass(frozen=True)
class TouchDraft:
    """What the touch form collected, already validated."""

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


def touch_fields(touch: Touch) -> dict[str, Any]:
    """A stored touch as the store's column values (to put it back exactly)."""
    return {
        "contact_id": touch.contact_id,
        "channel": touch.channel.value,
        "direction": touch.direction.value,
        "at": to_stored(touch.at),
        "text": touch.text or None,
        "status": touch.status,
        "status_at": to_stored(touch.status_at) if touch.status_at else None,
        "has_note": touch.has_note,
        "moment": touch.moment.value if touch.moment else None,
        "is_group": touch.is_group,
        "source": touch.source,
    }


def contact_fields(contact: Contact) -> dict[str, Any]:
    """A contact's editable fields as stored values (to put them back exactly)."""
    return {
        "name": contact.name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "title": contact.title,
        "phone": contact.phone,
        "email": contact.email,
        "linkedin_url": contact.linkedin_url,
        "segment": contact.segment.value if contact.segment else None,
        "relationship": contact.relationship.value if contact.relationship else None,
        "notes": contact.notes,
        "keep_in_touch_days": contact.keep_in_touch_days,
    }


def _follow_up_restorer(contact: Contact) -> UndoStep:
    def revert(tracker: Tracker) -> None:
        if contact.follow_up_on is None:
            tracker.store.clear_follow_up(contact.id)
        else:
            tracker.store.set_follow_up(
                contact.id,
                contact.follow_up_on,
                contact.follow_up_reason,
                contact.follow_up_set_at or start_of_day(contact.follow_up_on, tracker.tz),
            )

    return UndoStep("follow-up", revert)


def log_touch(tracker: Tracker, contact_id: int, draft: TouchDraft, now: datetime) -> UndoStep:
    """Record a touch (and maybe a follow-up date) for one contact.

    An outbound message the coach blocks is refused (``BlockedError`` with the reasons)
    unless ``draft.force``: the user confirmed sending it anyway.
    """
    before = tracker.store.get_contact(contact_id)
    try:
        touch = tracker.log(
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
        )
    except BlockedError:
        result = tracker.check(before, draft.channel, draft.text, draft.at)
        raise BlockedError(blocked_reasons(result)) from None
    if draft.follow_up_days is not None:
        due = local_date(now, tracker.tz) + timedelta(days=draft.follow_up_days)
        tracker.follow_up(before, due, draft.follow_up_reason, at=now)
    restore_follow_up = _follow_up_restorer(before)

    def revert(t: Tracker) -> None:
        t.store.delete_touch(touch.id)
        if draft.follow_up_days is not None:
            restore_follow_up.revert(t)
        after = t.store.get_contact(contact_id)
        if after.sms_opt_out_at != before.sms_opt_out_at:
            t.store.restore_consent(contact_id, before.sms_opt_in_at, before.sms_opt_out_at)

    return UndoStep(f"logged {draft.channel.value} with {before.name}", revert)


def edit_touch(tracker: Tracker, touch_id: int, draft: TouchDraft, now: datetime) -> UndoStep:
    """Change a touch's channel, direction, time, text, status or moment."""
    before = tracker.store.get_touch(touch_id)
    status = Tracker._check_status(draft.channel, draft.direction, draft.status)
    is_invitation = draft.channel is Channel.LINKEDIN_INVITE and draft.direction is Direction.OUT
    if is_invitation:
        status = status or InviteStatus.PENDING.value
    elif draft.channel is Channel.CALL:
        status = status or "connected"
    status_at: str | None = None
    if is_invitation and status != InviteStatus.PENDING.value:
        same = status == before.status and before.status_at is not None
        moment = before.status_at if same and before.status_at else max(now, draft.at)
        status_at = to_stored(moment)
    changes = {
        "channel": draft.channel.value,
        "direction": draft.direction.value,
        "at": to_stored(draft.at),
        "text": draft.text or None,
        "status": status,
        "status_at": status_at,
        "has_note": bool(draft.text.strip()) if is_invitation else None,
        "moment": draft.moment.value if draft.moment else None,
    }
    tracker.store.update_touch(touch_id, changes)
    old = touch_fields(before)
    old.pop("contact_id")
    return UndoStep("touch edit", lambda t: t.store.update_touch(touch_id, old))


def delete_touch(tracker: Tracker, touch_id: int) -> UndoStep:
    touch = tracker.store.delete_touch(touch_id)
    fields = touch_fields(touch)

    def revert(t: Tracker) -> None:
        t.store.insert_touch(fields)

    return UndoStep("touch deleted", revert)


def set_invitation(
    tracker: Tracker, contact_id: int, status: InviteStatus, now: datetime
) -> UndoStep:
    contact = tracker.store.get_contact(contact_id)
    invitation = tracker.set_invitation(contact, status, at=now)
    pending = {"status": InviteStatus.PENDING.value, "status_at": None}
    return UndoStep(
        f"invitation marked {status.value}",
        lambda t: t.store.update_touch(invitation.id, pending),
    )


def set_follow_up(
    tracker: Tracker, contact_id: int, due: date, reason: str, now: datetime
) -> UndoStep:
    before = tracker.store.get_contact(contact_id)
    tracker.follow_up(before, due, reason, at=now)
    return UndoStep("follow-up set", _follow_up_restorer(before).revert)


def clear_follow_up(tracker: Tracker, contact_id: int) -> UndoStep:
    before = tracker.store.get_contact(contact_id)
    if not tracker.clear_follow_up(before):
        raise UsageError(f"{before.name} has no follow-up date to clear")
    return UndoStep("follow-up cleared", _follow_up_restorer(before).revert)


def snooze(tracker: Tracker, contact_id: int, kind: Kind, until: date) -> UndoStep:
    contact = tracker.store.get_contact(contact_id)
    previous = tracker.store.snoozed_until(contact_id, kind)
    tracker.snooze(contact, kind, until)

    def revert(t: Tracker) -> None:
        if previous is None:
            t.store.unsnooze(contact_id, kind)
        else:
            t.store.snooze(contact_id, kind, previous)

    return UndoStep("snooze", revert)


def set_consent(tracker: Tracker, contact_id: int, opted_out: bool, now: datetime) -> UndoStep:
    before = tracker.store.get_contact(contact_id)
    if opted_out:
        tracker.opt_out(before, at=now)
    else:
        tracker.opt_in(before, at=now)
    return UndoStep(
        "text consent change",
        lambda t: t.store.restore_consent(contact_id, before.sms_opt_in_at, before.sms_opt_out_at),
    )


def split_tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def add_contact(
    tracker: Tracker, raw: dict[str, Any], tags: Sequence[str], now: datetime
) -> tuple[Contact, UndoStep]:
    contact = tracker.add_contact(raw, tuple(tags), at=now)
    return contact, UndoStep(f"added {contact.name}", lambda t: t.store.delete_contact(contact.id))


def edit_contact(
    tracker: Tracker, contact_id: int, raw: dict[str, Any], tags: Sequence[str] | None
) -> UndoStep:
    """Change the given fields (and the tags unless ``None``) of one contact."""
    before = tracker.store.get_contact(contact_id)
    tracker.edit_contact(before, raw, None if tags is None else list(tags))
    fields = contact_fields(before)
    old_tags = list(before.tags)
    return UndoStep(
        f"edit of {before.name}", lambda t: t.store.update_contact(contact_id, fields, old_tags)
    )
