"""LinkedIn account health: invitations in a rolling week (by local day), notes in the
calendar month, pending against the ceiling, acceptance of the invitations decided, the
withdraw suggestion, the warnings at 80% of a limit, and the warning (never a refusal)
when one more invitation would pass a limit; ``outreach health`` and its JSON."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.config import load_settings
from tracker.health import HEALTH_KEYS, days_until_week_room, next_month, withdraw_after
from tracker.models import InviteStatus

MONDAY = "2026-11-23"  # the as-of day: a Monday


def _limits(tracker, **changes):
    tracker.settings = replace(tracker.settings, **changes)
    return tracker


def _invite(tracker, name: str, when: str, note: str = "", status=None, changed=None):
    contact = person(tracker, name)
    touch(tracker, contact, "linkedin_invite", when, text=note)
    if status:
        tracker.set_invitation(contact, status, at(changed))
    return contact


def test_the_week_rolls_by_local_day_across_a_week_change(tracker):
    _invite(tracker, "Old Monday", "2026-11-16T23:30")  # 7 days back: out (05:30 UTC Tue)
    _invite(tracker, "Tuesday", "2026-11-17T00:05")  # 6 days back: in
    _invite(tracker, "Sunday", "2026-11-22T21:00")  # last calendar week: in
    _invite(tracker, "Monday", "2026-11-23T08:00")
    figures = tracker.health(MONDAY).record()
    assert figures["sent_7d"] == 3
    assert tracker.health("2026-11-22").record()["sent_7d"] == 3  # Old Monday still in
    assert tracker.health("2026-11-24").record()["sent_7d"] == 2  # Tuesday's has left
    assert tracker.health("2026-11-23T07:00").record()["sent_7d"] == 2  # not sent yet


def test_notes_count_in_the_calendar_month(tracker):
    _invite(tracker, "Late November", "2026-11-30T23:50", note="Hi, we met at the expo")
    _invite(tracker, "No Note", "2026-12-01T09:00")
    _invite(tracker, "December", "2026-12-01T00:10", note="Hi, good to meet you")
    assert tracker.health("2026-11-30").record()["notes_month"] == 1
    assert tracker.health("2026-12-01").record()["notes_month"] == 1
    assert next_month(date(2026, 12, 5)) == date(2027, 1, 1)


@pytest.mark.parametrize(("sent", "warned"), [(7, False), (8, True), (10, True)])
def test_a_warning_at_80_percent_of_the_weekly_limit(tracker, sent, warned):
    _limits(tracker, weekly_invite_limit=10)
    for n in range(sent):
        _invite(tracker, f"P{n}", f"2026-11-{17 + n % 7:02d}T10:00")
    report = tracker.health(MONDAY)
    codes = [w["code"] for w in report.record()["warnings"]]
    assert codes == (["weekly_invite_limit"] if warned else [])
    if sent == 8:
        assert report.warnings[0].message == (
            "8 invitations in the last 7 days: near your weekly limit of 10"
        )
        assert report.warnings[0].short == "8/10 invitations this week"
    if sent == 10:  # 17th-23rd, 2 on the 17th, 18th and 19th: one leaves on the 24th
        assert report.warnings[0].message.endswith(
            "at your weekly limit of 10; room again in 1 day"
        )


def test_warnings_for_notes_pending_and_acceptance(tracker):
    _limits(tracker, monthly_note_limit=5, pending_ceiling=5, min_acceptance_decided=4)
    for n in range(4):  # 4 of 5 notes this month, all pending
        _invite(tracker, f"Note {n}", f"2026-11-0{n + 2}T10:00", note="Hi, we met at the expo")
    for n in range(4):  # ignored: decided, not accepted
        _invite(
            tracker,
            f"Cold {n}",
            "2026-10-30T10:00",
            status=InviteStatus.IGNORED,
            changed="2026-11-05T10:00",
        )
    found = {w["code"]: w["message"] for w in tracker.health(MONDAY).record()["warnings"]}
    assert found["monthly_note_limit"] == "4 notes this month: near your monthly limit of 5"
    assert found["pending_ceiling"] == (
        "4 invitations pending (ceiling 5): withdraw the oldest (outreach withdraw --older-than 14)"
    )
    assert found["min_acceptance"].startswith("0% of 8 invitations decided in the last 30 days")
    assert set(found) == {"monthly_note_limit", "pending_ceiling", "min_acceptance"}


def test_acceptance_counts_decided_invitations_with_the_young_ones_beside(tracker):
    _invite(
        tracker,
        "Accepted",
        "2026-11-01T10:00",
        status=InviteStatus.ACCEPTED,
        changed="2026-11-03T10:00",
    )
    _invite(tracker, "Stale", "2026-11-02T10:00")  # pending 21 days: decided
    _invite(tracker, "Young", "2026-11-20T10:00")  # pending 3 days: not yet
    _invite(
        tracker,
        "Too Old",
        "2026-10-20T10:00",
        status=InviteStatus.ACCEPTED,
        changed="2026-10-21T10:00",
    )  # sent 34 days ago: outside the 30
    figures = tracker.health(MONDAY).record()
    assert figures["acceptance_30d"] == {
        "sent": 3,
        "accepted": 1,
        "pending": 2,
        "decided": 2,
        "pending_young": 1,
        "rate": 0.5,
        "too_few": True,
    }
    assert figures["sent_30d"] == 3
    assert (figures["pending"], figures["oldest_pending_days"]) == (2, 21)


def test_the_withdraw_suggestion(tracker):
    for n in range(3):
        _invite(tracker, f"Old {n}", "2026-10-01T10:00")  # pending 53 days
    _invite(tracker, "Mid", "2026-11-05T10:00")  # 18 days
    figures = tracker.health(MONDAY).record()  # no acceptances: stale_invite_days
    assert (figures["withdraw_older_than_days"], figures["withdraw_count"]) == (14, 4)
    for n in range(10):  # ten of the rep's own: accepted 1..10 days after
        _invite(
            tracker,
            f"Yes {n}",
            "2026-09-01T10:00",
            status=InviteStatus.ACCEPTED,
            changed=f"2026-09-{2 + n:02d}T10:00",
        )
    report = tracker.health(MONDAY)
    assert report.acceptances == 10
    assert (report.figures["withdraw_older_than_days"], report.figures["withdraw_count"]) == (9, 4)
    assert withdraw_after([1] * 9 + [30], tracker.settings) == 1
    assert withdraw_after([3, 4], tracker.settings) == 14  # too few: the setting


def test_the_withdraw_count_as_of_a_past_day(tracker):
    """As of a past day, the invitations pending then: one withdrawn since still counts,
    one sent since does not, and the latest invitation of a contact is the one judged."""
    withdrawn = InviteStatus.WITHDRAWN
    dana = _invite(tracker, "Dana", "2026-10-01T10:00", status=withdrawn, changed="2026-11-20")
    _invite(tracker, "Lee", "2026-09-01T10:00")
    lee = tracker.contact(2)
    touch(tracker, lee, "linkedin_invite", "2026-11-12T10:00")  # a second one, later
    _invite(tracker, "Sam", "2026-11-15T10:00")
    before = tracker.health("2026-11-10").record()  # Lee's second not sent yet
    assert before["withdraw_count"] == 2
    assert before["pending"] == 2  # Dana's, sent before the 30 days read, withdrawn after
    assert tracker.pending_older_than(tracker.clock("2026-11-10"), 14) == [lee.id, dana.id]
    after = tracker.health(MONDAY).record()  # Dana withdrawn; Lee's latest is 11 days old
    assert (after["withdraw_older_than_days"], after["withdraw_count"]) == (14, 0)
    assert tracker.pending_older_than(tracker.clock(MONDAY), 7) == [lee.id, 3]


def test_days_until_there_is_room_again():
    week = [date(2026, 11, 17)] * 2 + [date(2026, 11, 20)] * 2 + [date(2026, 11, 23)]
    today = date(2026, 11, 23)
    assert days_until_week_room(week, today, 5) == 1  # the 17th's leave tomorrow
    assert days_until_week_room(week, today, 4) == 1
    assert days_until_week_room(week, today, 2) == 4  # then the 20th's, on the 27th
    assert days_until_week_room(week, today, 6) == 0


def test_one_more_invitation_warns_and_says_when_there_is_room(tracker):
    _limits(tracker, weekly_invite_limit=3, monthly_note_limit=2)
    _invite(tracker, "A", "2026-11-17T10:00", note="Hi, we met at the expo")
    _invite(tracker, "B", "2026-11-20T10:00", note="Hi, we met at the expo")
    _invite(tracker, "C", "2026-11-21T10:00")
    warned = tracker.invitation_limits(at("2026-11-23T10:00"), has_note=True)
    assert [w.message for w in warned] == [
        "this is invitation 4 in 7 days, over your weekly limit of 3 "
        "([linkedin] weekly_invite_limit): room again in 1 day",
        "this is note 3 this month, over your monthly limit of 2 "
        "([linkedin] monthly_note_limit): room again in 8 days (Dec 1); an invitation "
        "without a note is not counted",
    ]
    plain = tracker.invitation_limits(at("2026-11-23T10:00"), has_note=False)
    assert [w.code for w in plain] == ["weekly_invite_limit"]
    assert tracker.invitation_limits(at("2026-11-24T10:00"), has_note=False) == []
    contact = person(tracker, "Dee New")
    found = tracker.check(contact, touch_channel(), "", at("2026-11-23T10:00")).findings
    assert [(f.severity.value, f.rule) for f in found if f.rule.endswith("limit")] == [
        ("warn", "weekly_invite_limit")
    ]


def touch_channel():
    from tracker.models import Channel

    return Channel.LINKEDIN_INVITE


def test_todays_top_line_carries_the_warning(tracker):
    _limits(tracker, weekly_invite_limit=5)
    for n in range(4):
        _invite(tracker, f"P{n}", f"2026-11-2{n}T10:00")
    snapshot = tracker.day(tracker.clock(MONDAY))
    assert snapshot.health == ("4/5 invitations this week",)


# -- the command ---------------------------------------------------------------------
def test_health_json_keys_exactly_and_the_table(tmp_path: Path, outreach_home: Path):
    run = Outreach(tmp_path / "h.db")
    for n in range(5):
        run("add", f"Person {n}")
        run("invite", str(n + 1), "--at", f"2026-10-{10 + n}")
    data = run.json("health", "--as-of", MONDAY, "--format", "json")
    assert list(data) == list(HEALTH_KEYS)
    assert set(data) == {
        "sent_7d", "weekly_invite_limit", "notes_month", "monthly_note_limit", "pending",
        "pending_ceiling", "oldest_pending_days", "acceptance_30d", "sent_30d",
        "withdraw_older_than_days", "withdraw_count", "warnings",
    }  # fmt: skip
    assert (data["pending"], data["oldest_pending_days"], data["withdraw_count"]) == (5, 44, 5)
    assert data["warnings"] == []
    table = run("health", "--as-of", MONDAY).stdout
    assert "Invitations, last 7 days  0 of 100 (0% of your weekly limit)" in table
    assert "outreach withdraw --older-than 14" in table
    (outreach_home / "config.toml").write_text(
        '[review]\ntimezone = "America/Chicago"\n[linkedin]\npending_ceiling = 5\n',
        encoding="utf-8",
    )
    data = run.json("health", "--as-of", MONDAY, "--format", "json")
    assert [set(w) for w in data["warnings"]] == [{"code", "message"}]
    assert data["warnings"][0]["code"] == "pending_ceiling"
    run("health", "--format", "xml", code=2)


def test_invite_warns_but_records(tmp_path: Path, outreach_home: Path):
    (outreach_home / "config.toml").write_text(
        '[review]\ntimezone = "America/Chicago"\n[linkedin]\nweekly_invite_limit = 1\n',
        encoding="utf-8",
    )
    run = Outreach(tmp_path / "w.db")
    run("add", "Ann First")
    run("add", "Bo Second")
    first = run("invite", "1", "--at", "2026-11-20T10:00")
    assert first.stderr == ""
    second = run("invite", "2", "--at", "2026-11-21T10:00")
    assert second.stderr == (
        "outreach: warning: this is invitation 2 in 7 days, over your weekly limit of 1 "
        "([linkedin] weekly_invite_limit): room again in 6 days\n"
    )
    assert run.json("health", "--as-of", "2026-11-21", "--format", "json")["sent_7d"] == 2


def test_the_old_setting_name_is_still_read_with_a_note(tmp_path: Path, outreach_home: Path):
    config = outreach_home / "config.toml"
    config.write_text("[insights]\nweekly_invite_budget = 50\n", encoding="utf-8")
    notes: list[str] = []
    assert load_settings(config, notes).weekly_invite_limit == 50
    assert notes == [
        f"{config}: [insights] weekly_invite_budget is now [linkedin] weekly_invite_limit: "
        "read as it; rename it"
    ]
    config.write_text(
        "[insights]\nweekly_invite_budget = 50\n[linkedin]\nweekly_invite_limit = 70\n",
        encoding="utf-8",
    )
    assert load_settings(config).weekly_invite_limit == 70
    result = Outreach(tmp_path / "s.db")("health", "--format", "json")
    assert "is now [linkedin] weekly_invite_limit: the new one is used" in result.stderr
    assert (
        Outreach(tmp_path / "s.db").json("health", "--format", "json")["weekly_invite_limit"] == 70
    )
    config.write_text("[linkedin]\nmin_acceptance = 1.5\n", encoding="utf-8")
    assert "min_acceptance" in Outreach(tmp_path / "s.db")("health", code=2).stderr


@pytest.mark.parametrize("width", [72, 80, 120])
def test_the_insights_panel_cuts_no_label_or_figure_short(tracker, width: int):
    from rich.console import Console

    from tracker.insights.health_panel import LABELS, health

    _invite(tracker, "Stale", "2026-11-02T10:00")
    _invite(tracker, "Young", "2026-11-20T10:00")
    _invite(tracker, "Won", "2026-11-01T10:00", status=InviteStatus.ACCEPTED, changed="2026-11-03")
    console = Console(width=width, record=True, color_system=None)
    console.print(health(tracker.health(MONDAY), 80, 0.3))
    shown = console.export_text()
    assert "…" not in shown
    lines = shown.splitlines()
    for label in LABELS:
        assert any(line.startswith(label) for line in lines), label
    assert "(yours to keep above 30%)" in " ".join(" ".join(lines).split())
    assert max(map(len, lines)) <= width
