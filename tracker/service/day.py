"""The day's review as the service runs it: the store reads the candidates, the rules
in ``tracker.review`` decide what is due, in what order, and which items have lapsed.
``Tracker.day`` adds what the app shows with it: each item's last message, how many of
the day's items are done, the streak, and once after an import of old history what it
hid; ``close_review`` records the day.

Each day has one record (``DONE_KEY``): the items dealt with (they left the queue) and
the items marked done (``done``: hidden for that day only, back the next if still due).
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, cast

from tracker.key_dates import month_days_back
from tracker.models import Channel, Contact, ContactState, Direction, Kind, ReviewItem
from tracker.review import Review, Snoozes, build_review
from tracker.service.base import ServiceBase
from tracker.state import summarize
from tracker.timeutil import Clock, from_stored, to_stored
from tracker.words import plural

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker

DONE_KEY = "app.review_done.{day}"
"""The setting that holds a day's record (JSON ``{"dealt": [...], "done": [...]}`` of
item keys; a plain list, as earlier versions wrote, is the dealt list), so the day's
done count survives a restart."""
IMPORT_KEY = "app.imported_history"
"""The setting that holds the oldest touch an import brought (JSON), until the next
Today has said what that import hid."""
_KINDS = {kind.value: kind for kind in Kind}


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside. A review builds tens of thousands of small
    objects with no cycles among them (refcounting frees them), and while they pile up
    CPython's collector walks the whole heap again and again: a third of the review's
    time. Nested or on several threads at once, collection resumes when the outermost
    pause that stopped it ends."""
    stopped = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if stopped:
            gc.enable()


def item_key(contact_id: int, kind: Kind) -> str:
    """An item's identity across reads and days: its contact and its kind."""
    return f"{contact_id}:{kind.value}"


@dataclass
class DayRecord:
    """One day's record: the keys of the items dealt with and of those marked done."""

    dealt: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, text: str | None) -> DayRecord:
        data = json.loads(text) if text else []
        if isinstance(data, list):
            return cls(set(data))
        return cls(set(data.get("dealt", ())), set(data.get("done", ())))

    def dumps(self) -> str:
        return json.dumps({"dealt": sorted(self.dealt), "done": sorted(self.done)})


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
        return item_key(self.item.contact_id, self.item.kind)


@dataclass(frozen=True)
class NextMeeting:
    """A scheduled meeting: with whom, and when it starts."""

    contact_id: int
    name: str
    at: datetime


@dataclass(frozen=True)
class QueueSnapshot:
    """Today's queue as of one moment, with the day's progress and the streak. ``seq``
    orders a session's reads (the app keeps the newest); the service leaves it 0.
    ``lapsed`` are the items due too long ago to be the day's work (counted apart);
    ``import_notice`` is ``None`` unless an import is waiting to be told about (then
    what it hid, or ``""`` when it hid nothing): ``dismiss_import_notice`` ends it.
    ``sequence_pause`` says when paused sequences come back (empty: none paused)."""

    today: date
    entries: tuple[QueueEntry, ...]
    done: int
    streak: int
    closed: bool
    seq: int = 0
    lapsed: tuple[QueueEntry, ...] = ()
    import_notice: str | None = None
    health: tuple[str, ...] = ()
    """The account health warnings, each in a few words (``84/100 invitations this
    week``), for the top line."""
    next_meeting: NextMeeting | None = None
    """The first meeting after the snapshot's moment (Today's top line shows it)."""
    sequence_pause: str = ""

    @property
    def left(self) -> int:
        return len(self.entries)

    @property
    def lapsed_count(self) -> int:
        return len(self.lapsed)

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
        """The day's queue as of ``clock``, in review order: snoozed items, items marked
        done that day and lapsed items left out."""
        return self.full_review(clock).queue

    def full_review(self, clock: Clock) -> Review:
        """The day's queue and the lapsed items as of ``clock`` (snoozed items and items
        marked done that day left out of both)."""
        with collection_paused():
            return self._review(self.review_entries(clock), clock, self.day_record(clock.today))

    def _review(
        self, entries: list[tuple[Contact, ContactState]], clock: Clock, record: DayRecord
    ) -> Review:
        plans = cast("Tracker", self).sequence_plans(clock, [c.id for c, _ in entries])
        near = self.store.key_dates_on(month_days_back(clock.today, self.settings.key_date_days))
        hidden = self._hidden(clock, record)
        return build_review(entries, clock, self.settings, hidden, near, plans)

    def _hidden(self, clock: Clock, record: DayRecord) -> Snoozes:
        """The snoozes, and the items marked done today as if snoozed until tomorrow."""
        snoozes = self.store.active_snoozes(clock.today)
        tomorrow = clock.today + timedelta(days=1)
        for key in record.done:
            contact_id, _, kind = key.partition(":")
            if kind in _KINDS and contact_id.isdigit():
                target = (int(contact_id), _KINDS[kind])
                snoozes[target] = max(snoozes.get(target, tomorrow), tomorrow)
        return snoozes

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
        with collection_paused():
            entries = self.review_entries(clock)
            record = self.day_record(clock.today)
            review = self._review(entries, clock, record)
        by_id = {contact.id: (contact, state) for contact, state in entries}
        queue = tuple(
            _entry(item, *by_id.get(item.contact_id, (None, None))) for item in review.queue
        )
        lapsed = tuple(
            _entry(item, *by_id.get(item.contact_id, (None, None))) for item in review.lapsed
        )
        keys = {entry.key for entry in queue}
        seen: set[str] = set()
        if previous is not None and previous.today == clock.today:
            seen = {entry.key for entry in previous.entries}
        done = self._done_items(clock.today, record, seen - keys, keys)
        return QueueSnapshot(
            today=clock.today,
            entries=queue,
            done=len(done),
            streak=self.store.streak(clock.today),
            closed=self.store.is_closed(clock.today),
            lapsed=lapsed,
            import_notice=self._import_notice(clock, len(lapsed)),
            health=tuple(w.short for w in cast("Tracker", self).health_warnings(clock)),
            next_meeting=self.next_meeting(clock),
            sequence_pause=cast("Tracker", self).sequence_pause_note(clock),
        )

    def next_meeting(self, clock: Clock) -> NextMeeting | None:
        """The first meeting after ``clock``'s moment, with any contact (DOMAIN.md,
        "Scheduled meetings")."""
        found = self.store.next_meeting(clock.as_of)
        return NextMeeting(*found) if found else None

    def day_record(self, day: date) -> DayRecord:
        """``day``'s record: the items dealt with and those marked done."""
        return DayRecord.parse(self.store.get_setting(DONE_KEY.format(day=day.isoformat())))

    def save_day_record(self, day: date, record: DayRecord) -> None:
        self.store.set_setting(DONE_KEY.format(day=day.isoformat()), record.dumps())

    def done_count(self, day: date) -> int:
        """How many of ``day``'s items are done (dealt with, or marked done)."""
        record = self.day_record(day)
        return len(record.dealt | record.done)

    def _done_items(
        self, day: date, record: DayRecord, dealt_with: set[str], queued: set[str]
    ) -> set[str]:
        """The keys of ``day``'s items done: those marked done, those recorded as dealt
        with plus ``dealt_with``, minus any ``queued`` again; recorded again when that
        changes them."""
        dealt = (record.dealt | dealt_with) - queued
        if dealt != record.dealt:
            self.save_day_record(day, DayRecord(dealt, record.done))
        return dealt | record.done

    # -- what an import of old history hid -------------------------------------------
    def note_imported_history(self, earliest: datetime) -> None:
        """An import brought touches back to ``earliest``: the next Today says what of it
        lapsed (``QueueSnapshot.import_notice``)."""
        known = self._imported_since()
        if known is None or earliest < known:
            self.store.set_setting(IMPORT_KEY, json.dumps({"earliest": to_stored(earliest)}))

    def dismiss_import_notice(self) -> None:
        """The notice of the last import has been shown: it is not shown again."""
        if self._imported_since() is not None:
            self.store.set_setting(IMPORT_KEY, "")

    def _imported_since(self) -> datetime | None:
        text = self.store.get_setting(IMPORT_KEY)
        return from_stored(json.loads(text).get("earliest")) if text else None

    def _import_notice(self, clock: Clock, lapsed: int) -> str | None:
        earliest = self._imported_since()
        if earliest is None:
            return None
        if not lapsed:
            return ""
        horizon = self.settings.horizon_days
        span = _span_in_words(clock.age(earliest))
        items = f"{lapsed:,} older item{'s are' if lapsed != 1 else ' is'}"
        return (
            f"Your import brought {span} of history: {items} hidden "
            f"(due more than {plural(horizon, 'day')} ago)."
        )

    def with_messages(self, items: Sequence[ReviewItem]) -> list[ReviewItem]:
        """``items`` with ``last_message`` filled for every kind that has a message of
        its own (``item_messages``)."""
        return [
            item if item.last_message or not text else _with_message(item, text)
            for item, text in zip(items, self.item_messages(items), strict=True)
        ]

    def item_messages(self, items: Sequence[ReviewItem]) -> list[str]:
        """Each item's own message: the unanswered email or LinkedIn message of
        ``no_reply``, the call's notes of ``after_call_text``, the invitation's note, the
        last touch of ``keep_in_touch``, the last text of ``unanswered_text`` and
        ``step_back`` (already in ``last_message``); empty for none. The texts are read
        together, one statement for each channel and direction."""
        texts = [item.last_message for item in items]
        positions: list[int] = []
        wanted: list[tuple[int, str | None, str | None, datetime | None]] = []
        for index, item in enumerate(items):
            if item.last_message:
                continue
            touch = _message_touch(item)
            if touch is not None:
                positions.append(index)
                wanted.append((item.contact_id, *touch))
        for index, text in zip(positions, self.store.review_messages(wanted), strict=True):
            texts[index] = text
        return texts

    def close_review(self, day: date, done: int, left: int) -> int:
        """Record ``day``'s review as closed (``done`` items, ``left`` still queued);
        returns the streak of days closed in a row."""
        self.store.close_review(day, done, left)
        return self.store.streak(day)


_INVITE, _OUT = Channel.LINKEDIN_INVITE.value, Direction.OUT.value
_MESSAGE_TOUCHES: dict[Kind, tuple[str | None, str | None, bool]] = {
    Kind.AFTER_CALL_TEXT: (Channel.CALL.value, None, True),
    Kind.STALE_INVITE: (_INVITE, _OUT, True),
    Kind.RESEND_INVITE: (_INVITE, _OUT, False),
    Kind.THANK_NEW_CONNECTION: (_INVITE, _OUT, False),
    Kind.KEEP_IN_TOUCH: (None, None, True),
}
"""(channel, direction, at the item's ``since`` or else the latest) of the touch whose
text is an item's own message, by kind; ``no_reply``'s channel is the item's own."""
_NO_REPLY, _EMAIL = Kind.NO_REPLY, Channel.EMAIL.value


def _message_touch(item: ReviewItem) -> tuple[str | None, str | None, datetime | None] | None:
    """(channel, direction, time) of the touch whose text is ``item``'s own message (a
    time of ``None``: the latest such), or ``None`` for a kind with no message."""
    kind = item.kind
    if kind is _NO_REPLY:
        return str(item.details.get("channel") or _EMAIL), _OUT, item.since
    found = _MESSAGE_TOUCHES.get(kind)
    if found is None:
        return None
    channel, direction, at_since = found
    return channel, direction, item.since if at_since else None


def _with_message(item: ReviewItem, text: str) -> ReviewItem:
    """``replace(item, last_message=text)``, without the cost of its ``__init__`` (a
    review item has no checks to run)."""
    copy = object.__new__(ReviewItem)
    copy.__dict__.update(item.__dict__, last_message=text)
    return copy


def _span_in_words(days: int) -> str:
    """``1,100 -> '3 years'``, ``75 -> '2 months'``, ``40 -> '40 days'``."""
    count, unit = days, "day"
    if days >= 365:
        count, unit = days // 365, "year"
    elif days >= 60:
        count, unit = days // 30, "month"
    return plural(count, unit)


def _entry(item: ReviewItem, contact: Contact | None, state: ContactState | None) -> QueueEntry:
    """The item with the last message to preview: the one the item is about, else the
    contact's last message either way."""
    reason = contact.follow_up_reason if contact and item.kind is Kind.FOLLOW_UP_DUE else ""
    if item.last_message:
        return QueueEntry(item, item.last_message, True, reason)
    if state is not None and state.last_message:
        return QueueEntry(item, state.last_message, state.last_message_out, reason)
    return QueueEntry(item, follow_up_reason=reason)
