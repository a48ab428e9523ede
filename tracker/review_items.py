"""What every review rule shares: the context a rule reads for one contact (``Ctx``),
the one way an item is made (``add_item``), and the wording the rules reuse.

Kept apart from the rules (``review_touches``, ``review_dates``) so that each family of
rules reads as its own page, and from ``review`` (which runs the rules and orders the
items). These are on the review's hot path: ``add_item`` fills each item without
``ReviewItem.__init__`` and the wording is cached (``functools.cache``), since a
review's thousands of items say a few dozen things.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import NamedTuple

from tracker.config import Settings
from tracker.models import Channel, Contact, ContactState, Kind, ReviewItem
from tracker.priority import score
from tracker.timeutil import Clock, days_in_words

_new = object.__new__


@functools.cache  # a few dozen ages in a whole review, each worded once
def days_ago(days: int) -> str:
    """An item's age in words: "today", "3 days ago"."""
    return "today" if days == 0 else f"{days_in_words(days)} ago"


said = functools.cache(str.format)
"""``template.format(*words)``, each sentence made once: a review's thousands of items
say a few dozen things, and the same text object again is cheaper to make and to write."""


def may_text(contact: Contact, clock: Clock) -> bool:
    """Whether the contact has a number and has not opted out of texts."""
    return bool(contact.phone) and not contact.opted_out(clock.as_of)


def thanks_channel(contact: Contact) -> Channel:
    """How to thank a contact with no phone for a call: by email when they have an email,
    else by LinkedIn message."""
    return Channel.EMAIL if contact.email else Channel.LINKEDIN_MESSAGE


def thanks_words(contact: Contact) -> str:
    """Where to thank a contact with no phone, in an action's words."""
    if contact.email:
        return "by email"
    return "by LinkedIn message" if contact.linkedin_url else "by email or LinkedIn message"


class Ctx(NamedTuple):
    """What every rule reads for one contact, and where its items go."""

    contact: Contact
    state: ContactState
    clock: Clock
    settings: Settings
    found: list[ReviewItem]


def add_item(
    kind: Kind,
    ctx: Ctx,
    since: datetime,
    age: int,
    reason: str,
    action: str,
    last_message: str = "",
    due_days: int | None = None,
    **details: object,
) -> None:
    """Add the item to ``ctx.found``. ``due_days``: how many days the item has been due
    (``None``: it never lapses). Filled without ``ReviewItem.__init__`` (its fields set
    one by one through the frozen ``__setattr__``), thousands of times a review."""
    contact = ctx.contact
    item = _new(ReviewItem)
    item.__dict__.update(
        kind=kind,
        contact_id=contact.id,
        contact=contact.name,
        company=contact.company,
        since=since,
        age_days=age,
        action=action,
        reason=reason,
        last_message=last_message,
        lapsed=due_days is not None and due_days > ctx.settings.horizon_days,
        details=details,
        priority=score(kind, age, contact, ctx.state, ctx.clock, ctx.settings),
    )
    ctx.found.append(item)
