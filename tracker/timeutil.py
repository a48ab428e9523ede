"""Time: parsing what users type, storing UTC text, and counting local calendar days.

Stored times are UTC ISO 8601 text with second precision (``2026-11-23T14:05:00Z``), which
sorts correctly as text. Ages are whole calendar days in the user's time zone (DOMAIN.md):
an invitation sent on the 9th is 14 days old on the 23rd, whatever the hour.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tracker.errors import DateError, UsageError

if TYPE_CHECKING:
    from tracker.dates import Direction

STORED_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
END_OF_DAY = time(23, 59, 59)
LOCALTIME = "/etc/localtime"


def local_tz(name: str = "") -> tzinfo:
    """The named IANA zone, or the system's local zone (with its daylight-saving rules,
    not just today's offset) when ``name`` is empty."""
    if name:
        return ZoneInfo(name)
    return system_tz()


def system_tz(environ: Mapping[str, str] | None = None, localtime: str = LOCALTIME) -> tzinfo:
    """The system's zone as a ``ZoneInfo`` where it can be named or read: ``TZ`` when it
    names a zone, else ``/etc/localtime`` (the zone its link names, or the file itself).
    A ``ZoneInfo`` counts days about a hundred times faster than dateutil's ``tzlocal``,
    the fallback for what neither can read (a POSIX rule string in ``TZ``, say)."""
    env = os.environ if environ is None else environ
    raw = env.get("TZ")
    if raw is not None:
        key = raw.removeprefix(":")
        if key and not key.startswith("/"):
            try:
                return ZoneInfo(key)
            except (ValueError, OSError, KeyError):  # KeyError: zone not found
                pass
        elif key:
            localtime = key
        else:
            return UTC  # TZ set but empty: the C library reads it as UTC
    if raw is None or raw.startswith(":/") or raw.startswith("/"):
        link = os.path.realpath(localtime)
        _, marker, key = link.partition("/zoneinfo/")
        try:
            if marker and key:
                return ZoneInfo(key)
            with open(localtime, "rb") as handle:
                return ZoneInfo.from_file(handle, key="localtime")
        except (ValueError, OSError, KeyError):  # KeyError: zone not found
            pass
    from dateutil.tz import tzlocal

    return tzlocal()


def now_utc() -> datetime:
    """The current moment, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0)


def to_stored(moment: datetime) -> str:
    """A UTC text for the database, ``2026-11-20T09:30:00Z``: the year always four digits
    (``0999``, as SQLite's own ``strftime`` writes it, so texts sort and compare as times
    in SQL), by ``isoformat`` (an import stores tens of thousands of these, and
    ``strftime`` costs three times more)."""
    return moment.astimezone(UTC).isoformat()[:19] + "Z"


def from_stored(text: str | None) -> datetime | None:
    """The inverse of ``to_stored`` (``None`` stays ``None``). The usual shape
    (``2026-11-20T09:30:00Z``) is read by ``fromisoformat``, which needs none of
    ``strptime``'s module, patterns or time; any other goes to ``strptime``."""
    if not text:
        return None
    if (
        len(text) == 20
        and text[19] == "Z"
        and text[10] == "T"
        and text[4] == text[7] == "-"
        and text[13] == text[16] == ":"
    ):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
    year, dash, rest = text.partition("-")
    if dash and year.isdigit() and len(year) < 4:  # an earlier version's year 999
        text = f"{year:0>4}-{rest}"
    return datetime.strptime(text, STORED_FORMAT).replace(tzinfo=UTC)


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    return naive.replace(tzinfo=tz)


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """00:00 local on ``day``, in UTC."""
    return _localize(datetime.combine(day, time()), tz).astimezone(UTC)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """The last second of ``day`` local, in UTC."""
    return _localize(datetime.combine(day, END_OF_DAY), tz).astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar date of ``moment`` in the user's zone."""
    return moment.astimezone(tz).date()


EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
"""Dates outside these years are refused wherever they are read (typed or imported): no
real touch falls there, and near the ends of the calendar time zones cannot convert."""


def check_year(day: date, text: str) -> None:
    """``UsageError`` unless ``day`` falls in the years the tracker accepts."""
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        years = f"years {EARLIEST_YEAR} to {LATEST_YEAR}"
        raise DateError(f"date {text!r} is out of range ({years})", f"out of range ({years})")


def parse_date(
    text: str, tz: tzinfo, today: date | None = None, direction: Direction = "ahead"
) -> date:
    """A calendar day ahead or around now, as ``tracker.dates`` reads it (``2026-12-04``,
    ``tomorrow``, ``friday``, ``+1w``, ``in 3 days``...); a bare weekday is the next one,
    or the last one for ``direction="behind"`` (a day something happened)."""
    from tracker.dates import parse_day

    day = parse_day(text, today or datetime.now(tz).date(), direction)
    check_year(day, text)
    return day


def parse_when(text: str, tz: tzinfo, now: datetime | None = None) -> datetime:
    """A moment typed by the user, in local time unless it carries an offset: an ISO date
    (00:00 local), an ISO date and time, or what ``tracker.dates`` reads (``yesterday
    2pm``, ``friday``, ``3 days ago``, ``14:00``; a relative day alone keeps the time of
    day of ``now``). Relative to ``now`` (default: the clock). Returns UTC, to the
    second."""
    cleaned = text.strip()
    current = (now or now_utc()).astimezone(tz)
    if cleaned.lower() == "now":
        return current.astimezone(UTC).replace(microsecond=0)
    moment: datetime | None = None
    if len(cleaned) > 10 and cleaned[:4].isdigit():
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(cleaned.replace(" ", "T", 1))
    if moment is None:
        from tracker.dates import parse_moment

        day, clock = parse_moment(cleaned, current.replace(tzinfo=None), "behind")
        check_year(day, text)
        if clock is None:
            return start_of_day(day, tz)
        moment = datetime.combine(day, clock)
    check_year(moment, text)
    if moment.tzinfo is None:
        moment = _localize(moment, tz)
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_as_of(text: str | None, tz: tzinfo) -> datetime:
    """The review's clock: a day means the end of that local day; empty means now."""
    if not text:
        return now_utc()
    from tracker.dates import parse_day

    try:
        day = parse_day(text, datetime.now(tz).date(), "behind")
    except UsageError:
        return parse_when(text, tz)
    check_year(day, text)
    return end_of_day(day, tz)


def days_in_words(days: int) -> str:
    """``0 -> 'today'``, ``1 -> '1 day'``, ``16 -> '16 days'``."""
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"{days} {unit}"


@dataclass(frozen=True)
class Clock:
    """The review's "as of" moment and the zone its calendar days are counted in."""

    as_of: datetime
    tz: tzinfo
    today: date = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "today", local_date(self.as_of, self.tz))

    def age(self, since: datetime) -> int:
        """Whole local calendar days from ``since`` to the as-of day."""
        return (self.today - since.astimezone(self.tz).date()).days  # local_date, inlined


def stamp(moment: datetime | None = None) -> str:
    """``moment`` (now when ``None``) as stored text."""
    return to_stored(moment or now_utc())
