"""The plain words the tracker says things in: kind titles, channel labels, what a
message is called, plurals, and dates for humans, so every screen (and the CLI) says
them the same way.

Plain functions of their arguments; anything user-typed passes through
``tracker.text.safe`` before it is shown.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from tracker.models import Channel, Direction, Kind, ReviewItem
from tracker.text import safe

KIND_TITLES: dict[Kind, str] = {
    Kind.THANK_NEW_CONNECTION: "Thank new connections",
    Kind.AFTER_CALL_TEXT: "Text after a call",
    Kind.FOLLOW_UP_DUE: "Follow-ups due",
    Kind.SEQUENCE_STEP: "Sequence steps",
    Kind.NO_REPLY: "No reply yet",
    Kind.UNANSWERED_TEXT: "Unanswered texts",
    Kind.STEP_BACK: "Step back: stop texting",
    Kind.STALE_INVITE: "Stale invitations",
    Kind.RESEND_INVITE: "Ready to invite again",
    Kind.KEEP_IN_TOUCH: "Keep in touch",
}

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.LINKEDIN_INVITE: "LinkedIn invite",
    Channel.LINKEDIN_MESSAGE: "LinkedIn message",
    Channel.SMS: "Text",
    Channel.CALL: "Call",
    Channel.EMAIL: "Email",
    Channel.MEETING: "Meeting",
    Channel.OTHER: "Other",
}

MESSAGE_WORDS: dict[Channel | None, str] = {
    None: "message",
    Channel.SMS: "text",
    Channel.LINKEDIN_INVITE: "LinkedIn note",
    Channel.LINKEDIN_MESSAGE: "LinkedIn message",
    Channel.EMAIL: "email",
}
"""What a message on each channel is called in a sentence."""

SORT_LABELS: dict[str, str] = {
    "name": "Name",
    "company": "Company",
    "segment": "Segment",
    "tags": "Tags",
    "last_touch": "Last touch",
    "follow_up": "Follow-up",
    "invitation": "Invitation",
}


def one_line(text: str | None, limit: int | None = None) -> str:
    """User text made safe and flattened to one line."""
    return safe(text, single_line=True, limit=limit)


def words(value: str | None) -> str:
    """``decision_maker`` -> ``decision maker``."""
    return (value or "").replace("_", " ")


def arrow(direction: Direction) -> str:
    return "→" if direction is Direction.OUT else "←"


def when(moment: datetime | None, tz: tzinfo) -> str:
    """``2026-11-23 09:30`` in the user's zone (empty for ``None``)."""
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def short_date(day: date | None, today: date) -> str:
    """``Nov 7`` this year, ``Nov 7 2025`` otherwise, ``today``/``tomorrow`` nearby."""
    if day is None:
        return ""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    label = f"{day.strftime('%b')} {day.day}"
    return label if day.year == today.year else f"{label} {day.year}"


def long_date(day: date) -> str:
    """``Mon 23 Nov 2026``."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def search_text(item: ReviewItem) -> str:
    """What a filter over the review matches an item against: who, the reason, the
    action and the kind's title, case-folded."""
    return " ".join(
        (item.contact, item.company, item.reason, item.action, KIND_TITLES[item.kind])
    ).casefold()
