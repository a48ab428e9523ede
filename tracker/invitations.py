"""LinkedIn's rules for sending an invitation (DOMAIN.md, "Invitations"): LinkedIn would not
send one to someone already connected, to someone with one pending, or within
``resend_invite_days`` of a withdrawal, so recording one by hand is refused with the reason.

Pure functions of (contact, history, moment, settings, zone); imports never ask them (a
file keeps history as it happened).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from tracker.config import Settings
from tracker.models import Contact, InviteStatus, Touch
from tracker.timeutil import local_date


def connected_since(
    contact: Contact, history: Iterable[Touch], as_of: datetime | None = None
) -> datetime | date | None:
    """When the contact became a LinkedIn connection, as known at ``as_of`` (the whole
    history when ``None``): the earliest acceptance of an invitation, or the contact's
    own LinkedIn connection date when one is known. ``None``: not connected."""
    found: list[datetime | date] = [
        touch.status_at
        for touch in history
        if touch.is_invitation
        and touch.status == InviteStatus.ACCEPTED
        and touch.status_at is not None
        and (as_of is None or touch.status_at <= as_of)
    ]
    # The connection date from LinkedIn's Connections.csv, once contacts keep one.
    connected_at = getattr(contact, "linkedin_connected_at", None)
    if isinstance(connected_at, datetime):
        if as_of is None or connected_at <= as_of:
            found.append(connected_at)
    elif isinstance(connected_at, date) and (as_of is None or connected_at <= as_of.date()):
        found.append(connected_at)
    if not found:
        return None
    return min(found, key=_day_key)


def is_connected(contact: Contact, history: Iterable[Touch], as_of: datetime | None = None) -> bool:
    """Whether the contact is a LinkedIn connection as of ``as_of`` (see ``connected_since``)."""
    return connected_since(contact, history, as_of) is not None


def _day_key(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _day(moment: datetime | date, tz: tzinfo) -> str:
    day = local_date(moment, tz) if isinstance(moment, datetime) else moment
    return day.isoformat()


def invitation_refusal(
    contact: Contact,
    history: Iterable[Touch],
    at: datetime,
    settings: Settings,
    tz: tzinfo,
) -> str:
    """Why LinkedIn would not have sent ``contact`` an invitation at ``at`` (empty when it
    would): already connected, one pending (now, or at ``at``), or a withdrawal less than
    ``resend_invite_days`` calendar days before ``at``."""
    touches = list(history)
    since = connected_since(contact, touches, at)
    if since is not None:
        return (
            f"already connected on LinkedIn (since {_day(since, tz)}): "
            "send a LinkedIn message instead"
        )
    for touch in touches:
        if not touch.is_invitation:
            continue
        pending_now = (touch.status or InviteStatus.PENDING) == InviteStatus.PENDING
        pending_then = touch.at <= at and touch.status_as_of(at) == InviteStatus.PENDING
        if pending_now or pending_then:
            return (
                f"an invitation is already pending (sent {_day(touch.at, tz)}): "
                "LinkedIn allows one at a time"
            )
    lockout = settings.resend_invite_days
    withdrawals = [
        touch.status_at
        for touch in touches
        if touch.is_invitation
        and touch.status == InviteStatus.WITHDRAWN
        and touch.status_at is not None
        and touch.status_at <= at
    ]
    if withdrawals:
        withdrawn = max(withdrawals)
        withdrawn_on = local_date(withdrawn, tz)
        if (local_date(at, tz) - withdrawn_on).days < lockout:
            until = withdrawn_on + timedelta(days=lockout)
            return (
                f"an invitation was withdrawn on {withdrawn_on.isoformat()}: LinkedIn blocks "
                f"a new one for {lockout} days (until {until.isoformat()})"
            )
    return ""
