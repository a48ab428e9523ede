"""The review where the rep already looks: an iCalendar file (RFC 5545) with one all-day
event per follow-up date, one per key date coming up, and one for today's review.

Every event's UID is stable, so importing a newer file into a calendar updates the
events instead of adding them again: a contact's follow-up is one event (a changed date
moves it), a key date is one event per year it falls, and the review is one per day.
Pure functions of the contacts and dates given; ``icalendar`` writes the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.identity import format_phone
from tracker.key_dates import Occasion, next_on_or_after, occasion_words
from tracker.models import BIRTHDAY, Contact, KeyDate
from tracker.words import plural

DOMAIN = "outreach-tracker.local"
"""The right-hand side of every UID: says the events are ours."""
PRODID = "-//Outreach Tracker//Outreach Tracker//EN"
CALENDAR_NAME = "Outreach"


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event: its stable ``uid``, its day, what it says."""

    uid: str
    day: date
    summary: str
    description: str


def _slug(text: str) -> str:
    """A label as a UID part: plain letters and digits, or a short hash for the rest."""
    plain = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.casefold())
    plain = "-".join(part for part in plain.split("-") if part)
    if plain and plain.isascii():
        return plain[:40]
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def reach(contact: Contact) -> list[str]:
    """How to reach the contact: a line each for phone, email and LinkedIn profile."""
    lines = []
    if contact.phone:
        lines.append(f"Phone: {format_phone(contact.phone)}")
    if contact.email:
        lines.append(f"Email: {contact.email}")
    if contact.linkedin_url:
        lines.append(f"LinkedIn: {contact.linkedin_url}")
    return lines


def _flat(text: str) -> str:
    return " ".join(text.split())


def follow_up_entry(contact: Contact) -> CalendarEntry | None:
    """The contact's follow-up date as an event (``None`` without one). One UID per
    contact: a new date moves the event."""
    if contact.follow_up_on is None:
        return None
    reason = _flat(contact.follow_up_reason) or "follow up as planned"
    return CalendarEntry(
        uid=f"follow-up-{contact.id}@{DOMAIN}",
        day=contact.follow_up_on,
        summary=f"Follow up: {_flat(contact.name)}",
        description="\n".join([reason, *reach(contact)]),
    )


def key_date_entry(contact: Contact, occasion: Occasion) -> CalendarEntry:
    """A key date on the day it falls: one UID per contact, label and year."""
    key_date = occasion.key_date
    label = key_date.label
    extra = occasion_words(occasion)
    what = "Birthday" if label == BIRTHDAY else label[:1].upper() + label[1:]
    name = _flat(contact.name)
    action = (
        "send a short, personal birthday message"
        if label == BIRTHDAY
        else f"send a short note of congratulation on their {label}"
    )
    return CalendarEntry(
        uid=f"key-date-{contact.id}-{_slug(label)}-{occasion.on.year}@{DOMAIN}",
        day=occasion.on,
        summary=f"{what}: {name}" + (f" ({extra})" if extra else ""),
        description="\n".join([action[:1].upper() + action[1:], *reach(contact)]),
    )


def review_entry(today: date, due: int, kinds: Sequence[tuple[str, int]] = ()) -> CalendarEntry:
    """Today's review: how many items are due (and of which kinds). One UID a day."""
    lines = [f"{title}: {count}" for title, count in kinds]
    lines.append("Open it with: outreach (or outreach review)")
    return CalendarEntry(
        uid=f"review-{today.isoformat()}@{DOMAIN}",
        day=today,
        summary=f"Outreach review: {due} due",
        description="\n".join(lines),
    )


def upcoming(
    key_dates: Iterable[tuple[int, KeyDate]], today: date, days: int
) -> list[tuple[int, Occasion]]:
    """``(contact id, occasion)`` for each key date whose next day from ``today`` on falls
    within ``days`` days."""
    found = []
    for contact_id, key_date in key_dates:
        on = next_on_or_after(key_date, today)
        if on is not None and (on - today).days <= days:
            found.append((contact_id, Occasion(key_date, on, (today - on).days)))
    return found


def to_ics(entries: Iterable[CalendarEntry], stamp: datetime) -> str:
    """The entries as an iCalendar file (CRLF lines), ``stamp`` their DTSTAMP."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for entry in sorted(entries, key=lambda e: (e.day, e.uid)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def summary_line(entries: Sequence[CalendarEntry]) -> str:
    """``4 events: 2 follow-ups, 1 key date, today's review``."""
    follow_ups = sum(e.uid.startswith("follow-up-") for e in entries)
    key_dates = sum(e.uid.startswith("key-date-") for e in entries)
    return (
        f"{plural(len(entries), 'event')}: {plural(follow_ups, 'follow-up')}, "
        f"{plural(key_dates, 'key date')}, today's review"
    )
