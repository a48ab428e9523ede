"""Invitations follow LinkedIn (DOMAIN.md, "Invitations"): recording one by hand is refused
when the contact is already connected, has one pending, or had one withdrawn inside the
re-invite lockout (exit 1, the reason named; --force records it anyway); accepting asks
when; imports keep history as it happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.config import Settings
from tracker.invitations import invitation_refusal, linkedin_standing
from tracker.models import InviteStatus
from tracker.service import Tracker
from tracker.timeutil import start_of_day


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    outreach = Outreach(tmp_path / "cli.db")
    outreach("add", "Dana Fictional", "--linkedin", "linkedin.com/in/dana-fictional")
    return outreach


def invitations(tmp_path: Path, settings: Settings) -> list[tuple[str, str | None]]:
    tracker = Tracker.open(tmp_path / "cli.db", settings)
    try:
        found = [t for t in tracker.store.touches_for(1) if t.is_invitation]
        return [(t.at.isoformat(), t.status) for t in found]
    finally:
        tracker.close()


def test_invite_to_a_connected_contact_is_refused_and_force_records_it(run, tmp_path, settings):
    run("invite", "Dana Fictional", "--at", "2026-10-01T09:00")
    run("accepted", "Dana Fictional", "--at", "2026-10-03")
    refused = run("invite", "Dana Fictional", "--note", "Hi Dana, thanks!", code=1)
    assert "already connected on LinkedIn (since 2026-10-03)" in refused.stderr
    assert "--force" in refused.stderr
    refused = run("log", "linkedin_invite", "1", "--text", "Thanks for the call", code=1)
    assert "already connected" in refused.stderr
    assert len(invitations(tmp_path, settings)) == 1  # nothing written

    run("invite", "Dana Fictional", "--force")
    assert len(invitations(tmp_path, settings)) == 2


def test_invite_twice_is_refused_so_one_withdraw_closes_it(run, tmp_path, settings):
    run("invite", "Dana Fictional", "--at", "2026-11-01T09:00")
    refused = run("invite", "Dana Fictional", code=1)
    assert "an invitation is already pending (sent 2026-11-01)" in refused.stderr
    run("withdraw", "Dana Fictional", "--at", "2026-11-02")
    statuses = [status for _, status in invitations(tmp_path, settings)]
    assert statuses == ["withdrawn"]


def test_resend_inside_the_lockout_is_refused_and_after_it_is_taken(run, tmp_path, settings):
    run("invite", "Dana Fictional", "--at", "2026-10-01T09:00")
    run("withdraw", "Dana Fictional", "--at", "2026-10-05T12:00")
    refused = run("invite", "Dana Fictional", "--at", "2026-10-25T09:00", code=1)
    assert "withdrawn on 2026-10-05" in refused.stderr
    assert "blocks a new one for 21 days (until 2026-10-26)" in refused.stderr
    run("invite", "Dana Fictional", "--at", "2026-10-26T09:00")  # 21 days on: taken
    assert [s for _, s in invitations(tmp_path, settings)] == ["withdrawn", "pending"]


def test_resend_inside_the_lockout_with_force(run, tmp_path, settings):
    run("invite", "Dana Fictional", "--at", "2026-10-01T09:00")
    run("withdraw", "Dana Fictional", "--at", "2026-10-05T12:00")
    run("log", "linkedin_invite", "1", "--at", "2026-10-10", "--force")
    assert [s for _, s in invitations(tmp_path, settings)] == ["withdrawn", "pending"]


def test_the_lockout_is_a_setting(run, tmp_path, outreach_home, settings):
    config = outreach_home / "config.toml"
    config.write_text(config.read_text() + "resend_invite_days = 3\n", encoding="utf-8")
    run("invite", "Dana Fictional", "--at", "2026-10-01T09:00")
    run("withdraw", "Dana Fictional", "--at", "2026-10-05T12:00")
    assert (
        "for 3 days (until 2026-10-08)" in run("invite", "1", "--at", "2026-10-07", code=1).stderr
    )
    run("invite", "1", "--at", "2026-10-08")


def test_accepted_asks_when(run, tmp_path, settings):
    run("invite", "Dana Fictional", "--at", "2026-11-01T09:00")
    said = run("accepted", "Dana Fictional", "--at", "2026-11-04").stdout
    assert "marked accepted" in said
    tracker = Tracker.open(tmp_path / "cli.db", settings)
    try:
        invitation = tracker.latest_invitation(tracker.resolve("1"))
        assert invitation is not None and invitation.status == InviteStatus.ACCEPTED
        assert invitation.status_at == start_of_day(at("2026-11-04").date(), tracker.tz)
        assert len(tracker.store.touches_for(1)) == 1  # a status change, not a new touch
    finally:
        tracker.close()


def test_accepting_in_the_future_is_refused(run):
    run("invite", "Dana Fictional", "--at", "2026-11-01T09:00")
    refused = run("accepted", "Dana Fictional", "--at", "2099-01-01", code=2)
    assert "2099-01-01" in refused.stderr and "in the future" in refused.stderr


# -- the rule itself, as a pure function ------------------------------------------------


def test_connected_as_of_a_moment(tracker: Tracker) -> None:
    dana = person(tracker)
    sent = touch(tracker, dana, "linkedin_invite", "2026-11-01T09:00")
    tracker.store.set_touch_status(sent, "accepted", at("2026-11-03T10:00"))
    history = tracker.store.touches_for(dana.id)

    def standing(when: str):
        return linkedin_standing(history, at(when), tracker.settings, tracker.tz)

    assert not standing("2026-11-02T10:00").connected
    assert standing("2026-11-03T10:00").connected
    assert "(since 2026-11-03): they accepted" in standing("2026-11-04").why_no_invite


def test_an_invitation_pending_at_that_moment_refuses_a_backfilled_one(tracker: Tracker) -> None:
    dana = person(tracker)
    sent = touch(tracker, dana, "linkedin_invite", "2026-11-01T09:00")
    tracker.store.set_touch_status(sent, "ignored", at("2026-11-10T10:00"))
    history = tracker.store.touches_for(dana.id)
    said = invitation_refusal(dana, history, at("2026-11-05T09:00"), tracker.settings, tracker.tz)
    assert "already pending (sent 2026-11-01)" in said
    assert invitation_refusal(dana, history, at("2026-11-11"), tracker.settings, tracker.tz) == ""


def test_a_connection_date_on_the_contact_counts(tracker: Tracker) -> None:
    """The day LinkedIn's connections file gives (Connections.csv) makes them connected."""
    from datetime import date

    def standing(when: str):
        return linkedin_standing([], at(when), tracker.settings, tracker.tz, date(2026, 9, 1))

    assert standing("2026-10-01").connected
    assert "(since 2026-09-01)" in standing("2026-10-01").why_no_invite
    assert not standing("2026-08-01").connected


def test_imports_keep_history_as_it_happened(tracker: Tracker, tmp_path: Path) -> None:
    """An import is never refused: a file's invitation goes in even with one pending."""
    from tests.importers.conftest import FIXTURES, do_import

    morgan = person(tracker, "Morgan Pending", linkedin_url="linkedin.com/in/morgan-pending")
    touch(tracker, morgan, "linkedin_invite", "2026-02-01T09:00", coach=True)
    assert "already pending" in tracker.invitation_refusal(morgan, at("2026-02-20T09:00"))
    single = tmp_path / "Invitations.csv"
    single.write_bytes((FIXTURES / "linkedin/export/Invitations.csv").read_bytes())
    summary = do_import(tracker, single, "linkedin")
    assert summary.touches_added >= 1
    sent = [t.at for t in tracker.store.touches_for(morgan.id) if t.is_invitation]
    assert len(sent) == 2
