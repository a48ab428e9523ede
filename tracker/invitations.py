"""LinkedIn's rules for an invitation (DOMAIN.md, "Invitations"): where a contact stands
on LinkedIn, and why LinkedIn would not take an invitation to them now: already
connected, one pending, or inside ``resend_invite_days`` after a withdrawal.

One rule for every door: recording an invitation by hand is refused with the reason
(``--force`` records it anyway), the coach blocks a connection note and never suggests
one, and the app's log form does not offer it. Imports never ask (a file keeps history as
it happened). Pure functions of the history and the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from tracker.config import Settings
from tracker.models import Channel, Contact, InviteStatus, Touch
from tracker.timeutil import local_date

_INSTEAD = "write them a LinkedIn message instead"


@dataclass(frozen=True)
class LinkedInStanding:
    """``connected``: a first-degree connection as far as the history shows; ``rule``
    and ``why_no_invite`` say why an invitation cannot go now (empty: it can)."""

    connected: bool = False
    rule: str = ""
    why_no_invite: str = ""


def linkedin_standing(
    history: Iterable[Touch],
    as_of: datetime,
    settings: Settings,
    tz: tzinfo,
    connected_on: date | None = None,
) -> LinkedInStanding:
    """Where the contact stands as of ``as_of``. ``history``: their touches, oldest
    first; ``connected_on``: the day a LinkedIn connections file says they connected.

    Connected means a connection date, an accepted invitation (as of ``as_of``), or
    LinkedIn messages exchanged. Pending and the lockout are judged on the latest
    invitation, as the review judges them."""
    seen = [t for t in history if t.at <= as_of and not t.is_group]
    today = local_date(as_of, tz)
    if connected_on is not None and connected_on <= today:
        return _connected(f"since {connected_on.isoformat()}")
    invitations = [t for t in seen if t.is_invitation]
    latest = invitations[-1] if invitations else None
    status = latest.status_as_of(as_of) if latest else None
    if latest is not None and status == InviteStatus.ACCEPTED and latest.status_at:
        accepted = local_date(latest.status_at, tz).isoformat()
        return _connected(f"since {accepted}", f"they accepted your invitation on {accepted}")
    messages = [t for t in seen if t.channel is Channel.LINKEDIN_MESSAGE]
    if messages:
        last = local_date(messages[-1].at, tz).isoformat()
        return _connected(f"you have exchanged LinkedIn messages, last on {last}")
    if latest is not None and status in (None, InviteStatus.PENDING):
        sent = local_date(latest.at, tz).isoformat()
        return LinkedInStanding(
            rule="invite_pending",
            why_no_invite=f"an invitation is already pending (sent {sent}): LinkedIn allows "
            "one at a time; withdraw it before inviting again, or follow up another way",
        )
    if latest is not None and status == InviteStatus.WITHDRAWN and latest.status_at:
        withdrawn = local_date(latest.status_at, tz)
        lockout = settings.resend_invite_days
        allowed = withdrawn + timedelta(days=lockout)
        if today < allowed:
            return LinkedInStanding(
                rule="resend_lockout",
                why_no_invite=f"an invitation was withdrawn on {withdrawn.isoformat()}: "
                f"LinkedIn blocks a new one for {lockout} days (until {allowed.isoformat()})",
            )
    return LinkedInStanding()


def _connected(how: str, detail: str = "") -> LinkedInStanding:
    said = f"already connected on LinkedIn ({how}): {detail + '; ' if detail else ''}{_INSTEAD}"
    return LinkedInStanding(connected=True, rule="already_connected", why_no_invite=said)


def connection_day(contact: Contact) -> date | None:
    """The day LinkedIn's connections file says the contact connected, when known."""
    known = getattr(contact, "linkedin_connected_on", None)
    if isinstance(known, datetime):
        return known.date()
    return known if isinstance(known, date) else None


def invitation_refusal(
    contact: Contact, history: Iterable[Touch], at: datetime, settings: Settings, tz: tzinfo
) -> str:
    """Why LinkedIn would not have sent ``contact`` an invitation at ``at``; empty when
    it would."""
    return linkedin_standing(history, at, settings, tz, connection_day(contact)).why_no_invite
