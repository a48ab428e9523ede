"""The message coach: counting, every guardrail on passing and failing drafts, templates,
and the CLI contract (check's JSON and exit codes; log and invite refusing blocks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, person, touch
from tracker.coach.checks import check_note, check_text
from tracker.coach.sms import measure
from tracker.coach.templates import BUILTIN, contact_fields, load_templates, render
from tracker.config import Settings
from tracker.models import Channel, Contact, Moment, Relationship

NAMED = Settings(timezone="America/Chicago", my_name="Sam Seller")
NOON = "2026-11-23T12:00"


def rules(result) -> set[str]:
    return {f.rule for f in result.findings}


# -- counting -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters count two septets
        ("€" * 81, "GSM-7", 2),
        ("😀" + "a" * 68, "UCS-2", 1),  # an emoji is two UTF-16 units: 70
        ("😀" + "a" * 69, "UCS-2", 2),  # 71
        ("It’s" + "a" * 66, "UCS-2", 1),  # a curly quote forces UCS-2
        ("It’s" + "a" * 67, "UCS-2", 2),
        ("", "GSM-7", 0),
    ],
)
def test_segments(text, encoding, segments):
    length = measure(text)
    assert (length.encoding, length.segments) == (encoding, segments)


# -- texts ----------------------------------------------------------------------------
def _text_check(tracker, contact, text, when=NOON, settings=NAMED):
    history = tracker.store.touches_for(contact.id)
    return check_text(
        tracker.store.get_contact(contact.id), history, text, at(when), settings, tracker.tz
    )


GOOD_TEXT = "Hi Dana, Sam Seller here. Still good for Tuesday at 10?"


def test_a_good_text_passes(tracker):
    dana = person(tracker, phone="+13125550142")
    assert _text_check(tracker, dana, GOOD_TEXT).findings == []


def test_opted_out_blocks(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-20T10:00", inbound=True, text="STOP")
    result = _text_check(tracker, dana, GOOD_TEXT)
    assert result.blocked
    assert "opted out of texts on 2026-11-20" in result.findings[0].reason


def test_two_unanswered_texts_block_with_no_age_condition(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-23T09:00")
    assert not _text_check(tracker, dana, GOOD_TEXT).blocked
    touch(tracker, dana, "sms", "2026-11-23T11:00")
    result = _text_check(tracker, dana, GOOD_TEXT)
    assert result.blocked and "step_back" in rules(result)


def test_fresh_opt_in_without_call_or_email_warns(tracker):
    dana = person(tracker, phone="+13125550142")
    tracker.opt_in(dana, at("2026-11-23T08:00"))
    assert "fresh_opt_in" in rules(_text_check(tracker, dana, GOOD_TEXT))
    assert "fresh_opt_in" not in rules(_text_check(tracker, dana, GOOD_TEXT, "2026-11-24T09:00"))
    touch(tracker, dana, "call", "2026-11-23T09:00")
    assert "fresh_opt_in" not in rules(_text_check(tracker, dana, GOOD_TEXT))


def test_name_yourself_until_they_reply(tracker):
    dana = person(tracker, phone="+13125550142")
    assert "your_name" in rules(_text_check(tracker, dana, "Hi Dana, Sam here. Tuesday?"))
    touch(tracker, dana, "email", "2026-11-20T10:00", inbound=True)
    assert "your_name" not in rules(_text_check(tracker, dana, "Hi Dana, Sam here. Tuesday?"))


def test_name_check_is_a_tip_while_my_name_is_unset(tracker):
    dana = person(tracker, phone="+13125550142")
    result = _text_check(tracker, dana, GOOD_TEXT, settings=Settings())
    assert [(f.rule, f.severity.value) for f in result.findings] == [("your_name", "tip")]


def test_call_to_action(tracker):
    dana = person(tracker, phone="+13125550142")
    result = _text_check(tracker, dana, "Hi Dana, Sam Seller here. Great to meet you.")
    assert "call_to_action" in rules(result)


def test_long_and_ucs2_texts(tracker):
    dana = person(tracker, phone="+13125550142")
    long = GOOD_TEXT + " " + "x" * (161 - len(GOOD_TEXT) - 1)
    assert len(long) == 161
    assert "length" in rules(_text_check(tracker, dana, long))
    assert "length" not in rules(_text_check(tracker, dana, long[:160]))
    emoji = _text_check(tracker, dana, "Hi Dana 😀 Sam Seller here. Tuesday?")
    finding = next(f for f in emoji.findings if f.rule == "encoding")
    assert finding.severity.value == "tip" and finding.span == (8, 9)


def test_quiet_hours_in_the_recipients_zone(tracker):
    chicago = person(tracker, "Dana Fictional", phone="+13125550142")
    london = person(tracker, "Ali Khan", phone="+442079460958")
    # 20:30 in Chicago is fine there but 02:30 in London.
    assert "quiet_hours" not in rules(_text_check(tracker, chicago, GOOD_TEXT, "2026-11-23T20:30"))
    assert "quiet_hours" in rules(_text_check(tracker, london, GOOD_TEXT, "2026-11-23T20:30"))
    # 21:00 is inside, 21:01 outside (inclusive hours).
    assert "quiet_hours" not in rules(_text_check(tracker, chicago, GOOD_TEXT, "2026-11-23T21:00"))
    assert "quiet_hours" in rules(_text_check(tracker, chicago, GOOD_TEXT, "2026-11-23T21:01"))
    assert "quiet_hours" in rules(_text_check(tracker, chicago, GOOD_TEXT, "2026-11-23T07:59"))


# -- connection notes -----------------------------------------------------------------
def _contact(relationship: Relationship | None = None) -> Contact:
    return Contact(
        id=1,
        name="Dana Fictional",
        first_name="Dana",
        company="Northwind",
        relationship=relationship,
    )


GOOD_NOTE = (
    "Hi Dana, it was good to meet you at the Chicago SaaS meetup last night. I "
    "enjoyed hearing how Northwind runs procurement and would be glad to stay in "
    "touch here."
)


def test_a_good_note_passes():
    assert check_note(_contact(), GOOD_NOTE, Settings()).findings == []


def test_note_limit_300_vs_301():
    base = "Hi Dana, we met at the expo. " + "word " * 40
    ok = (base + "z" * 300)[:300]
    over = (base + "z" * 301)[:301]
    assert "note_limit" not in rules(check_note(_contact(), ok, Settings()))
    result = check_note(_contact(), over, Settings())
    assert result.blocked and "note_limit" in rules(result)
    free = check_note(_contact(), ok[:201], Settings(note_limit=200))
    assert free.blocked


def test_word_ranges_by_relationship():
    words = [
        "Hi",
        "Dana,",
        "we",
        "met",
        "at",
        "the",
        "expo",
        "and",
        "I",
        "enjoyed",
        "talking",
        "about",
        "procurement",
        "with",
        "you",
        "there",
        "yesterday",
        "afternoon,",
        "thank",
        "you.",
    ]
    assert len(words) == 20
    twenty, nineteen = " ".join(words), " ".join(words[:19])
    assert "word_count" not in rules(check_note(_contact(), twenty, Settings()))
    assert "word_count" in rules(check_note(_contact(), nineteen, Settings()))
    fifty_one = twenty + " and" * 31
    assert "word_count" in rules(check_note(_contact(), fifty_one, Settings()))
    # Reconnecting with a former colleague: 10-30 words, so 19 is fine and 31 is not.
    colleague = _contact(Relationship.FORMER_COLLEAGUE)
    assert "word_count" not in rules(check_note(colleague, nineteen, Settings()))
    assert "word_count" in rules(check_note(colleague, twenty + " x" * 11, Settings()))


def test_default_text_is_flagged():
    result = check_note(
        _contact(), "I’d like to add you to my professional network on LinkedIn.", Settings()
    )
    assert "default_text" in rules(result)
    assert "greeting" in rules(result) and "context" in rules(result)


@pytest.mark.parametrize(
    ("note", "rule"),
    [
        (
            "Hello there, we met at the expo and I would love to connect and keep in touch "
            "about procurement topics going forward.",
            "greeting",
        ),
        (
            "Hi Dana, I would love to connect with you and keep in touch about procurement "
            "topics going forward this year.",
            "context",
        ),
        (
            "Hi Dana, we met at the expo. Could I book a call to show you a demo of our "
            "platform next week?",
            "pitch",
        ),
        (
            "Hi Dana, we met at the expo. What is your email address so I can send the "
            "slides over to you?",
            "asks_contact_info",
        ),
        (
            "Hi Dana, we met at the expo. Would love to connect, thx for the chat and let me "
            "know if u are around.",
            "abbreviation",
        ),
        (
            "Hi Dana, we met at the the expo and I would love to connect and keep in touch "
            "about procurement topics.",
            "doubled_word",
        ),
    ],
)
def test_note_rules(note, rule):
    result = check_note(_contact(), note, Settings())
    assert rule in rules(result)
    finding = next(f for f in result.findings if f.rule == rule)
    if finding.span:
        start, end = finding.span
        assert note[start:end]


def test_no_note_at_all_is_legitimate():
    assert check_note(_contact(), "", Settings()).findings == []


# -- templates ------------------------------------------------------------------------
VALUES = {
    "event": "the Chicago SaaS meetup",
    "mutual": "Priya Shah",
    "topic": "supplier scorecards",
    "next_step": "Tuesday at 10",
    "call_day": "yesterday",
}


@pytest.mark.parametrize("moment", [m for m in Moment if m is not Moment.COLD])
def test_a_note_template_for_each_moment_passes_every_check(moment):
    template = next(
        t for t in BUILTIN if t.moment is moment and t.channel.value == "linkedin_invite"
    )
    contact = _contact()
    values = contact_fields(contact, NAMED) | VALUES
    text, missing = render(template, values)
    assert missing == []
    assert check_note(contact, text, NAMED).findings == [], text


def test_unfilled_fields_are_kept_and_flagged():
    template = next(t for t in BUILTIN if t.name == "note-before-event")
    text, missing = render(template, contact_fields(_contact(), NAMED))
    assert missing == ["event"]
    result = check_note(_contact(), text, NAMED)
    flagged = [f for f in result.findings if f.rule == "unfilled_field"]
    assert flagged and text[slice(*flagged[0].span)] == "{event}"


def test_user_templates_override_and_bad_files_are_errors(outreach_home: Path):
    path = outreach_home / "templates.toml"
    path.write_text(
        '[[template]]\nname = "note-cold"\nchannel = "linkedin_invite"\n'
        'moment = "cold"\ntext = "Hi {first_name}, mine."\n',
        encoding="utf-8",
    )
    found = load_templates()
    assert found["note-cold"].text == "Hi {first_name}, mine." and not found["note-cold"].builtin
    path.write_text('[[template]]\nname = "x"\nchannel = "fax"\ntext = "t"\n')
    from tracker.errors import UsageError

    with pytest.raises(UsageError, match=r"templates.toml: template 1 \(x\)"):
        load_templates()


# -- the CLI --------------------------------------------------------------------------
@pytest.fixture
def run(tmp_path: Path, outreach_home: Path) -> Outreach:
    (outreach_home / "config.toml").write_text(
        '[review]\ntimezone = "America/Chicago"\n[coach]\nmy_name = "Sam Seller"\n'
    )
    return Outreach(tmp_path / "coach.db")


def test_check_json_contract_and_exit_codes(run: Outreach):
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    result = run(
        "check", "1", "--channel", "sms", "--at", "2026-11-23T12:00", "--format", "json", GOOD_TEXT
    )
    data = json.loads(result.stdout)
    assert data["counters"] == {
        "characters": len(GOOD_TEXT),
        "words": 11,
        "encoding": "GSM-7",
        "segments": 1,
    }
    assert data["findings"] == []
    run("opt-out", "1", "--at", "2026-11-01")
    blocked = run(
        "check",
        "1",
        "--channel",
        "sms",
        "--at",
        "2026-11-23T12:00",
        "--format",
        "json",
        GOOD_TEXT,
        code=1,
    )
    finding = json.loads(blocked.stdout)["findings"][0]
    assert finding == {
        "severity": "block",
        "rule": "opted_out",
        "span": None,
        "reason": finding["reason"],
    }
    piped = run("check", "1", "--channel", "sms", input=GOOD_TEXT + "\n", code=1)
    assert "block" in piped.stdout and "opted out of texts" in piped.stdout
    assert "opted_out" not in piped.stdout  # the rule's code is for scripts (JSON) only


@pytest.mark.parametrize("channel", ["whatsapp", "email", "linkedin_message", "linkedin_invite"])
def test_only_a_text_counts_sms_segments(run: Outreach, channel: str):
    run("add", "Dana Fictional", "--phone", "312-555-0142", "--email", "dana@example.com")
    emoji = "Hi Dana, does Tuesday work? 👍"  # UCS-2, were it a text
    data = run.json("check", "1", "--channel", channel, "--format", "json", emoji)
    assert data["counters"] == {
        "characters": len(emoji),
        "words": 6,
        "encoding": None,
        "segments": None,
    }
    shown = run("check", "1", "--channel", channel, emoji).stdout
    assert shown.splitlines()[0] == f"{len(emoji)} characters, 6 words"
    text = run.json("check", "1", "--channel", "sms", "--format", "json", emoji)
    assert (text["counters"]["encoding"], text["counters"]["segments"]) == ("UCS-2", 1)


def test_log_refuses_a_blocked_text_unless_forced(run: Outreach):
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    run("log", "sms", "1", "--at", "2026-11-20T10:00", "--text", GOOD_TEXT)
    run("log", "sms", "1", "--at", "2026-11-21T10:00", "--text", GOOD_TEXT)
    before = run.db.read_bytes()
    refused = run("log", "sms", "1", "--at", "2026-11-23T10:00", "--text", GOOD_TEXT, code=1)
    assert refused.stderr.startswith("outreach: error: refused: 2 texts in a row unanswered")
    assert run.db.read_bytes() == before
    run("log", "sms", "1", "--at", "2026-11-23T10:00", "--text", GOOD_TEXT, "--force")
    assert len(run.json("show", "1", "--format", "json")["touches"]) == 3


def test_invite_refuses_a_note_over_the_limit(run: Outreach):
    run("add", "Dana Fictional")
    run("invite", "1", "--note", "Hi Dana " + "x" * 300, code=1)
    run("invite", "1", "--note", "Hi Dana " + "x" * 300, "--force")


def test_draft_prints_the_text_alone(run: Outreach):
    run("add", "Dana Fictional", "--company", "Northwind", "--relationship", "stranger")
    result = run(
        "draft",
        "1",
        "--channel",
        "linkedin_invite",
        "--moment",
        "after_event",
        "--field",
        "event=the Chicago SaaS meetup",
    )
    text = result.stdout.strip()
    assert text.startswith("Hi Dana, it was good to meet you at the Chicago SaaS meetup.")
    assert "template: note-after-event" in result.stderr
    assert run("check", "1", "--channel", "linkedin_invite", text).stdout.endswith(
        "ok: no findings\n"
    )
    unfilled = run("draft", "1", "--channel", "linkedin_invite", "--moment", "before_event", code=2)
    assert "note-before-event needs {event}: give it with --field event=VALUE" in unfilled.stderr
    assert not unfilled.stdout
    sms = run("draft", "1", "--channel", "sms", "--template", "text-intro")
    assert "this is Sam Seller" in sms.stdout
    run("draft", "1", "--channel", "sms", "--template", "nope", code=2)
    run("draft", "1", "--channel", "sms", "--template", "note-cold", code=2)


def test_draft_after_a_call_picks_the_after_call_text(run: Outreach):
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    run("log", "call", "1", "--at", "2026-11-23T09:00")
    result = run("draft", "1", "--channel", "sms", "--field", "next_step=Tuesday at 10")
    assert "template: text-after-call" in result.stderr
    assert "Does Tuesday at 10 still work for you?" in result.stdout


def test_templates_lists_all(run: Outreach):
    out = run("templates").stdout
    for template in BUILTIN:
        assert template.name in out
    assert Channel.SMS.value in out
