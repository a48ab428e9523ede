"""Lapsed items (DOMAIN.md, "Lapsed items"): an item due for more than ``[review]
horizon_days`` leaves the day's queue and is counted apart; the kinds that never lapse;
``step_back`` cleared by a switch of channel; ``done`` and the bulk actions of the service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TZ, TZ_NAME
from tests.helpers import at, kinds, person, review, touch
from tracker.config import Settings, load_settings
from tracker.errors import UsageError
from tracker.models import BIRTHDAY, Channel, InviteStatus, KeyDate, Kind
from tracker.review import Review
from tracker.service import Tracker
from tracker.store import Store

AS_OF = "2026-11-23"


def full(tracker: Tracker, as_of: str = AS_OF) -> Review:
    return tracker.full_review(tracker.clock(as_of))


def lapsed_kinds(tracker: Tracker, as_of: str = AS_OF) -> list[Kind]:
    return [item.kind for item in full(tracker, as_of).lapsed]


def with_settings(store: Store, **changes: object) -> Tracker:
    return Tracker(store, Settings(timezone=TZ_NAME, **changes), TZ)  # type: ignore[arg-type]


# -- the horizon, kind by kind: due exactly 30 days stays, 31 lapses --------------------
def test_the_default_horizon_is_30_days_and_a_setting(tmp_path: Path):
    assert Settings().horizon_days == 30
    config = tmp_path / "config.toml"
    config.write_text("[review]\nhorizon_days = 10\n", encoding="utf-8")
    assert load_settings(config).horizon_days == 10
    config.write_text("[review]\nhorizon_days = -1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="horizon_days"):
        load_settings(config)


@pytest.mark.parametrize(
    ("sent", "lapsed"),
    [("2026-10-21T10:00", False), ("2026-10-20T10:00", True)],  # due 30 / 31 days (+3)
)
def test_no_reply_lapses_31_days_after_it_was_due(tracker, sent, lapsed):
    dana = person(tracker, email="dana@example.com")
    touch(tracker, dana, "email", sent, text="The proposal")
    assert kinds(review(tracker, AS_OF)) == ([] if lapsed else [Kind.NO_REPLY])
    assert lapsed_kinds(tracker) == ([Kind.NO_REPLY] if lapsed else [])


@pytest.mark.parametrize(
    ("texted", "lapsed"),
    [("2026-10-23T18:00", False), ("2026-10-22T08:00", True)],  # due 30 / 31 days (+1)
)
def test_unanswered_text_lapses_on_the_last_text(tracker, texted, lapsed):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", texted, text="Still on for Thursday?")
    found = full(tracker)
    assert [i.kind for i in found.queue] == ([] if lapsed else [Kind.UNANSWERED_TEXT])
    assert [(i.kind, i.lapsed) for i in found.lapsed] == (
        [(Kind.UNANSWERED_TEXT, True)] if lapsed else []
    )


@pytest.mark.parametrize(("last", "lapsed"), [("2026-10-23", False), ("2026-10-22", True)])
def test_step_back_is_due_from_its_last_text_not_its_first(tracker, last, lapsed):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-09-01T10:00", text="Hello?")
    touch(tracker, dana, "sms", f"{last}T10:00", text="Hello again?", force=True)
    item = full(tracker).everything()[0]
    assert item.kind is Kind.STEP_BACK and item.age_days == 83  # from the first text
    assert item.lapsed is lapsed


@pytest.mark.parametrize(("called", "lapsed"), [("2026-10-24", False), ("2026-10-23", True)])
def test_after_call_text_is_due_the_day_of_the_call(tracker, called, lapsed):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "call", f"{called}T23:30")
    assert kinds(review(tracker, AS_OF)) == ([] if lapsed else [Kind.AFTER_CALL_TEXT])
    assert lapsed_kinds(tracker) == ([Kind.AFTER_CALL_TEXT] if lapsed else [])


@pytest.mark.parametrize(("withdrawn", "lapsed"), [("2026-10-03", False), ("2026-10-02", True)])
def test_resend_invite_is_due_21_days_after_the_withdrawal(tracker, withdrawn, lapsed):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-09-01T10:00")
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at(f"{withdrawn}T10:00"))
    assert kinds(review(tracker, AS_OF)) == ([] if lapsed else [Kind.RESEND_INVITE])
    assert lapsed_kinds(tracker) == ([Kind.RESEND_INVITE] if lapsed else [])


def test_thank_new_connection_is_due_on_acceptance(store):
    tracker = with_settings(store, horizon_days=5)
    dana, lee = person(tracker), person(tracker, "Lee Example")
    for who, accepted in ((dana, "2026-11-18"), (lee, "2026-11-17")):  # due 5 / 6 days
        touch(tracker, who, "linkedin_invite", "2026-11-01T10:00")
        tracker.set_invitation(who, InviteStatus.ACCEPTED, at(f"{accepted}T10:00"))
    found = full(tracker)
    assert [i.contact for i in found.queue] == ["Dana Fictional"]
    assert [i.contact for i in found.lapsed] == ["Lee Example"]


def test_the_horizon_follows_the_setting(store):
    dana = person(with_settings(store), email="dana@example.com")
    touch(with_settings(store), dana, "email", "2026-09-01T10:00")
    assert lapsed_kinds(with_settings(store)) == [Kind.NO_REPLY]
    assert kinds(with_settings(store, horizon_days=100).review(AS_OF)) == [Kind.NO_REPLY]


# -- never lapse -------------------------------------------------------------------------
def test_invitations_follow_ups_and_keep_in_touch_never_lapse(tracker):
    dana = person(tracker, "Dana Fictional", created="2024-01-01T09:00")
    touch(tracker, dana, "linkedin_invite", "2025-01-10T10:00")  # pending 682 days
    sam = person(tracker, "Sam Planner")
    tracker.follow_up(sam, date(2025, 6, 1), "ask about the budget", at("2025-05-01T10:00"))
    kit = person(tracker, "Kit Cadence", keep_in_touch_days=30, created="2024-01-01T09:00")
    touch(tracker, kit, "meeting", "2024-03-01T10:00", inbound=True)
    found = full(tracker)
    assert [(i.kind, i.lapsed) for i in found.queue] == [
        (Kind.FOLLOW_UP_DUE, False),
        (Kind.STALE_INVITE, False),
        (Kind.KEEP_IN_TOUCH, False),
    ]
    assert all(i.age_days > 300 for i in found.queue)
    assert found.lapsed == []


def test_a_key_date_never_lapses(store):
    tracker = with_settings(store, horizon_days=0)  # anything due a day has lapsed
    dana = person(tracker, "Dana Fictional")
    tracker.edit_contact(dana, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 11, 21)})
    lee = person(tracker, "Lee Example")
    touch(tracker, lee, "linkedin_invite", "2026-11-01T10:00")
    tracker.set_invitation(lee, InviteStatus.ACCEPTED, at("2026-11-21T10:00"))
    found = full(tracker)  # both two days old
    assert [(i.kind, i.age_days) for i in found.queue] == [(Kind.KEY_DATE, 2)]
    assert [(i.kind, i.age_days) for i in found.lapsed] == [(Kind.THANK_NEW_CONNECTION, 2)]


def test_lapsed_items_are_counted_apart_in_review_order(tracker):
    for index, day in enumerate(("2024-01-05", "2023-12-01", "2026-11-20")):
        who = person(tracker, f"Texted {index}", phone=f"+1312555014{index}")
        touch(tracker, who, "sms", f"{day}T10:00", text="hi")
    found = full(tracker)
    assert [i.contact for i in found.queue] == ["Texted 2"]
    assert [i.contact for i in found.lapsed] == ["Texted 1", "Texted 0"]  # oldest first
    assert [i.contact for i in found.everything()] == ["Texted 2", "Texted 1", "Texted 0"]
    snapshot = tracker.day(tracker.clock(AS_OF))
    assert snapshot.left == 1 and snapshot.lapsed_count == 2 and snapshot.total == 1


def test_a_snoozed_lapsed_item_is_not_counted(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2024-01-05T10:00", text="hi")
    tracker.snooze(dana, Kind.UNANSWERED_TEXT, date(2026, 12, 1))
    assert full(tracker).lapsed == []


# -- step_back clears when the rep switches channel ------------------------------------
def _two_texts(tracker: Tracker) -> object:
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    touch(tracker, dana, "sms", "2026-11-10T10:00", text="Free Thursday?")
    touch(tracker, dana, "sms", "2026-11-12T10:00", text="Or Friday?", force=True)
    return dana


def test_an_email_after_the_texts_clears_step_back(tracker):
    dana = _two_texts(tracker)
    assert kinds(review(tracker, "2026-11-14")) == [Kind.STEP_BACK]
    touch(tracker, dana, "email", "2026-11-15T09:00", text="Dana, the proposal attached.")
    assert Kind.STEP_BACK not in kinds(review(tracker, AS_OF))
    assert Kind.UNANSWERED_TEXT not in kinds(review(tracker, AS_OF))  # the same silence
    # As of before the email, the texts still stood unanswered.
    assert kinds(review(tracker, "2026-11-14")) == [Kind.STEP_BACK]
    state = tracker.contact_state(dana.id)
    assert state.text_run == 2 and state.text_run_switched_at == at("2026-11-15T09:00")


@pytest.mark.parametrize(
    ("channel", "status"),
    [("call", "no_answer"), ("call", None), ("linkedin_message", None), ("meeting", None)],
)
def test_any_other_channel_clears_step_back(tracker, channel, status):
    dana = _two_texts(tracker)
    touch(tracker, dana, channel, "2026-11-15T09:00", status=status)
    assert Kind.STEP_BACK not in kinds(review(tracker, AS_OF), dana)


@pytest.mark.parametrize("channel", ["linkedin_invite", "other"])
def test_an_invitation_or_other_touch_is_no_switch(tracker, channel):
    dana = _two_texts(tracker)
    touch(tracker, dana, channel, "2026-11-15T09:00")
    assert Kind.STEP_BACK in kinds(review(tracker, AS_OF), dana)


def test_an_email_before_the_last_text_does_not_clear_it(tracker):
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    touch(tracker, dana, "sms", "2026-11-10T10:00", text="Free Thursday?")
    touch(tracker, dana, "email", "2026-11-11T10:00", text="Agenda attached")
    touch(tracker, dana, "sms", "2026-11-12T10:00", text="Or Friday?", force=True)
    assert kinds(review(tracker, AS_OF)) == [Kind.STEP_BACK]


def test_one_text_then_an_email_still_waits_for_a_reply(tracker):
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    touch(tracker, dana, "sms", "2026-11-10T10:00", text="Free Thursday?")
    touch(tracker, dana, "email", "2026-11-11T10:00", text="Agenda attached")
    assert Kind.UNANSWERED_TEXT in kinds(review(tracker, AS_OF))


def test_the_coach_still_blocks_a_third_text_after_the_switch(tracker):
    dana = _two_texts(tracker)
    touch(tracker, dana, "email", "2026-11-15T09:00", text="The proposal attached.")
    result = tracker.check(dana, Channel.SMS, "Dana, any thoughts?", at("2026-11-20T10:00"))
    assert result.blocked
    touch(tracker, dana, "sms", "2026-11-20T12:00", inbound=True, text="Thursday works")
    assert not tracker.check(dana, Channel.SMS, "Great, see you!", at("2026-11-20T13:00")).blocked


# -- done and the bulk actions ----------------------------------------------------------
def test_done_hides_an_item_for_the_day_and_counts_it(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-20T10:00", text="hi")
    today, tomorrow = tracker.clock(AS_OF), tracker.clock("2026-11-24")
    batch = tracker.mark_done([(dana.id, Kind.UNANSWERED_TEXT)], today)
    assert batch.count == 1 and batch.skipped == () and batch.undo is not None
    snapshot = tracker.day(today)
    assert snapshot.entries == () and snapshot.done == 1 and snapshot.total == 1
    assert tracker.done_count(today.today) == 1
    assert kinds(tracker.queue(tomorrow)) == [Kind.UNANSWERED_TEXT]  # back tomorrow
    again = tracker.mark_done([(dana.id, Kind.UNANSWERED_TEXT)], today)
    assert again.count == 0 and [s.reason for s in again.skipped] == ["already done today"]
    batch.undo.revert(tracker)
    assert kinds(tracker.queue(today)) == [Kind.UNANSWERED_TEXT]
    assert tracker.day(today).done == 0


def test_done_skips_an_item_that_is_not_due(tracker):
    dana = person(tracker, phone="+13125550142")
    batch = tracker.mark_done([(dana.id, Kind.STEP_BACK)], tracker.clock(AS_OF))
    assert batch.count == 0 and batch.undo is None
    assert [(s.contact, s.reason) for s in batch.skipped] == [
        ("Dana Fictional", "no step_back item due today")
    ]


def test_a_bulk_snooze_is_undone_as_one(tracker):
    dana = person(tracker, phone="+13125550142")
    lee = person(tracker, "Lee Example", phone="+13125550143")
    for who in (dana, lee):
        touch(tracker, who, "sms", "2026-11-20T10:00", text="hi")
    tracker.snooze(lee, Kind.UNANSWERED_TEXT, date(2026, 11, 30))
    targets = [(dana.id, Kind.UNANSWERED_TEXT), (lee.id, Kind.UNANSWERED_TEXT)]
    batch = tracker.snooze_items(targets, date(2026, 12, 10))
    assert batch.count == 2 and tracker.queue(tracker.clock("2026-12-01")) == []
    assert batch.undo is not None
    batch.undo.revert(tracker)
    assert [i.contact for i in tracker.queue(tracker.clock("2026-12-01"))] == [
        "Dana Fictional",
        "Lee Example",  # its own snooze (to the 30th) is back, not gone
    ]
    assert [i.contact for i in tracker.queue(tracker.clock("2026-11-25"))] == ["Dana Fictional"]


def test_bulk_invitation_marks_skip_those_without_one_pending(tracker):
    dana, lee = person(tracker), person(tracker, "Lee Example")
    touch(tracker, dana, "linkedin_invite", "2026-10-01T10:00")
    batch = tracker.mark_invitations([dana.id, lee.id], InviteStatus.WITHDRAWN, at(AS_OF))
    assert batch.changed == ((dana.id, "Dana Fictional"),)
    assert [(s.contact, s.reason) for s in batch.skipped] == [
        ("Lee Example", "no pending invitation")
    ]
    assert tracker.latest_invitation(dana).status == "withdrawn"
    assert batch.undo is not None
    batch.undo.revert(tracker)
    assert tracker.latest_invitation(dana).status == "pending"


def test_bulk_invitation_marks_keep_to_the_time_they_can_have(tracker):
    dana, lee = person(tracker), person(tracker, "Lee Example")
    touch(tracker, dana, "linkedin_invite", "2026-10-01T10:00")
    touch(tracker, lee, "linkedin_invite", "2026-10-20T10:00")
    with pytest.raises(UsageError, match="in the future"):
        tracker.mark_invitations([dana.id], InviteStatus.ACCEPTED, at("2099-01-01T10:00"))
    day_start = at("2026-10-10T00:00")
    batch = tracker.mark_invitations([dana.id, lee.id], InviteStatus.ACCEPTED, day_start)
    assert [s.reason for s in batch.skipped] == ["invited after that time"]
    assert batch.undo is not None
    batch.undo.revert(tracker)
    batch = tracker.mark_invitations(
        [dana.id, lee.id], InviteStatus.ACCEPTED, day_start, not_before_sent=True
    )
    assert batch.count == 2
    assert tracker.latest_invitation(dana).status_at == day_start
    assert tracker.latest_invitation(lee).status_at == at("2026-10-20T10:00")
