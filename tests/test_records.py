"""What is recorded stays true: no touch dated in the future but a meeting (and a scheduled
meeting holds back the nudges until it starts), no follow-up a year back without --force,
and no text suggested to a contact with no phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, kinds, person, review, touch
from tracker.coach.channels import default_channel, out_channel, reply_channel
from tracker.errors import UsageError
from tracker.models import Channel, Direction, Kind
from tracker.service import Tracker
from tracker.timeutil import Clock


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    outreach = Outreach(tmp_path / "cli.db")
    outreach("add", "Dana Fictional", "--phone", "(312) 555-0142")
    return outreach


# -- touches dated in the future -------------------------------------------------------


def test_a_text_dated_in_the_future_is_refused_naming_the_date(run):
    refused = run("log", "sms", "Dana Fictional", "--at", "2027-06-01", "--text", "Hi", code=2)
    assert "2027-06-01 00:00 is in the future" in refused.stderr
    assert "only a meeting can be logged ahead" in refused.stderr
    assert run.json("list", "--format", "json")[0]["last_touch_at"] is None


def test_a_meeting_can_be_logged_ahead(run):
    run("log", "meeting", "Dana Fictional", "--at", "2027-06-01T10:00", "--text", "Demo")


def test_a_few_minutes_of_clock_skew_are_allowed(tracker: Tracker) -> None:
    dana = person(tracker)
    now = at("2026-11-20T10:00")
    skew = tracker.settings.clock_skew_minutes
    assert skew == 5
    ahead = now + timedelta(minutes=skew)
    tracker.log(dana, Channel.SMS, Direction.OUT, ahead, "Hi", now=now)
    with pytest.raises(UsageError, match="in the future"):
        tracker.log(dana, Channel.SMS, Direction.OUT, ahead + timedelta(minutes=1), now=now)


def test_editing_a_touch_into_the_future_is_refused(tracker: Tracker) -> None:
    from tracker.service.edits import TouchDraft

    dana = person(tracker)
    sent = touch(tracker, dana, "sms", "2026-11-20T10:00", text="Hi")
    later = TouchDraft(Channel.SMS, Direction.OUT, at("2026-12-20T10:00"), "Hi")
    with pytest.raises(UsageError, match="2026-12-20 10:00 is in the future"):
        tracker.edit_touch(sent, later, now=at("2026-11-21T10:00"))
    meeting = TouchDraft(Channel.MEETING, Direction.OUT, at("2026-12-20T10:00"), "Demo")
    tracker.edit_touch(sent, meeting, now=at("2026-11-21T10:00"))


# -- scheduled meetings ----------------------------------------------------------------


def test_a_scheduled_meeting_holds_back_the_nudges_until_it_starts(tracker: Tracker) -> None:
    texted = person(tracker, "Dana Fictional", phone="+13125550142", keep_in_touch_days=5)
    emailed = person(tracker, "Sam Seller", email="sam@example.com")
    touch(tracker, texted, "sms", "2026-11-03T10:00", text="Still good for Tuesday?")
    touch(tracker, emailed, "email", "2026-11-01T10:00", text="The proposal")
    tracker.follow_up(texted, at("2026-11-08").date(), "send the agenda", at("2026-11-01"))
    before = review(tracker, "2026-11-10")
    assert kinds(before, texted) == [Kind.FOLLOW_UP_DUE, Kind.UNANSWERED_TEXT, Kind.KEEP_IN_TOUCH]
    assert kinds(before, emailed) == [Kind.NO_REPLY]

    for contact in (texted, emailed):  # logged on the 10th, for the 15th
        tracker.log(contact, Channel.MEETING, at=at("2026-11-15T10:00"), now=at("2026-11-10"))

    held = review(tracker, "2026-11-10")
    assert kinds(held, texted) == [Kind.FOLLOW_UP_DUE]  # a date the rep chose still shows
    assert kinds(held, emailed) == []
    assert kinds(review(tracker, "2026-11-15T09:59")) == [Kind.FOLLOW_UP_DUE]
    clock = Clock(at("2026-11-10T12:00"), tracker.tz)
    assert [i.kind for i in tracker.contact_detail(texted.id, clock).due] == [Kind.FOLLOW_UP_DUE]

    after = review(tracker, "2026-11-16")  # it happened: a meeting touch like any logged one
    assert kinds(after, texted) == [Kind.UNANSWERED_TEXT]  # the meeting answered no text
    assert kinds(after, emailed) == []  # the meeting is the latest touch: no_reply is cleared


# -- follow-up dates --------------------------------------------------------------------


def test_a_follow_up_more_than_a_year_back_needs_force(run):
    refused = run("follow-up", "Dana Fictional", "--on", "2025-01-01", "--at", "2026-11-20", code=2)
    assert "follow-up date 2025-01-01 is more than 365 days ago" in refused.stderr
    assert "--force" in refused.stderr
    assert run.json("list", "--format", "json")[0]["follow_up_on"] is None
    run("follow-up", "Dana Fictional", "--on", "2025-01-01", "--at", "2026-11-20", "--force")
    assert run.json("list", "--format", "json")[0]["follow_up_on"] == "2025-01-01"
    run("follow-up", "Dana Fictional", "--on", "2025-11-20", "--at", "2026-11-20")  # a year


# -- no phone, no text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "channel", "words"),
    [
        ({"email": "lee@example.com"}, Channel.EMAIL, "thank them by email"),
        ({"linkedin_url": "linkedin.com/in/lee-park"}, Channel.LINKEDIN_MESSAGE, "by LinkedIn"),
        ({}, Channel.LINKEDIN_MESSAGE, "thank them by email or LinkedIn message"),
    ],
)
def test_after_a_call_a_contact_with_no_phone_is_thanked_another_way(
    tracker: Tracker, fields: dict[str, str], channel: Channel, words: str
) -> None:
    lee = person(tracker, "Lee Park", **fields)
    touch(tracker, lee, "call", "2026-11-20T10:00")
    (item,) = review(tracker, "2026-11-21")
    assert item.kind is Kind.AFTER_CALL_TEXT
    assert words in item.action and "text" not in item.action.replace("to text", "")
    assert out_channel(item) is channel and reply_channel(item) is channel
    state = tracker.contact_state(lee.id)
    assert default_channel(item.kind, lee, state, at("2026-11-21T09:00")) is channel
    suggestion = tracker.suggest(lee.id, item.kind, at("2026-11-21T09:00"))
    assert suggestion.channel is channel
    assert "thank you for taking the time to talk" in suggestion.text.lower()


def test_after_a_call_a_contact_with_a_phone_still_gets_a_text(tracker: Tracker) -> None:
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    touch(tracker, dana, "call", "2026-11-20T10:00")
    (item,) = review(tracker, "2026-11-21")
    assert item.action == "send a short thank-you text confirming the next step"
    assert out_channel(item) is Channel.SMS
    state = tracker.contact_state(dana.id)
    assert default_channel(item.kind, dana, state, at("2026-11-21T09:00")) is Channel.SMS


def test_every_nudge_a_meeting_holds_is_held(tracker: Tracker) -> None:
    """The rule alone: step_back too, and nothing else (DOMAIN "Scheduled meetings")."""
    from dataclasses import replace

    from tracker.review import HELD_BY_MEETING, items_for

    dana = person(tracker, phone="+13125550142", keep_in_touch_days=3)
    # The unanswered call comes before the texts: after them, it would be the switch of
    # channel that clears step_back (DOMAIN "What clears an item").
    touch(tracker, dana, "call", "2026-10-31T11:00", status="no_answer")
    touch(tracker, dana, "sms", "2026-11-01T10:00", text="One")
    touch(tracker, dana, "sms", "2026-11-02T10:00", text="Two")
    clock = Clock(at("2026-11-10T12:00"), tracker.tz)
    state = tracker.contact_state(dana.id)
    due = items_for(tracker.contact(dana.id), state, clock, tracker.settings)
    assert {i.kind for i in due} == {Kind.STEP_BACK, Kind.KEEP_IN_TOUCH}
    scheduled = replace(state, meeting_scheduled_at=at("2026-11-12T10:00"))
    assert items_for(tracker.contact(dana.id), scheduled, clock, tracker.settings) == []
    assert {
        Kind.NO_REPLY,
        Kind.UNANSWERED_TEXT,
        Kind.STEP_BACK,
        Kind.KEEP_IN_TOUCH,
    } == HELD_BY_MEETING
