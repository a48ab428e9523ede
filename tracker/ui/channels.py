"""Which channel an action on a Today item uses, and what the queue filter searches."""

from __future__ import annotations

from tracker.models import Channel, Kind
from tracker.ui.data import QueueEntry
from tracker.ui.format import KIND_TITLES

OUT_CHANNEL = {
    Kind.THANK_NEW_CONNECTION: Channel.LINKEDIN_MESSAGE,
    Kind.AFTER_CALL_TEXT: Channel.SMS,
    Kind.FOLLOW_UP_DUE: Channel.EMAIL,
    Kind.NO_REPLY: Channel.SMS,
    Kind.UNANSWERED_TEXT: Channel.SMS,
    Kind.STEP_BACK: Channel.EMAIL,
    Kind.STALE_INVITE: Channel.EMAIL,
    Kind.RESEND_INVITE: Channel.LINKEDIN_INVITE,
    Kind.KEEP_IN_TOUCH: Channel.LINKEDIN_MESSAGE,
}


def _unanswered_channel(entry: QueueEntry) -> Channel:
    """The channel of the email or LinkedIn message a ``no_reply`` item waits on."""
    channel = entry.item.details.get("channel")
    return Channel(str(channel)) if channel else Channel.EMAIL


def out_channel(entry: QueueEntry) -> Channel:
    """The channel the item's own advice points to."""
    item = entry.item
    if item.kind is Kind.NO_REPLY and "by text" not in item.action:
        return _unanswered_channel(entry)
    return OUT_CHANNEL[item.kind]


def reply_channel(entry: QueueEntry) -> Channel:
    kind = entry.item.kind
    if kind in (Kind.AFTER_CALL_TEXT, Kind.UNANSWERED_TEXT, Kind.STEP_BACK):
        return Channel.SMS
    if kind is Kind.NO_REPLY:
        return _unanswered_channel(entry)
    return Channel.EMAIL if kind is Kind.FOLLOW_UP_DUE else Channel.LINKEDIN_MESSAGE


def haystack(entry: QueueEntry) -> str:
    """What `/` matches an item against."""
    item = entry.item
    return " ".join(
        (item.contact, item.company, item.reason, item.action, KIND_TITLES[item.kind])
    ).casefold()
