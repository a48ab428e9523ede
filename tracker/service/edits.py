"""Writing touches (the status rules of logging and editing one, written once), and the
app's writes, each returning the ``UndoStep`` that takes it back exactly.

``log`` and ``set_invitation`` are what the CLI calls; the app's writes take ids, run
the same operations, and remember what was there before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

from tracker.errors import BlockedError, UsageError
from tracker.models import (
    CONTACT_FIELDS,
    IDENTIFIER_KINDS,
    STATUSES_BY_CHANNEL,
    TOUCH_COLUMNS,
    CallStatus,
    Channel,
    Contact,
    Direction,
    Identifier,
    InviteStatus,
    KeyDate,
    Kind,
    Moment,
    Touch,
)
from tracker.service.base import ServiceBase
from tracker.service.values import choice
from tracker.timeutil import local_date, now_utc, start_of_day, to_stored
from tracker.words import TOUCH_WORDS

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker


@dataclass(frozen=True)
class UndoStep:
    """What a write did (``label``) and how to take it back (``revert``)."""

    label: str
    revert: Callable[[Tracker], None]


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


def _stored(value: Any) -> Any:
    """A field's value as its column holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return to_stored(value)
    return value


def touch_values(touch: Touch) -> dict[str, Any]:
    """A touch as its stored column values (``TOUCH_COLUMNS``), to write or put back."""
    values = {column: _stored(getattr(touch, column)) for column in TOUCH_COLUMNS}
    values["text"] = touch.text or None
    values["template"] = touch.template or None
    return values


def identifier_sets(identifiers: Sequence[Identifier]) -> dict[str, list[tuple[str, str]]]:
    """A contact's identifiers as ``(value, label)`` lists by kind (the primary first), as
    ``Store.update_contact`` takes them to put them back."""
    return {
        kind: [(i.value, i.label) for i in identifiers if i.kind == kind]
        for kind in IDENTIFIER_KINDS
    }


def contact_values(contact: Contact) -> dict[str, Any]:
    """A contact's editable fields (``CONTACT_FIELDS``) as stored, to put them back."""
    return {name: _stored(getattr(contact, name)) for name in CONTACT_FIELDS}


class EditsMixin(ServiceBase):
    """Logging and editing touches by one set of status rules; the app's writes, each
    returning its ``UndoStep``."""

    @property
    def _tracker(self) -> Tracker:
        """This part as the whole ``Tracker`` it belongs to (its other parts' operations)."""
        return cast("Tracker", self)

    # -- the status rules ------------------------------------------------------------
    @staticmethod
    def _check_status(channel: Channel, direction: Direction, status: str | None) -> str | None:
        if status is None or status == "":
            return None
        allowed = STATUSES_BY_CHANNEL.get(channel)
        if allowed is None or (channel is Channel.LINKEDIN_INVITE and direction is Direction.IN):
            raise UsageError(f"a {channel.value} touch takes no status (got {status!r})")
        return choice(allowed, status, f"{channel.value} status")

    def _status_fields(
        self,
        channel: Channel,
        direction: Direction,
        status: str | None,
        text: str,
        at: datetime,
        has_note: bool | None = None,
    ) -> dict[str, Any]:
        """The touch's ``status``, ``status_at`` and ``has_note``: an invitation sent is
        pending unless told otherwise (a settled one was settled ``at``) and has a note
        when it has text; a call connected. ``UsageError`` for a status the touch
        cannot have."""
        status = self._check_status(channel, direction, status)
        is_invitation = channel is Channel.LINKEDIN_INVITE and direction is Direction.OUT
        if is_invitation:
            status = status or InviteStatus.PENDING.value
            has_note = bool(text.strip()) if has_note is None else has_note
        if channel is Channel.CALL:
            status = status or CallStatus.CONNECTED.value
        settled = is_invitation and status != InviteStatus.PENDING.value
        return {
            "status": status,
            "status_at": at if settled else None,
            "has_note": has_note if is_invitation else None,
        }

    def _check_when(self, channel: Channel, at: datetime, now: datetime | None = None) -> None:
        """``UsageError`` for a touch dated after ``now`` (a few minutes of clock skew
        aside): only a meeting can be logged ahead (DOMAIN.md, "Scheduled meetings")."""
        if channel is Channel.MEETING:
            return
        now = now or now_utc()
        if at > now + timedelta(minutes=self.settings.clock_skew_minutes):
            shown = at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
            raise UsageError(
                f"{shown} is in the future: only a meeting can be logged ahead "
                f"(a {channel.value} touch is recorded once it happened)"
            )

    # -- touches ---------------------------------------------------------------------
    def log(
        self,
        contact: Contact,
        channel: Channel,
        direction: Direction = Direction.OUT,
        at: datetime | None = None,
        text: str = "",
        moment: Moment | None = None,
        status: str | None = None,
        has_note: bool | None = None,
        is_group: bool = False,
        source: str | None = None,
        template: str | None = None,
        coach: bool = False,
        force: bool = False,
        now: datetime | None = None,
    ) -> Touch:
        """Record one touch at ``at`` (``now`` when ``None``); an inbound STOP text opts the
        contact out. A touch after ``now`` is refused unless it is a meeting.

        With ``coach``, an outbound message refused by hand is refused (``BlockedError``)
        unless ``force``: an invitation LinkedIn would not have sent, or a message the
        guardrails block. The input is validated first either way.
        """
        now = now or now_utc()
        at = at or now
        self._check_when(channel, at, now)
        status_fields = self._status_fields(channel, direction, status, text, at, has_note)
        if coach and direction is Direction.OUT and not is_group:
            self._tracker.guard(contact, channel, text, at, force)
        touch = Touch(
            id=0,
            contact_id=contact.id,
            channel=channel,
            direction=direction,
            at=at,
            text=text,
            moment=moment,
            is_group=is_group,
            source=source,
            template=template,
            **status_fields,
        )
        opts_out = (
            channel is Channel.SMS
            and direction is Direction.IN
            and not is_group
            and text.strip().upper() in {w.upper() for w in self.settings.stop_words}
        )
        with self.store.write():
            touch_id = self.store.insert_touch(touch_values(touch))
            if opts_out:
                self.store.set_consent(contact.id, opt_out_at=at)
        return self.store.get_touch(touch_id)

    def latest_invitation(self, contact: Contact) -> Touch | None:
        invitations = [t for t in self.store.touches_for(contact.id) if t.is_invitation]
        return invitations[-1] if invitations else None

    def set_invitation(
        self, contact: Contact, status: InviteStatus, at: datetime | None = None
    ) -> Touch:
        """Mark the pending invitation accepted, ignored or withdrawn."""
        at = at or now_utc()
        self._check_when(Channel.LINKEDIN_INVITE, at)
        invitation = self.latest_invitation(contact)
        if invitation is None or invitation.status != InviteStatus.PENDING:
            raise UsageError(f"{contact.name} has no pending invitation to mark {status.value}")
        if at < invitation.at:
            raise UsageError(
                f"{status.value} time {at.isoformat()} is before the invitation was sent"
            )
        self.store.set_touch_status(invitation.id, status.value, at)
        return self.store.get_touch(invitation.id)

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
        restore_follow_up = _follow_up_restorer(before)

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
        return UndoStep("touch deleted", lambda t: _reinsert(t, values))

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
        return UndoStep("follow-up set", _follow_up_restorer(before))

    def remove_follow_up(self, contact_id: int) -> UndoStep:
        """Clear the planned follow-up; ``UsageError`` when there is none."""
        before = self.store.get_contact(contact_id)
        if not self._tracker.clear_follow_up(before):
            raise UsageError(f"{before.name} has no follow-up date to clear")
        return UndoStep("follow-up cleared", _follow_up_restorer(before))

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


def _reinsert(tracker: Tracker, values: dict[str, Any]) -> None:
    tracker.store.insert_touch(values)


def _follow_up_restorer(contact: Contact) -> Callable[[Tracker], None]:
    """Puts the contact's follow-up date back as it is now (or clears it)."""

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

    return revert
