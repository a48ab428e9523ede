"""The coach fits the contact's state: no connection note where LinkedIn would not take
one, the right day named, a template it can fill, unfilled fields blocked everywhere,
a warning for a text to a contact with no phone, and the user's name as DOMAIN says."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.coach.checks import check_message, check_note, check_text
from tracker.coach.templates import FIELD, best, candidates, known_fields, load_templates
from tracker.coach.when import day_phrase
from tracker.config import Settings
from tracker.invitations import linkedin_standing
from tracker.models import Channel, Contact, InviteStatus, Kind, Moment

NAMED = Settings(timezone="America/Chicago", my_name="Sam Seller")
NOON = "2026-11-23T12:00"  # a Monday
GOOD_TEXT = "Hi Dana, Sam Seller here. Still good for Tuesday at 10?"


def rules(result) -> dict[str, str]:
    return {f.rule: f.severity.value for f in result.findings}


def _note(tracker, contact, text="", when=NOON):
    history = tracker.store.touches_for(contact.id)
    return check_note(
        tracker.store.get_contact(contact.id), text, NAMED, history, at(when), tracker.tz
    )


# -- 1. no connection note where LinkedIn would not take one --------------------------
def test_standing_from_the_history(tracker):
    dana = person(tracker, linkedin_url="linkedin.com/in/dana-f")
    tz = tracker.tz

    def standing(when=NOON, connected_on=None):
        history = tracker.store.touches_for(dana.id)
        return linkedin_standing(history, at(when), NAMED, tz, connected_on)

    assert standing().why_no_invite == ""
    assert standing(connected_on=date(2026, 11, 23)).connected  # that day, as of noon
    assert not standing(connected_on=date(2026, 11, 24)).connected
    touch(tracker, dana, "linkedin_invite", "2026-11-01T10:00")
    pending = standing()
    assert pending.rule == "invite_pending" and not pending.connected
    assert "already pending (sent 2026-11-01)" in pending.why_no_invite
    tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-11-10T09:00"))
    locked = standing()
    assert locked.rule == "resend_lockout"
    assert "(until 2026-12-01)" in locked.why_no_invite  # 21 days after the withdrawal
    assert standing("2026-11-30T23:59").rule == "resend_lockout"
    assert standing("2026-12-01T08:00").why_no_invite == ""
    touch(tracker, dana, "linkedin_invite", "2026-12-02T10:00")
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-12-03T10:00"))
    assert standing("2026-12-02T12:00").rule == "invite_pending"  # not accepted yet then
    accepted = standing("2026-12-04T12:00")
    assert accepted.connected and accepted.rule == "already_connected"
    assert "accepted your invitation on 2026-12-03" in accepted.why_no_invite


def test_linkedin_messages_mean_connected(tracker):
    ana = person(tracker, "Ana Ruiz", linkedin_url="linkedin.com/in/ana-ruiz")
    touch(tracker, ana, "linkedin_message", "2026-11-02T10:00", inbound=True, text="Hi!")
    result = _note(tracker, ana, "")
    assert rules(result) == {"already_connected": "block"}  # even with no note at all
    assert "exchanged LinkedIn messages, last on 2026-11-02" in result.findings[0].reason


def test_without_history_a_note_is_checked_as_before():
    dana = Contact(id=1, name="Dana Fictional", first_name="Dana")
    assert check_note(dana, "", NAMED).findings == []


@pytest.fixture
def run(tmp_path: Path, outreach_home: Path) -> Outreach:
    (outreach_home / "config.toml").write_text(
        '[review]\ntimezone = "America/Chicago"\n[coach]\nmy_name = "Sam Seller"\n'
    )
    return Outreach(tmp_path / "coach.db")


def test_check_draft_and_invite_block_a_note_to_a_connected_contact(run: Outreach):
    run("add", "Dana Fictional", "--company", "Northwind", "--linkedin", "linkedin.com/in/dana")
    run("invite", "1", "--at", "2026-11-01T10:00")
    run("accepted", "1", "--at", "2026-11-03T10:00")
    note = "Hi Dana, we met at the expo and I would love to stay in touch about procurement."
    blocked = run(
        "check",
        "1",
        "--channel",
        "linkedin_invite",
        "--at",
        NOON,
        "--format",
        "json",
        note,
        code=1,
    )
    finding = json.loads(blocked.stdout)["findings"][0]
    assert (finding["severity"], finding["rule"]) == ("block", "already_connected")
    assert "accepted your invitation on 2026-11-03" in finding["reason"]
    drafted = run("draft", "1", "--channel", "linkedin_invite", "--at", NOON, code=1)
    assert not drafted.stdout
    assert "no LinkedIn note for Dana Fictional: already connected" in drafted.stderr
    before = run.db.read_bytes()
    refused = run("invite", "1", "--note", note, "--at", NOON, code=1)
    assert "already connected" in refused.stderr and run.db.read_bytes() == before
    # A LinkedIn message is what fits now.
    message = run("draft", "1", "--channel", "linkedin_message", "--at", NOON)
    assert message.stdout.startswith("Hi Dana")


def test_draft_refuses_a_note_while_one_is_pending(run: Outreach):
    run("add", "Dana Fictional", "--company", "Northwind", "--linkedin", "linkedin.com/in/dana")
    run("invite", "1", "--at", "2026-11-01T10:00")
    drafted = run("draft", "1", "--channel", "linkedin_invite", "--at", NOON, code=1)
    assert (
        "already pending (sent 2026-11-01): LinkedIn allows one at a time; withdraw it"
        in drafted.stderr
    )


def test_suggestions_fit_the_contact(tracker):
    # Connected and in conversation: a follow-up is a LinkedIn message, never a note.
    raj = person(tracker, "Raj Patel", company="Northstar", linkedin_url="linkedin.com/in/raj")
    touch(tracker, raj, "linkedin_message", "2026-11-02T19:00", inbound=True, text="Ping me")
    suggestion = tracker.suggest(raj.id, Kind.FOLLOW_UP_DUE, at(NOON))
    assert suggestion.channel is Channel.LINKEDIN_MESSAGE
    context = tracker.compose_context(raj.id, None, at(NOON))
    assert Channel.LINKEDIN_INVITE not in context.channels
    assert context.channel is Channel.LINKEDIN_MESSAGE
    assert "already connected" in context.no_invite
    # A stale invitation: no second note; the coach says why.
    ben = person(tracker, "Ben Schultz", company="Granite", linkedin_url="linkedin.com/in/ben")
    touch(tracker, ben, "linkedin_invite", "2026-10-31T09:30")
    stale = tracker.suggest(ben.id, Kind.STALE_INVITE, at(NOON))
    assert stale.text == "" and "already pending" in stale.why_not
    # Someone never invited: a note is offered.
    nora = person(tracker, "Nora Quinn", company="Lattice", linkedin_url="linkedin.com/in/nq")
    fresh = tracker.compose_context(nora.id, None, at(NOON))
    assert fresh.channel is Channel.LINKEDIN_INVITE and fresh.no_invite == ""


# -- 1. the right day named ------------------------------------------------------------
@pytest.mark.parametrize(
    ("then", "said"),
    [
        (date(2026, 11, 23), "today"),
        (date(2026, 11, 22), "yesterday"),
        (date(2026, 11, 19), "on Thursday"),
        (date(2026, 11, 17), "on Tuesday"),
        (date(2026, 11, 16), "on November 16"),
        (date(2025, 12, 30), "on December 30, 2025"),
    ],
)
def test_day_phrase(then, said):
    assert day_phrase(then, date(2026, 11, 23)) == said


def test_an_after_call_text_names_the_day_of_the_call(run: Outreach):
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    run("log", "call", "1", "--at", "2026-11-19T15:00")  # Thursday
    draft = run("draft", "1", "--channel", "sms", "--at", NOON)
    assert "Thanks for the call on Thursday." in draft.stdout
    assert "template: text-after-call-short" in draft.stderr  # no next step given
    same_day = run("draft", "1", "--channel", "sms", "--at", "2026-11-19T17:00")
    assert "Thanks for the call today." in same_day.stdout
    with_step = run(
        "draft",
        "1",
        "--channel",
        "sms",
        "--at",
        "2026-11-20T09:00",
        "--field",
        "next_step=Tuesday at 10",
    )
    assert "Thanks for the call yesterday. Does Tuesday at 10 still work" in with_step.stdout
    assert "template: text-after-call\n" in with_step.stderr


def test_a_draft_that_says_the_wrong_day_is_warned(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "call", "2026-11-19T15:00")
    history = tracker.store.touches_for(dana.id)
    text = "Hi Dana, Sam Seller here. Thanks for the call today. Does Tuesday work?"
    result = check_text(dana, history, text, at(NOON), NAMED, tracker.tz)
    finding = next(f for f in result.findings if f.rule == "day_word")
    assert finding.severity.value == "warn"
    assert "the last call was on Thursday (November 19), not today" in finding.reason
    assert text[slice(*finding.span)] == "today"  # type: ignore[misc]
    later = check_text(dana, history, text, at("2026-11-19T18:00"), NAMED, tracker.tz)
    assert "day_word" not in rules(later)
    yesterday = text.replace("today", "yesterday")
    assert "day_word" not in rules(
        check_text(dana, history, yesterday, at("2026-11-20T09:00"), NAMED, tracker.tz)
    )
    # A question about today is not about the call; a LinkedIn message about a meeting is.
    ask = "Hi Dana, Sam Seller here. Can we talk today? Is today a good day to call?"
    assert "day_word" not in rules(check_text(dana, history, ask, at(NOON), NAMED, tracker.tz))
    touch(tracker, dana, "meeting", "2026-11-20T12:00")
    history = tracker.store.touches_for(dana.id)
    message = check_message(dana, "Great meeting today! Here are the slides.", history, at(NOON))
    assert message.findings == []  # no zone given: the day checks need one
    message = check_message(
        dana, "Great meeting today! Here are the slides.", history, at(NOON), tracker.tz
    )
    assert [f.rule for f in message.findings] == ["day_word"]
    assert "the last meeting was on Friday (November 20), not today" in message.findings[0].reason


# -- 2. a template the coach can fill --------------------------------------------------
def test_the_coach_picks_a_template_it_can_fill(tracker):
    templates = load_templates()
    with_company = person(tracker, company="Northwind")
    no_company = person(tracker, "Lee Park")

    def chosen(contact, moment=None):
        found = candidates(templates, Channel.LINKEDIN_INVITE, contact, moment)
        values = known_fields(contact, NAMED, [], at(NOON), tracker.tz)
        return best(found, values).name

    assert chosen(with_company) == "note-cold"
    assert chosen(no_company) == "note-cold-general"
    # Nothing that fits can be filled: the first choice, still wanting {event}.
    assert chosen(no_company, Moment.AFTER_EVENT) == "note-after-event"


def test_draft_never_prints_an_unfilled_field(run: Outreach):
    run("add", "Lee Park", "--linkedin", "linkedin.com/in/lee-park")
    cold = run("draft", "1", "--channel", "linkedin_invite", "--at", NOON)
    assert "{" not in cold.stdout and "template: note-cold-general" in cold.stderr
    event = run(
        "draft",
        "1",
        "--channel",
        "linkedin_invite",
        "--moment",
        "after_event",
        "--at",
        NOON,
        code=2,
    )
    assert not event.stdout
    assert "needs {event}, {company}: give them with --field event=VALUE --field company=VALUE" in (
        event.stderr
    )
    filled = run(
        "draft",
        "1",
        "--channel",
        "linkedin_invite",
        "--moment",
        "after_event",
        "--at",
        NOON,
        "--field",
        "event=the expo",
        "--field",
        "company=Acme",
    )
    assert "meet you at the expo" in filled.stdout and "Acme" in filled.stdout
    explicit = run("draft", "1", "--channel", "linkedin_invite", "--template", "note-cold", code=2)
    assert "template note-cold needs {company}" in explicit.stderr


def test_draft_asks_for_your_name_while_it_is_unset(tmp_path: Path):
    run = Outreach(tmp_path / "unnamed.db")
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    result = run("draft", "1", "--channel", "sms", "--at", NOON, code=2)
    assert "template text-intro needs {my_name}: give it with --field my_name=VALUE" in (
        result.stderr
    )
    assert 'outreach settings set my_name "First Last"' in result.stderr
    named = run("draft", "1", "--channel", "sms", "--at", NOON, "--field", "my_name=Sam Seller")
    assert "this is Sam Seller" in named.stdout


# -- 3. an unfilled placeholder blocks ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Hi {first_name}, see you at {event}?", ["first_name", "event"]),
        ("Hi Dana, it is {Company} time?", ["Company"]),
        ("Hi Dana, code {1} or { } or a lone { and } :-{ ?", []),
        ("Hi Dana, {first name} and {x-y}?", []),
    ],
)
def test_what_counts_as_a_field(text, fields):
    assert FIELD.findall(text) == fields
    dana = Contact(id=1, name="Dana Fictional", first_name="Dana", phone="+13125550142")
    result = check_message(dana, text)
    assert [f.reason.split(" ")[0] for f in result.findings if f.rule == "unfilled_field"] == [
        "{" + name + "}" for name in fields
    ]
    assert result.blocked is bool(fields)


def test_check_and_log_block_an_unfilled_field(run: Outreach):
    run("add", "Dana Fictional", "--phone", "312-555-0142", "--email", "dana@example.com")
    text = "Hi Dana, Sam Seller here. See you at {event}?"
    checked = run("check", "1", "--channel", "sms", "--at", NOON, "--format", "json", text, code=1)
    finding = json.loads(checked.stdout)["findings"][0]
    assert (finding["severity"], finding["rule"]) == ("block", "unfilled_field")
    assert finding["reason"].startswith("{event} is not filled in")
    assert text[slice(*finding["span"])] == "{event}"
    before = run.db.read_bytes()
    refused = run("log", "sms", "1", "--at", NOON, "--text", text, code=1)
    assert "refused: {event} is not filled in" in refused.stderr
    run("log", "email", "1", "--at", NOON, "--text", "Hi {first_name}", code=1)
    assert run.db.read_bytes() == before
    run("log", "sms", "1", "--at", NOON, "--text", text, "--force")
    plain = run("check", "1", "--channel", "email", "--at", NOON, "Hi Dana, code {1} works.")
    assert plain.stdout.endswith("ok: no findings\n")


# -- 4. a text to a contact with no phone ------------------------------------------------
def test_a_text_to_a_contact_with_no_phone_warns(run: Outreach):
    run("add", "Dana Fictional", "--email", "dana@example.com")
    result = run("check", "1", "--channel", "sms", "--at", NOON, "--format", "json", GOOD_TEXT)
    findings = json.loads(result.stdout)["findings"]
    assert {
        "severity": "warn",
        "rule": "no_phone",
        "reason": "Dana Fictional has no phone number on file: add one before texting, or "
        "write by email or LinkedIn",
        "span": None,
    } in findings
    run("edit", "1", "--phone", "312-555-0142")
    again = run("check", "1", "--channel", "sms", "--at", NOON, "--format", "json", GOOD_TEXT)
    assert "no_phone" not in {f["rule"] for f in json.loads(again.stdout)["findings"]}


# -- 7. your name ------------------------------------------------------------------------
def test_while_my_name_is_unset_the_name_check_is_a_tip_and_the_field_blocks(tracker):
    dana = person(tracker, phone="+13125550142")
    unnamed = Settings(timezone="America/Chicago")
    values = known_fields(dana, unnamed, [], at(NOON), tracker.tz)
    assert "my_name" not in values
    text = "Hi Dana, {my_name} here. Still good for Tuesday at 10?"
    result = check_text(dana, [], text, at(NOON), unnamed, tracker.tz)
    assert rules(result) == {"your_name": "tip", "unfilled_field": "block"}
    unfilled = next(f for f in result.findings if f.rule == "unfilled_field")
    assert "set your name ([coach] my_name)" in unfilled.reason
