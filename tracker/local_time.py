"""A zone's UTC offsets over a stretch of time, so SQL can count by local day and hour.

The store keeps UTC; the insights count by the user's calendar (a day, a weekday, an hour
of the day). Rather than turning every row into a Python ``datetime``, the store's
queries add the zone's offset to each moment's epoch seconds: ``Offsets`` lists the
offsets in force over a stretch of time (each from the second it starts), found from the
zone itself, exactly to the second. Any ``tzinfo`` works (``ZoneInfo``, a fixed offset,
dateutil's ``tzlocal``).

``DayCut`` is "local date ``day`` or later", the test behind every age in days
(``Clock.age``): the start of a day is one UTC instant in most zones, but where the clock
went back across midnight (Newfoundland until 2011 fell back at 00:01) a few minutes of
the day before come again after it; the cut then carries the offsets around the day
and the store tests those minutes by local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = 86_400
QUARTER = 900
WEEK_QUARTERS = 7 * 24 * 4
STEP = 2 * DAY
"""How far apart the zone is asked for its offset before a change is looked for between:
no zone changes its offset twice within two days (the closest two changes in the tz
database since 1900 are four days apart, Africa/Freetown in 1939)."""
WINDOW = 2 * DAY
"""No offset reaches a day (they run from -12 to +14 hours): outside this much either
side of a day's start read as UTC, the UTC time alone says which side of it a moment is."""


def epoch(moment: datetime) -> int:
    """Whole seconds since 1970-01-01 UTC (negative before it)."""
    return int((moment - EPOCH).total_seconds())


def naive_day(day: date) -> int:
    """Epoch seconds of ``day`` at 00:00 read as UTC: the local seconds of its start."""
    return (day - date(1970, 1, 1)).days * DAY


def offset_at(tz: tzinfo, seconds: int) -> int:
    """The zone's UTC offset (seconds) at the moment ``seconds`` after the epoch."""
    offset = (EPOCH + timedelta(seconds=seconds)).astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


@dataclass(frozen=True)
class Offsets:
    """The zone's offsets over a stretch of time: ``spans`` are ``(from, offset)`` in epoch
    seconds, in order; each holds from its ``from`` to the next one's (the first also
    before it, the last also after it)."""

    spans: tuple[tuple[int, int], ...]

    @property
    def single(self) -> int | None:
        """The one offset, when it never changes over the stretch."""
        return self.spans[0][1] if len(self.spans) == 1 else None

    def by_offset(self) -> dict[int, list[tuple[int | None, int | None]]]:
        """Each offset, with the ``[start, end)`` stretches it holds (``None``: open:
        the first stretch holds before it, the last after it)."""
        found: dict[int, list[tuple[int | None, int | None]]] = {}
        for index, (start, offset) in enumerate(self.spans):
            end = self.spans[index + 1][0] if index + 1 < len(self.spans) else None
            found.setdefault(offset, []).append((start if index else None, end))
        return found

    def at(self, seconds: int) -> int:
        """The offset at ``seconds`` (within the stretch)."""
        found = self.spans[0][1]
        for start, offset in self.spans:
            if start > seconds:
                break
            found = offset
        return found


def offsets(tz: tzinfo, start: int, end: int) -> Offsets:
    """The offsets of ``tz`` from ``start`` to ``end`` (epoch seconds), every change found
    to the second."""
    first = offset_at(tz, start)
    spans = [(start, first)]
    low, low_offset = start, first
    while low < end:
        high = min(low + STEP, end)
        high_offset = offset_at(tz, high)
        while high_offset != low_offset:  # a change in (low, high]: find each, in order
            left, right = low, high
            while right - left > 1:
                middle = (left + right) // 2
                if offset_at(tz, middle) == low_offset:
                    left = middle
                else:
                    right = middle
            low, low_offset = right, offset_at(tz, right)
            spans.append((low, low_offset))
        low, low_offset = high, high_offset
    return Offsets(tuple(spans))


@dataclass(frozen=True)
class DayCut:
    """The moments whose local date is ``day`` or later (``clock.age(t) < n`` is
    ``DayCut(today - n + 1)``): ``naive`` is the day's start read as UTC (epoch seconds),
    ``around`` the zone's offsets from ``WINDOW`` before it to ``WINDOW`` after."""

    day: date
    naive: int
    around: Offsets

    @property
    def instant(self) -> int | None:
        """The UTC second the local day starts, when one offset holds around it (then a
        moment is on or after the day exactly when it is at or after this second)."""
        single = self.around.single
        return None if single is None else self.naive - single


def day_cut(day: date, tz: tzinfo) -> DayCut:
    naive = naive_day(day)
    return DayCut(day, naive, offsets(tz, naive - WINDOW, naive + WINDOW))


def stored_text(seconds: int) -> str:
    """The store's UTC text for epoch ``seconds`` (``2026-11-23T14:05:00Z``)."""
    return (EPOCH + timedelta(seconds=seconds)).isoformat()[:19] + "Z"


def local_day(seconds: int) -> date:
    """The date of local epoch seconds (a moment's epoch seconds plus its offset)."""
    return date(1970, 1, 1) + timedelta(days=seconds // DAY)
