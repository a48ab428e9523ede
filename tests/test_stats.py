"""Insights on a small fixed history, every figure computed by hand (DOMAIN.md,
"Numbers worth showing the user"), plus zero samples, periods and filters."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.models import InviteStatus, Kind, Moment
from tracker.priority import by_priority
from tracker.replies import REPLY_KEYS

AS_OF = "2026-11-23"


def _invite(tracker, contact, when, note="", status=None, changed=None, moment=None):
    touch(tracker, contact, "linkedin_invite", when, text=note, moment=moment)
    if status:
        tracker.set_invitation(contact, status, at(changed))


@pytest.fixture
def history(tracker):
    a = person(tracker, "Ann Decider", segment="decision_maker", phone="+13125550101")
    b = person(tracker, "Bob Decider", segment="decision_maker")
    c = person(tracker, "Cy Influencer", segment="influencer", phone="+13125550103")
    d = person(tracker, "Di Nobody")
    e = person(tracker, "Ed Champion", segment="champion", tags=("expo",))
    person(tracker, "Fay Quiet", created="2026-07-01T09:00")
    _invite(tracker, a, "2026-10-01T10:00", "Hi Ann", InviteStatus.ACCEPTED, "2026-10-04T10:00")
    _invite(tracker, b, "2026-10-10T10:00", "", InviteStatus.ACCEPTED, "2026-10-20T10:00")
    _invite(tracker, c, "2026-10-05T10:00", "Hi Cy", InviteStatus.WITHDRAWN, "2026-10-25T10:00")
    _invite(tracker, c, "2026-11-20T10:00")
    _invite(tracker, d, "2026-11-01T10:00", "", InviteStatus.IGNORED, "2026-11-10T10:00")
    _invite(tracker, e, "2026-11-15T10:00", "Hi Ed", moment=Moment.AFTER_EVENT)
    touch(tracker, a, "sms", "2026-11-02T10:00")
    touch(tracker, a, "sms", "2026-11-02T12:00", inbound=True)
    touch(tracker, a, "sms", "2026-11-05T09:00")
    touch(tracker, a, "email", "2026-11-06T09:00")
    touch(tracker, b, "email", "2026-11-03T09:00")
    touch(tracker, b, "call", "2026-11-04T09:00", inbound=True)
    touch(tracker, c, "sms", "2026-11-10T10:00")
    touch(tracker, c, "sms", "2026-11-12T10:00")
    tracker.follow_up(a, date(2026, 11, 20), "", at("2026-11-01T10:00"))
    tracker.follow_up(b, date(2026, 11, 25), "", at("2026-11-01T10:00"))
    tracker.follow_up(d, date(2026, 12, 15), "", at("2026-11-01T10:00"))
    for day in (21, 22, 23):
        tracker.store.close_review(date(2026, 11, day), 4, 0)
    return tracker


def cell(sent, accepted, pending, decided, young, rate, too_few=True):
    """An acceptance figure: the rate is of the invitations decided; pending ones younger
    than stale_invite_days are counted apart (``pending_young``)."""
    return {
        "sent": sent,
        "accepted": accepted,
        "pending": pending,
        "decided": decided,
        "pending_young": young,
        "rate": rate,
        "too_few": too_few,
    }


def test_acceptance_by_segment_beside_the_study(history):
    data = history.stats(as_of=AS_OF)
    assert data["invitations"] == cell(6, 2, 2, 4, 2, 0.5)
    by_segment = {r["segment"]: r for r in data["acceptance_by_segment"]}
    assert list(by_segment) == ["decision_maker", "influencer", "champion", "mirror", "other"]
    assert by_segment["decision_maker"]["with_note"] == cell(1, 1, 0, 1, 0, 1.0)
    assert by_segment["decision_maker"]["without_note"] == cell(1, 1, 0, 1, 0, 1.0)
    assert by_segment["decision_maker"]["study"] == {"with_note": 0.41, "without_note": 0.63}
    assert by_segment["influencer"]["with_note"] == cell(1, 0, 0, 1, 0, 0.0)
    assert by_segment["influencer"]["without_note"] == cell(1, 0, 1, 0, 1, None)
    assert by_segment["champion"]["with_note"] == cell(1, 0, 1, 0, 1, None)
    assert by_segment["champion"]["study"] == {"with_note": 0.62, "without_note": 0.71}
    assert by_segment["mirror"]["with_note"] == cell(0, 0, 0, 0, 0, None)
    assert by_segment["other"]["without_note"] == cell(1, 0, 0, 1, 0, 0.0)
    assert by_segment["other"]["study"] is None


def test_moment_resend_and_time_to_accept(history):
    data = history.stats(as_of=AS_OF)
    moments = {r["moment"]: r for r in data["acceptance_by_moment"]}
    assert moments["after_event"]["sent"] == 1
    assert moments["unrecorded"]["sent"] == 5 and moments["unrecorded"]["accepted"] == 2
    assert data["first_vs_resend"] == {
        "first": cell(5, 2, 1, 4, 1, 0.5),
        "resend": cell(1, 0, 1, 0, 1, None),
    }
    assert data["time_to_accept"] == {
        "accepted": 2,
        "median_days": 6.5,
        "within_7": 0.5,
        "within_14": 1.0,
        "within_21": 1.0,
        "p90_days": 10.0,
    }


def test_replies(history):
    data = history.stats(as_of=AS_OF)
    channels = {r["channel"]: r for r in data["replies_by_channel"]}
    assert channels["sms"] == {
        "channel": "sms",
        "sent": 4,
        "replied": 1,
        "rate": 0.25,
        "median_hours_to_reply": 2.0,
    }
    assert channels["email"] == {
        "channel": "email",
        "sent": 2,
        "replied": 1,
        "rate": 0.5,
        "median_hours_to_reply": 24.0,
    }
    assert channels["linkedin_message"]["rate"] is None
    weekdays = {r["weekday"]: r for r in data["replies_by_weekday"]}
    assert (weekdays["Mon"]["sent"], weekdays["Mon"]["replied"]) == (1, 1)
    assert (weekdays["Tue"]["sent"], weekdays["Tue"]["replied"]) == (2, 1)
    assert weekdays["Sat"]["rate"] is None
    hours = {r["hour"]: r for r in data["replies_by_hour"]}
    assert (hours[9]["sent"], hours[10]["sent"]) == (3, 3)
    assert data["first_vs_follow_up"]["first"]["sent"] == 5
    assert data["first_vs_follow_up"]["first"]["rate"] == 0.4
    assert data["first_vs_follow_up"]["follow_up"] == {
        "sent": 1,
        "replied": 0,
        "rate": 0.0,
        "median_hours_to_reply": None,
    }
    assert data["step_back_contacts"] == 1


def test_pipeline_and_ritual(history):
    data = history.stats(as_of=AS_OF)
    pipeline = data["pipeline"]
    assert pipeline["pending_by_age"] == [
        {"band": "0-7", "count": 1},
        {"band": "8-14", "count": 1},
        {"band": "15-21", "count": 0},
        {"band": "22+", "count": 0},
    ]
    assert pipeline["follow_ups_overdue"] == 1
    assert pipeline["follow_ups_due_this_week"] == 1
    assert pipeline["no_touch_in_days"] == {"30": 1, "60": 1, "90": 1}
    ritual = data["ritual"]
    assert ritual["streak"] == 3 and ritual["days_closed"] == 3
    per_day = {d["day"]: d["count"] for d in ritual["touches_per_day"]}
    assert len(per_day) == 56
    assert per_day["2026-11-02"] == 2 and per_day["2026-11-23"] == 0
    weeks = {w["week"]: w["count"] for w in ritual["invitations_per_week"]}
    assert weeks["2026-11-23"] == 0
    assert weeks["2026-11-16"] == 1  # Cy's resend on the 20th
    assert weeks["2026-11-09"] == 1  # Ed's on Sunday the 15th
    assert weeks["2026-10-26"] == 1  # Di's on the 1st (a Sunday)


def test_period_filters_by_date_sent(history):
    data = history.stats(since=date(2026, 11, 1), as_of=AS_OF)
    assert data["invitations"] == cell(3, 0, 2, 1, 2, 0.0)
    data = history.stats(since=date(2026, 11, 2), as_of=AS_OF)
    assert data["invitations"]["sent"] == 2
    replies = {r["channel"]: r for r in data["replies_by_channel"]}
    assert replies["sms"]["sent"] == 4
    data = history.stats(since=date(2026, 11, 6), as_of=AS_OF)
    replies = {r["channel"]: r for r in data["replies_by_channel"]}
    assert (replies["sms"]["sent"], replies["email"]["sent"]) == (2, 1)


def test_tag_and_segment_filters(history):
    assert history.stats(tag="expo", as_of=AS_OF)["invitations"]["sent"] == 1
    decided = history.stats(segment="decision_maker", as_of=AS_OF)
    assert decided["invitations"] == cell(2, 2, 0, 2, 0, 1.0)
    assert decided["segment"] == "decision_maker"


def test_as_of_sees_status_changes_as_they_stood(history):
    data = history.stats(as_of="2026-10-15")
    assert data["invitations"] == cell(3, 1, 2, 1, 2, 1.0)


def test_zero_samples_never_divide_by_zero(tracker):
    data = tracker.stats(as_of=AS_OF)
    assert data["invitations"] == cell(0, 0, 0, 0, 0, None)
    assert all(r["with_note"]["rate"] is None for r in data["acceptance_by_segment"])
    assert data["time_to_accept"]["median_days"] is None
    assert data["acceptance_by_moment"] == []
    assert all(r["rate"] is None for r in data["replies_by_channel"])
    assert data["ritual"]["streak"] == 0


def test_ten_invitations_are_enough_to_trust(tracker):
    for n in range(10):
        contact = person(tracker, f"Person {n}", segment="mirror")
        touch(tracker, contact, "linkedin_invite", "2026-11-01T10:00")
    data = tracker.stats(as_of=AS_OF)
    mirror = next(r for r in data["acceptance_by_segment"] if r["segment"] == "mirror")
    assert mirror["without_note"] == cell(10, 0, 10, 10, 0, 0.0, too_few=False)


def test_cli_stats_json_csv_and_table(tmp_path: Path):
    run = Outreach(tmp_path / "s.db")
    run("add", "Ann Decider", "--segment", "decision_maker")
    run("invite", "1", "--at", "2026-11-01")
    data = run.json("stats", "--format", "json")
    entry = next(r for r in data["acceptance_by_segment"] if r["segment"] == "decision_maker")
    assert entry["without_note"]["sent"] == 1
    assert entry["study"] == {"with_note": 0.41, "without_note": 0.63}
    assert json.dumps(data)
    table = run("stats").stdout
    assert "decision_maker" in table and "41%" in table and "too few" in table
    csv_text = run("stats", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "section,name,metric,value"
    assert "acceptance_by_segment,decision_maker.without_note,sent,1" in csv_text
    exported = run("export", "stats").stdout

    def without_clock(text: str) -> list[str]:
        return [line for line in text.splitlines() if ",as_of," not in line]

    assert without_clock(exported) == without_clock(csv_text)
    run("stats", "--since", "nope", code=2)
    run("stats", "--segment", "vip", code=2)


# -- priority -------------------------------------------------------------------------
def test_priority_parts_and_order(tracker):
    warm = person(tracker, "Warm Decider", segment="decision_maker", phone="+13125550101")
    cold = person(tracker, "Cold Other", phone="+13125550102")
    touch(tracker, warm, "sms", "2026-11-20T10:00", inbound=True)
    touch(tracker, warm, "sms", "2026-11-21T10:00")
    touch(tracker, cold, "linkedin_invite", "2026-10-20T10:00")
    items = tracker.review(AS_OF)
    assert [i.kind for i in items] == [Kind.UNANSWERED_TEXT, Kind.STALE_INVITE]
    text_item, invite_item = items
    assert dict(text_item.priority.parts) == {
        "kind": 15,
        "overdue": 1,
        "invitation age": 0,
        "unanswered streak": 0,
        "segment": 10,
        "warmth": 15,
    }
    assert text_item.priority.score == 41
    assert dict(invite_item.priority.parts)["invitation age"] == 15  # 34 days, capped
    assert invite_item.priority.score == 10 + 15 + 2
    assert by_priority(items) == [text_item, invite_item]
    assert text_item.priority.explain().startswith("41 (kind +15, overdue +1")


def test_pending_invitations_younger_than_stale_days_are_not_refusals(tracker):
    """Three invitations sent this week and still pending are no "0% of 3" (the issue's
    influencer case): not decided yet, counted apart; at stale_invite_days (14) a pending
    invitation has had its fair chance and counts as decided."""
    for n, day in enumerate(("2026-11-20", "2026-11-21", "2026-11-22")):
        contact = person(tracker, f"New {n}", segment="influencer")
        touch(tracker, contact, "linkedin_invite", f"{day}T10:00")
    data = tracker.stats(as_of=AS_OF)
    influencer = next(r for r in data["acceptance_by_segment"] if r["segment"] == "influencer")
    assert influencer["without_note"] == cell(3, 0, 3, 0, 3, None)
    old, young = person(tracker, "Fourteen Days"), person(tracker, "Thirteen Days")
    touch(tracker, old, "linkedin_invite", "2026-11-09T23:50")
    touch(tracker, young, "linkedin_invite", "2026-11-10T00:10")
    other = next(
        r for r in tracker.stats(as_of=AS_OF)["acceptance_by_segment"] if r["segment"] == "other"
    )
    assert other["without_note"] == cell(2, 0, 2, 1, 1, 0.0)


def test_the_insights_and_stats_show_new_invitations_beside_the_rate(tracker):
    from tracker.cli.stats import rate
    from tracker.insights.panels import rate_words

    assert rate(cell(3, 0, 3, 0, 3, None)) == "none decided (3 new)"
    assert rate(cell(12, 6, 4, 10, 2, 0.6, too_few=False)) == "60% of 10 decided + 2 new"
    assert rate_words(cell(3, 0, 3, 0, 3, None)) == "none decided yet (3 new)"
    assert rate_words(cell(12, 6, 4, 10, 2, 0.6)) == "60% of 10 (2 new)"
    assert rate_words(cell(12, 6, 4, 10, 2, 0.6), "with a note") == "60% of 10 with a note (2 new)"


def test_replies_counted_ahead_match_and_see_this_connections_writes(history):
    """The replies' count runs on a connection of its own while the other figures are
    worked out; inside a transaction (whose writes another connection cannot see yet)
    it counts on this one, so the figures include those writes."""
    expected = history.stats(as_of=AS_OF)
    waiting = history.reply_stats_ahead(as_of=AS_OF)
    assert {k: v for k, v in waiting.result().items()} == {k: expected[k] for k in REPLY_KEYS}
    ann = history.contact(
        history.store.scalar("SELECT id FROM contacts WHERE name = 'Ann Decider'")
    )
    with history.store.write():
        touch(history, ann, "email", "2026-11-06T15:00", inbound=True)  # answers the email
        inside = history.stats(as_of=AS_OF)
    channels = {r["channel"]: r for r in inside["replies_by_channel"]}
    assert (channels["email"]["replied"], channels["email"]["median_hours_to_reply"]) == (2, 15.0)
    assert history.stats(as_of=AS_OF) == inside  # committed: the same from either connection


def test_a_failure_while_counting_ahead_is_the_stores_one_line_error(history, monkeypatch):
    import sqlite3

    from tracker.errors import StoreError
    from tracker.store import replies

    def broken(*args: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(replies, "_reply_cells", broken)
    waiting = history.reply_stats_ahead(as_of=AS_OF)
    with pytest.raises(StoreError, match="damaged"):
        waiting.result()
