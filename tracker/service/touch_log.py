"""Logging touches by one set of status rules: ``log`` and ``set_invitation`` (what the
CLI and the importers call), and the checks the app's writes share with them (a status
the touch can have, a time not in the future).

Kept apart from the app's writes (``edits``), which take ids, run these same operations
and return the ``UndoStep`` that takes each back: here is what a touch may be, there is
how the app changes one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from tracker.errors import UsageError
from tracker.models import (
    STATUSES_BY_CHANNEL,
    CallStatus,
    Channel,
    Contact,
    Direction,
    InviteStatus,
    Moment,
    Touch,
)
from tracker.service.base import ServiceBase
from tracker.service.undo import touch_values
from tracker.service.values import choice
from tracker.timeutil import now_utc

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker


class TouchLogMixin(ServiceBase):
    """Logging touches and settling invitations, by one set of status rules."""

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
