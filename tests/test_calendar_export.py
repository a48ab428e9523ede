"""``outreach export calendar``: an iCalendar file (RFC 5545) read back with ``icalendar``:
one all-day event per follow-up date, per key date coming up and for today's review,
each with a UID that stays the same across exports (so a calendar updates, not
duplicates), and the event moving when its date changes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar

from tests.cli_helpers import Outreach

AS_OF = "2026-11-23"


def _events(path: Path) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["VERSION"]) == "2.0" and "Outreach Tracker" in str(calendar["PRODID"])
    found = {}
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and end == start + timedelta(days=1)  # all day
        assert event.get("DTSTAMP") is not None
        found[str(event["UID"])] = {
            "day": start,
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
        }
    return found


def _home(tmp_path: Path) -> Outreach:
    run = Outreach(tmp_path / "c.db")
    run(
        "add",
        "Dana Fictional",
        "--phone",
        "(312) 555-0142",
        "--email",
        "dana@example.com",
        "--linkedin",
        "linkedin.com/in/dana-fictional",
        "--birthday",
        "1988-12-01",
    )
    run("add", "Lee Example", "--date", "renewal=--12-15", "--date", "work anniversary=2020-02-01")
    run("follow-up", "1", "--on", "2026-11-30", "--reason", "send the proposal, with prices")
    run("follow-up", "2", "--on", "2026-11-20", "--reason", "call back", "--at", "2026-11-02")
    return run


def test_the_file_parses_back_with_every_event(tmp_path: Path):
    run = _home(tmp_path)
    out = tmp_path / "outreach.ics"
    said = run("export", "calendar", "--out", str(out), "--as-of", AS_OF)
    assert "wrote 5 events: 2 follow-ups, 2 key dates, today's review to" in said.stderr
    events = _events(out)
    assert events["follow-up-1@outreach-tracker.local"] == {
        "day": date(2026, 11, 30),
        "summary": "Follow up: Dana Fictional",
        "description": "send the proposal, with prices\nPhone: +1 312-555-0142\n"
        "Email: dana@example.com\nLinkedIn: https://www.linkedin.com/in/dana-fictional",
    }
    assert events["follow-up-2@outreach-tracker.local"]["day"] == date(2026, 11, 20)  # overdue
    birthday = events["key-date-1-birthday-2026@outreach-tracker.local"]
    assert (birthday["day"], birthday["summary"]) == (
        date(2026, 12, 1),
        "Birthday: Dana Fictional (turns 38)",
    )
    renewal = events["key-date-2-renewal-2026@outreach-tracker.local"]
    assert (renewal["day"], renewal["summary"]) == (date(2026, 12, 15), "Renewal: Lee Example")
    review = events["review-2026-11-23@outreach-tracker.local"]
    assert (review["day"], review["summary"]) == (date(2026, 11, 23), "Outreach review: 1 due")
    assert review["description"].startswith("Follow-ups due: 1")
    assert len(events) == 5  # the work anniversary (Feb 1) is more than 30 days away


def test_uids_are_stable_and_a_changed_date_moves_the_event(tmp_path: Path):
    run = _home(tmp_path)
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    run("export", "calendar", "--out", str(first), "--as-of", AS_OF)
    run("follow-up", "1", "--on", "2026-12-04", "--reason", "send the proposal")
    run("edit", "1", "--birthday", "1988-12-02")
    run("export", "calendar", "--out", str(second), "--as-of", AS_OF)
    before, after = _events(first), _events(second)
    assert set(before) == set(after)
    moved = "follow-up-1@outreach-tracker.local"
    assert (before[moved]["day"], after[moved]["day"]) == (date(2026, 11, 30), date(2026, 12, 4))
    birthday = "key-date-1-birthday-2026@outreach-tracker.local"
    assert after[birthday]["day"] == date(2026, 12, 2)


def test_days_ahead_and_stdout(tmp_path: Path):
    run = _home(tmp_path)
    raw = run("export", "calendar", "--days", "7", "--as-of", AS_OF).stdout_bytes
    path = tmp_path / "week.ics"
    path.write_bytes(raw)
    assert set(_events(path)) == {
        "follow-up-1@outreach-tracker.local",
        "follow-up-2@outreach-tracker.local",
        "review-2026-11-23@outreach-tracker.local",
    }
    assert raw.count(b"\r\n") == raw.count(b"\n")  # RFC 5545 lines end in CRLF
    long = tmp_path / "year.ics"
    run("export", "calendar", "--days", "365", "--out", str(long), "--as-of", AS_OF)
    assert "key-date-2-work-anniversary-2027@outreach-tracker.local" in _events(long)
    assert "--days" in run("export", "contacts", "--days", "3", code=2).stderr
    run("export", "calendar", "--days", "-1", code=2)
