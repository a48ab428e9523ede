"""A priority score for each review item, built from named parts the user can read:
the kind, how overdue it is, how old the invitation is, the unanswered streak, the
contact's segment, and the warmth of their last reply. Higher comes first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.config import Settings
from tracker.models import Contact, ContactState, Kind, Priority, ReviewItem, Segment

if TYPE_CHECKING:
    from tracker.review import Clock

KIND_POINTS = {
    Kind.AFTER_CALL_TEXT: 30,
    Kind.THANK_NEW_CONNECTION: 25,
    Kind.FOLLOW_UP_DUE: 25,
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


def _overdue(kind: Kind, age_days: int, contact: Contact, settings: Settings) -> int:
    if kind is Kind.FOLLOW_UP_DUE:
        return min(2 * age_days, 20)
    grace = {
        Kind.NO_REPLY: settings.no_reply_days,
        Kind.UNANSWERED_TEXT: settings.unanswered_text_days,
        Kind.KEEP_IN_TOUCH: contact.keep_in_touch_days or 0,
    }.get(kind)
    return 0 if grace is None else min(max(age_days - grace, 0), 10)


def _invitation_age(kind: Kind, age_days: int, settings: Settings) -> int:
    threshold = {
        Kind.STALE_INVITE: settings.stale_invite_days,
        Kind.RESEND_INVITE: settings.resend_invite_days,
    }.get(kind)
    return 0 if threshold is None else min(max(age_days - threshold, 0), 15)


def score(
    kind: Kind,
    age_days: int,
    contact: Contact,
    state: ContactState,
    clock: Clock,
    settings: Settings,
) -> Priority:
    """The priority of an item of ``kind``, ``age_days`` old, as named parts."""
    streak = (
        -5 * max(state.text_run - 1, 0)
        if kind in (Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.AFTER_CALL_TEXT)
        else 0
    )
    warmth = 0
    if state.last_inbound_at is not None:
        days = clock.age(state.last_inbound_at)
        warmth = next((points for limit, points in WARMTH if days <= limit), 0)
    return Priority(
        (
            ("kind", KIND_POINTS[kind]),
            ("overdue", _overdue(kind, age_days, contact, settings)),
            ("invitation age", _invitation_age(kind, age_days, settings)),
            ("unanswered streak", streak),
            ("segment", SEGMENT_POINTS.get(contact.segment or Segment.OTHER, 2)),
            ("warmth", warmth),
        )
    )


def by_priority(items: list[ReviewItem]) -> list[ReviewItem]:
    """Highest score first; ties keep the review's own order."""
    return sorted(items, key=lambda item: -item.priority.score)
