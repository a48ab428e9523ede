"""A priority score for each review item, built from named parts the user can read:
the kind, how overdue it is, how old the invitation is, the unanswered streak, the
contact's segment, and the warmth of their last reply. Higher comes first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.config import Settings
from tracker.models import (
    Contact,
    ContactState,
    Kind,
    Priority,
    ReviewItem,
    Segment,
)

if TYPE_CHECKING:
    from tracker.timeutil import Clock

KIND_POINTS = {
    Kind.AFTER_CALL_TEXT: 30,
    Kind.THANK_NEW_CONNECTION: 25,
    Kind.FOLLOW_UP_DUE: 25,
    Kind.KEY_DATE: 20,
    Kind.SEQUENCE_STEP: 20,
    Kind.NO_REPLY: 15,
    Kind.UNANSWERED_TEXT: 15,
    Kind.STALE_INVITE: 10,
    Kind.RESEND_INVITE: 5,
    Kind.KEEP_IN_TOUCH: 5,
    Kind.STEP_BACK: 0,
}
SEGMENT_POINTS = {
    Segment.DECISION_MAKER: 10,
    Segment.CHAMPION: 8,
    Segment.INFLUENCER: 6,
    Segment.MIRROR: 4,
    Segment.OTHER: 2,
}
WARMTH = ((7, 15), (30, 10), (90, 5))  # replied within N days: points
_RUN_KINDS = frozenset((Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.AFTER_CALL_TEXT))
_FOLLOW_UP, _NO_REPLY = Kind.FOLLOW_UP_DUE, Kind.NO_REPLY
_SEQUENCE_STEP = Kind.SEQUENCE_STEP
_UNANSWERED, _KEEP = Kind.UNANSWERED_TEXT, Kind.KEEP_IN_TOUCH
_STALE, _RESEND = Kind.STALE_INVITE, Kind.RESEND_INVITE
_OTHER = Segment.OTHER
_OVERDUE_KINDS = frozenset((_FOLLOW_UP, _SEQUENCE_STEP, _NO_REPLY, _UNANSWERED, _KEEP))
_INVITATION_KINDS = frozenset((_STALE, _RESEND))
_SCORED: dict[tuple[int, int, int, int, int, int], Priority] = {}
"""Each combination of points scored once: a review of thousands of items holds a few
dozen (a ``Priority`` is frozen, so the items share them)."""


def _overdue(kind: Kind, age_days: int, contact: Contact, settings: Settings) -> int:
    if kind is _FOLLOW_UP or kind is _SEQUENCE_STEP:
        return min(2 * age_days, 20)
    if kind is _NO_REPLY:
        grace = settings.no_reply_days
    elif kind is _UNANSWERED:
        grace = settings.unanswered_text_days
    elif kind is _KEEP:
        grace = contact.keep_in_touch_days or 0
    else:
        return 0
    return min(max(age_days - grace, 0), 10)


def _invitation_age(kind: Kind, age_days: int, settings: Settings) -> int:
    if kind is _STALE:
        threshold = settings.stale_invite_days
    elif kind is _RESEND:
        threshold = settings.resend_invite_days
    else:
        return 0
    return min(max(age_days - threshold, 0), 15)


def _warmth(state: ContactState, clock: Clock) -> int:
    if state.last_inbound_at is None:
        return 0
    days = clock.age(state.last_inbound_at)
    for limit, points in WARMTH:
        if days <= limit:
            return points
    return 0


def score(
    kind: Kind,
    age_days: int,
    contact: Contact,
    state: ContactState,
    clock: Clock,
    settings: Settings,
) -> Priority:
    """The priority of an item of ``kind``, ``age_days`` old, as named parts."""
    streak = -5 * max(state.text_run - 1, 0) if kind in _RUN_KINDS else 0
    # The kinds with a threshold of their own (once per item: no call for the others).
    overdue = invitation = 0
    if kind in _OVERDUE_KINDS:
        overdue = _overdue(kind, age_days, contact, settings)
    elif kind in _INVITATION_KINDS:
        invitation = _invitation_age(kind, age_days, settings)
    points = (
        KIND_POINTS[kind],
        overdue,
        invitation,
        streak,
        SEGMENT_POINTS.get(contact.segment or _OTHER, 2),
        0 if state.last_inbound_at is None else _warmth(state, clock),
    )
    priority = _SCORED.get(points)
    if priority is None:
        priority = _SCORED[points] = Priority(tuple(zip(PART_NAMES, points, strict=True)))
    return priority


PART_NAMES = ("kind", "overdue", "invitation age", "unanswered streak", "segment", "warmth")
"""The parts of every score, in order."""


def by_priority(items: list[ReviewItem]) -> list[ReviewItem]:
    """Highest score first; ties keep the review's own order."""
    return sorted(items, key=lambda item: -item.priority.score)
