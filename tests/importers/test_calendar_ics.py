"""The calendar reader: occurrences up to a time, recurrence (EXDATE, moved and cancelled
occurrences), time zones, all-day events, attendees with their answers, and each event's
next occurrence (the scheduled meeting)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.errors import UsageError
from tracker.importers.calendar_ics import EventRecord, looks_like_ics, read_calendar
from tracker.importers.common import Skipped

CHICAGO = ZoneInfo("America/Chicago")
AS_OF = datetime(2024, 3, 27, 12, 0, tzinfo=CHICAGO)


def _events(path: Path | io.BytesIO, **kwargs: object) -> list[EventRecord]:
    items = list(read_calendar(path, CHICAGO, kwargs.pop("as_of", AS_OF), **kwargs))  # type: ignore[arg-type]
    assert all(isinstance(i, EventRecord) for i in items)
    return [i for i in items if isinstance(i, EventRecord)]


def _local(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).strftime("%m-%d %H:%M")


def test_google_export_occurrences_and_next_ones(fixtures: Path) -> None:
    events = _events(fixtures / "calendar/google.ics")
    got = [(_local(e.start), e.summary, e.cancelled, e.is_next) for e in events]
    assert got == [
        ("03-04 10:00", "Northwind weekly", False, False),
        # 03-11 is an EXDATE: no occurrence.
        ("03-14 00:00", "Offsite with Casey", False, False),
        ("03-19 15:00", "Northwind weekly (moved to Tuesday)", False, False),
        ("03-20 09:30", "Demo for Jordan", True, False),
        ("03-22 12:00", "Lunch (no guests)", False, False),
        ("03-25 10:00", "Northwind weekly", True, False),
        ("04-01 10:00", "Northwind weekly", False, True),
        ("04-02 09:00", "Contract review with José", False, True),
    ]


def test_time_zones_and_daylight_saving(fixtures: Path) -> None:
    first, offsite, moved, *_ = _events(fixtures / "calendar/google.ics")
    assert first.start == datetime(2024, 3, 4, 16, 0, tzinfo=UTC)  # CST, before the change
    assert moved.start == datetime(2024, 3, 19, 20, 0, tzinfo=UTC)  # CDT
    assert offsite.all_day and offsite.start == datetime(2024, 3, 14, 5, 0, tzinfo=UTC)
    assert offsite.attendees[0].partstat == "TENTATIVE"


def test_attendees_answers_organizer_and_keys(fixtures: Path) -> None:
    events = _events(fixtures / "calendar/google.ics")
    weekly, moved = events[0], events[2]
    assert [(a.email, a.name, a.declined) for a in weekly.attendees] == [
        ("dana@example.com", "Dana Fictional", False),
        ("lee@example.com", "Lee Example", True),
        ("sam@example.com", "sam@example.com", False),
    ]
    assert weekly.organizer is not None and weekly.organizer.email == "sam@example.com"
    assert weekly.is_series and moved.is_series
    # A moved occurrence keeps its place in the series: the key of March 18th.
    assert moved.recurrence_id == datetime(2024, 3, 18, 15, 0, tzinfo=UTC)
    assert moved.key == "event:weekly-northwind-0001@google.com:20240318T150000Z"
    lunch = events[4]
    assert not lunch.is_series and lunch.key == "event:lunch-0005@google.com"
    assert lunch.attendees == ()
    # The cancelled occurrence lists no guests of its own: the series' are kept.
    cancelled = events[5]
    assert [a.email for a in cancelled.attendees][:2] == ["dana@example.com", "lee@example.com"]


def test_until_later_than_as_of_still_marks_the_next_occurrence(fixtures: Path) -> None:
    until = datetime(2024, 4, 20, tzinfo=CHICAGO)
    weekly = [
        e for e in _events(fixtures / "calendar/google.ics", until=until) if "weekly" in e.summary
    ]
    assert [(_local(e.start), e.is_next) for e in weekly] == [
        ("03-04 10:00", False),
        ("03-19 15:00", False),
        ("03-25 10:00", False),
        ("04-01 10:00", True),
        ("04-08 10:00", False),
        ("04-15 10:00", False),
    ]


def test_outlook_windows_zone_names_and_a_fortnightly_series(fixtures: Path) -> None:
    events = _events(fixtures / "calendar/outlook.ics")
    got = [(e.start, e.summary, e.is_next) for e in events]
    assert got == [
        (datetime(2024, 3, 1, 14, 0, tzinfo=UTC), "Fortnightly pipeline review", False),
        (datetime(2024, 3, 6, 16, 0, tzinfo=UTC), "Pricing call", False),
        # 03-15 is excluded; 03-29 (after the switch to EDT) is the last, and the next.
        (datetime(2024, 3, 29, 13, 0, tzinfo=UTC), "Fortnightly pipeline review", True),
    ]
    assert [(a.email, a.partstat) for a in events[1].attendees] == [
        ("dana@example.com", "ACCEPTED"),
        ("casey@example.com", "DECLINED"),
    ]
    assert events[0].attendees[0].partstat == "NEEDS-ACTION"  # no PARTSTAT given


def test_apple_rdate_email_parameter_and_floating_times(fixtures: Path) -> None:
    visit, breakfast, again = _events(fixtures / "calendar/apple.ics")
    assert visit.summary == again.summary == "Berlin visit"
    assert again.start == datetime(2024, 3, 21, 14, 0, tzinfo=UTC)  # the RDATE
    assert visit.attendees[0].email == "renee@example.com"  # urn:uuid value, EMAIL= param
    # A floating time is in the calendar's X-WR-TIMEZONE (Berlin) when it names one.
    assert breakfast.start == datetime(2024, 3, 12, 8, 0, tzinfo=UTC)


def test_a_floating_time_with_no_calendar_zone_is_the_reps_local_time() -> None:
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:f1\r\n"
        b"DTSTART:20240312T090000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = _events(io.BytesIO(ics))
    assert event.start == datetime(2024, 3, 12, 14, 0, tzinfo=UTC)


def test_a_next_occurrence_is_looked_for_within_the_lookahead(fixtures: Path) -> None:
    path = fixtures / "calendar/google.ics"
    short = _events(path, lookahead=timedelta(days=3))
    assert [e.summary for e in short if e.is_next] == []  # 04-01 is 5 days away
    later = datetime(2024, 3, 31, 12, 0, tzinfo=CHICAGO)
    assert [e.summary for e in _events(path, as_of=later, lookahead=timedelta(days=3))][-2:] == [
        "Northwind weekly",
        "Contract review with José",
    ]


def test_a_google_zip_and_a_folder_of_calendars(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "takeout-calendar.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(fixtures / "calendar/google.ics", "Takeout/Calendar/sam@example.com.ics")
        zipped.write(fixtures / "calendar/outlook.ics", "Takeout/Calendar/Work.ics")
        zipped.writestr("Takeout/archive_browser.html", "<html></html>")
    progress: list[tuple[int, int]] = []
    events = _events(archive, progress=lambda d, t: progress.append((d, t)))
    assert len(events) == 8 + 3
    assert progress[-1][0] == progress[-1][1]
    folder = tmp_path / "calendars"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.ics").write_bytes((fixtures / "calendar/apple.ics").read_bytes())
    (folder / "deeper" / "b.ics").write_bytes((fixtures / "calendar/google.ics").read_bytes())
    assert len(_events(folder)) == 3  # one level: deeper/ is not read


def test_files_that_are_not_calendars_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.ics"
    text.write_text("Meeting notes\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"notes\.ics:1: not an iCalendar file"):
        list(read_calendar(text, CHICAGO, AS_OF))
    cut = tmp_path / "cut.ics"
    cut.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240312T090000Z\r\n")
    with pytest.raises(UsageError, match=r"cut\.ics: not a readable calendar \(cut off"):
        list(read_calendar(cut, CHICAGO, AS_OF))
    rule = tmp_path / "rule.ics"
    rule.write_bytes(
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240301T100000Z\r\n"
        b"RRULE:FREQ=WEEKLY;UNTIL=garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(UsageError, match=r"rule\.ics: a recurrence the calendar library"):
        list(read_calendar(rule, CHICAGO, AS_OF))
    empty = tmp_path / "none"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"no \.ics files"):
        list(read_calendar(empty, CHICAGO, AS_OF))


def test_detection_helper(fixtures: Path) -> None:
    assert looks_like_ics((fixtures / "calendar/outlook.ics").read_bytes()[:100])
    assert looks_like_ics(b"\xef\xbb\xbf\r\nbegin:vcalendar\r\n")
    assert not looks_like_ics(b"BEGIN:VCARD\r\n")


def test_an_event_with_no_readable_start_is_skipped_not_fatal() -> None:
    event = "BEGIN:VEVENT\r\nUID:{uid}\r\n{start}SUMMARY:{uid}\r\nEND:VEVENT\r\n"
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + event.format(uid="ok", start="DTSTART:20240312T090000Z\r\n")
        + event.format(uid="broken", start="DTSTART:notadate\r\n")
        + event.format(uid="none", start="")
        + "END:VCALENDAR\r\n"
    ).encode()
    items = list(read_calendar(io.BytesIO(ics), CHICAGO, AS_OF))
    assert items[:2] == [Skipped(None, "event with no readable start")] * 2
    assert isinstance(items[2], EventRecord) and items[2].uid == "ok" and len(items) == 3
