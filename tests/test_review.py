"""Every review kind with its boundaries (DOMAIN.md, "The daily review")."""

from __future__ import annotations

from datetime import date

from tests.helpers import at, kinds, person, review, touch
from tracker.models import InviteStatus, Kind


def test_empty_database_has_an_empty_queue(tracker):
    assert review(tracker, "2026-11-23") == []


# -- stale_invite ---------------------------------------------------------------------
def test_invitation_is_stale_at_14_days_not_13(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-09T23:30", text="Hi Dana")
    assert kinds(review(tracker, "2026-11-22")) == []
    items = review(tracker, "2026-11-23")
    assert kinds(items) == [Kind.STALE_INVITE]
    item = items[0]
    assert item.age_days == 14
    assert item.since == at("2026-11-09T23:30")
    assert "with a note" in item.reason


def test_age_counts_calendar_days_whatever_the_hour(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-09T00:05")
    assert review(tracker, "2026-11-23T00:01")[0].age_days == 14


def test_review_as_of_sees_nothing_after_it(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-20T10:00"))
    # As of the 18th the invitation was still pending (17 days).
    items = review(tracker, "2026-11-18")
    assert kinds(items) == [Kind.STALE_INVITE]
    assert items[0].age_days == 17
    # As of the 20th it is accepted and unthanked.
    assert kinds(review(tracker, "2026-11-20")) == [Kind.THANK_NEW_CONNECTION]


def test_stale_is_judged_on_the_latest_invitation(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-09-01T10:00")
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-09-20T10:00"))
    touch(tracker, dana, "linkedin_invite", "2026-11-20T10:00")
    assert kinds(review(tracker, "2026-11-23")) == []


# -- resend_invite --------------------------------------------------------------------
def test_withdrawn_invitation_can_be_resent_after_21_days(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-10-01T10:00")
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-10-20T16:00"))
    assert kinds(review(tracker, "2026-11-09")) == []  # 20 days
    items = review(tracker, "2026-11-10")  # 21 days
    assert kinds(items) == [Kind.RESEND_INVITE]
    assert items[0].since == at("2026-10-20T16:00")
    assert items[0].age_days == 21


def test_resending_clears_resend_invite(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-09-01T10:00")
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-09-10T10:00"))
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    assert kinds(review(tracker, "2026-11-05")) == []


def test_ignored_invitation_raises_nothing(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-09-01T10:00")
    tracker.set_invitation(dana, InviteStatus.IGNORED, at("2026-09-30T10:00"))
    assert kinds(review(tracker, "2026-11-23")) == []


# -- thank_new_connection -------------------------------------------------------------
def test_accepted_then_thanked(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-10T10:00")
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-12T08:00"))
    items = review(tracker, "2026-11-12")
    assert kinds(items) == [Kind.THANK_NEW_CONNECTION]
    assert items[0].age_days == 0
    touch(tracker, dana, "linkedin_message", "2026-11-13T09:00", text="Thanks for connecting!")
    assert Kind.THANK_NEW_CONNECTION not in kinds(review(tracker, "2026-11-13"))


def test_thank_window_is_0_to_13_days(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-02T10:00"))
    assert kinds(review(tracker, "2026-11-15")) == [Kind.THANK_NEW_CONNECTION]  # 13 days
    assert kinds(review(tracker, "2026-11-16")) == []  # 14 days


def test_connection_without_invitation_is_not_thanked(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-10T10:00", inbound=True)
    assert kinds(review(tracker, "2026-11-12")) == []


# -- after_call_text ------------------------------------------------------------------
def test_connected_call_asks_for_a_text(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "call", "2026-11-20T15:00", inbound=True)
    items = review(tracker, "2026-11-20")
    assert kinds(items) == [Kind.AFTER_CALL_TEXT]
    touch(tracker, dana, "sms", "2026-11-20T15:30", text="Great talking, Dana")
    assert Kind.AFTER_CALL_TEXT not in kinds(review(tracker, "2026-11-20"))


def test_no_answer_and_voicemail_calls_do_not_count(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "call", "2026-11-20T15:00", status="no_answer")
    touch(tracker, dana, "call", "2026-11-20T16:00", status="voicemail")
    assert kinds(review(tracker, "2026-11-20")) == []


def test_email_after_call_clears_it_but_a_meeting_does_not(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "call", "2026-11-20T15:00")
    touch(tracker, dana, "meeting", "2026-11-20T17:00")
    assert kinds(review(tracker, "2026-11-20")) == [Kind.AFTER_CALL_TEXT]
    touch(tracker, dana, "email", "2026-11-20T18:00", text="Notes from today")
    assert Kind.AFTER_CALL_TEXT not in kinds(review(tracker, "2026-11-20"))


def test_opted_out_contact_gets_no_after_call_text(tracker):
    dana = person(tracker, phone="+13125550142")
    tracker.opt_out(dana, at("2026-11-01T10:00"))
    touch(tracker, dana, "call", "2026-11-20T15:00")
    assert kinds(review(tracker, "2026-11-20")) == []


# -- follow_up_due --------------------------------------------------------------------
def test_follow_up_due_on_its_date_and_overdue_after(tracker):
    dana = person(tracker)
    tracker.follow_up(dana, date(2026, 11, 20), "send the deck", at("2026-11-01T10:00"))
    assert kinds(review(tracker, "2026-11-19")) == []
    items = review(tracker, "2026-11-20")
    assert kinds(items) == [Kind.FOLLOW_UP_DUE]
    assert items[0].age_days == 0
    assert items[0].action == "send the deck"
    assert review(tracker, "2026-11-23")[0].age_days == 3


def test_outbound_touch_on_or_after_due_date_clears_follow_up(tracker):
    dana = person(tracker)
    tracker.follow_up(dana, date(2026, 11, 20), "", at("2026-11-01T10:00"))
    touch(tracker, dana, "email", "2026-11-19T10:00")  # before the date: does not count
    assert Kind.FOLLOW_UP_DUE in kinds(review(tracker, "2026-11-20"))
    touch(tracker, dana, "call", "2026-11-20T08:00")
    assert Kind.FOLLOW_UP_DUE not in kinds(review(tracker, "2026-11-20"))


def test_inbound_touch_does_not_clear_follow_up(tracker):
    dana = person(tracker)
    tracker.follow_up(dana, date(2026, 11, 20), "", at("2026-11-01T10:00"))
    touch(tracker, dana, "email", "2026-11-21T10:00", inbound=True)
    assert Kind.FOLLOW_UP_DUE in kinds(review(tracker, "2026-11-21"))


def test_clearing_or_moving_the_date_clears_follow_up(tracker):
    dana = person(tracker)
    tracker.follow_up(dana, date(2026, 11, 20), "", at("2026-11-01T10:00"))
    tracker.follow_up(dana, date(2026, 11, 30), "", at("2026-11-21T10:00"))
    assert kinds(review(tracker, "2026-11-21")) == []
    tracker.clear_follow_up(dana)
    assert kinds(review(tracker, "2026-12-01")) == []


# -- no_reply -------------------------------------------------------------------------
def test_no_reply_after_3_days(tracker):
    sam = person(tracker, "Sam Other", email="sam@example.com")
    touch(tracker, sam, "email", "2026-11-18T17:00", text="Proposal attached")
    assert kinds(review(tracker, "2026-11-20")) == []
    items = review(tracker, "2026-11-21")
    assert kinds(items) == [Kind.NO_REPLY]
    assert items[0].age_days == 3


def test_any_later_touch_clears_no_reply(tracker):
    sam = person(tracker, "Sam Other")
    touch(tracker, sam, "linkedin_message", "2026-11-10T17:00")
    touch(tracker, sam, "call", "2026-11-11T10:00", status="voicemail")
    assert Kind.NO_REPLY not in kinds(review(tracker, "2026-11-20"))


def test_no_reply_suggests_a_text_only_when_allowed(tracker):
    sam = person(tracker, "Sam Other", phone="+13125550142")
    touch(tracker, sam, "email", "2026-11-10T17:00")
    assert "by text" in review(tracker, "2026-11-20")[0].action
    tracker.opt_out(sam, at("2026-11-01T10:00"))
    assert "by text" not in review(tracker, "2026-11-20")[0].action


# -- unanswered_text and step_back --------------------------------------------------
def test_one_text_unanswered_after_a_day(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-20T23:00", text="Still good for a call?")
    assert kinds(review(tracker, "2026-11-20")) == []
    items = review(tracker, "2026-11-21")
    assert kinds(items) == [Kind.UNANSWERED_TEXT]
    assert items[0].last_message == "Still good for a call?"


def test_two_texts_unanswered_is_step_back_since_the_first(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "email", "2026-11-16T10:00")  # other channels don't break the run
    touch(tracker, dana, "sms", "2026-11-18T10:00")
    items = review(tracker, "2026-11-23")
    step = [i for i in items if i.kind is Kind.STEP_BACK]
    assert [i.kind for i in items if i.kind in (Kind.UNANSWERED_TEXT, Kind.STEP_BACK)] == [
        Kind.STEP_BACK
    ]
    assert step[0].since == at("2026-11-15T10:00")
    assert step[0].age_days == 8


def test_step_back_waits_for_the_last_text_to_be_a_day_old(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "sms", "2026-11-23T10:00")
    assert kinds(review(tracker, "2026-11-23")) == []
    assert kinds(review(tracker, "2026-11-24")) == [Kind.STEP_BACK]


def test_a_reply_between_two_texts_resets_the_run(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "sms", "2026-11-16T10:00", inbound=True, text="Yes!")
    touch(tracker, dana, "sms", "2026-11-18T10:00")
    items = review(tracker, "2026-11-23")
    assert kinds(items) == [Kind.UNANSWERED_TEXT]
    assert items[0].since == at("2026-11-18T10:00")


def test_a_reply_on_another_channel_clears_a_text(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "call", "2026-11-16T10:00", inbound=True, status="voicemail")
    assert kinds(review(tracker, "2026-11-23")) == []


def test_inbound_stop_opts_out_and_removes_text_items(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "sms", "2026-11-16T10:00")
    touch(tracker, dana, "sms", "2026-11-16T11:00", inbound=True, text="  stop ")
    assert tracker.store.get_contact(dana.id).opted_out()
    touch(tracker, dana, "sms", "2026-11-17T10:00")
    assert kinds(review(tracker, "2026-11-23")) == []


def test_stop_inside_a_sentence_is_not_an_opt_out(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-16T11:00", inbound=True, text="Please stop by")
    assert not tracker.store.get_contact(dana.id).opted_out()


def test_group_texts_are_not_texts_or_replies(tracker):
    dana = person(tracker, phone="+13125550142", keep_in_touch_days=30)
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    touch(tracker, dana, "sms", "2026-11-16T10:00", inbound=True, text="STOP", is_group=True)
    items = review(tracker, "2026-11-23")
    assert kinds(items) == [Kind.UNANSWERED_TEXT]
    assert not tracker.store.get_contact(dana.id).opted_out()


def test_opting_back_in_restores_text_items(tracker):
    dana = person(tracker, phone="+13125550142")
    tracker.opt_out(dana, at("2026-11-01T10:00"))
    touch(tracker, dana, "sms", "2026-11-15T10:00")
    assert kinds(review(tracker, "2026-11-23")) == []
    tracker.opt_in(dana, at("2026-11-10T10:00"))
    assert kinds(review(tracker, "2026-11-23")) == [Kind.UNANSWERED_TEXT]


# -- keep_in_touch --------------------------------------------------------------------
def test_keep_in_touch_when_age_exceeds_cadence(tracker):
    dana = person(tracker, keep_in_touch_days=30)
    touch(tracker, dana, "meeting", "2026-10-01T10:00")
    assert kinds(review(tracker, "2026-10-31")) == []  # 30 days: not yet
    items = review(tracker, "2026-11-01")
    assert kinds(items) == [Kind.KEEP_IN_TOUCH]
    assert items[0].age_days == 31


def test_keep_in_touch_counts_from_creation_without_touches(tracker):
    person(tracker, keep_in_touch_days=10, created="2026-11-01T09:00")
    assert kinds(review(tracker, "2026-11-11")) == []
    items = review(tracker, "2026-11-12")
    assert kinds(items) == [Kind.KEEP_IN_TOUCH]
    assert items[0].since == at("2026-11-01T09:00")


def test_group_text_counts_toward_keep_in_touch(tracker):
    dana = person(tracker, phone="+13125550142", keep_in_touch_days=10)
    touch(tracker, dana, "sms", "2026-11-20T10:00", inbound=True, text="hi all", is_group=True)
    assert kinds(review(tracker, "2026-11-23")) == []


# -- snooze ---------------------------------------------------------------------------
def test_snooze_hides_until_not_through_its_date(tracker):
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    tracker.snooze(dana, Kind.STALE_INVITE, date(2026, 11, 24))
    assert kinds(review(tracker, "2026-11-23")) == []
    assert kinds(review(tracker, "2026-11-24")) == [Kind.STALE_INVITE]


def test_snooze_hides_only_its_kind(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    touch(tracker, dana, "sms", "2026-11-20T10:00")
    tracker.snooze(dana, Kind.STALE_INVITE, date(2026, 11, 30))
    assert kinds(review(tracker, "2026-11-23")) == [Kind.UNANSWERED_TEXT]


# -- order and determinism ------------------------------------------------------------
def test_order_is_kind_then_oldest_then_contact_id(tracker):
    a = person(tracker, "Ann A", phone="+13125550101")
    b = person(tracker, "Bob B", phone="+13125550102")
    c = person(tracker, "Cat C", phone="+13125550103")
    touch(tracker, c, "linkedin_invite", "2026-11-01T10:00")
    touch(tracker, a, "linkedin_invite", "2026-11-01T10:00")
    touch(tracker, b, "linkedin_invite", "2026-10-25T10:00")
    touch(tracker, b, "sms", "2026-11-20T10:00")
    items = review(tracker, "2026-11-23")
    assert [(i.kind, i.contact_id) for i in items] == [
        (Kind.UNANSWERED_TEXT, b.id),
        (Kind.STALE_INVITE, b.id),
        (Kind.STALE_INVITE, a.id),
        (Kind.STALE_INVITE, c.id),
    ]
    assert review(tracker, "2026-11-23") == items


def test_touches_at_the_same_instant_keep_logged_order(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-20T10:00", inbound=True)
    touch(tracker, dana, "sms", "2026-11-20T10:00")
    assert kinds(review(tracker, "2026-11-23")) == [Kind.UNANSWERED_TEXT]


def test_past_review_recomputes_contacts_with_later_history(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-10T10:00")
    touch(tracker, dana, "sms", "2026-11-20T10:00", inbound=True)
    assert kinds(review(tracker, "2026-11-15")) == [Kind.UNANSWERED_TEXT]
    assert kinds(review(tracker, "2026-11-23")) == []


def test_settings_change_thresholds(store):
    from tests.helpers import TZ
    from tracker.config import Settings
    from tracker.service import Tracker

    tracker = Tracker(store, Settings(timezone="America/Chicago", stale_invite_days=7), TZ)
    dana = person(tracker)
    touch(tracker, dana, "linkedin_invite", "2026-11-16T10:00")
    assert kinds(review(tracker, "2026-11-23")) == [Kind.STALE_INVITE]


def test_every_item_explains_itself_in_one_line(tracker):
    from tracker.review import explain

    dana = person(tracker, phone="+13125550142", email="d@example.com")
    touch(tracker, dana, "linkedin_invite", "2026-11-07T10:00", text="Hi Dana")
    item = review(tracker, "2026-11-23")[0]
    line = explain(item)
    assert "\n" not in line
    assert line.startswith("invited 16 days ago with a note")
    assert "withdraw" in line and "by email" in line


def test_system_zone_keeps_daylight_saving(monkeypatch):
    import time

    from tracker.timeutil import local_tz, start_of_day

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        zone = local_tz("")
        assert start_of_day(date(2026, 7, 1), zone).hour == 4  # EDT, UTC-4
        assert start_of_day(date(2026, 12, 1), zone).hour == 5  # EST, UTC-5
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
