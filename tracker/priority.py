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
    dataclass_builder,
)

if TYPE_CHECKING:
    from tracker.timeutil import Clock

KIND_POINTS = {
    Kind.AFTER_CALL_TEXT: 30,
    Kind.THANK_NEW_CONNECTION: 25,
    Kind.FOLLOW_UP_DUE: 25,
    Kind.KEY_DATE: 20,
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
make_priority = dataclass_builder(Priority)


_RUN_KINDS = frozenset((Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.AFTER_CALL_TEXT))


def _overdue(kind: Kind, age_days: int, contact: Contact, settings: Settings) -> int:
    if kind is Kind.FOLLOW_UP_DUE:
        return min(2 * age_days, 20)
    if kind is Kind.NO_REPLY:
        grace = settings.no_reply_days
    elif kind is Kind.UNANSWERED_TEXT:
        grace = settings.unanswered_text_days
    elif kind is Kind.KEEP_IN_TOUCH:
        grace = contact.keep_in_touch_days or 0
    else:
        return 0
    return min(max(age_days - grace, 0), 10)


def _invitation_age(kind: Kind, age_days: int, settings: Settings) -> int:
    if kind is Kind.STALE_INVITE:
        threshold = settings.stale_invite_days
    elif kind is Kind.RESEND_INVITE:
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
    return make_priority(
        {
            "parts": (
                ("kind", KIND_POINTS[kind]),
                ("overdue", _overdue(kind, age_days, contact, settings)),
                ("invitation age", _invitation_age(kind, age_days, settings)),
                ("unanswered streak", streak),
                ("segment", SEGMENT_POINTS.get(contact.segment or Segment.OTHER, 2)),
                ("warmth", _warmth(state, clock)),
            )
        }
    )


def by_priority(items: list[ReviewItem]) -> list[ReviewItem]:
    """Highest score first; ties keep the review's own order."""
    return sorted(items, key=lambda item: -item.priority.score)
