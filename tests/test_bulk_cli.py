"""``withdraw``, ``ignored``, ``snooze`` and ``done`` on several contacts at once, or on
the review's items older than some days: what they change, what they skip and why, and
bad input changing nothing. Dates are relative to today (these commands act on now)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.conftest import TZ
from tracker.service import Tracker

TODAY = datetime.now(TZ).date()


def ago(days: int, hour: str = "10:00") -> str:
    return f"{(TODAY - timedelta(days=days)).isoformat()}T{hour}"


def ahead(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    run = Outreach(tmp_path / "bulk.db")
    for number, name in enumerate(("Dana", "Lee", "Sam Seller", "Kit Quiet"), start=1):
        run("add", name, "--phone", f"+1312555014{number}")
    return run


def review(run: Outreach, *more: str) -> list[tuple[str, str]]:
    return [(i["kind"], i["contact"]) for i in run.json("review", "--format", "json", *more)]


def invitations(run: Outreach) -> dict[str, str]:
    tracker = Tracker.open(run.db)
    try:
        return {
            tracker.contact(i).name: touch.status or ""
            for i in range(1, 5)
            if (touch := tracker.latest_invitation(tracker.contact(i))) is not None
        }
    finally:
        tracker.close()


def test_snooze_several_contacts_the_last_word_is_the_kind(run: Outreach) -> None:
    for name in ("Dana", "Lee", "Sam Seller"):
        run("log", "sms", name, "--at", ago(2), "--text", "Free this week?")
    out = run("snooze", "Dana", "Lee", "unanswered_text", "--until", ahead(10)).stdout
    assert out.splitlines() == [
        f"unanswered_text for Dana snoozed until {ahead(10)}",
        f"unanswered_text for Lee snoozed until {ahead(10)}",
        f"2 items snoozed until {ahead(10)}",
    ]
    assert review(run) == [("unanswered_text", "Sam Seller")]
    # One contact: as it always was (a name of several words is one argument).
    out = run("snooze", "Sam Seller", "unanswered_text", "--until", ahead(3)).stdout
    assert out == f"unanswered_text for Sam Seller snoozed until {ahead(3)}\n"
    assert review(run) == []


def test_withdraw_several_says_what_changed_and_what_was_skipped(run: Outreach) -> None:
    run("invite", "Dana", "--at", ago(20))
    run("invite", "Lee", "--at", ago(20))
    out = run("withdraw", "Dana", "Sam Seller", "Lee").stdout
    assert out.splitlines() == [
        "invitation to Dana marked withdrawn",
        "invitation to Lee marked withdrawn",
        "skipped Sam Seller: no pending invitation",
        "2 invitations marked withdrawn, 1 skipped",
    ]
    assert invitations(run) == {"Dana": "withdrawn", "Lee": "withdrawn"}


def test_withdraw_older_than_takes_every_stale_invitation_that_old(run: Outreach) -> None:
    run("invite", "Dana", "--at", ago(90))
    run("invite", "Lee", "--at", ago(61))
    run("invite", "Sam Seller", "--at", ago(60))
    run("invite", "Kit Quiet", "--at", ago(5))
    out = run("withdraw", "--older-than", "60").stdout
    assert out.splitlines() == [
        "invitation to Dana marked withdrawn",
        "invitation to Lee marked withdrawn",
        "2 invitations marked withdrawn",
    ]
    assert invitations(run) == {
        "Dana": "withdrawn",
        "Lee": "withdrawn",
        "Sam Seller": "pending",
        "Kit Quiet": "pending",
    }
    assert (
        run("ignored", "--older-than", "60").stdout == "no pending invitation older than 60 days\n"
    )
    out = run("ignored", "--older-than", "30").stdout
    assert out.splitlines()[-1] == "1 invitation marked ignored"
    assert invitations(run)["Sam Seller"] == "ignored"


def test_withdraw_older_than_is_what_health_counts(run: Outreach) -> None:
    """Every contact whose latest invitation is pending and older, item or not: a
    snoozed stale invitation counts, an older invitation under a newer one does not."""
    run("invite", "Dana", "--at", ago(90))
    run("snooze", "Dana", "stale_invite", "--until", ahead(30))  # not in the review now
    run("invite", "Lee", "--at", ago(50))
    run("invite", "Lee", "--at", ago(10), "--force")  # the latest is 10 days old
    run("invite", "Sam Seller", "--at", ago(15))  # one day past 14
    run("invite", "Kit Quiet", "--at", ago(14))  # exactly 14: not older
    health = run.json("health", "--format", "json")
    assert (health["withdraw_older_than_days"], health["withdraw_count"]) == (14, 2)
    out = run("withdraw", "--older-than", "14").stdout
    assert out.splitlines() == [
        "invitation to Dana marked withdrawn",
        "invitation to Sam Seller marked withdrawn",
        "2 invitations marked withdrawn",
    ]
    assert run.json("health", "--format", "json")["withdraw_count"] == 0
    assert invitations(run) == {
        "Dana": "withdrawn",
        "Lee": "pending",
        "Sam Seller": "withdrawn",
        "Kit Quiet": "pending",
    }


def test_a_pending_invitation_younger_than_stale_is_taken_too(run: Outreach) -> None:
    run("invite", "Dana", "--at", ago(8))  # no stale_invite item yet (14 days)
    run("invite", "Lee", "--at", ago(3))
    assert review(run) == []
    tracker = Tracker.open(run.db)
    try:
        assert tracker.pending_older_than(tracker.clock(), 5) == [1]
        assert tracker.pending_older_than(tracker.clock(), 0) == [1, 2]  # oldest first
    finally:
        tracker.close()
    out = run("ignored", "--older-than", "5").stdout
    assert out.splitlines()[-1] == "1 invitation marked ignored"
    assert invitations(run) == {"Dana": "ignored", "Lee": "pending"}


def test_done_hides_items_for_today_and_counts_them(run: Outreach) -> None:
    for name in ("Dana", "Lee", "Sam Seller"):
        run("log", "sms", name, "--at", ago(2), "--text", "Free this week?")
    out = run("done", "Dana", "Lee", "Kit Quiet", "unanswered_text").stdout
    assert out.splitlines() == [
        "unanswered_text for Dana done for today",
        "unanswered_text for Lee done for today",
        "skipped Kit Quiet: no unanswered_text item due today",
        "2 items done for today (back tomorrow if still due), 1 skipped",
    ]
    assert review(run) == [("unanswered_text", "Sam Seller")]
    tomorrow = review(run, "--as-of", ahead(1))
    assert ("unanswered_text", "Dana") in tomorrow and ("unanswered_text", "Lee") in tomorrow
    run("close-review")
    tracker = Tracker.open(run.db)
    closed = tracker.store.closed_reviews()[-1]
    tracker.close()
    assert (closed["day"], closed["items_done"], closed["items_left"]) == (
        TODAY.isoformat(),
        2,
        1,
    )


def test_done_one_item_and_one_not_due(run: Outreach) -> None:
    run("log", "sms", "Dana", "--at", ago(2), "--text", "Free this week?")
    out = run("done", "Dana", "unanswered_text").stdout
    assert out == "unanswered_text for Dana done for today (back tomorrow if still due)\n"
    result = run("done", "Dana", "unanswered_text", code=2)
    assert "Dana: already done today" in result.stderr
    result = run("done", "Lee", "step_back", code=2)
    assert "Lee: no step_back item due today" in result.stderr


def test_older_than_with_a_kind_reaches_the_lapsed_items(run: Outreach) -> None:
    for name, days in (("Dana", 400), ("Lee", 200), ("Sam Seller", 3)):
        run("log", "sms", name, "--at", ago(days + 2), "--text", "Hello?")
        run("log", "sms", name, "--at", ago(days), "--text", "Hello again?", "--force")
    assert review(run) == [("step_back", "Sam Seller")]
    out = run("done", "--older-than", "100", "--kind", "step_back").stdout
    assert out.splitlines()[-1] == "2 items done for today (back tomorrow if still due)"
    assert review(run, "--all") == [("step_back", "Sam Seller")]
    out = run("snooze", "--older-than", "100", "step_back", "--until", ahead(30)).stdout
    assert out.splitlines()[-1] == "no “Stop texting” item older than 100 days"  # in words


def test_bad_input_changes_nothing(run: Outreach) -> None:
    run("invite", "Dana", "--at", ago(20))
    for args, said in (
        (("withdraw", "Dana", "Nobody Known"), "Nobody Known"),
        (("withdraw",), "give one or more contacts, or --older-than DAYS"),
        (("withdraw", "Dana", "--older-than", "5"), "not both"),
        (("withdraw", "--older-than", "-1"), "-1"),
        (("snooze", "Dana", "--until", ahead(3)), "unknown"),
        (("snooze", "--older-than", "5", "--until", ahead(3)), "give CONTACT... KIND"),
        (("done", "Dana", "Lee", "no_such_kind"), "no_such_kind"),
        (("done", "--kind", "stale_invite", "Dana", "--older-than", "3"), "not both"),
        (("snooze", "Dana", "Lee", "stale_invite", "--until", TODAY.isoformat()), "after today"),
    ):
        result = run(*args, code=2)
        assert said in result.stderr, (args, result.stderr)
    assert invitations(run) == {"Dana": "pending"}
    assert review(run, "--as-of", ahead(30)) == [("stale_invite", "Dana")]
    # One contact with nothing pending is still an error, as it always was.
    assert "no pending invitation" in run("withdraw", "Lee", code=2).stderr


def test_every_bulk_command_has_help() -> None:
    from click.testing import CliRunner

    from tracker.cli import cli

    for command in ("withdraw", "ignored", "snooze", "done"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "--older-than" in result.stdout, command
