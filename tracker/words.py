"""The plain words the tracker says things in: kind titles (of a group and of one
item), channel labels, what a message is called, plurals, and dates for humans, so every
screen and the CLI say them the same way. No internal code (``step_back``) reaches a
person through here.

Plain functions of their arguments; anything user-typed passes through
``tracker.text.safe`` before it is shown.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from tracker.models import BIRTHDAY, Channel, Contact, Direction, Kind, ReviewItem
from tracker.text import safe

if TYPE_CHECKING:
    from tracker.search import SearchHit

KIND_TITLES: dict[Kind, str] = {
    Kind.THANK_NEW_CONNECTION: "Thank new connections",
    Kind.AFTER_CALL_TEXT: "Text after a call",
    Kind.FOLLOW_UP_DUE: "Follow-ups due",
    Kind.KEY_DATE: "Birthdays and key dates",
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
    Channel.WHATSAPP: "WhatsApp",
    Channel.OTHER: "Other",
}

MESSAGE_WORDS: dict[Channel | None, str] = {
    None: "message",
    Channel.SMS: "text",
    Channel.LINKEDIN_INVITE: "LinkedIn note",
    Channel.LINKEDIN_MESSAGE: "LinkedIn message",
    Channel.EMAIL: "email",
    Channel.WHATSAPP: "WhatsApp message",
}
"""What a message on each channel is called in a sentence."""

ITEM_TITLES: dict[Kind, str] = {
    Kind.THANK_NEW_CONNECTION: "Thank for connecting",
    Kind.AFTER_CALL_TEXT: "Text after the call",
    Kind.FOLLOW_UP_DUE: "Follow-up due",
    Kind.KEY_DATE: "Key date",
    Kind.SEQUENCE_STEP: "Sequence step",
    Kind.NO_REPLY: "No reply yet",
    Kind.UNANSWERED_TEXT: "Unanswered text",
    Kind.STEP_BACK: "Stop texting",
    Kind.STALE_INVITE: "Stale invitation",
    Kind.RESEND_INVITE: "Invite again",
    Kind.KEEP_IN_TOUCH: "Keep in touch",
}
"""One item's kind, in words (``KIND_TITLES`` names a group of them)."""

TOUCH_WORDS: dict[Channel, str] = {
    Channel.LINKEDIN_INVITE: "a LinkedIn invitation",
    Channel.LINKEDIN_MESSAGE: "a LinkedIn message",
    Channel.SMS: "a text",
    Channel.CALL: "a call",
    Channel.EMAIL: "an email",
    Channel.MEETING: "a meeting",
    Channel.OTHER: "a touch",
}
"""A touch on each channel, in a sentence ("logged a text with Dana")."""

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


def short_when(moment: datetime, tz: tzinfo, today: date) -> str:
    """``Nov 7 14:30`` this year, ``Nov 7 2025`` another year (the time matters less
    than the year then), in the user's zone: a moment in a column of them."""
    local = moment.astimezone(tz)
    day = f"{local.strftime('%b')} {local.day}"
    return f"{day} {local:%H:%M}" if local.year == today.year else f"{day} {local.year}"


def meeting_when(moment: datetime, tz: tzinfo, today: date) -> str:
    """``tomorrow 10:00``, ``Dec 7 10:00``: when a scheduled meeting starts."""
    local = moment.astimezone(tz)
    return f"{short_date(local.date(), today)} {local.strftime('%H:%M')}"


def long_date(day: date) -> str:
    """``Mon 23 Nov 2026``."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"


_IRREGULAR = {"person": "people", "this": "these", "is": "are", "was": "were", "has": "have"}
_SIBILANT = ("s", "x", "z", "ch", "sh")


def plural_of(noun: str) -> str:
    """The plural of ``noun``; of its last word when it has several (``SMS segment`` ->
    ``SMS segments``, ``touch`` -> ``touches``, ``reply`` -> ``replies``)."""
    head, space, word = noun.rpartition(" ")
    lower = word.lower()
    if lower in _IRREGULAR:
        many = _IRREGULAR[lower]
    elif lower.endswith(_SIBILANT):
        many = word + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        many = word[:-1] + "ies"
    else:
        many = word + "s"
    return head + space + many


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 touch``, ``4 touches``, ``1,204 contacts`` (``many``: an irregular plural)."""
    return f"{count:,} {noun if count == 1 else many or plural_of(noun)}"


COUNTED_NOUNS = frozenset(
    [
        "announcement",
        "call",
        "chat",
        "contact",
        "date",
        "day",
        "draft",
        "email",
        "event",
        "handle",
        "invitation",
        "item",
        "line",
        "message",
        "name",
        "number",
        "phone",
        "record",
        "reminder",
        "row",
        "sender",
        "snooze",
        "tag",
        "text",
        "time",
        "touch",
        "URL",
        "value",
    ]
)
"""The nouns ``counted`` looks for at the head of a phrase."""


def counted(count: int, phrase: str) -> str:
    """``4 numbers matching no contact``, ``1 number matching no contact``: the count and
    the phrase with its first countable noun made plural when the count is not one (a
    phrase with none, such as ``already imported``, is left as it is)."""
    if count != 1:
        words_ = phrase.split(" ")
        for index, word in enumerate(words_):
            if word in COUNTED_NOUNS:
                words_[index] = plural_of(word)
                phrase = " ".join(words_)
                break
    return f"{count:,} {phrase}"


def item_title(item: ReviewItem) -> str:
    """One review item's kind in words, with what makes it this one: ``Stop texting: 2
    unanswered``, ``No reply to your email``, ``Birthday``, ``Key date: renewal``."""
    title = ITEM_TITLES[item.kind]
    if item.kind is Kind.KEY_DATE and item.details.get("label"):
        label = str(item.details["label"])
        return "Birthday" if label == BIRTHDAY else f"{title}: {label}"
    if item.kind is Kind.SEQUENCE_STEP and item.details.get("title"):
        return f"{title}: {one_line(str(item.details['title']))}"
    if item.kind is Kind.STEP_BACK and item.details.get("run"):
        return f"{title}: {item.details['run']} unanswered"
    if item.kind is Kind.NO_REPLY and item.details.get("channel"):
        channel = Channel(str(item.details["channel"]))
        return f"No reply to your {MESSAGE_WORDS.get(channel, 'message')}"
    return title


def search_text(item: ReviewItem) -> str:
    """What a filter over the review matches an item against: who, the reason, the
    action and the kind's titles, case-folded."""
    return " ".join(
        (
            item.contact,
            item.company,
            item.reason,
            item.action,
            KIND_TITLES[item.kind],
            item_title(item),
        )
    ).casefold()


def matches(item: ReviewItem, needle: str) -> bool:
    """Whether every word of ``needle`` is somewhere in ``item`` (its name, company,
    kind, reason or action), in any order: ``dana stale`` finds Dana's stale invitation."""
    haystack = search_text(item)
    return all(word in haystack for word in needle.casefold().split())


STREAK_RULE = "the streak counts the days you close the review with at least one item dealt with"


def closed_words(done: int, streak: int) -> str:
    """What closing the day's review says: the streak, and why it did not grow when
    nothing was dealt with."""
    if done:
        dealt = plural(done, "item")
        return f"Review closed with {dealt} dealt with. Streak: {plural(streak, 'day')}."
    return (
        f"Review closed with nothing dealt with, so the streak stays at {plural(streak, 'day')}"
        f" ({STREAK_RULE})."
    )


NAMED_CANDIDATES = 10
"""How many contacts an ambiguous reference lists."""


def candidate(contact: Contact) -> str:
    """``4 (Dana Fictional, Northwind, +1 312-555-0142)``: a contact as an ambiguous
    reference lists it, with what tells two of a name apart."""
    from tracker.identity import format_phone

    parts = [one_line(contact.name), one_line(contact.company)]
    parts.append(format_phone(contact.phone) if contact.phone else "")
    return f"{contact.id} ({', '.join(p for p in parts if p)})"


def candidates(contacts: list[Contact]) -> str:
    """The first ``NAMED_CANDIDATES`` of ``contacts``, each as ``candidate`` says."""
    shown = ", ".join(candidate(c) for c in contacts[:NAMED_CANDIDATES])
    return shown + (", …" if len(contacts) > NAMED_CANDIDATES else "")


FIELD_WORDS: dict[str, str] = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "title": "title",
    "tags": "tags",
    "linkedin_url": "LinkedIn",
    "notes": "notes",
}
"""What a contact's searchable fields are called beside a search match."""


def match_label(hit: SearchHit, tz: tzinfo, today: date) -> str:
    """Where a search match is: the field (``email``), or the touch's channel and day
    (``Text Mar 3``)."""
    if hit.touch_id is None:
        return FIELD_WORDS.get(hit.field, hit.field)
    channel = CHANNEL_LABELS.get(hit.channel, "Touch") if hit.channel else "Touch"
    day = short_date(hit.at.astimezone(tz).date(), today) if hit.at else ""
    return f"{channel} {day}".strip()
