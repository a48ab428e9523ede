"""What people type for a day or a moment, read the same way by the CLI and the app.

A day: ``2026-12-04``, ``today``, ``tomorrow``, ``yesterday``, a weekday (``friday``,
``fri``, ``next friday``, ``last friday``), ``+3d``, ``+1w``, ``-2d``, ``in 3 days``,
``3 days ago``, ``2 weeks ago``. A bare weekday means the next one for a day ahead (a
snooze, a follow-up) and the last one for a day behind (when something happened).

A moment: any day, optionally with a time (``14:00``, ``2pm``, ``2:30 pm``, ``9am``):
``yesterday 2pm``, ``friday 14:00``, ``2026-12-04 09:30``, ``2026-12-04T09:30``; a time
alone is today. An ISO date alone is 00:00 local (DOMAIN: a date-only time); a relative
day alone (``yesterday``, ``3 days ago``, ``friday``) keeps the current time of day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Literal

from tracker.errors import DateError

Direction = Literal["ahead", "behind"]
"""Which way a bare weekday points: the next one, or the last one."""

DAY_FORMS = (
    "YYYY-MM-DD, today, tomorrow, yesterday, a weekday (friday, next fri), "
    "+3d, +1w, in 3 days, 3 days ago"
)
TIME_FORMS = "14:00, 2pm or 2:30pm"

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}
_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7}
_OFFSET = re.compile(r"([+-])\s*(\d{1,5})\s*(d|w|days?|weeks?)")
_IN = re.compile(r"in\s+(\d{1,5})\s*(d|w|days?|weeks?)")
_AGO = re.compile(r"(\d{1,5})\s*(d|w|days?|weeks?)\s+ago")
_WEEKDAY = re.compile(r"(?:(next|last|this)\s+)?([a-z]+)")
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")
_ISO_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[t ](\d{1,2}:\d{2}(?::\d{2})?)")


def parse_day(text: str, today: date, direction: Direction = "ahead") -> date:
    """The calendar day ``text`` names, counted from ``today``."""
    cleaned = " ".join(text.strip().lower().split())
    found = _day(cleaned, today, direction)
    if found is None:
        raise DateError(
            f"invalid date {text.strip()!r}: use {DAY_FORMS}", "not a date I can read", DAY_FORMS
        )
    return found


def parse_moment(
    text: str, now: datetime, direction: Direction = "behind"
) -> tuple[date, time | None]:
    """The local day and time of day ``text`` names, counted from ``now`` (local,
    naive or aware: only its date and time of day are read). The time is ``None`` for
    an ISO date alone (the caller's midnight), ``now``'s time for a relative day alone."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned == "now":
        return now.date(), now.time().replace(microsecond=0)
    iso = _ISO_MOMENT.fullmatch(cleaned)
    if iso:
        return _iso(iso.group(1), text), _clock(iso.group(2), text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        return _iso(cleaned, text), None
    day_part, clock_part = cleaned, ""
    words = cleaned.split()
    # A time is the last words: "yesterday 2pm", "fri 14:00", "14:00", "fri 2 pm".
    for split in range(len(words)):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        if _is_clock(tail) and (not head or _day(head, now.date(), direction)):
            day_part, clock_part = head, tail
            break
    day = _day(day_part, now.date(), direction) if day_part else now.date()
    if day is None:
        forms = f"{DAY_FORMS}, with a time if you like ({TIME_FORMS})"
        said = f"invalid date {text.strip()!r}: use {forms}"
        raise DateError(said, "not a date I can read", forms)
    if clock_part:
        return day, _clock(clock_part, text)
    return day, now.time().replace(microsecond=0)


def next_week(today: date) -> date:
    """ "Next week" for a snooze: the first Monday at least 7 days after ``today`` (on a
    Sunday that is the Monday after tomorrow's, never tomorrow)."""
    days = (7 - today.weekday()) % 7 or 7
    return today + timedelta(days=days if days >= 7 else days + 7)


def _day(cleaned: str, today: date, direction: Direction) -> date | None:
    if cleaned in _WORDS:
        return today + timedelta(days=_WORDS[cleaned])
    for pattern, sign in ((_OFFSET, 0), (_IN, 1), (_AGO, -1)):
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        if sign == 0:
            sign = -1 if match.group(1) == "-" else 1
            count, unit = match.group(2), match.group(3)
        else:
            count, unit = match.group(1), match.group(2)
        return _shift(today, sign * int(count) * _UNITS[unit], cleaned)
    match = _WEEKDAY.fullmatch(cleaned)
    if match and match.group(2) in _WEEKDAYS:
        which, weekday = match.group(1), _WEEKDAYS[match.group(2)]
        ahead = (weekday - today.weekday()) % 7
        behind = (today.weekday() - weekday) % 7
        if which == "next" or (which is None and direction == "ahead"):
            return today + timedelta(days=ahead or 7)
        if which == "last" or (which is None and direction == "behind"):
            return today - timedelta(days=behind or 7)
        return today + timedelta(days=ahead)  # "this friday": this week's, ahead
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        return _iso(cleaned, cleaned)
    return None


def _shift(today: date, days: int, text: str) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise DateError(f"date {text!r} is out of range", "too far from today") from None


def _iso(cleaned: str, text: str) -> date:
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise DateError(f"invalid date {text.strip()!r}: no such day", "no such day") from None


def _is_clock(text: str) -> bool:
    match = _CLOCK.fullmatch(text)
    return match is not None and bool(match.group(2) or match.group(4))


def _clock(text: str, original: str) -> time:
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise DateError(
            f"invalid time in {original.strip()!r}: use {TIME_FORMS}", "not a time", TIME_FORMS
        )
    hour, minute, second = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise DateError(
                f"invalid time in {original.strip()!r}: {hour} is not 1 to 12 (use {TIME_FORMS})",
                f"{hour} is not an hour from 1 to 12",
                TIME_FORMS,
            )
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(
            f"invalid time in {original.strip()!r}: use {TIME_FORMS}", "no such time", TIME_FORMS
        )
    return time(hour, minute, second)
