"""``outreach whatif`` on hand-built histories: the trade-offs at their boundaries, the load,
what is unknown, the JSON keys, and bad input (DOMAIN.md, "What-if")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.models import InviteStatus
from tracker.service import Tracker

PERIOD = ("--since", "2026-09-01", "--as-of", "2026-11-20")
STALE = ("--set", "review.stale_invite_days=21")
RUN = ("--set", "review.step_back_run=1")


@pytest.fixture
def run(tmp_path: Path, tracker: Tracker) -> Outreach:
    return Outreach(tmp_path / "test.db")  # the tracker fixture's database


def invitations(tracker: Tracker) -> None:
    """Invitations sent 2026-09-01: accepted at 10, 14, 15, 20, 21 and 22 days, one
    withdrawn at 16 days, one still pending."""
    for name, status, days in (
        ("Ana", InviteStatus.ACCEPTED, 10),
        ("Ben", InviteStatus.ACCEPTED, 14),
        ("Cal", InviteStatus.ACCEPTED, 15),
        ("Dee", InviteStatus.ACCEPTED, 20),
        ("Eve", InviteStatus.ACCEPTED, 21),
        ("Fay", InviteStatus.ACCEPTED, 22),
        ("Gus", InviteStatus.WITHDRAWN, 16),
        ("Hal", None, 0),
    ):
        contact = person(tracker, f"{name} Fictional")
        touch(tracker, contact, "linkedin_invite", "2026-09-01T10:00")
        if status is not None:
            tracker.set_invitation(contact, status, at(f"2026-09-{1 + days:02d}T09:00"))


def texts(tracker: Tracker) -> None:
    """Texts where the unanswered run before them was 0, 1 and 2."""
    pat = person(tracker, "Pat Fictional", phone="+13125550101")
    touch(tracker, pat, "sms", "2026-10-01T10:00", text="Hi Pat")
    touch(tracker, pat, "sms", "2026-10-02T10:00", text="Still on?")  # run 1 before it
    touch(tracker, pat, "sms", "2026-10-03T10:00", inbound=True, text="Yes!")  # answered
    quinn = person(tracker, "Quinn Fictional", phone="+13125550102")
    touch(tracker, quinn, "sms", "2026-10-01T10:00", text="Hi Quinn")
    touch(tracker, quinn, "sms", "2026-10-02T10:00", text="Nudge")  # run 1: next is a text
    touch(tracker, quinn, "sms", "2026-10-03T10:00", text="Last one")  # run 2: next, a call
    touch(tracker, quinn, "call", "2026-10-04T10:00")
    touch(tracker, quinn, "sms", "2026-10-05T10:00", inbound=True, text="Sorry, busy")
    ray = person(tracker, "Ray Fictional", phone="+13125550103")
    touch(tracker, ray, "sms", "2026-10-01T10:00", text="Hi Ray")
    touch(tracker, ray, "sms", "2026-10-01T11:00", inbound=True, text="All", is_group=True)
    touch(tracker, ray, "email", "2026-10-02T10:00", inbound=True, text="Re: hi")  # a reply
    touch(tracker, ray, "sms", "2026-10-03T10:00", text="Thanks Ray")  # run 0 before it


def test_invitations_accepted_between_the_two_thresholds(tracker: Tracker, run: Outreach):
    invitations(tracker)
    data = run.json("whatif", *STALE, *PERIOD, "--format", "json")
    # Withdrawn at 14 days, the ones accepted at 15 to 21 days (Cal, Dee, Eve) are lost;
    # one accepted on the day it would turn stale (14) is not: the review sees it accepted.
    assert data["invites_accepted_between"] == 3
    # Each pending min(days, T) days: Cal -1, Dee -6, Eve, Fay and Hal -7 each; Gus left
    # out (withdrawn at 16: how long 21 would have kept it is unknown).
    assert data["invite_pending_days_fewer"] == -28
    assert data["invites_withdrawn_between"] == {"count": 1, "accepted": "unknown"}
    assert data["texts_not_sent"] is None and data["replies_after_unsent_texts"] is None


def test_accepted_at_15_and_20_days_are_both_between_14_and_21(tracker: Tracker, run: Outreach):
    for name, days in (("Cal", 15), ("Dee", 20)):
        contact = person(tracker, f"{name} Fictional")
        touch(tracker, contact, "linkedin_invite", "2026-09-01T10:00")
        tracker.set_invitation(contact, InviteStatus.ACCEPTED, at(f"2026-09-{1 + days:02d}T09:00"))
    data = run.json("whatif", *STALE, *PERIOD, "--format", "json")
    assert data["invites_accepted_between"] == 2
    assert data["invite_pending_days_fewer"] == -7  # 1 + 6 more days pending under 21


def test_a_lower_threshold_saves_pending_days(tracker: Tracker, run: Outreach, outreach_home: Path):
    invitations(tracker)
    config = outreach_home / "config.toml"
    config.write_text(config.read_text() + "stale_invite_days = 21\n", encoding="utf-8")
    data = run.json("whatif", "--set", "review.stale_invite_days=14", *PERIOD, "--format", "json")
    assert data["settings"] == {"review.stale_invite_days": {"baseline": 21, "changed": 14}}
    assert data["invites_accepted_between"] == 3
    assert data["invite_pending_days_fewer"] == 28 + 2  # and Gus, withdrawn at 16, 2 sooner
    assert data["invites_withdrawn_between"] is None


def test_texts_a_run_of_one_would_have_stopped(tracker: Tracker, run: Outreach):
    texts(tracker)
    data = run.json("whatif", *RUN, *PERIOD, "--format", "json")
    # Pat's second text and Quinn's second and third were sent with a run of 1 or more.
    assert data["texts_not_sent"] == 3
    assert data["replies_after_unsent_texts"] == 1  # Pat answered before the next touch
    assert data["texts_allowed"] is None
    assert data["invites_accepted_between"] is None


def test_a_longer_run_leaves_what_it_allows_unknown_never_zero(tracker: Tracker, run: Outreach):
    texts(tracker)
    invitations(tracker)
    args = ("whatif", "--set", "step_back_run=3", *STALE, *PERIOD)
    data = run.json(*args, "--format", "json")
    assert data["texts_not_sent"] == 0  # none was sent after 3 unanswered
    assert data["texts_allowed"] == {"count": "unknown", "replies": "unknown"}
    assert data["invites_withdrawn_between"]["accepted"] == "unknown"
    shown = " ".join(run(*args).stdout.split())  # lines wrapped as they fit
    assert "whether they would have been accepted is unknown" in shown
    assert "what replies they would have had, is unknown" in shown
    assert "shaped by the rules in force" in shown


def test_the_load_of_one_pending_invitation(tracker: Tracker, run: Outreach):
    hal = person(tracker, "Hal Fictional")
    touch(tracker, hal, "linkedin_invite", "2026-09-01T10:00")
    period = ("--since", "2026-09-01", "--as-of", "2026-09-30")
    data = run.json("whatif", *STALE, *period, "--capacity", "0", "--format", "json")
    # Stale from 14 days old (Sep 15 to 30: 16 days), or from 21 (Sep 22 to 30: 9 days).
    assert data["baseline"] == {
        "items_per_day_mean": round(16 / 30, 2),
        "items_per_day_max": 1,
        "busiest_day": "2026-09-15",
        "days_over_capacity": 16,
        "items_by_kind": {"stale_invite": 16},
    }
    assert data["changed"]["items_by_kind"] == {"stale_invite": 9}
    assert data["changed"]["days_over_capacity"] == 9
    assert (data["since"], data["until"], data["days"], data["capacity"]) == (
        "2026-09-01",
        "2026-09-30",
        30,
        0,
    )


def test_the_json_keys(tracker: Tracker, run: Outreach):
    invitations(tracker)
    data = run.json("whatif", *STALE, *RUN, *PERIOD, "--format", "json")
    assert list(data) == [
        "settings",
        "since",
        "until",
        "days",
        "capacity",
        "baseline",
        "changed",
        "invites_accepted_between",
        "invite_pending_days_fewer",
        "invites_withdrawn_between",
        "texts_not_sent",
        "replies_after_unsent_texts",
        "texts_allowed",
        "note",
    ]
    for side in ("baseline", "changed"):
        assert {"items_per_day_mean", "items_per_day_max", "items_by_kind"} <= set(data[side])
    assert data["settings"] == {
        "review.stale_invite_days": {"baseline": 14, "changed": 21},
        "review.step_back_run": {"baseline": 2, "changed": 1},
    }
    assert "shaped by the rules in force" in data["note"]


def test_the_table(tracker: Tracker, run: Outreach):
    invitations(tracker)
    texts(tracker)
    shown = run("whatif", *STALE, *RUN, *PERIOD, "--capacity", "1").stdout
    assert shown.startswith(
        "What if review.stale_invite_days 14 → 21, review.step_back_run 2 → 1\n"
        "Each day's queue from 2026-09-01 to 2026-11-20 (81 days)"
    )
    assert "days over 1 items" in shown and "stale_invite" in shown
    assert "3 accepted at 15-21 days old: withdrawing at 14 days would have lost them." in shown
    assert "3 sent while 1 or more were already unanswered" in shown


def test_by_default_from_the_first_touch_or_a_year_back(tracker: Tracker, run: Outreach):
    invitations(tracker)
    data = run.json("whatif", *STALE, "--as-of", "2026-11-20", "--format", "json")
    assert data["since"] == "2026-09-01"
    old = person(tracker, "Old Fictional", email="old@example.com")
    touch(tracker, old, "email", "2024-03-01T10:00")
    data = run.json("whatif", *STALE, "--as-of", "2026-11-20", "--format", "json")
    assert (data["since"], data["days"]) == ("2025-11-21", 365)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--set", "review.nope=1"), "unknown setting 'review.nope'"),
        (("--set", "stale_invite_days=ten"), "must be a whole number of 0 or more, not 'ten'"),
        (("--set", "review.step_back_run=0"), "'step_back_run' must be 1 or more"),
        (("--set", "review.stale_invite_days"), "write KEY=VALUE"),
        (("--set", "coach.my_name=Sam"), "only the review's settings can be replayed"),
        (("--set", "review.timezone=UTC"), "only the review's settings can be replayed"),
        ((*STALE, "--set", "stale_invite_days=10"), "review.stale_invite_days is given twice"),
        ((), "give a setting to change"),
        ((*STALE, "--since", "2026-11-21", "--as-of", "2026-11-20"), "is after the last day"),
        ((*STALE, "--as-of", "2099-01-01"), "is in the future"),
        ((*STALE, "--since", "someday"), "--since"),
        ((*STALE, "--capacity", "-1"), "--capacity"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Outreach, args: tuple[str, ...], error: str):
    result = run("whatif", *args, code=2)
    assert error in result.stderr and result.stderr.count("\n") == 1


def test_a_run_of_one_is_a_setting_the_review_honours(tracker: Tracker, run: Outreach):
    run("settings", "set", "review.step_back_run", "1")
    pat = person(tracker, "Pat Fictional", phone="+13125550101")
    touch(tracker, pat, "sms", "2026-10-01T10:00", text="Hi Pat")
    items = run.json("review", "--as-of", "2026-10-02", "--format", "json")
    assert [item["kind"] for item in items] == ["step_back"]


def test_nothing_recorded_replays_empty_days(run: Outreach):
    data = run.json("whatif", *STALE, "--as-of", "2026-11-20", "--format", "json")
    assert data["baseline"] == {
        "items_per_day_mean": 0.0,
        "items_per_day_max": 0,
        "busiest_day": None,
        "days_over_capacity": None,
        "items_by_kind": {},
    }
    assert (data["since"], data["days"]) == ("2025-11-21", 365)
    assert data["invites_accepted_between"] == 0  # none was sent: a count, not an unknown
    assert "none: no item due" in run("whatif", *STALE, "--as-of", "2026-11-20").stdout
