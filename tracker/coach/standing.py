"""Where a contact stands on LinkedIn, from their history: connected or not, and why
LinkedIn would not take an invitation to them now (DOMAIN.md, "Invitations": already
connected, one pending, or inside the lockout after a withdrawal). The coach blocks a
connection note for those reasons and never suggests one. A pure function of the touches
and the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from tracker.config import Settings
from tracker.models import Channel, InviteStatus, Touch
from tracker.timeutil import local_date


@dataclass(frozen=True)
class LinkedInStanding:
    """``connected``: they are a first-degree connection as far as the history shows;
    ``rule`` and ``why_no_invite`` say why an invitation cannot go now (empty: it can)."""

    connected: bool = False
    rule: str = ""
    why_no_invite: str = ""


def linkedin_standing(
    history: Sequence[Touch],
    as_of: datetime,
    settings: Settings,
    tz: tzinfo,
    connected_on: date | None = None,
) -> LinkedInStanding:
    """Where the contact stands as of ``as_of``. ``history``: their touches, oldest
    first; ``connected_on``: the day a LinkedIn connections file says they connected.

    Connected means a connection date, an accepted invitation, or LinkedIn messages
    exchanged (LinkedIn lets you message your connections)."""
    seen = [t for t in history if t.at <= as_of and not t.is_group]
    day = lambda moment: local_date(moment, tz).isoformat()  # noqa: E731
    if connected_on is not None and connected_on <= local_date(as_of, tz):
        return _connected(f"connected on LinkedIn since {connected_on.isoformat()}")
    invitations = [t for t in seen if t.is_invitation]
    latest = invitations[-1] if invitations else None
    status = latest.status_as_of(as_of) if latest else None
    if latest is not None and status == InviteStatus.ACCEPTED and latest.status_at:
        return _connected(f"they accepted your invitation on {day(latest.status_at)}")
    messages = [t for t in seen if t.channel is Channel.LINKEDIN_MESSAGE]
    if messages:
        return _connected(f"you have exchanged LinkedIn messages (last on {day(messages[-1].at)})")
    if latest is not None and status in (None, InviteStatus.PENDING):
        return LinkedInStanding(
            rule="invite_pending",
            why_no_invite=f"your invitation of {day(latest.at)} is still pending: withdraw it "
            "before inviting again, or follow up another way",
        )
    if latest is not None and status == InviteStatus.WITHDRAWN and latest.status_at:
        withdrawn = local_date(latest.status_at, tz)
        allowed = withdrawn + timedelta(days=settings.resend_invite_days)
        if local_date(as_of, tz) < allowed:
            return LinkedInStanding(
                rule="resend_lockout",
                why_no_invite=f"you withdrew an invitation on {withdrawn.isoformat()}: LinkedIn "
                f"lets you invite them again from {allowed.isoformat()}",
            )
    return LinkedInStanding()


def _connected(how: str) -> LinkedInStanding:
    return LinkedInStanding(
        connected=True,
        rule="already_connected",
        why_no_invite=f"already connected ({how}): write them a LinkedIn message instead",
    )
