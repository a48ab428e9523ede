"""A sequence's steps in the review: what does a step (a touch on its channel on or after
its due date, or ``done``), what skips one (the guardrails), what a running sequence
holds back ("Quiet while planned"), the coach's draft of a step, and undo."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

from tests.helpers import at, kinds, person, review, touch
from tests.search_helpers import index_in_step
from tracker.models import Contact, InviteStatus, Kind
from tracker.service import Tracker

TEXTS = """
    [sequences.texts]
    [[sequences.texts.steps]]
    title = "Email first"
    channel = "email"
    [[sequences.texts.steps]]
    title = "Then a text"
    channel = "sms"
    after = "1d"
    template = "text-nudge"
    [[sequences.texts.steps]]
    title = "Then a call"
    channel = "call"
    after = "1d"
"""


def texts_file(home: Path) -> None:
    (home / "sequences.toml").write_text(textwrap.dedent(TEXTS), encoding="utf-8")


def enroll(tracker: Tracker, contact: Contact, name: str, start: str) -> None:
    assert tracker.enroll([contact.id], name, date.fromisoformat(start), at(start)).count == 1


def records(tracker: Tracker, contact: Contact, as_of: str) -> list[tuple[int, str | None, str]]:
    found = tracker.contact_plans(contact.id, tracker.clock(as_of))[0].progress.steps
    return [(s.number, s.outcome, s.reason) for s in found]


def step_item(tracker: Tracker, as_of: str):  # type: ignore[no-untyped-def]
    return next((i for i in review(tracker, as_of) if i.kind is Kind.SEQUENCE_STEP), None)


def test_a_touch_on_the_channel_does_the_step_only_from_its_due_date(
    tracker: Tracker, outreach_home: Path
):
    texts_file(outreach_home)
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    enroll(tracker, dana, "texts", "2026-11-02")
    touch(tracker, dana, "email", "2026-11-02T09:00", text="Hello Dana")
    touch(tracker, dana, "sms", "2026-11-02T15:00", text="Hi Dana, Sam here. Got a minute?")
    assert records(tracker, dana, "2026-11-03")[1] == (2, None, "")  # the text came early
    assert step_item(tracker, "2026-11-03").details["title"] == "Then a text"
    touch(tracker, dana, "sms", "2026-11-03T09:00", text="Hi Dana, Sam here. Friday?")
    assert [r[:2] for r in records(tracker, dana, "2026-11-03")] == [
        (1, "done"),
        (2, "done"),
        (3, None),
    ]


def test_an_opt_out_skips_the_text_step_with_the_reason(tracker: Tracker, outreach_home: Path):
    texts_file(outreach_home)
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    enroll(tracker, dana, "texts", "2026-11-02")
    touch(tracker, dana, "email", "2026-11-02T09:00")
    tracker.opt_out(dana, at("2026-11-02T12:00"))
    assert records(tracker, dana, "2026-11-03")[1] == (2, "skipped", "opted out of texts")
    item = step_item(tracker, "2026-11-04")
    assert item is not None and item.details["title"] == "Then a call"  # from the skip's day


def test_step_back_skips_a_text_step(tracker: Tracker, outreach_home: Path):
    texts_file(outreach_home)
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    for day in ("2026-10-20", "2026-10-22"):
        touch(tracker, dana, "sms", f"{day}T10:00", text="Hi Dana, Sam Seller here. Call?")
    enroll(tracker, dana, "texts", "2026-11-02")
    touch(tracker, dana, "email", "2026-11-02T09:00")
    number, outcome, reason = records(tracker, dana, "2026-11-03")[1]
    assert (number, outcome) == (2, "skipped")
    assert reason == "2 texts in a row unanswered (step_back): no more texts"


def test_a_text_step_with_no_phone_is_skipped(tracker: Tracker, outreach_home: Path):
    texts_file(outreach_home)
    dana = person(tracker, email="dana@example.com")
    enroll(tracker, dana, "texts", "2026-11-02")
    touch(tracker, dana, "email", "2026-11-02T09:00")
    assert records(tracker, dana, "2026-11-03")[1] == (2, "skipped", "no phone number to text")


def test_an_invitation_step_to_a_connection_is_skipped(tracker: Tracker):
    dana = person(tracker, linkedin_url="https://www.linkedin.com/in/dana-fictional")
    touch(tracker, dana, "linkedin_message", "2026-10-01T10:00", inbound=False, text="Hi")
    enroll(tracker, dana, "linkedin-first", "2026-11-02")
    number, outcome, reason = records(tracker, dana, "2026-11-02")[0]
    assert (number, outcome) == (1, "skipped")
    assert reason.startswith("already connected on LinkedIn")
    # The thanks comes a business day after the skip's day (its due date).
    assert step_item(tracker, "2026-11-03").details["title"] == "Thank them and add value"


def test_a_pending_invitation_is_taken_over(tracker: Tracker):
    dana = person(tracker, linkedin_url="https://www.linkedin.com/in/dana-fictional")
    touch(tracker, dana, "linkedin_invite", "2026-10-30T10:00")
    enroll(tracker, dana, "linkedin-first", "2026-11-02")
    first = tracker.contact_plans(dana.id, tracker.clock("2026-11-02"))[0].progress.steps[0]
    assert (first.outcome, first.wait) == ("done", "waiting")
    assert first.reason == "an invitation was already pending (sent 2026-10-30)"
    assert first.wait_until == date(2026, 11, 13)  # 14 days after it was sent


def test_done_does_the_step_and_undo_takes_it_back(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    enroll(tracker, dana, "call-first", "2026-11-02")
    clock = tracker.clock(at("2026-11-02T11:00"))
    batch = tracker.mark_done([(dana.id, Kind.SEQUENCE_STEP)], clock)
    assert batch.count == 1
    assert records(tracker, dana, "2026-11-02T11:00")[0] == (1, "done", "marked done")
    item = step_item(tracker, "2026-11-02T11:30")  # the text is due the same day
    assert item is not None and item.details["title"] == "Text: thanks, and the next step"
    assert batch.undo is not None
    batch.undo.revert(tracker)
    assert records(tracker, dana, "2026-11-02T11:30")[0] == (1, None, "")


def test_undoing_the_touch_that_did_a_step_opens_it_again(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    enroll(tracker, dana, "call-first", "2026-11-02")
    call = touch(tracker, dana, "call", "2026-11-02T10:00")
    assert records(tracker, dana, "2026-11-02")[0][1] == "done"
    tracker.remove_touch(call)
    assert records(tracker, dana, "2026-11-02")[0][1] is None
    assert step_item(tracker, "2026-11-02").details["title"] == "Call"


def test_quiet_while_planned(tracker: Tracker):
    dana = person(
        tracker,
        phone="+13125550142",
        email="dana@example.com",
        linkedin_url="https://www.linkedin.com/in/dana-fictional",
        keep_in_touch_days=7,
    )
    touch(tracker, dana, "email", "2026-10-01T10:00", text="Proposal attached")
    tracker.follow_up(dana, date(2026, 11, 19), "ask about budget", at("2026-10-01T10:00"))
    before = kinds(review(tracker, "2026-11-02"), dana)
    assert {Kind.NO_REPLY, Kind.KEEP_IN_TOUCH} <= set(before)
    enroll(tracker, dana, "linkedin-first", "2026-11-02")
    touch(tracker, dana, "linkedin_invite", "2026-11-02T10:00")
    during = kinds(review(tracker, "2026-11-20"), dana)
    assert Kind.NO_REPLY not in during and Kind.KEEP_IN_TOUCH not in during
    assert Kind.STALE_INVITE not in during  # the sequence's own invitation
    assert Kind.FOLLOW_UP_DUE in during and Kind.SEQUENCE_STEP in during
    tracker.unenroll([dana.id], "", at("2026-11-20T12:00"))
    after = kinds(review(tracker, "2026-11-20"), dana)
    assert Kind.STALE_INVITE in after and Kind.KEEP_IN_TOUCH in after


def test_a_review_of_a_past_day_shows_that_days_step(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    enroll(tracker, dana, "call-first", "2026-11-02")
    touch(tracker, dana, "call", "2026-11-02T10:00")
    touch(tracker, dana, "sms", "2026-11-02T10:30", text="Hi Dana, Sam here. Thursday?")
    assert step_item(tracker, "2026-11-05").details["title"] == "Connect on LinkedIn"
    assert (
        step_item(tracker, "2026-11-02T10:15").details["title"] == "Text: thanks, and the next step"
    )
    assert step_item(tracker, "2026-11-01") is None


def test_the_coach_drafts_the_step_with_its_template_and_checks(
    tracker: Tracker, outreach_home: Path
):
    texts_file(outreach_home)
    tracker.settings = replace(tracker.settings, my_name="Sam Seller")
    dana = person(tracker, phone="+13125550142", email="dana@example.com")
    enroll(tracker, dana, "texts", "2026-11-02")
    touch(tracker, dana, "email", "2026-11-02T09:00")
    suggestion = tracker.suggest(dana.id, Kind.SEQUENCE_STEP, at("2026-11-03T10:00"))
    assert suggestion.channel is not None
    assert (suggestion.channel.value, suggestion.template) == ("sms", "text-nudge")
    assert suggestion.text.startswith("Hi Dana, Sam Seller here.")
    context = tracker.compose_context(dana.id, Kind.SEQUENCE_STEP, at("2026-11-03T10:00"))
    assert context.channel.value == "sms" and context.defaults[context.channel] == "text-nudge"
    tracker.opt_out(dana, at("2026-11-03T11:00"))  # the text step is skipped: the call is next
    assert tracker.suggest(dana.id, Kind.SEQUENCE_STEP, at("2026-11-03T12:00")).why_not == (
        "no sequence step is due"
    )
    later = tracker.suggest(dana.id, Kind.SEQUENCE_STEP, at("2026-11-04T12:00"))
    assert later.channel is None and later.why_not.endswith("call them, then log it (l)")


def test_a_call_step_has_nothing_to_draft(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    enroll(tracker, dana, "call-first", "2026-11-02")
    suggestion = tracker.suggest(dana.id, Kind.SEQUENCE_STEP, at("2026-11-02T10:00"))
    assert suggestion.channel is None and not suggestion.text
    assert suggestion.why_not == "nothing to draft: call them, then log it (l)"


def test_the_withdrawal_step_is_done_by_withdrawing(tracker: Tracker):
    dana = person(tracker, linkedin_url="https://www.linkedin.com/in/dana-fictional")
    enroll(tracker, dana, "linkedin-first", "2026-11-02")
    touch(tracker, dana, "linkedin_invite", "2026-11-02T10:00")
    item = step_item(tracker, "2026-11-16")
    assert item.details["step_action"] == "withdraw"
    assert item.action.startswith("withdraw the invitation")
    batch = tracker.mark_invitations([dana.id], InviteStatus.WITHDRAWN, at("2026-11-16T09:00"))
    assert batch.count == 1
    assert step_item(tracker, "2026-11-16T10:00") is None


def test_deleting_a_contact_and_undoing_it_keeps_the_enrollment(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    enroll(tracker, dana, "call-first", "2026-11-02")
    touch(tracker, dana, "call", "2026-11-02T10:00")
    undo = tracker.remove_contact(dana.id)
    assert step_item(tracker, "2026-11-02") is None
    undo.revert(tracker)
    assert records(tracker, dana, "2026-11-02")[0][:2] == (1, "done")
    assert step_item(tracker, "2026-11-02").details["title"] == "Text: thanks, and the next step"


def test_a_merge_brings_the_enrollment_and_its_history(tracker: Tracker):
    dana = person(tracker, phone="+13125550142")
    other = person(tracker, "Dana F.", email="dana@example.com")
    enroll(tracker, other, "call-first", "2026-11-02")
    touch(tracker, dana, "call", "2026-11-02T10:00")
    assert records(tracker, other, "2026-11-02")[0] == (1, "skipped", "no phone number to call")
    tracker.merge(dana, other)
    assert records(tracker, dana, "2026-11-02")[0][:2] == (1, "done")
    assert step_item(tracker, "2026-11-02").contact_id == dana.id


def test_search_follows_a_contact_with_an_enrollment_through_delete_merge_and_undo(
    tracker: Tracker,
):
    dana = person(tracker, company="Northwind", phone="+13125550142")
    other = person(tracker, "Dana F.", phone="+13125550161", company="Contoso")
    enroll(tracker, other, "call-first", "2026-11-02")
    touch(tracker, other, "email", "2026-11-01T10:00", text="About the pilot")

    def found(text: str) -> list[tuple[str, int]]:
        return [(hit.contact, hit.contact_id) for hit in tracker.search(text).hits]

    undo = tracker.remove_contact(other.id)
    index_in_step(tracker.store)
    assert found("contoso") == found("pilot") == []
    undo.revert(tracker)
    index_in_step(tracker.store)
    assert found("contoso") == found("pilot") == [("Dana F.", other.id)]
    assert step_item(tracker, "2026-11-02").contact_id == other.id

    _, undo = tracker.merge_into(dana.id, other.id)
    index_in_step(tracker.store)
    assert found("pilot") == [("Dana Fictional", dana.id)]  # her company stays: Northwind
    assert found("contoso") == []
    assert step_item(tracker, "2026-11-02").contact_id == dana.id
    undo.revert(tracker)
    index_in_step(tracker.store)
    assert found("contoso") == found("pilot") == [("Dana F.", other.id)]
    assert found("northwind") == [("Dana Fictional", dana.id)]
    assert step_item(tracker, "2026-11-02").contact_id == other.id
