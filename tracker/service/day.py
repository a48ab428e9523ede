"""The day's review as the service runs it: the store reads the candidates, the rules
in ``tracker.review`` decide what is due, in what order. ``Tracker.day`` adds what the
app shows with it: each item's last message, how many of the day's items are done, and
the streak; ``close_review`` records the day."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from tracker.key_dates import month_days_back
from tracker.models import Contact, ContactState, Kind, ReviewItem
from tracker.review import build_queue
from tracker.service.base import ServiceBase
from tracker.state import summarize
from tracker.timeutil import Clock

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker

DONE_KEY = "app.review_done.{day}"
"""The setting that lists the keys of a day's items dealt with (JSON), so the day's done
count survives a restart."""


@dataclass(frozen=True)
class QueueEntry:
    """One review item with the preview of the contact's last message, and for a
    follow-up item the reason the user gave when they planned it (empty if none)."""

    item: ReviewItem
    preview: str = ""
    preview_out: bool = False
    follow_up_reason: str = ""

    @property
    def key(self) -> str:
        """The item's identity across reads: its contact and its kind."""
        return f"{self.item.contact_id}:{self.item.kind.value}"


@dataclass(frozen=True)
class QueueSnapshot:
    """Today's queue as of one moment, with the day's progress and the streak. ``seq``
    orders a session's reads (the app keeps the newest); the service leaves it 0."""

    today: date
    entries: tuple[QueueEntry, ...]
    done: int
    streak: int
    closed: bool
    seq: int = 0
    health: tuple[str, ...] = ()
    """The account health warnings, each in a few words (``84/100 invitations this
    week``), for the top line."""

    @property
    def left(self) -> int:
        return len(self.entries)

    @property
    def total(self) -> int:
        return self.done + self.left


class DayMixin(ServiceBase):
    """Today's queue (or any day's), from the store's candidates and the review rules."""

    def review_entries(self, clock: Clock) -> list[tuple[Contact, ContactState]]:
        """(contact, summary as of ``clock``) for every contact that may be due.

        The store keeps each summary current for the whole history; a contact with
        anything recorded after the as-of moment is summarised again up to that moment,
        so a review of a past day is exact too."""
        entries = self.store.review_entries(clock, self.settings)
        as_of = clock.as_of
        for index, (contact, state) in enumerate(entries):
            if state.last_event_at is not None and state.last_event_at > as_of:
                history = self.store.touches_for(contact.id)
                entries[index] = (contact, summarize(contact.id, history, as_of))
        return entries

    def queue(self, clock: Clock) -> list[ReviewItem]:
        """The review as of ``clock``, in review order, snoozed items left out."""
        return self._queue(self.review_entries(clock), clock)

    def _queue(self, entries: list[tuple[Contact, ContactState]], clock: Clock) -> list[ReviewItem]:
        snoozes = self.store.active_snoozes(clock.today)
        near = self.store.key_dates_on(month_days_back(clock.today, self.settings.key_date_days))
        return build_queue(entries, clock, self.settings, snoozes, near)

    def review(self, as_of: datetime | str | None = None) -> list[ReviewItem]:
        """The review as of ``as_of`` (now when ``None``; a date means its end)."""
        return self.queue(self.clock(as_of))

    def clock(self, as_of: datetime | str | None = None) -> Clock:
        """The review's clock for ``as_of`` in the user's zone (now when ``None``)."""
        from tracker.timeutil import parse_as_of

        if isinstance(as_of, datetime):
            return Clock(as_of, self.tz)
        return Clock(parse_as_of(as_of, self.tz), self.tz)

    # -- the day as the app shows it -------------------------------------------------
    def day(self, clock: Clock, previous: QueueSnapshot | None = None) -> QueueSnapshot:
        """The queue as of ``clock``, with how many of the day's items are done.

        An item of ``previous`` (the caller's last snapshot of the same day) that is no
        longer in the queue was dealt with: it counts as done, and stays counted across
        restarts; an item back in the queue (an undo) is not done any more."""
        entries = self.review_entries(clock)
        items = self._queue(entries, clock)
        by_id = {contact.id: (contact, state) for contact, state in entries}
        queue = tuple(_entry(item, *by_id.get(item.contact_id, (None, None))) for item in items)
        keys = {entry.key for entry in queue}
        seen: set[str] = set()
        if previous is not None and previous.today == clock.today:
            seen = {entry.key for entry in previous.entries}
        done = self._done_items(clock.today, seen - keys, keys)
        return QueueSnapshot(
            today=clock.today,
            entries=queue,
            done=len(done),
            streak=self.store.streak(clock.today),
            closed=self.store.is_closed(clock.today),
            health=tuple(w.short for w in cast("Tracker", self).health_warnings(clock)),
        )

    def _done_items(self, day: date, dealt_with: set[str], queued: set[str]) -> set[str]:
        """The keys of ``day``'s items done: those recorded, plus ``dealt_with``, minus
        any ``queued`` again; recorded again when that changes them."""
        setting = DONE_KEY.format(day=day.isoformat())
        recorded = set(json.loads(self.store.get_setting(setting) or "[]"))
        done = (recorded | dealt_with) - queued
        if done != recorded:
            self.store.set_setting(setting, json.dumps(sorted(done)))
        return done

    def close_review(self, day: date, done: int, left: int) -> int:
        """Record ``day``'s review as closed (``done`` items, ``left`` still queued);
        returns the streak of days closed in a row."""
        self.store.close_review(day, done, left)
        return self.store.streak(day)


def _entry(item: ReviewItem, contact: Contact | None, state: ContactState | None) -> QueueEntry:
    """The item with the last message to preview: the one the item is about, else the
    contact's last message either way."""
    reason = contact.follow_up_reason if contact and item.kind is Kind.FOLLOW_UP_DUE else ""
    if item.last_message:
        return QueueEntry(item, item.last_message, True, reason)
    if state is not None and state.last_message:
        return QueueEntry(item, state.last_message, state.last_message_out, reason)
    return QueueEntry(item, follow_up_reason=reason)
