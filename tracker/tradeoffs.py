"""The trade-offs a what-if weighs, read from the history as it happened (DOMAIN.md,
"What-if"): for a stale-invitation threshold T -> T', the invitations accepted at an age
between the two and the days invitations sat pending; for a step-back run R -> R', the
texts sent while the unanswered run was already R' or more and the replies that followed
them.

The history was shaped by the rules in force: the rep withdrew what the queue called
stale and stopped texting where it said stop. What the changed rules would have let
happen instead never happened, so its outcome is unknown, never zero: the invitations
withdrawn under T that T' would have kept pending, and the texts R' would have allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo

from tracker.history import HistoryFold
from tracker.models import Channel, Direction, InviteStatus, Touch
from tracker.timeutil import end_of_day, local_date
from tracker.whatif import ContactHistory

_DECIDED = frozenset(
    {InviteStatus.ACCEPTED.value, InviteStatus.IGNORED.value, InviteStatus.WITHDRAWN.value}
)


@dataclass(frozen=True)
class InviteTradeoff:
    """Invitations sent in the period, under a stale threshold of ``today`` days and of
    ``changed`` days, for a rep who withdraws an invitation the day it turns stale."""

    today: int
    changed: int
    sent: int
    accepted_between: int
    """Accepted at an age over the lower threshold and at most the higher: withdrawing at
    the lower one would have lost them."""
    pending_days_fewer: int
    """How many fewer days invitations sat pending under ``changed`` than under
    ``today`` (negative: more), from the course each one took."""
    withdrawn_between: int
    """When ``changed`` is the higher: invitations the rep withdrew at an age from
    ``today`` to under ``changed``, which ``changed`` would have kept pending. Whether
    they would have been accepted is unknown, and they are left out of
    ``pending_days_fewer``."""

    @property
    def lower(self) -> int:
        return min(self.today, self.changed)

    @property
    def higher(self) -> int:
        return max(self.today, self.changed)


@dataclass(frozen=True)
class TextTradeoff:
    """Texts sent in the period, under a step-back run of ``today`` and of ``changed``."""

    today: int
    changed: int
    sent: int
    not_sent: int
    """Sent while the unanswered run was already ``changed`` or more: the changed rule
    would have stopped them."""
    replies_after: int
    """Of those, the ones the contact answered (any inbound touch) before the rep's next
    outbound touch: replies that might not have come."""


def _pending_days(invite: Touch, first: date, last: date, tz: tzinfo) -> int | None:
    """How many days (ends of day, from the day sent) the invitation sat pending, up to
    the last day replayed; ``None`` unless it was sent in the period."""
    sent = local_date(invite.at, tz)
    if not first <= sent <= last:
        return None
    if invite.status in _DECIDED and invite.status_at is not None:
        ended = local_date(invite.status_at, tz)
        if ended <= last:
            return (ended - sent).days
    return (last - sent).days + 1


def invitations(
    histories: Iterable[ContactHistory],
    today: int,
    changed: int,
    first: date,
    last: date,
    tz: tzinfo,
) -> InviteTradeoff:
    """The stale threshold's trade-off over the invitations sent from ``first`` to
    ``last``. An invitation that sat pending ``days`` days would sit ``min(days, T)``
    under a threshold of T: on the day it turns stale the rep withdraws it."""
    lower, higher = min(today, changed), max(today, changed)
    sent = between = fewer = unknown = 0
    for history in histories:
        for touch in history.touches:
            if not touch.is_invitation or touch.is_group:
                continue
            days = _pending_days(touch, first, last, tz)
            if days is None:
                continue
            sent += 1
            accepted = touch.status == InviteStatus.ACCEPTED.value and touch.status_at
            if accepted and lower < days <= higher:
                between += 1
            withdrawn = touch.status == InviteStatus.WITHDRAWN.value
            if changed > today and withdrawn and today <= days < changed:
                unknown += 1  # withdrawn under today's rule: its course under T' never was
                continue
            fewer += min(days, today) - min(days, changed)
    return InviteTradeoff(today, changed, sent, between, fewer, unknown)


def texts(
    histories: Iterable[ContactHistory],
    today: int,
    changed: int,
    first: date,
    last: date,
    tz: tzinfo,
) -> TextTradeoff:
    """The step-back run's trade-off over the texts sent from ``first`` to ``last``:
    each text's unanswered run before it is the summary's (the history's fold of the
    touches before it), as the coach reads it when it blocks a text."""
    sent = not_sent = replied = 0
    end = end_of_day(last, tz)
    for history in histories:
        touches = history.touches
        fold = HistoryFold(history.contact.id)
        for position, (row, touch) in enumerate(zip(history.rows, touches, strict=True)):
            if (
                touch.channel is Channel.SMS
                and touch.direction is Direction.OUT
                and not touch.is_group
                and first <= local_date(touch.at, tz) <= last
            ):
                sent += 1
                if fold.summary(touch=history.touch).text_run >= changed:
                    not_sent += 1
                    following = next((t for t in touches[position + 1 :] if not t.is_group), None)
                    if following is not None and following.direction is Direction.IN:
                        replied += following.at <= end  # before the rep's next outbound touch
            fold.add(row)
    return TextTradeoff(today, changed, sent, not_sent, replied)
