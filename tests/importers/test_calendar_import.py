"""Calendars imported end to end: a meeting touch per guest who is a contact, occurrences
up to now and each event's next one (a scheduled meeting that holds back nudges until it
has passed), declined, cancelled and crowded events skipped and counted, and a later file
that moves or cancels a scheduled meeting moving or removing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.importers.conftest import db_fingerprint
from tracker.timeutil import now_utc

SAM = "sam@example.com"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    uid: str,
    start: datetime,
    guests: dict[str, str],
    *,
    status: str = "CONFIRMED",
    organizer: str = SAM,
    rrule: str = "",
    summary: str = "Call with Dana",
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTART:{stamp(start)}",
        f"DTEND:{stamp(start + timedelta(minutes=30))}",
        f"SUMMARY:{summary}",
        f"STATUS:{status}",
        f"ORGANIZER:mailto:{organizer}",
        *(f"ATTENDEE;PARTSTAT={answer}:mailto:{email}" for email, answer in guests.items()),
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    return "\r\n".join([*lines, "END:VEVENT"])


def calendar(path: Path, *events: str) -> Path:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Test//EN\r\n"
    path.write_text(head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    outreach = Outreach(tmp_path / "calendar.db")
    outreach("add", "Dana Fictional", "--phone", "+13125550142", "--email", "dana@example.com")
    outreach("add", "Lee Example", "--email", "lee@example.com")
    return outreach


def meetings(run: Outreach, name: str) -> list[dict]:
    touches = run.json("show", name, "--format", "json")["touches"]
    return [t for t in touches if t["channel"] == "meeting"]


def day(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()


def test_a_series_up_to_now_and_its_next_occurrence(run: Outreach, tmp_path: Path) -> None:
    now = now_utc()
    first = now - timedelta(days=20)
    ics = calendar(
        tmp_path / "work.ics",
        event(
            "weekly-1",
            first,
            {SAM: "ACCEPTED", "dana@example.com": "ACCEPTED", "lee@example.com": "DECLINED"},
            rrule="FREQ=WEEKLY",
        ),
    )
    before = db_fingerprint(run.db)
    dry = run("import", str(ics), "--dry-run").stdout
    assert "4 records read (4 added, 0 skipped)" in dry and db_fingerprint(run.db) == before
    out = run("import", str(ics)).stdout
    assert "iCalendar (.ics), 4 records read (4 added, 0 skipped)" in out
    assert "touches: 4 added" in out
    found = meetings(run, "Dana Fictional")
    assert sorted(t["at"][:10] for t in found) == [
        day(first + timedelta(days=7 * n)) for n in range(4)
    ]
    assert all(t["direction"] == "out" for t in found)  # Sam organized them
    assert meetings(run, "Lee Example") == []  # declined
    assert "4 already imported" in run("import", "calendar", str(ics)).stdout
    shown = run("show", "Dana Fictional").stdout
    assert "Next meeting:" in shown and "[scheduled]" in shown


def test_a_future_meeting_holds_back_nudges_until_it_has_passed(
    run: Outreach, tmp_path: Path
) -> None:
    now = now_utc()
    texted = (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    run("log", "sms", "Dana Fictional", "--at", texted, "--text", "Coffee?", "--force")
    review = run.json("review", "--format", "json")
    assert "unanswered_text" in {i["kind"] for i in review}
    start = now + timedelta(days=2)
    run(
        "import",
        str(calendar(tmp_path / "c.ics", event("one", start, {"dana@example.com": "ACCEPTED"}))),
    )
    assert "unanswered_text" not in {i["kind"] for i in run.json("review", "--format", "json")}
    assert run("review").stdout.startswith("next meeting: Dana Fictional, ")
    after = (start + timedelta(days=2)).date().isoformat()
    later = run.json("review", "--as-of", after, "--format", "json")
    assert "unanswered_text" in {i["kind"] for i in later}


def test_a_meeting_cancelled_later_is_removed_and_one_moved_is_moved(
    run: Outreach, tmp_path: Path
) -> None:
    start = now_utc() + timedelta(days=5)
    guests = {"dana@example.com": "ACCEPTED"}
    run("import", str(calendar(tmp_path / "v1.ics", event("demo-7", start, guests))))
    assert [t["at"][:10] for t in meetings(run, "Dana Fictional")] == [day(start)]
    moved = start + timedelta(days=1)
    out = run("import", str(calendar(tmp_path / "v2.ics", event("demo-7", moved, guests)))).stdout
    # Moving the meeting is the record's change: it counts added, with no touch added.
    assert "meetings ahead: 1 moved" in out and "touches: 0 added" in out
    assert "1 record read (1 added, 0 skipped)" in out
    assert [t["at"][:10] for t in meetings(run, "Dana Fictional")] == [day(moved)]
    cancelled = calendar(tmp_path / "v3.ics", event("demo-7", moved, guests, status="CANCELLED"))
    out = run("import", str(cancelled)).stdout
    assert "meetings ahead: 1 removed (cancelled)" in out and "skipped: 1 cancelled event" in out
    assert meetings(run, "Dana Fictional") == []
    assert "Next meeting" not in run("show", "Dana Fictional").stdout


def test_a_meeting_they_organized_is_inbound_and_crowds_are_skipped(
    run: Outreach, tmp_path: Path
) -> None:
    past = now_utc() - timedelta(days=10)
    crowd = {f"guest{n}@example.com": "ACCEPTED" for n in range(11)}
    ics = calendar(
        tmp_path / "mixed.ics",
        event("theirs", past, {SAM: "ACCEPTED"}, organizer="dana@example.com"),
        event("all-hands", past, {**crowd, "lee@example.com": "ACCEPTED"}),
        event("alone", past, {}, organizer=SAM, summary="Focus time"),
    )
    out = run("import", str(ics), "--me", SAM).stdout
    assert "skipped: 1 event with more than 10 guests, 1 event with no guests" in out
    (theirs,) = meetings(run, "Dana Fictional")
    assert theirs["direction"] == "in"
    assert meetings(run, "Lee Example") == []


def test_create_contacts_needs_your_address_so_you_are_not_a_guest(
    run: Outreach, tmp_path: Path
) -> None:
    past = now_utc() - timedelta(days=3)
    ics = calendar(tmp_path / "new.ics", event("intro", past, {"new@example.com": "ACCEPTED"}))
    refused = run("import", str(ics), "--create-contacts", code=2)
    assert "needs your email address: give it with --me you@example.com" in refused.stderr
    out = run("import", str(ics), "--create-contacts", "--me", SAM).stdout
    assert "contacts: 1 added" in out and "touches: 1 added" in out
    names = {c["name"] for c in run.json("list", "--format", "json")}
    assert "new@example.com" in names and SAM not in names


def test_google_export_recurrence_exceptions(run: Outreach, fixtures: Path) -> None:
    run("add", "Casey Quiet", "--email", "casey@example.com")
    run("add", "Jordan Optout", "--email", "jordan@example.com")
    run("import", str(fixtures / "calendar/google.ics"), "--me", SAM)
    dana = {t["at"][:16] for t in meetings(run, "Dana Fictional")}
    assert "2024-03-04T16:00" in dana  # the series' first Monday
    assert "2024-03-19T20:00" in dana  # the occurrence moved to Tuesday
    assert "2024-03-11T15:00" not in dana  # an EXDATE
    assert "2024-03-25T15:00" not in dana  # a cancelled occurrence
    assert [t["at"][:10] for t in meetings(run, "Casey Quiet")] == ["2024-03-14"]  # all day
    assert meetings(run, "Jordan Optout") == []  # the demo was cancelled


def test_our_own_calendar_export_is_named_not_imported(run: Outreach, tmp_path: Path) -> None:
    run("follow-up", "1", "--on", "+3d", "--reason", "send the quote")
    own = tmp_path / "outreach.ics"
    run("export", "calendar", "--out", str(own))
    before = db_fingerprint(run.db)
    out = run("import", str(own), "--me", SAM).stdout
    assert "2 records read (0 added, 2 skipped)" in out  # the follow-up and the review
    assert "skipped: 2 reminders from Outreach Tracker's own calendar export" in out
    assert db_fingerprint(run.db) == before
