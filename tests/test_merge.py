"""Two contacts that are one person: ``duplicates`` lists the likely pairs with the reason,
``merge KEEP OTHER`` moves everything of OTHER to KEEP (touches, invitations, follow-up,
snoozes, tags, phones, emails, notes), recomputes the review at once, and the app's merge
and delete are undone exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, kinds, person, review, touch
from tests.importers.conftest import table_dump
from tracker.errors import UsageError
from tracker.models import Contact, InviteStatus, Kind
from tracker.service import Tracker


@pytest.fixture
def run(store_path: Path) -> Outreach:
    return Outreach(store_path)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"  # the ``store`` fixture's file


def _two_danas(tracker: Tracker) -> tuple[Contact, Contact]:
    """Dana by phone (#1) and Dana by LinkedIn and email (#2), each with a history."""
    keep = person(tracker, phone="+13125550142", company="Northwind", tags=("expo",))
    other = person(
        tracker,
        "Dana F.",
        emails=["work:dana@northwind.example"],
        linkedin_url="linkedin.com/in/dana-fictional",
        title="Head of Procurement",
        notes="Prefers mornings.",
        tags=("expo", "prospects"),
    )
    touch(tracker, other, "linkedin_invite", "2026-02-01T10:00")
    touch(tracker, other, "sms", "2026-03-01T10:00", text="Hi Dana, Sam here. Still on?")
    touch(tracker, other, "sms", "2026-03-02T10:00", text="Dana, any news on the review?")
    touch(tracker, keep, "sms", "2026-03-03T09:00", inbound=True, text="Sorry, busy week!")
    tracker.follow_up(other, date(2026, 3, 20), "send the proposal")
    tracker.snooze(other, Kind.STALE_INVITE, date(2026, 4, 1))
    return keep, other


def test_merge_moves_everything_and_the_reply_answers(tracker: Tracker, run: Outreach) -> None:
    keep, other = _two_danas(tracker)
    # Before: Dana F.'s two texts look unanswered (the reply came on the other contact).
    assert kinds(review(tracker, "2026-03-04"), other) == [Kind.STEP_BACK]
    before = table_dump(tracker)
    dry = run("merge", "1", "2", "--dry-run").stdout
    assert dry.splitlines() == [
        "would merge #2 (Dana F.) into #1 (Dana Fictional) (dry run: nothing was changed)",
        "would move: 3 touches (1 invitation), follow-up 2026-03-20, 1 snooze, tags prospects,"
        " emails dana@northwind.example",
        "would fill from #2 (Dana F.): title, linkedin_url",
        "would append the notes of #2 (Dana F.)",
        "would delete #2 (Dana F.)",
    ]
    assert table_dump(tracker) == before

    out = run("merge", "Dana Fictional", "dana@northwind.example").stdout
    assert out.splitlines()[0] == "merged #2 (Dana F.) into #1 (Dana Fictional)"
    assert out.splitlines()[-1] == "deleted #2 (Dana F.)"
    assert tracker.store.find_contacts("Dana F.", "US") == []
    dana = tracker.contact(keep.id)
    assert len(tracker.touches(keep.id)) == 4
    assert tracker.latest_invitation(dana).status == InviteStatus.PENDING
    assert dana.tags == ("expo", "prospects")
    assert (dana.phone, dana.email, dana.company, dana.title) == (
        "+13125550142",
        "dana@northwind.example",
        "Northwind",
        "Head of Procurement",
    )
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-fictional"
    assert dana.notes == "Prefers mornings."
    assert (dana.follow_up_on, dana.follow_up_reason) == (date(2026, 3, 20), "send the proposal")
    assert tracker.store.snoozed_until(keep.id, Kind.STALE_INVITE) == date(2026, 4, 1)
    assert tracker.resolve("dana@northwind.example").id == keep.id
    # The review is recomputed at once: her reply now answers the texts.
    assert kinds(review(tracker, "2026-03-04"), dana) == []


def test_merge_refuses_itself_and_unknown_contacts(tracker: Tracker, run: Outreach) -> None:
    _two_danas(tracker)
    before = table_dump(tracker)
    err = run("merge", "1", "1", code=2).stderr
    assert err == "outreach: error: cannot merge contact 1 with itself\n"
    assert "unknown contact '99'" in run("merge", "1", "99", code=2).stderr
    assert "unknown contact '99'" in run("merge", "99", "1", "--dry-run", code=2).stderr
    assert table_dump(tracker) == before


def test_merge_keeps_the_earlier_follow_up_and_every_opt_out(tracker: Tracker) -> None:
    keep = person(tracker, "Lee Example", phone="+12065550123")
    other = person(tracker, "Lee E.", email="lee@example.com", notes="Met at DevConf.")
    tracker.follow_up(keep, date(2026, 3, 1), "call back")
    tracker.follow_up(other, date(2026, 4, 1), "later")
    tracker.opt_out(other, at=at("2026-02-01T10:00"))
    tracker.edit_contact(keep, {"notes": "Likes Rust."})
    result = tracker.merge(tracker.contact(keep.id), other)
    assert result.follow_up == "" and "sms_opt_out_at" in result.filled
    lee = tracker.contact(keep.id)
    assert (lee.follow_up_on, lee.follow_up_reason) == (date(2026, 3, 1), "call back")
    assert lee.opted_out()
    assert lee.notes == "Likes Rust.\nMet at DevConf."


def test_merge_undo_and_delete_undo_are_exact(tracker: Tracker) -> None:
    keep, other = _two_danas(tracker)
    before = table_dump(tracker)
    result, step = tracker.merge_into(keep.id, other.id)
    assert result.touches == 3 and table_dump(tracker) != before
    step.revert(tracker)
    assert table_dump(tracker) == before
    assert kinds(review(tracker, "2026-03-04"), other) == [Kind.STEP_BACK]

    step = tracker.remove_contact(other.id)
    assert tracker.store.find_contacts("Dana F.", "US") == []
    step.revert(tracker)
    assert table_dump(tracker) == before


def test_merge_with_itself_in_the_service(tracker: Tracker) -> None:
    keep, _ = _two_danas(tracker)
    with pytest.raises(UsageError, match="itself"):
        tracker.merge(keep, keep)


def test_duplicates_json_lists_each_pair_with_its_reason(tracker: Tracker, run: Outreach) -> None:
    person(tracker, "Jane Smith", email="jane@acme.example", company="Acme Inc.")
    person(tracker, "Dr. Jane Smith", phone="+13125550100")
    person(tracker, "Ben Okafor", company="Harbor", phone="+13125550101")
    person(tracker, "Cleo Lindqvist", company="Harbor", notes="Shared phone: +13125550101")
    person(tracker, "Lee Example", company="Fabrikam", linkedin_url="linkedin.com/in/lee-a")
    person(tracker, "Lee Example", company="Fabrikam GmbH", linkedin_url="linkedin.com/in/lee-b")
    person(tracker, "Lee Example", company="Contoso")
    assert run.json("duplicates", "--format", "json") == [
        {
            "ids": [1, 2],
            "names": ["Jane Smith", "Dr. Jane Smith"],
            "reason": "same name, one has no company",
        },
        {
            "ids": [3, 4],
            "names": ["Ben Okafor", "Cleo Lindqvist"],
            "reason": "same phone +13125550101, different names",
        },
        {
            "ids": [5, 6],
            "names": ["Lee Example", "Lee Example"],
            "reason": "same name and company, different LinkedIn URLs",
        },
    ]
    table = run("duplicates").stdout
    assert table.splitlines()[0].split() == ["IDS", "NAMES", "REASON"]
    assert "3, 4  Ben Okafor / Cleo Lindqvist" in table
    assert tracker.merge_candidates(4)[0].ids == (3, 4)


def test_no_duplicates(run: Outreach) -> None:
    assert run("duplicates").stdout == "No likely duplicates.\n"
    assert run.json("duplicates", "--format", "json") == []
