"""Wording that names a day says the right one: "today", "yesterday", "on Tuesday", or a
date for anything older, from when the call or meeting actually was. Templates say
``{call_day}`` and ``{meeting_day}`` (filled here from the history), and the checks warn
when a draft says "the call today" about a call that was on another day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, tzinfo

from tracker.coach.findings import Finding, Severity
from tracker.models import CallStatus, Channel, Touch
from tracker.timeutil import local_date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAY_FIELDS = {"call_day": Channel.CALL, "meeting_day": Channel.MEETING}
"""Template fields that name the day of the contact's latest call or meeting."""

_DAY_WORD = re.compile(
    r"\b(earlier today|today|yesterday|this morning|this afternoon|this evening|tonight)\b", re.I
)
_SAID_OF = r"(the|our|your|this|that|great|good|nice|lovely|quick)\s+"
_CALL_WORDS = re.compile(
    rf"\b({_SAID_OF}(phone\s+)?(call|chat|talk|conversation)|called|talked|spoke|chatted|"
    r"talking|speaking|chatting|time\s+to\s+(talk|chat|speak))\b",
    re.I,
)
_MEETING_WORDS = re.compile(
    rf"\b({_SAID_OF}(meeting|coffee|lunch|breakfast|dinner|visit)|met|meeting\s+you|"
    r"seeing\s+you)\b",
    re.I,
)
"""Words that speak of a call or a meeting that happened (a day word after them, in
the same few words, names its day; "can we talk today?" asks, so it does not count)."""
_REACH = 6
"""How many words before a day word may speak of the call or meeting it dates."""
_SENTENCE = re.compile(r"[^.!?\n]+")


def day_phrase(then: date, today: date) -> str:
    """How a message names the day ``then`` as seen on ``today``."""
    days = (today - then).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 2 <= days <= 6:
        return f"on {WEEKDAYS[then.weekday()]}"
    shown = f"on {MONTHS[then.month - 1]} {then.day}"
    return shown if then.year == today.year else f"{shown}, {then.year}"


def latest(history: Sequence[Touch], channel: Channel, as_of: datetime) -> Touch | None:
    """The contact's last call that connected (or last meeting) at or before ``as_of``."""
    found = [
        t
        for t in history
        if t.channel is channel
        and t.at <= as_of
        and not t.is_group
        and (channel is not Channel.CALL or (t.status or CallStatus.CONNECTED) == "connected")
    ]
    return found[-1] if found else None


def day_fields(history: Sequence[Touch], as_of: datetime, tz: tzinfo) -> dict[str, str]:
    """``call_day`` and ``meeting_day`` for the templates, where the history has one."""
    today = local_date(as_of, tz)
    values: dict[str, str] = {}
    for field, channel in DAY_FIELDS.items():
        touch = latest(history, channel, as_of)
        if touch is not None:
            values[field] = day_phrase(local_date(touch.at, tz), today)
    return values


def day_word_findings(
    text: str, history: Sequence[Touch], as_of: datetime, tz: tzinfo
) -> Iterator[Finding]:
    """A warning for each "today"/"yesterday" in a sentence about a call or a meeting
    that was on another day (the latest one before ``as_of``)."""
    today = local_date(as_of, tz)
    for sentence in _SENTENCE.finditer(text):
        words = sentence.group()
        for match in _DAY_WORD.finditer(words):
            before = " ".join(words[: match.start(1)].split()[-_REACH:])
            if _CALL_WORDS.search(before):
                what, channel = "call", Channel.CALL
            elif _MEETING_WORDS.search(before):
                what, channel = "meeting", Channel.MEETING
            else:
                continue
            touch = latest(history, channel, as_of)
            if touch is None:
                continue
            then = local_date(touch.at, tz)
            said = match.group(1)
            meant = today - timedelta(days=1) if said.lower() == "yesterday" else today
            if then == meant:
                continue
            right = day_phrase(then, today)
            if (today - then).days <= 6:  # a weekday or "yesterday": the date too
                right_words = f"{right} ({MONTHS[then.month - 1]} {then.day})"
            else:
                right_words = right  # already "on Nov 3"
            start = sentence.start() + match.start(1)
            yield Finding(
                Severity.WARN,
                "day_word",
                f"the last {what} was {right_words}, not {said.lower()}: say “{right}”",
                (start, start + len(said)),
            )
