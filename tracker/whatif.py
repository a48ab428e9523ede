"""What-if: the review replayed over the rep's own history, day by day, under today's
settings and changed ones (DOMAIN.md, "What-if").

Each day's queue is the review as of the end of that day, computed by the live queue's
own rules: a contact's summary as of a moment is ``tracker.state.summarize`` of its
touches, and its items are ``tracker.review.items_for``. Nothing is re-implemented; what
makes a year at 30,000 contacts quick is asking only where an answer can change:

- a contact's summary changes only on the days something was recorded for it, so each
  contact's history is cut into *segments* (from one such day to the day before the
  next), summarised once each, as of the end of its first day;
- within a segment only the clock moves, and an item can be due only inside the windows
  ``tracker.review_days.due_days`` gives (from a threshold crossed to the item lapsing),
  so ``items_for`` is asked only there, where an answer can change, and its answer
  stands until the next such day.

The counts are then the day's queue as ``Tracker.queue`` gives it (lapsed items left
out, as they are from the day's work), with two differences a replay cannot avoid:
snoozes and items marked done are the present's (the database keeps only the current
ones), so the replay applies none of them; and a contact's dated facts that are kept
only as they are now (its follow-up date, cadence, opt-out) are read as they are now,
as a review of a past day reads them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from itertools import accumulate, pairwise

from tracker.config import Settings
from tracker.history import HistoryFold, Row, summary_touch
from tracker.models import Channel, Contact, ContactState, KeyDate, Kind, Touch
from tracker.review import items_for
from tracker.review_days import DueDays, StateDays, key_date_windows
from tracker.timeutil import Clock, end_of_day, local_date, start_of_day, to_stored

ONE_DAY = timedelta(days=1)
_MEETING = Channel.MEETING.value


class ContactHistory:
    """One contact as the replay reads it: its stored (whole-history) summary, and its
    touch rows as stored (``tracker.history.Row``, by time then id) when anything was
    recorded for it on or after the replay's first day; else none, and the stored
    summary holds for every day replayed. A row becomes a ``Touch`` when first needed."""

    __slots__ = ("_touches", "contact", "key_dates", "rows", "state")

    def __init__(
        self,
        contact: Contact,
        state: ContactState,
        rows: Sequence[Row] = (),
        key_dates: Sequence[KeyDate] = (),
    ) -> None:
        self.contact = contact
        self.state = state
        self.rows = rows
        self.key_dates = key_dates
        self._touches: dict[int, Touch] = {}

    def touch(self, row: Row) -> Touch:
        """``row`` (one of this history's) as a ``Touch``."""
        touch = self._touches.get(row[0])
        if touch is None:
            touch = self._touches[row[0]] = summary_touch(row)
        return touch

    @property
    def touches(self) -> list[Touch]:
        """Every row as a ``Touch``, in order."""
        return [self.touch(row) for row in self.rows]


Segment = tuple[date, date, ContactState]
"""(first day, last day, the contact's summary as of the end of each of those days)."""


@dataclass
class Load:
    """The queue's size on each day replayed under one set of settings, by kind."""

    first: date
    last: date
    by_day: dict[Kind, list[int]] = field(default_factory=dict)
    """Items of each kind in each day's queue, the first day first."""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def per_day(self) -> list[int]:
        """How many items each day's queue held."""
        totals = [0] * self.days
        for counts in self.by_day.values():
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        return totals

    def by_kind(self) -> dict[Kind, int]:
        """Items of each kind over every day replayed (an item due five days counts
        five), in the review's order of kinds, the kinds never due left out."""
        totals = {kind: sum(self.by_day.get(kind, ())) for kind in Kind}
        return {kind: total for kind, total in totals.items() if total}

    def mean(self) -> float:
        return sum(self.per_day()) / self.days

    def busiest(self) -> tuple[date, int]:
        """The first of the days with the most items, and how many."""
        counts = self.per_day()
        top = max(counts)
        return self.first + timedelta(days=counts.index(top)), top

    def days_over(self, capacity: int) -> int:
        """Days whose queue held more than ``capacity`` items."""
        return sum(1 for count in self.per_day() if count > capacity)


class Days:
    """The replayed days: each one's clock (the end of that local day) and index."""

    def __init__(self, first: date, last: date, tz: tzinfo) -> None:
        self.first, self.last, self.tz = first, last, tz
        self._clocks: dict[date, Clock] = {}
        self._stored: dict[tuple[date, bool], str] = {}

    def clock(self, day: date) -> Clock:
        clock = self._clocks.get(day)
        if clock is None:
            clock = self._clocks[day] = Clock(end_of_day(day, self.tz), self.tz)
        return clock

    def stored(self, day: date, start: bool = False) -> str:
        """The end (or the start) of ``day`` as stored text, to compare with a row's."""
        text = self._stored.get((day, start))
        if text is None:
            moment = start_of_day(day, self.tz) if start else self.clock(day).as_of
            text = self._stored[(day, start)] = to_stored(moment)
        return text

    def index(self, day: date) -> int:
        return (day - self.first).days

    @property
    def count(self) -> int:
        return self.index(self.last) + 1


def segments(history: ContactHistory, days: Days) -> Iterator[Segment]:
    """The contact's summary over the replayed days, one segment per stretch of days
    with nothing recorded: each summary is ``summarize`` as of the end of its first day
    (what the live review computes for a past day), of the rows the history's fold
    keeps (``tracker.history``: they summarise like the whole), so a long history costs
    no more per day than a short one."""
    rows, tz = history.rows, days.tz
    if not rows:
        yield days.first, days.last, history.state
        return
    first, last = days.first, days.last
    # Stored times are UTC text that sorts as time: only those from the second day on
    # are read as moments, to find the days something was recorded.
    floor = days.stored(first + ONE_DAY, start=True)
    changed = {
        day
        for row in rows
        for text in (row[4], row[7])
        if text
        and text >= floor
        and first < (day := local_date(datetime.fromisoformat(text), tz)) <= last
    }
    times = [row[4] for row in rows]
    meetings = [position for position, row in enumerate(rows) if row[2] == _MEETING]
    starts = [first, *sorted(changed)]
    fold = HistoryFold(history.contact.id)
    added = 0
    stored, settled = history.state, history.state.last_event_at
    for position, start in enumerate(starts):
        end = starts[position + 1] - ONE_DAY if position + 1 < len(starts) else last
        as_of = days.clock(start).as_of
        if settled is not None and settled <= as_of:
            # Nothing after: the stored summary is this one, as the live review reads it.
            yield start, end, stored
            continue
        seen = bisect_right(times, days.stored(start))
        for row in rows[added:seen]:
            fold.add(row)  # in order, so always exact
        added = seen
        # After as_of, a summary reads only the next meeting (scheduled, not held).
        following = bisect_left(meetings, seen)
        ahead = [history.touch(rows[meetings[following]])] if following < len(meetings) else []
        yield start, end, fold.summary(as_of, ahead, history.touch)


def span_items(
    contact: Contact,
    span: Segment,
    due: DueDays,
    settings: Settings,
    days: Days,
    key_dates: Sequence[KeyDate] = (),
) -> Iterator[tuple[Kind, date, date]]:
    """(kind, first day, last day) for each stretch of the segment's days on which the
    contact had an item of that kind in the day's queue (lapsed items are not the day's
    work). ``items_for`` is asked only inside the windows of ``due`` (the segment's
    ``tracker.review_days.due_days``), on the segment's first day and wherever a window
    opens or closes or what is due may change; its answer stands until the next."""
    start, end, state = span
    live = due.live(start, end)
    if not live:
        return
    after = end + ONE_DAY
    bounds = {start, after}
    for first, stop in live:
        bounds.add(first)
        if stop is not None:
            bounds.add(stop)
    bounds.update(due.changes)
    points = sorted(day for day in bounds if start <= day <= after)
    for day, following in pairwise(points):
        if not any(first <= day and (stop is None or day < stop) for first, stop in live):
            continue  # in no window: nothing can be due
        # No plan: the replay has no enrollments, so it leaves sequence steps out (and
        # with them the items a running sequence holds), as it does for every contact.
        for item in items_for(contact, state, days.clock(day), settings, None, key_dates):
            if not item.lapsed:
                yield item.kind, day, following - ONE_DAY


def contact_items(
    history: ContactHistory, settings: Settings, days: Days
) -> Iterator[tuple[Kind, date, date]]:
    """``span_items`` over every segment of the contact's history."""
    contact = history.contact
    for span in segments(history, days):
        due = _due(history, StateDays(contact, span[2], days.tz), settings, days)
        yield from span_items(contact, span, due, settings, days, history.key_dates)


def _due(history: ContactHistory, state_days: StateDays, settings: Settings, days: Days) -> DueDays:
    """The windows of the summary's rules, and of the contact's key dates."""
    due = state_days.due(settings)
    if not history.key_dates:
        return due
    windows = key_date_windows(history.key_dates, days.first, days.last, settings)
    return DueDays([*due.windows, *windows], due.changes)


def replay(
    histories: Iterable[ContactHistory],
    settings: Sequence[Settings],
    first: date,
    last: date,
    tz: tzinfo,
) -> list[Load]:
    """The queue's load on each day from ``first`` to ``last`` under each of
    ``settings``: each contact's summaries are computed once and asked of every set."""
    days = Days(first, last, tz)
    # Each stretch adds 1 on its first day and takes it back the day after its last.
    marks: list[dict[Kind, list[int]]] = [{} for _ in settings]
    width = days.count + 1
    for history in histories:
        contact = history.contact
        for span in segments(history, days):
            state_days = StateDays(contact, span[2], tz)
            for these, diffs in zip(settings, marks, strict=True):
                due = _due(history, state_days, these, days)
                found = span_items(contact, span, due, these, days, history.key_dates)
                for kind, since, until in found:
                    diff = diffs.get(kind)
                    if diff is None:
                        diff = diffs[kind] = [0] * width
                    diff[days.index(since)] += 1
                    diff[days.index(until) + 1] -= 1
    loads = []
    for diffs in marks:
        load = Load(first, last)
        for kind in Kind:
            if kind in diffs:
                load.by_day[kind] = list(accumulate(diffs[kind][:-1]))
        loads.append(load)
    return loads
