"""Sequences at their boundaries (DOMAIN.md, "Sequences"): business days across a weekend
and a holiday, the wait for an acceptance timing out on day 14 or won on day 14, a reply
by another channel ending it, a pause across a due date, ``max_per_day`` rolling steps
over, and an edited file leaving running enrollments alone until ``--migrate``."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import at, person, review, touch
from tracker.models import Contact, InviteStatus, Kind
from tracker.service import Tracker


def sequences_file(home: Path, text: str) -> None:
    (home / "sequences.toml").write_text(textwrap.dedent(text), encoding="utf-8")


CALL_THEN_EMAIL = """
    [sequences.call-email]
    [[sequences.call-email.steps]]
    title = "Call"
    channel = "call"
    [[sequences.call-email.steps]]
    title = "Email"
    channel = "email"
    after = "{after}"
    [[sequences.call-email.steps]]
    title = "Text"
    channel = "sms"
    after = "1d"
"""


def steps_due(tracker: Tracker, as_of: str, contact: Contact | None = None) -> list[str]:
    """The due sequence steps as ``contact name: step title``."""
    return [
        f"{item.contact}: {item.details['title']}"
        for item in review(tracker, as_of)
        if item.kind is Kind.SEQUENCE_STEP and (contact is None or item.contact_id == contact.id)
    ]


def enroll(tracker: Tracker, contact: Contact, name: str, start: str, when: str = "") -> None:
    batch = tracker.enroll([contact.id], name, date.fromisoformat(start), at(when or start))
    assert batch.count == 1, batch.skipped


def plan(tracker: Tracker, contact: Contact, as_of: str):  # type: ignore[no-untyped-def]
    return tracker.contact_plans(contact.id, tracker.clock(as_of))[0]


@pytest.fixture
def dana(tracker: Tracker) -> Contact:
    return person(
        tracker,
        phone="+13125550142",
        email="dana@example.com",
        linkedin_url="https://www.linkedin.com/in/dana-fictional",
    )


# -- business days --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("after", "holidays", "due"),
    [
        ("3bd", (), "2026-11-27"),  # Wed, Thu, Fri
        ("3bd", (date(2026, 11, 26),), "2026-11-30"),  # Thanksgiving, then the weekend
        ("3d", (date(2026, 11, 26),), "2026-11-27"),  # calendar days ignore both
        ("4bd", (), "2026-11-30"),  # across the weekend
    ],
)
def test_business_days_skip_the_weekend_and_holidays(
    tracker: Tracker, dana: Contact, outreach_home: Path, after: str, holidays, due: str
):
    sequences_file(outreach_home, CALL_THEN_EMAIL.format(after=after))
    tracker.settings = replace(tracker.settings, holidays=holidays)
    enroll(tracker, dana, "call-email", "2026-11-23", "2026-11-23T08:00")
    touch(tracker, dana, "call", "2026-11-24T10:00")
    day_before = date.fromisoformat(due).toordinal() - 1
    assert steps_due(tracker, date.fromordinal(day_before).isoformat()) == []
    assert steps_due(tracker, due) == ["Dana Fictional: Email"]
    item = next(i for i in review(tracker, due) if i.kind is Kind.SEQUENCE_STEP)
    assert item.age_days == 0 and item.since == at(f"{due}T00:00")
    assert not item.lapsed


def test_step_one_is_due_on_the_start_day_and_never_lapses(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "call-first", "2026-09-01", "2026-09-01T08:00")
    items = [i for i in tracker.full_review(tracker.clock("2026-11-23")).queue]
    step = next(i for i in items if i.kind is Kind.SEQUENCE_STEP)
    assert step.age_days == (date(2026, 11, 23) - date(2026, 9, 1)).days
    assert not step.lapsed and step.details["title"] == "Call"
    assert step.reason.startswith("call-first, step 1 of 5: Call;")


# -- waiting for the acceptance ---------------------------------------------------------
def invited(tracker: Tracker, contact: Contact) -> None:
    enroll(tracker, contact, "linkedin-first", "2026-11-02", "2026-11-02T08:00")
    touch(tracker, contact, "linkedin_invite", "2026-11-02T10:00", text="Hi Dana, good to meet.")


def test_not_accepted_by_the_end_of_day_14_adds_the_withdrawal(tracker: Tracker, dana: Contact):
    invited(tracker, dana)
    assert steps_due(tracker, "2026-11-15") == []  # day 13: still waiting
    assert steps_due(tracker, "2026-11-16") == ["Dana Fictional: Withdraw the invitation"]
    assert Kind.STALE_INVITE not in [i.kind for i in review(tracker, "2026-11-16")]
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-11-17T09:00"))
    assert steps_due(tracker, "2026-11-17") == []
    assert steps_due(tracker, "2026-11-18") == ["Dana Fictional: Thank them and add value"]
    steps = plan(tracker, dana, "2026-11-18").progress.steps
    assert [(s.action, s.outcome, s.wait) for s in steps] == [
        ("step", "done", "not_accepted"),
        ("withdraw", "done", None),
        ("step", None, None),
    ]
    assert steps[0].reason == "not accepted in 14 days"


def test_accepted_on_day_14_wins(tracker: Tracker, dana: Contact):
    invited(tracker, dana)
    # During day 14 the timeout stands; the acceptance that evening wins it back.
    assert steps_due(tracker, "2026-11-16T12:00") == ["Dana Fictional: Withdraw the invitation"]
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-16T20:00"))
    assert steps_due(tracker, "2026-11-16") == []
    assert steps_due(tracker, "2026-11-17") == ["Dana Fictional: Thank them and add value"]
    first = plan(tracker, dana, "2026-11-17").progress.steps[0]
    assert (first.wait, first.wait_at) == ("accepted", at("2026-11-16T20:00"))


def test_accepted_on_day_15_is_too_late_for_the_wait(tracker: Tracker, dana: Contact):
    invited(tracker, dana)
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-17T08:00"))
    steps = plan(tracker, dana, "2026-11-17").progress.steps
    assert [(s.action, s.outcome) for s in steps] == [
        ("step", "done"),
        ("withdraw", "skipped"),
        ("step", None),
    ]
    assert "accepted on 2026-11-17" in steps[1].reason
    # A skipped step's time is its due date (day 14): the next delay counts from it.
    assert steps[2].due_on == date(2026, 11, 17)


# -- ending ---------------------------------------------------------------------------
def test_a_reply_on_another_channel_ends_it(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "linkedin-first", "2026-11-02", "2026-11-02T08:00")
    touch(tracker, dana, "linkedin_invite", "2026-11-02T10:00", text="Hi Dana, good to meet.")
    touch(tracker, dana, "sms", "2026-11-05T18:00", inbound=True, text="Got your invite, call me")
    found = plan(tracker, dana, "2026-11-20")
    assert found.progress.status == "replied"
    assert found.progress.end_reason == "replied by text on 2026-11-05"
    assert steps_due(tracker, "2026-11-20") == []
    assert Kind.STALE_INVITE in [i.kind for i in review(tracker, "2026-11-20")]  # no longer held


def test_a_scheduled_meeting_ends_it(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-02T08:00")
    touch(tracker, dana, "meeting", "2027-01-15T10:00")
    found = plan(tracker, dana, "2026-11-03")
    assert found.progress.status == "replied"
    assert found.progress.end_reason == "meeting scheduled for 2027-01-15"


def test_on_reply_pause_holds_it_until_resumed(
    tracker: Tracker, dana: Contact, outreach_home: Path
):
    text = CALL_THEN_EMAIL.format(after="2d").replace(
        "[sequences.call-email]\n", '[sequences.call-email]\n    on_reply = "pause"\n'
    )
    sequences_file(outreach_home, text)
    enroll(tracker, dana, "call-email", "2026-11-02", "2026-11-02T08:00")
    touch(tracker, dana, "call", "2026-11-02T10:00")
    touch(tracker, dana, "email", "2026-11-03T09:00", inbound=True, text="Thursday works")
    assert plan(tracker, dana, "2026-11-06").progress.status == "paused"
    assert steps_due(tracker, "2026-11-06") == []
    tracker.resume_sequences([dana.id], at("2026-11-09T09:00"))
    # Paused 3-8 Nov: the 2 days count from the call on the 2nd, the 9th and the 10th.
    assert steps_due(tracker, "2026-11-09") == []
    assert steps_due(tracker, "2026-11-10") == ["Dana Fictional: Email"]


def test_a_reply_before_enrolling_does_not_end_it(tracker: Tracker, dana: Contact):
    touch(tracker, dana, "sms", "2026-11-02T07:00", inbound=True, text="Hello")
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-02T08:00")
    assert plan(tracker, dana, "2026-11-02").progress.status == "active"
    assert steps_due(tracker, "2026-11-02") == ["Dana Fictional: Call"]


def test_catching_up_counts_from_the_start_day(tracker: Tracker, dana: Contact):
    touch(tracker, dana, "call", "2026-11-02T10:00")
    touch(tracker, dana, "sms", "2026-11-03T07:00", inbound=True, text="Thanks!")
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-10T08:00")
    found = plan(tracker, dana, "2026-11-10")
    assert found.progress.steps[0].outcome == "done"
    assert found.progress.end_reason == "replied by text on 2026-11-03"


def test_unenroll_ends_it_with_the_reason(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-02T08:00")
    batch = tracker.unenroll([dana.id], "moved to a partner", at("2026-11-03T09:00"))
    assert batch.count == 1
    found = plan(tracker, dana, "2026-11-04")
    assert (found.progress.status, found.progress.end_reason) == (
        "exited",
        "unenrolled: moved to a partner",
    )
    assert steps_due(tracker, "2026-11-04") == []


def test_one_running_sequence_per_contact(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-02T08:00")
    batch = tracker.enroll([dana.id], "linkedin-first", None, at("2026-11-03T08:00"))
    assert batch.count == 0
    assert batch.skipped[0].reason.startswith("already in call-first (active, step 1 of 5")
    tracker.unenroll([dana.id], "", at("2026-11-03T09:00"))
    enroll(tracker, dana, "linkedin-first", "2026-11-04", "2026-11-03T10:00")
    plans = tracker.contact_plans(dana.id, tracker.clock("2026-11-04"))
    assert [p.sequence for p in plans] == ["linkedin-first", "call-first"]


# -- pauses ---------------------------------------------------------------------------
def test_a_pause_across_the_due_date_does_not_use_up_the_delay(
    tracker: Tracker, dana: Contact, outreach_home: Path
):
    sequences_file(outreach_home, CALL_THEN_EMAIL.format(after="2bd"))
    enroll(tracker, dana, "call-email", "2026-11-09", "2026-11-09T08:00")
    touch(tracker, dana, "call", "2026-11-09T10:00")  # email due Wed 11th
    tracker.pause_sequences(None, date(2026, 11, 16), date(2026, 11, 10), at("2026-11-09T17:00"))
    clock = tracker.clock("2026-11-11")
    assert steps_due(tracker, "2026-11-11") == []
    assert tracker.day(clock).sequence_pause == "1 sequence paused until Mon 16 Nov 2026"
    assert plan(tracker, dana, "2026-11-11").progress.paused_until == date(2026, 11, 16)
    assert steps_due(tracker, "2026-11-16") == []  # back, and two business days to go
    assert steps_due(tracker, "2026-11-17") == ["Dana Fictional: Email"]


def test_a_pause_hides_an_overdue_step_until_it_ends(tracker: Tracker, dana: Contact):
    enroll(tracker, dana, "call-first", "2026-11-02", "2026-11-02T08:00")
    tracker.pause_sequences([dana.id], date(2026, 11, 9), None, at("2026-11-04T08:00"))
    assert steps_due(tracker, "2026-11-06") == []
    item = next(i for i in review(tracker, "2026-11-09") if i.kind is Kind.SEQUENCE_STEP)
    assert item.since == at("2026-11-02T00:00")  # still due since the start day


# -- max_per_day ----------------------------------------------------------------------
def test_max_per_day_rolls_the_rest_to_the_next_business_day(tracker: Tracker):
    tracker.settings = replace(tracker.settings, max_per_day={"linkedin_invite": 2})
    people = [
        person(tracker, f"Person {n}", linkedin_url=f"https://www.linkedin.com/in/person-{n}")
        for n in range(1, 6)
    ]
    for someone in people:  # Friday 20 Nov
        enroll(tracker, someone, "linkedin-first", "2026-11-20", "2026-11-20T08:00")
    assert steps_due(tracker, "2026-11-20") == [f"Person {n}: Invite with a note" for n in (1, 2)]
    for someone in people[:2]:
        touch(tracker, someone, "linkedin_invite", "2026-11-20T10:00")
    assert steps_due(tracker, "2026-11-22") == []  # rolled over the weekend
    assert steps_due(tracker, "2026-11-23") == [f"Person {n}: Invite with a note" for n in (3, 4)]
    late = [
        person(tracker, f"Person {n}", linkedin_url=f"https://www.linkedin.com/in/person-{n}")
        for n in (6, 7)
    ]
    for someone in late:  # recorded later, starting the same Friday: after the others
        enroll(tracker, someone, "linkedin-first", "2026-11-20", "2026-11-23T08:00")
    due = steps_due(tracker, "2026-11-24")
    assert due == [f"Person {n}: Invite with a note" for n in (3, 4, 5, 6)]
    assert steps_due(tracker, "2026-11-24", late[1]) == []
    assert steps_due(tracker, "2026-11-25", late[1]) == ["Person 7: Invite with a note"]


# -- an edited file -------------------------------------------------------------------
def test_an_edited_file_leaves_running_enrollments_alone_until_migrate(
    tracker: Tracker, dana: Contact, outreach_home: Path
):
    sequences_file(outreach_home, CALL_THEN_EMAIL.format(after="2d"))
    enroll(tracker, dana, "call-email", "2026-11-02", "2026-11-02T08:00")
    touch(tracker, dana, "call", "2026-11-02T10:00")
    sequences_file(outreach_home, CALL_THEN_EMAIL.format(after="7d"))
    assert steps_due(tracker, "2026-11-04") == ["Dana Fictional: Email"]  # the old version
    assert not plan(tracker, dana, "2026-11-04").current_version
    assert [r["contact_id"] for r in tracker.enrollments_on_older_version("call-email")] == [
        dana.id
    ]
    batch = tracker.enroll([dana.id], "call-email", None, at("2026-11-03T08:00"), migrate=True)
    assert batch.count == 1
    moved = plan(tracker, dana, "2026-11-04")
    assert moved.current_version and moved.progress.steps[0].outcome == "done"
    assert steps_due(tracker, "2026-11-04") == []
    assert steps_due(tracker, "2026-11-09") == ["Dana Fictional: Email"]  # 7 days after the call
    # The past is kept: as of before the move, the old version's delay was in force.
    before = plan(tracker, dana, "2026-11-02T23:00").progress.pending
    assert before is not None and before.due_on == date(2026, 11, 4)
    again = tracker.enroll([dana.id], "call-email", None, at("2026-11-03T09:00"), migrate=True)
    assert again.skipped[0].reason == "already on the current version of call-email"


def test_settings_change_redoes_running_enrollments(
    tracker: Tracker, dana: Contact, outreach_home: Path
):
    sequences_file(outreach_home, CALL_THEN_EMAIL.format(after="1bd"))
    enroll(tracker, dana, "call-email", "2026-11-23", "2026-11-23T08:00")
    touch(tracker, dana, "call", "2026-11-25T10:00")
    assert steps_due(tracker, "2026-11-26") == ["Dana Fictional: Email"]
    tracker.settings = replace(tracker.settings, holidays=(date(2026, 11, 26),))
    assert steps_due(tracker, "2026-11-26") == []
    assert steps_due(tracker, "2026-11-27") == ["Dana Fictional: Email"]
