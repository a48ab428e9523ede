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

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tracker.medians import middle

MESSAGE_CHANNELS = ("sms", "email", "linkedin_message", "whatsapp")
REPLY_KEYS = (
    "replies_by_channel",
    "replies_by_weekday",
    "replies_by_hour",
    "first_vs_follow_up",
    "step_back_contacts",
)
"""The insights' keys ``reply_figures`` gives, in order."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MESSAGES = frozenset(MESSAGE_CHANNELS)
_IN = "in"

Fact = tuple[int, int, str, int, int, int | None]
"""``(touch id, contact id, channel, sent, run, replied)``: one message, its time and its
reply's (epoch seconds; ``None``: unanswered)."""
FACT_WIDTH = 6
"""A fold's sink holds its facts flat, ``FACT_WIDTH`` values each, their times as stored
(``(touch id, contact id, channel, sent at, run, replied at)``, texts): the store turns
those into epoch seconds as it writes them, SQLite's work rather than the fold's, and no
tuple is kept per fact (``facts_of`` gives them as ``Fact``)."""
Row = tuple[Any, ...]
"""A stored touch as the store's ``SUMMARY_TOUCHES`` reads it: ``(id, contact_id, channel,
direction, at, text, status, status_at, has_note, moment, is_group, source)``."""


def _seconds(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


class ReplyFold:
    """One contact's messages and their replies, folded from its history in order (by
    time, then id). Each fact goes to ``sink`` (flat, ``FACT_WIDTH`` values each) as it
    settles (answered, or followed by another message on its channel); ``finish`` adds
    the rest (unanswered so far). Only the latest message on each channel is held."""

    __slots__ = ("at", "contact_id", "id", "open", "runs", "sink")

    def __init__(self, contact_id: int, sink: list[Any] | None = None) -> None:
        self.contact_id = contact_id
        self.sink: list[Any] = [] if sink is None else sink
        self.open: dict[str, tuple[int, str]] = {}
        """Per channel: the latest message, not answered yet (``(id, at)``: not its row,
        whose text a long wait would keep)."""
        self.runs: dict[str, int] = {}
        """Per channel in ``open``: that message's run (the two are emptied together)."""
        self.at = ""
        self.id = 0

    def add(self, row: Row) -> bool:
        """Fold ``row`` in; ``False`` (and nothing folded) when it is older than a row
        already added: the facts need the history in order."""
        at = row[4]
        if at < self.at or (at == self.at and row[0] < self.id):
            return False
        self.at, self.id = at, row[0]
        if row[10]:
            return True
        if row[3] == _IN:
            if self.open:
                sink, contact, runs = self.sink, self.contact_id, self.runs
                for channel, (touch_id, sent) in self.open.items():
                    sink += (touch_id, contact, channel, sent, runs[channel], at)
                self.open.clear()
                runs.clear()
            return True
        channel = row[2]
        if channel not in _MESSAGES:
            return True
        before = self.open.get(channel)
        if before is None:
            self.runs[channel] = 1
        else:
            run = self.runs[channel]
            sink = self.sink
            sink += (before[0], self.contact_id, channel, before[1], run, None)
            self.runs[channel] = run + 1
        self.open[channel] = (row[0], at)
        return True

    def finish(self) -> list[Any]:
        """Put the messages still unanswered in ``sink`` too; returns ``sink``."""
        sink, contact, runs = self.sink, self.contact_id, self.runs
        for channel, (touch_id, sent) in self.open.items():
            sink += (touch_id, contact, channel, sent, runs[channel], None)
        self.open.clear()
        runs.clear()
        return sink


def facts_of(contact_id: int, rows: Iterable[Row]) -> list[Fact]:
    """Every message of one contact's history (rows in order) with its run and reply."""
    fold = ReplyFold(contact_id)
    for row in rows:
        if not fold.add(row):
            raise ValueError("rows out of order")
    flat = fold.finish()
    facts: list[Fact] = []
    for start in range(0, len(flat), FACT_WIDTH):
        touch_id, contact, channel, sent, run, replied = flat[start : start + FACT_WIDTH]
        facts.append(
            (touch_id, contact, channel, _seconds(sent), run, replied and _seconds(replied))
        )
    return facts


# -- the figures, from the facts counted by channel, run and local hour of the week ------
KINDS = tuple((channel, first) for channel in MESSAGE_CHANNELS for first in (True, False))
"""The kinds of message counted apart: each channel's first messages, then follow-ups."""
WEEK_HOURS = 7 * 24


class ReplyCounts:
    """The messages of a period by kind (``KINDS``) and local hour of the week (0 is Monday
    00:00-00:59): per slot (``kind * WEEK_HOURS + hour``) how many were sent, and the
    seconds each answered one waited (in no order)."""

    __slots__ = ("sent", "waits")

    def __init__(self) -> None:
        self.sent = [0] * (len(KINDS) * WEEK_HOURS)
        self.waits: list[list[int]] = [[] for _ in self.sent]

    @staticmethod
    def slot(channel: str, first: bool, hour_of_week: int) -> int:
        return _KIND_INDEX[channel, first] * WEEK_HOURS + hour_of_week

    def sort(self) -> None:
        """Put each slot's waits in order (in place)."""
        for waits in self.waits:
            if len(waits) > 1:
                waits.sort()

    def add(
        self, channel: str, first: bool, hour_of_week: int, sent: int, waits: Iterable[int]
    ) -> None:
        slot = self.slot(channel, first, hour_of_week)
        self.sent[slot] += sent
        self.waits[slot] += waits


_KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}


def tally(counts: ReplyCounts, slots: Iterable[int]) -> dict[str, Any]:
    """Sent, replied, reply rate and median hours to reply of the messages in ``slots``
    (their waits sorted): the median is ``statistics.median`` of the waits in hours
    (``wait / 3600``), to the last bit."""
    slots = list(slots)
    sent = sum(counts.sent[slot] for slot in slots)
    found = middle([counts.waits[slot] for slot in slots])
    replied = found[2] if found else 0
    median = None
    if found:
        low, high, _ = found
        hours = low / 3600 if replied % 2 else (low / 3600 + high / 3600) / 2
        median = round(hours, 1)
    return {
        "sent": sent,
        "replied": replied,
        "rate": round(replied / sent, 4) if sent else None,
        "median_hours_to_reply": median,
    }


def reply_figures(counts: ReplyCounts, step_back_contacts: int) -> dict[str, Any]:
    """Reply rate and time to reply by channel, weekday, hour of day, and first message
    vs follow-up; and how many contacts hit the step-back rule (counted by the store).

    Each slot's waits are sorted (in place, if ``ReplyCounts.sort`` has not already);
    every grouping's medians are then found in its slots' lists together
    (``tracker.medians``), nothing merged."""
    counts.sort()  # no more than a check for the slots sorted already
    hours = range(WEEK_HOURS)

    def kinds(which: Iterable[int], within: Iterable[int]) -> list[int]:
        within = list(within)
        return [kind * WEEK_HOURS + hour for kind in which for hour in within]

    every = range(len(KINDS))
    return {
        "replies_by_channel": [
            {"channel": channel, **tally(counts, kinds((2 * index, 2 * index + 1), hours))}
            for index, channel in enumerate(MESSAGE_CHANNELS)
        ],
        "replies_by_weekday": [
            {"weekday": name, **tally(counts, kinds(every, range(24 * day, 24 * day + 24)))}
            for day, name in enumerate(WEEKDAYS)
        ],
        "replies_by_hour": [
            {"hour": hour, **tally(counts, kinds(every, range(hour, WEEK_HOURS, 24)))}
            for hour in range(24)
        ],
        "first_vs_follow_up": {
            "first": tally(counts, kinds(range(0, len(KINDS), 2), hours)),
            "follow_up": tally(counts, kinds(range(1, len(KINDS), 2), hours)),
        },
        "step_back_contacts": step_back_contacts,
    }
