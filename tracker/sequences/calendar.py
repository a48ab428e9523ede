"""Counting a sequence's days: calendar and business days (Monday to Friday, less the
``[sequences] holidays``), days paused that do not count, and ``max_per_day``, which
rolls the steps over a channel's cap to the next business day (DOMAIN.md, "Sequences").

Pure functions and small value objects; nothing here reads a clock or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

SEARCH_DAYS = 3 * 3660
"""How far a day is looked for before giving up (a pause with no end never ends)."""


@dataclass(frozen=True)
class Pause:
    """Days ``start`` up to (not including) ``until``; ``until=None``: until resumed."""

    start: date
    until: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Calendar:
    """Business days and the enrollment's pauses: what a delay counts on."""

    holidays: frozenset[date] = frozenset()
    pauses: tuple[Pause, ...] = ()

    def with_pauses(self, pauses: Iterable[Pause]) -> Calendar:
        return Calendar(self.holidays, tuple(pauses))

    def is_business(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def paused(self, day: date) -> bool:
        return any(pause.covers(day) for pause in self.pauses)

    def pause_on(self, day: date) -> Pause | None:
        """The pause covering ``day`` that lasts longest (an open one first)."""
        covering = [p for p in self.pauses if p.covers(day)]
        if not covering:
            return None
        return max(covering, key=lambda p: (p.until is None, p.until or day))

    def first_open(self, day: date, business: bool = False) -> date | None:
        """``day`` itself, or the first day after it, that is not paused (and is a
        business day when ``business``); ``None`` when a pause never ends."""
        for offset in range(SEARCH_DAYS):
            candidate = day + timedelta(days=offset)
            if not self.paused(candidate) and (not business or self.is_business(candidate)):
                return candidate
        return None

    def add(self, day: date, days: int, business: bool = False) -> date | None:
        """The day ``days`` counted days after ``day``: days paused never count, and
        with ``business`` only business days do. Zero days is ``first_open``."""
        if days <= 0:
            return self.first_open(day, business)
        counted = 0
        for offset in range(1, SEARCH_DAYS):
            candidate = day + timedelta(days=offset)
            if self.paused(candidate) or (business and not self.is_business(candidate)):
                continue
            counted += 1
            if counted == days:
                return candidate
        return None

    def next_business(self, day: date) -> date:
        """The first business day after ``day``."""
        candidate = day + timedelta(days=1)
        while not self.is_business(candidate):
            candidate += timedelta(days=1)
        return candidate


SlotKey = tuple[int, int, str]
"""A step of one enrollment: (enrollment id, step position, action)."""


@dataclass
class Slots:
    """``max_per_day``: at most ``caps[channel]`` steps of a channel due on one day; the
    rest move to the next business day, in the order they are placed (the caller places
    enrollments in enrollment order). A step keeps the day it was given while its due
    date stays the same (``known``), so a later enrollment never pushes it.

    ``taken`` counts the steps already on each (channel, day), from the database."""

    caps: Mapping[str, int]
    calendar: Calendar
    taken: dict[tuple[str, date], int] = field(default_factory=dict)
    known: dict[SlotKey, tuple[date, date]] = field(default_factory=dict)
    """Each step's (due date, day given) as last stored."""
    placed: dict[SlotKey, tuple[str, date, date]] = field(default_factory=dict)
    """What this round placed: (channel, due date, day given) by step."""

    def place(self, key: SlotKey, channel: str, due: date) -> date:
        """The day the step ``key`` on ``channel`` due on ``due`` is shown."""
        if key in self.placed:
            _, was_due, day = self.placed[key]
            if was_due == due:
                return day
        cap = self.caps.get(channel, 0)
        previous = self.known.get(key)
        if previous is not None and previous[0] == due:
            day = previous[1]
        elif cap <= 0:
            day = due
        else:
            day = due
            while self.taken.get((channel, day), 0) >= cap:
                day = self.calendar.next_business(day)
        if key not in self.placed or self.placed[key][2] != day:
            self.taken[(channel, day)] = self.taken.get((channel, day), 0) + 1
        self.placed[key] = (channel, due, day)
        return day


def unlimited(key: SlotKey, channel: str, due: date) -> date:
    """No cap: every step is shown on the day it is due."""
    return due


def caps_for(max_per_day: int | Mapping[str, int], channels: Iterable[str]) -> dict[str, int]:
    """The cap of each channel: one number for every channel, or a number per channel
    (a channel not named has none). Zero means no cap."""
    if isinstance(max_per_day, int):
        return {channel: max_per_day for channel in channels} if max_per_day > 0 else {}
    return {channel: count for channel, count in max_per_day.items() if count > 0}
