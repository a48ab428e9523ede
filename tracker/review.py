"""The daily review: which items are due, why, and in what order (DOMAIN.md).

Pure functions of (contact, state, as_of, settings): the clock is always an argument, so
the same data and the same "as of" give the same items in the same order.

An item due for more than ``[review] horizon_days`` has *lapsed* (DOMAIN.md, "Lapsed
items"): each rule says how many days its item has been due, so telling a lapsed item
costs one comparison; ``build_review`` keeps the lapsed apart from the day's queue.

This module runs the rules for each contact (``items_for``: which run, what a meeting,
a sequence or a snooze holds back) and orders the items. The rules themselves are
``review_touches`` (invitations, calls and texts, no reply) and ``review_dates``
(follow-ups, key dates, keeping in touch, sequence steps); what they share (the item
builder, the cached wording) is ``review_items``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from tracker.config import Settings
from tracker.models import Contact, ContactState, KeyDate, Kind, ReviewItem
from tracker.review_dates import (
    follow_up_item,
    keep_in_touch_item,
    key_date_item,
    sequence_item,
)
from tracker.review_items import Ctx, thanks_channel
from tracker.review_touches import invitation_items, no_reply_item, text_items
from tracker.sequences.plan import Plan
from tracker.timeutil import Clock

__all__ = [
    "HELD_BY_MEETING",
    "HELD_BY_SEQUENCE",
    "Plans",
    "Review",
    "Snoozes",
    "build_queue",
    "build_review",
    "explain",
    "full_sort_key",
    "items_for",
    "sort_key",
    "thanks_channel",
]

Snoozes = Mapping[tuple[int, Kind], date]
Plans = Mapping[int, Plan]
"""Each contact's enrollment in a sequence (as of the review's moment), by contact id."""
HELD_BY_MEETING = frozenset(
    {Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.KEEP_IN_TOUCH}
)
"""Kinds a scheduled meeting holds back until it starts (DOMAIN.md, "Scheduled meetings")."""
HELD_BY_SEQUENCE = frozenset({Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.KEEP_IN_TOUCH})
"""Kinds a running sequence holds for its contact (DOMAIN.md, "Quiet while planned"), with
``stale_invite`` for the sequence's own invitation."""

_STALE = Kind.STALE_INVITE
_new_ctx = tuple.__new__


def _held_by_sequence(item: ReviewItem, state: ContactState, plan: Plan) -> bool:
    if item.kind is _STALE:
        return state.invite_id is not None and state.invite_id in plan.progress.invitations
    return item.kind in HELD_BY_SEQUENCE


def items_for(
    contact: Contact,
    state: ContactState,
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Sequence[KeyDate] = (),
    plan: Plan | None = None,
) -> list[ReviewItem]:
    """Every item due for one contact as of ``clock.as_of``, snoozed ones removed
    (``key_dates``: the contact's, or at least those near the day; ``plan``: the
    contact's enrollment in a sequence, if any)."""
    found: list[ReviewItem] = []
    # A named tuple's own __new__ is Python code: the tuple is made directly.
    ctx = _new_ctx(Ctx, (contact, state, clock, settings, found))
    # Each rule runs only when the summary holds what it starts from: most contacts
    # a review reads are due for one reason, and a call costs more than the test.
    if state.invite_status is not None or state.thank_since is not None:
        invitation_items(ctx)
    if state.call_since is not None or state.text_run:
        text_items(ctx)
    if contact.follow_up_on is not None:
        follow_up_item(ctx, contact.follow_up_on)
    if key_dates:
        key_date_item(ctx, key_dates)
    if state.no_reply_since is not None:
        no_reply_item(ctx, state.no_reply_since)
    if contact.keep_in_touch_days:
        keep_in_touch_item(ctx, contact.keep_in_touch_days)
    if plan is not None:
        sequence_item(ctx, plan)
    if state.meeting_scheduled_at is not None:
        found = [item for item in found if item.kind not in HELD_BY_MEETING]
    if plan is not None and plan.live:
        found = [item for item in found if not _held_by_sequence(item, state, plan)]
    if snoozes:
        today = clock.today
        found = [
            item
            for item in found
            if not ((until := snoozes.get((contact.id, item.kind))) and today < until)
        ]
    return found


_RANK = {kind: kind.rank for kind in Kind}


def sort_key(item: ReviewItem) -> tuple[int, datetime, int]:
    """Kind in the table's order, then oldest ``since`` first, then contact id."""
    return (_RANK[item.kind], item.since, item.contact_id)


def full_sort_key(item: ReviewItem) -> tuple[int, bool, datetime, int]:
    """The review's order with the lapsed items too: within a kind, the day's items
    first, then the lapsed ones (each part oldest first)."""
    return (_RANK[item.kind], item.lapsed, item.since, item.contact_id)


class Review(NamedTuple):
    """The review as of one moment: the day's queue, and the lapsed items kept apart,
    each in review order."""

    queue: list[ReviewItem]
    lapsed: list[ReviewItem]

    def everything(self) -> list[ReviewItem]:
        """Every item due, lapsed ones included (``full_sort_key`` order)."""
        return sorted(self.queue + self.lapsed, key=full_sort_key)


def build_review(
    entries: Iterable[tuple[Contact, ContactState]],
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Mapping[int, Sequence[KeyDate]] | None = None,
    plans: Plans | None = None,
) -> Review:
    """The review for ``entries`` as of ``clock``: the day's queue and the lapsed items
    (``key_dates`` by contact id: at least every key date near the day; ``plans``: the
    contacts' enrollments in sequences)."""
    queue: list[ReviewItem] = []
    lapsed: list[ReviewItem] = []
    near = key_dates or {}
    plans = plans or {}
    for contact, state in entries:
        plan = plans.get(contact.id)
        dates = near.get(contact.id, ())
        for item in items_for(contact, state, clock, settings, snoozes, dates, plan):
            (lapsed if item.lapsed else queue).append(item)
    queue.sort(key=sort_key)
    lapsed.sort(key=sort_key)
    return Review(queue, lapsed)


def build_queue(
    entries: Iterable[tuple[Contact, ContactState]],
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Mapping[int, Sequence[KeyDate]] | None = None,
    plans: Plans | None = None,
) -> list[ReviewItem]:
    """The day's queue for ``entries`` as of ``clock``, in review order (lapsed items
    left out: ``build_review`` keeps them)."""
    return build_review(entries, clock, settings, snoozes, key_dates, plans).queue


def explain(item: ReviewItem) -> str:
    """The one-line explanation: why it is here, then what to do."""
    return f"{item.reason}; {item.action}"
