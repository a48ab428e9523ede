"""Sequences from the command line: enroll, unenroll, pause, resume, ``done`` on a step,
``outreach sequences`` (table and JSON) and ``outreach show``."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli_helpers import Outreach

TZ = ZoneInfo("America/Chicago")


@pytest.fixture
def outreach(tmp_path: Path) -> Outreach:
    run = Outreach(tmp_path / "outreach.db")
    run("add", "Dana Fictional", "--phone", "+13125550142", "--email", "dana@example.com")
    run("add", "Lee Example", "--phone", "+12065550123")
    run("add", "Priya Sample", "--linkedin", "https://www.linkedin.com/in/priya-sample")
    return run


def days_ago(days: int) -> str:
    return (datetime.now(TZ).date() - timedelta(days=days)).isoformat()


def test_enroll_one_or_several(outreach: Outreach):
    said = outreach("enroll", "Dana Fictional", "call-first").stdout
    assert said.startswith("Dana Fictional enrolled in call-first, starting ")
    result = outreach("enroll", "Dana Fictional", "Lee Example", "call-first")
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "Lee Example enrolled in call-first, starting " + lines[0].split("starting ")[1]
    )
    assert lines[1].startswith("skipped Dana Fictional: already in call-first (active, step 1 of 5")
    assert lines[2] == "1 changed, 1 skipped"
    refused = outreach("enroll", "Dana Fictional", "linkedin-first", code=1)
    assert "Dana Fictional: already in call-first" in refused.stderr
    assert "no sequence 'nope'" in outreach("enroll", "Priya Sample", "nope", code=2).stderr
    assert "give one or more contacts" in outreach("enroll", "call-first", code=2).stderr
    review = outreach.json("review", "--format", "json")
    steps = [r for r in review if r["kind"] == "sequence_step"]
    assert [r["contact"] for r in steps] == ["Dana Fictional", "Lee Example"]
    assert steps[0]["reason"].startswith("call-first, step 1 of 5: Call; due today")


def test_done_does_the_step(outreach: Outreach):
    outreach("enroll", "Dana Fictional", "call-first", "--start", days_ago(2))
    said = outreach("done", "Dana Fictional", "sequence_step").stdout
    assert said == "sequence_step for Dana Fictional done; the next step follows\n"
    shown = outreach("show", "Dana Fictional").stdout
    assert "  1. Call (call): done today (marked done)" in shown
    assert "  2. Text: thanks, and the next step (text): due today" in shown


def test_a_logged_reply_ends_it_and_sequences_says_so(outreach: Outreach):
    outreach("enroll", "Dana Fictional", "call-first", "--start", days_ago(3))
    outreach("log", "call", "Dana Fictional", "--at", f"{days_ago(3)}T10:00")
    outreach("log", "email", "Dana Fictional", "--in", "--at", f"{days_ago(2)}T09:00")
    found = outreach.json("sequences", "--format", "json")
    assert [s["name"] for s in found] == ["linkedin-first", "call-first"]
    call_first = found[1]
    assert {k: call_first[k] for k in ("enrolled", "active", "replied")} == {
        "enrolled": 1,
        "active": 0,
        "replied": 1,
    }
    first, second, invite = call_first["steps"][:3]
    assert {k: first[k] for k in ("channel", "reached", "done", "skipped", "replied_after")} == {
        "channel": "call",
        "reached": 1,
        "done": 1,
        "skipped": 0,
        "replied_after": 1,
    }
    assert second["reached"] == 0 and "acceptance" not in second
    assert invite["acceptance"] == {
        "sent": 0,
        "accepted": 0,
        "not_accepted": 0,
        "waiting": 0,
        "rate": None,
    }
    (enrollment,) = call_first["enrollments"]
    assert enrollment["contact"] == "Dana Fictional" and enrollment["status"] == "replied"
    assert enrollment["end"]["reason"] == f"replied by email on {days_ago(2)}"
    table = outreach("sequences").stdout
    assert "call-first (built-in)" in table
    assert f"ended replied: replied by email on {days_ago(2)}" in table


def test_skips_are_listed_with_their_reason(outreach: Outreach):
    outreach("opt-out", "Dana Fictional")
    outreach("enroll", "Dana Fictional", "call-first", "--start", days_ago(1))
    outreach("log", "call", "Dana Fictional", "--at", f"{days_ago(1)}T10:00")
    found = outreach.json("sequences", "--format", "json")[1]
    (enrollment,) = found["enrollments"]
    assert [(s["step"], s["reason"]) for s in enrollment["skips"]] == [(2, "opted out of texts")]
    assert found["steps"][1]["skipped"] == 1


def test_unenroll_pause_and_resume(outreach: Outreach):
    outreach("enroll", "Dana Fictional", "Lee Example", "call-first", "--start", days_ago(1))
    assert "not in a sequence" in outreach("unenroll", "Priya Sample", code=1).stderr
    said = outreach("unenroll", "Lee Example", "--reason", "asked not to be contacted").stdout
    assert said == "Lee Example: sequence ended\n"
    assert "Lee Example: call-first exited" in outreach("unenroll", "Lee Example", code=1).stderr
    assert (
        "give contacts or --all"
        in outreach("pause", "Dana Fictional", "--all", "--until", "+3d", code=2).stderr
    )
    assert "--until must be after" in outreach("pause", "--all", "--until", "today", code=2).stderr
    paused = outreach("pause", "--all", "--until", "+7d").stdout
    assert paused.startswith("Dana Fictional: paused until ")
    assert paused.endswith("1 changed\n")
    review = outreach.json("review", "--format", "json")
    assert [r for r in review if r["kind"] == "sequence_step"] == []
    plan = outreach.json("show", "Dana Fictional", "--format", "json")["sequence"]
    assert plan["status"] == "paused" and plan["paused_until"]
    assert outreach("resume", "Dana Fictional").stdout == "Dana Fictional: resumed\n"
    review = outreach.json("review", "--format", "json")
    assert [r["contact"] for r in review if r["kind"] == "sequence_step"] == ["Dana Fictional"]


def test_show_lists_the_plan(outreach: Outreach):
    assert "Sequence: none" in outreach("show", "Priya Sample").stdout
    outreach("enroll", "Priya Sample", "linkedin-first", "--start", days_ago(0))
    shown = outreach("show", "Priya Sample").stdout
    assert f"Sequence: linkedin-first, since {days_ago(0)}" in shown
    assert "  active, step 1 of 5 due today" in shown
    assert "  2. Thank them and add value (LinkedIn message): 1 business day later" in shown
    data = outreach.json("show", "Priya Sample", "--format", "json")["sequence"]
    assert data["name"] == "linkedin-first"
    assert data["next"] == {
        "step": 1,
        "title": "Invite with a note",
        "channel": "linkedin_invite",
        "due": days_ago(0),
        "waiting": False,
    }


def test_migrate_moves_running_enrollments(outreach: Outreach, outreach_home: Path):
    text = (
        '[sequences.quick]\n[[sequences.quick.steps]]\nchannel = "call"\n'
        '[[sequences.quick.steps]]\nchannel = "email"\nafter = "{after}"\n'
    )
    (outreach_home / "sequences.toml").write_text(text.format(after="1d"))
    outreach("enroll", "Dana Fictional", "quick")
    assert outreach("enroll", "--migrate", "quick").stdout == (
        "every enrollment in quick runs its current version\n"
    )
    (outreach_home / "sequences.toml").write_text(text.format(after="2d"))
    assert "1 running enrollment on an older version" in outreach("sequences", "check").stdout
    said = outreach("enroll", "--migrate", "quick").stdout
    assert said.startswith("Dana Fictional: moved to the current version of quick")
    assert "older version" not in outreach("sequences", "check").stdout
