"""Replies: which of the rep's messages were answered, and how fast (DOMAIN.md, "Numbers
worth showing the user"). Pure functions of a contact's history and of counts.

A message (a text, an email, a LinkedIn message, a WhatsApp message) the rep sent is
answered by the contact's next inbound touch on any channel, if that comes before the
rep's next message on the same channel (a reply answers the latest nudge). Its *run* is
how many messages on its channel the rep sent since the contact last reached out, itself
included: 1 is a first message, more a follow-up. Group touches are no part of a
conversation.

``ReplyFold`` reads one contact's history in order and gives one ``Fact`` per message;
the store keeps the facts (``message_replies``) in step with every write, and the
insights count them in SQL by channel, run and local hour of the week
(``reply_figures``), so no figure walks the history.

A history cut at a moment (``as of``) answers the same: a message's run depends only on
what came before it, and it is answered as of a moment exactly when its reply came by
then (everything between the message and its reply came earlier still).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tracker.local_time import EPOCH

MESSAGE_CHANNELS = ("sms", "email", "linkedin_message", "whatsapp")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MESSAGES = frozenset(MESSAGE_CHANNELS)
_IN = "in"
_NONE: list[Fact] = []
"""What ``take`` gives when nothing settled (shared: never added to)."""

Fact = tuple[int, int, str, int, int, int | None]
"""``(touch id, contact id, channel, sent, run, replied)``: one message, its time and its
reply's (epoch seconds; ``None``: unanswered)."""
Row = tuple[Any, ...]
"""A stored touch as the store's ``SUMMARY_TOUCHES`` reads it: ``(id, contact_id, channel,
direction, at, text, status, status_at, has_note, moment, is_group, source)``."""


def _seconds(text: str) -> int:
    return int((datetime.fromisoformat(text) - EPOCH).total_seconds())


class ReplyFold:
    """One contact's messages and their replies, folded from its history in order (by
    time, then id). Answered messages are ``take``-n as they settle; ``finish`` gives
    the rest (unanswered so far). Only the latest message on each channel is held."""

    __slots__ = ("contact_id", "newest", "open", "runs", "settled")

    def __init__(self, contact_id: int) -> None:
        self.contact_id = contact_id
        self.settled: list[Fact] = []
        self.open: dict[str, tuple[int, str, int]] = {}
        """Per channel: the latest message, not answered yet (``(id, at, run)``)."""
        self.runs: dict[str, int] = {}
        self.newest: tuple[str, int] | None = None

    def add(self, row: Row) -> bool:
        """Fold ``row`` in; ``False`` (and nothing folded) when it is older than a row
        already added: the facts need the history in order."""
        key = (row[4], row[0])
        if self.newest is not None and key < self.newest:
            return False
        self.newest = key
        if row[10]:
            return True
        if row[3] == _IN:
            if self.open:
                replied = _seconds(row[4])
                for channel, held in self.open.items():
                    self._settle(channel, held, replied)
                self.open.clear()
            self.runs.clear()
            return True
        channel = row[2]
        if channel not in _MESSAGES:
            return True
        before = self.open.get(channel)
        if before is not None:
            self._settle(channel, before, None)
        run = self.runs.get(channel, 0) + 1
        self.runs[channel] = run
        self.open[channel] = (row[0], row[4], run)
        return True

    def _settle(self, channel: str, held: tuple[int, str, int], replied: int | None) -> None:
        touch_id, at, run = held
        self.settled.append((touch_id, self.contact_id, channel, _seconds(at), run, replied))

    def take(self) -> list[Fact]:
        """The facts settled since the last ``take``."""
        if not self.settled:
            return _NONE
        found, self.settled = self.settled, []
        return found

    def finish(self) -> list[Fact]:
        """Every fact not taken yet, the messages still unanswered included."""
        for channel, held in self.open.items():
            self._settle(channel, held, None)
        self.open.clear()
        return self.take()


def facts_of(contact_id: int, rows: Iterable[Row]) -> list[Fact]:
    """Every message of one contact's history (rows in order) with its run and reply."""
    fold = ReplyFold(contact_id)
    for row in rows:
        if not fold.add(row):
            raise ValueError("rows out of order")
    return fold.finish()


# -- the figures, from the facts counted by channel, run and local hour of the week ------
@dataclass
class ReplyTally:
    """Messages sent, and how long (seconds) each answered one waited."""

    sent: int = 0
    waits: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        replied = len(self.waits)
        return {
            "sent": self.sent,
            "replied": replied,
            "rate": round(replied / self.sent, 4) if self.sent else None,
            "median_hours_to_reply": round(median_hours(self.waits), 1) if self.waits else None,
        }


def median_hours(waits: list[int]) -> float:
    """``statistics.median`` of the waits in hours (``wait / 3600``), to the last bit:
    the seconds are sorted (in place) and only the middle ones turned into hours."""
    waits.sort()
    middle = len(waits) // 2
    if len(waits) % 2:
        return waits[middle] / 3600
    return (waits[middle - 1] / 3600 + waits[middle] / 3600) / 2


@dataclass(frozen=True)
class ReplyGroup:
    """The messages of one channel, first or follow-up, sent in one local hour of the
    week (``hour_of_week``: 0 is Monday 00:00-00:59): how many, and the seconds each
    answered one waited."""

    channel: str
    first: bool
    hour_of_week: int
    sent: int
    waits: Sequence[int]


def reply_figures(groups: Iterable[ReplyGroup], step_back_contacts: int) -> dict[str, Any]:
    """Reply rate and time to reply by channel, weekday, hour of day, and first message
    vs follow-up; and how many contacts hit the step-back rule (counted by the store)."""
    by_channel = {c: ReplyTally() for c in MESSAGE_CHANNELS}
    by_weekday = [ReplyTally() for _ in WEEKDAYS]
    by_hour = [ReplyTally() for _ in range(24)]
    first, follow_up = ReplyTally(), ReplyTally()
    for group in groups:
        weekday, hour = divmod(group.hour_of_week, 24)
        for tally in (
            by_channel[group.channel],
            by_weekday[weekday],
            by_hour[hour],
            first if group.first else follow_up,
        ):
            tally.sent += group.sent
            tally.waits += group.waits
    return {
        "replies_by_channel": [{"channel": c, **t.as_dict()} for c, t in by_channel.items()],
        "replies_by_weekday": [
            {"weekday": WEEKDAYS[i], **t.as_dict()} for i, t in enumerate(by_weekday)
        ],
        "replies_by_hour": [{"hour": h, **t.as_dict()} for h, t in enumerate(by_hour)],
        "first_vs_follow_up": {"first": first.as_dict(), "follow_up": follow_up.as_dict()},
        "step_back_contacts": step_back_contacts,
    }
