"""Calendar exports (``.ics``, RFC 5545; a Google zip of them) → ``EventRecord``s, one per
occurrence (FORMATS.md, "Calendar").

Parsing and recurrence are the work of ``icalendar`` and ``recurring-ical-events``: time
zones (``TZID`` with the file's ``VTIMEZONE``, UTC, floating times in the rep's zone),
``RRULE``/``RDATE`` expanded, ``EXDATE`` occurrences gone, ``RECURRENCE-ID`` overrides in
place of the occurrence they move. All-day events start at local midnight.

Every occurrence up to ``until`` is yielded; after ``as_of``, each event's next
occurrence (the scheduled meeting of DOMAIN.md) is yielded too, marked ``is_next``.
Cancelled events and occurrences come flagged ``cancelled`` (the importer skips and
counts them, and can drop a meeting it had scheduled).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import recurring_ical_events
from icalendar import Calendar

from tracker.importers.common import Progress, Skipped, Source, digest, fail, source_name
from tracker.importers.reading import gather_members
from tracker.timeutil import EARLIEST_YEAR

LOOKAHEAD = timedelta(days=400)
"""How far after ``as_of`` an event's next occurrence is looked for (a yearly one too)."""
_BEGIN = b"BEGIN:VCALENDAR"


@dataclass(frozen=True)
class Attendee:
    email: str
    """Lower case; ``""`` when the calendar gave none."""
    name: str
    partstat: str
    """``ACCEPTED``, ``DECLINED``, ``TENTATIVE``, ``NEEDS-ACTION`` (the default) ..."""

    @property
    def declined(self) -> bool:
        return self.partstat == "DECLINED"


@dataclass(frozen=True)
class EventRecord:
    """One occurrence of an event."""

    uid: str
    start: datetime
    """UTC; local midnight for an all-day event."""
    end: datetime | None
    all_day: bool
    summary: str
    organizer: Attendee | None
    attendees: tuple[Attendee, ...]
    cancelled: bool
    """``STATUS:CANCELLED`` on the event or on this occurrence."""
    recurrence_id: datetime | None
    """For an occurrence of a series, its place in the series (UTC; where it was before
    it was moved); None for a one-off event."""
    is_next: bool = False
    """The event's first occurrence after ``as_of`` that is not cancelled."""

    @property
    def is_series(self) -> bool:
        return self.recurrence_id is not None

    @property
    def key(self) -> str:
        """Stable across re-imports, and when an occurrence or a one-off event moves."""
        uid = self.uid or digest(self.summary, self.start.isoformat())
        if self.recurrence_id is None:
            return f"event:{uid}"
        return f"event:{uid}:{self.recurrence_id.strftime('%Y%m%dT%H%M%SZ')}"


def looks_like_ics(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an iCalendar file."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[: len(_BEGIN)].upper() == _BEGIN


def read_calendar(
    source: Source,
    tz: tzinfo,
    as_of: datetime,
    until: datetime | None = None,
    lookahead: timedelta = LOOKAHEAD,
    progress: Progress | None = None,
    name: str | None = None,
) -> Iterator[EventRecord | Skipped]:
    """The occurrences in the calendar at ``source`` (an ``.ics`` file or stream, a zip
    or a folder of them, one level deep): every one starting before ``until`` (default
    ``as_of``), then each event's next one after ``as_of`` within ``lookahead``, with the
    cancelled occurrences before it. ``tz`` places floating times and all-day events.
    A file that is not a calendar, or that the parser refuses, is fatal."""
    until = as_of if until is None else until
    files = _calendar_files(source, name)
    total = sum(len(data) for _, data in files)
    done = 0
    for label, data in files:
        yield from _occurrences(_parse(data, label), label, tz, as_of, until, lookahead)
        done += len(data)
        if progress:
            progress(done, total)


def _calendar_files(source: Source, name: str | None) -> Sequence[tuple[str, bytes]]:
    label = source_name(source, name)
    if not isinstance(source, Path | str):
        return [(label, source.read())]
    path = Path(source).expanduser()
    if path.is_dir() or zipfile.is_zipfile(path):
        return gather_members(path, lambda member: member.lower().endswith(".ics"), ".ics")
    return [(label, path.read_bytes())]


def _parse(data: bytes, label: str) -> list[Calendar]:
    if not looks_like_ics(data[:1024]):
        fail(label, 1, "not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    try:
        calendars = list(Calendar.from_ical(data, multiple=True))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        fail(label, None, f"not a readable calendar ({exc})")
    if not calendars:
        fail(label, None, "not a readable calendar (cut off: no END:VCALENDAR)")
    return calendars


def _occurrences(
    calendars: list[Calendar],
    label: str,
    tz: tzinfo,
    as_of: datetime,
    until: datetime,
    lookahead: timedelta,
) -> Iterator[EventRecord | Skipped]:
    for calendar in calendars:
        yield from _drop_unplaced(calendar)
        masters, series = _series(calendar)
        earliest = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
        try:
            query = recurring_ical_events.of(calendar)
            past = query.between(earliest, until) if until > earliest else []
            future = query.between(as_of, as_of + lookahead)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            fail(label, None, f"a recurrence the calendar library cannot expand ({exc})")
        chosen: dict[str, EventRecord] = {}
        for component in past:
            record = _record(component, tz, masters, series)
            if isinstance(record, Skipped):
                yield record
            elif record.start < until:
                chosen[record.key] = record
        for component in future:
            record = _record(component, tz, masters, series)
            if isinstance(record, EventRecord) and record.start > as_of:
                chosen.setdefault(record.key, record)
        nexted: set[str] = set()
        for record in sorted(chosen.values(), key=lambda r: (r.start, r.uid)):
            if record.start > as_of and record.uid not in nexted and not record.cancelled:
                nexted.add(record.uid)
                yield replace(record, is_next=True)
            elif record.start < until or (record.cancelled and record.uid not in nexted):
                yield record


def _drop_unplaced(calendar: Calendar) -> Iterator[Skipped]:
    """Take out (and report) the events with no start, or one that is not a date."""
    for event in list(calendar.walk("VEVENT")):
        start: object
        try:
            start = getattr(event["DTSTART"], "dt", None)
        except (KeyError, ValueError, TypeError):
            start = None
        if not isinstance(start, date):
            for parent in calendar.walk():
                parent.subcomponents[:] = [c for c in parent.subcomponents if c is not event]
            yield Skipped(None, "event with no readable start")


def _series(calendar: Calendar) -> tuple[dict[str, Any], set[str]]:
    """The master event of each series by UID, and the UIDs that recur."""
    masters: dict[str, Any] = {}
    series: set[str] = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        if "RECURRENCE-ID" in event:
            series.add(uid)
        elif "RRULE" in event or "RDATE" in event:
            series.add(uid)
            masters[uid] = event
        else:
            masters.setdefault(uid, event)
    return masters, series


def _record(
    event: Any, tz: tzinfo, masters: dict[str, Any], series: set[str]
) -> EventRecord | Skipped:
    uid = str(event.get("UID", ""))
    raw_start = event.get("DTSTART")
    if raw_start is None:
        return Skipped(None, "event with no start")
    start = _utc(raw_start.dt, tz)
    raw_end = event.get("DTEND")
    master = masters.get(uid, event)
    attendees = event.get("ATTENDEE") or master.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    organizer = event.get("ORGANIZER") or master.get("ORGANIZER")
    recurrence = event.get("RECURRENCE-ID")
    status = str(event.get("STATUS", "") or master.get("STATUS", "")).upper()
    return EventRecord(
        uid=uid,
        start=start,
        end=_utc(raw_end.dt, tz) if raw_end is not None else None,
        all_day=not isinstance(raw_start.dt, datetime),
        summary=" ".join(str(event.get("SUMMARY", "")).split()),
        organizer=_person(organizer) if organizer else None,
        attendees=tuple(p for p in (_person(a) for a in attendees) if p.email or p.name),
        cancelled=status == "CANCELLED",
        recurrence_id=_utc(recurrence.dt, tz) if uid in series and recurrence else None,
    )


def _utc(value: date | datetime, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _person(value: Any) -> Attendee:
    params = getattr(value, "params", {}) or {}
    raw = str(value).strip()
    email = ""
    if raw.lower().startswith("mailto:"):
        email = unquote(raw[len("mailto:") :])
    elif "@" in raw and ":" not in raw:
        email = raw
    email = (email or str(params.get("EMAIL", ""))).strip().strip("<>").lower()
    name = " ".join(str(params.get("CN", "")).strip().strip('"').split())
    partstat = str(params.get("PARTSTAT", "") or "NEEDS-ACTION").upper()
    return Attendee(email if "@" in email else "", name, partstat)
