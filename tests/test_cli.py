"""The CLI as a user (or a script) drives it, through CliRunner on a temporary folder."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.cli_helpers import Outreach
from tracker.cli import cli


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    return Outreach(tmp_path / "cli.db")


def _history(run: Outreach) -> None:
    """A scripted week of outreach (dates are local, America/Chicago)."""
    assert (
        run(
            "add",
            "Dana Fictional",
            "--phone",
            "(312) 555-0142",
            "--company",
            "Northwind",
            "--segment",
            "decision_maker",
            "--tag",
            "expo",
        ).stdout
        == "1\n"
    )
    run(
        "add",
        "Sam Seller",
        "--email",
        "sam@example.com",
        "--linkedin",
        "linkedin.com/in/Sam-Seller",
    )
    run("add", "Lee Park", "--phone", "+1 415 555 0100", "--keep-in-touch", "30")
    run("add", "Ana Ruiz", "--linkedin", "https://www.linkedin.com/in/ana-ruiz")
    run("add", "Kim Cho", "--phone", "312-555-0199")
    run(
        "invite",
        "Dana Fictional",
        "--note",
        "Hi Dana, great meeting you at the expo",
        "--at",
        "2026-11-07T10:00",
    )
    run(
        "log",
        "sms",
        "312 555 0142",
        "--text",
        "Hi Dana, Sam Seller here",
        "--at",
        "2026-11-15T10:00",
    )
    run(
        "log",
        "sms",
        "Dana Fictional",
        "--text",
        "Still good for Tuesday?",
        "--at",
        "2026-11-18T10:00",
    )
    run(
        "log", "email", "sam@example.com", "--text", "Proposal attached", "--at", "2026-11-19T09:00"
    )
    run("log", "meeting", "Lee Park", "--at", "2026-10-01T12:00")
    run("invite", "Ana Ruiz", "--at", "2026-11-10T09:00")
    run("accepted", "Ana Ruiz", "--at", "2026-11-20T09:00")
    run("log", "call", "Kim Cho", "--in", "--at", "2026-11-22T16:00")
    run("log", "sms", "Kim Cho", "--at", "2026-11-21T10:00", "--text", "Call tomorrow?")
    run(
        "follow-up",
        "Sam Seller",
        "--on",
        "2026-11-23",
        "--reason",
        "send the deck",
        "--at",
        "2026-11-19T09:05",
    )


def test_scripted_history_gives_the_predicted_queue(run: Outreach):
    _history(run)
    items = run.json("review", "--as-of", "2026-11-23", "--format", "json")
    got = [(i["kind"], i["contact"], i["age_days"]) for i in items]
    assert got == [
        ("thank_new_connection", "Ana Ruiz", 3),
        ("after_call_text", "Kim Cho", 1),
        ("follow_up_due", "Sam Seller", 0),
        ("no_reply", "Sam Seller", 4),
        ("step_back", "Dana Fictional", 8),
        ("stale_invite", "Dana Fictional", 16),
        ("keep_in_touch", "Lee Park", 53),
    ]
    first = items[0]
    assert set(first) >= {"kind", "contact_id", "contact", "since", "age_days", "action"}
    assert first["since"] == "2026-11-20T09:00:00-06:00"
    assert isinstance(first["contact_id"], int)
    table = run("review", "--as-of", "2026-11-23").stdout
    titles = ["Thank for connecting", "Text after the call", "Follow-up due"]
    titles += ["No reply to your email", "Stop texting: 2 unanswered", "Stale invitation"]
    titles += ["Keep in touch"]
    for title, (kind, contact, _) in zip(titles, got, strict=True):
        assert title in table and contact in table and kind not in table
    assert "7 items due" in table
    csv_text = run("review", "--as-of", "2026-11-23", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("kind,contact_id,contact")
    assert len(csv_text.strip().splitlines()) == 8


def test_show_and_list(run: Outreach):
    _history(run)
    shown = run("show", "Dana Fictional").stdout
    assert "Northwind" in shown and "+1 312-555-0142" in shown
    assert shown.index("Still good for Tuesday?") < shown.index("Hi Dana, Sam Seller here")
    listed = run("list", "--tag", "expo").stdout
    assert "Dana Fictional" in listed and "Sam Seller" not in listed
    data = run.json("list", "--search", "north", "--format", "json")
    assert [r["name"] for r in data] == ["Dana Fictional"]
    assert data[0]["invitation"] == "pending"


def test_edit_changes_fields_and_tags(run: Outreach):
    run("add", "Dana Fictional", "--tag", "a")
    run("edit", "1", "--company", "Contoso", "--add-tag", "b", "--segment", "champion")
    data = run.json("show", "1", "--format", "json")
    assert data["company"] == "Contoso"
    assert data["tags"] == ["a", "b"]
    assert data["segment"] == "champion"
    run("edit", "1", "--company", "")
    assert run.json("show", "1", "--format", "json")["company"] == ""


def test_a_tag_keeps_no_control_character(run: Outreach):
    # The store packs a contact's tags with a control character: one inside a tag would
    # have split it in two when read back.
    run("add", "Dana Fictional", "--tag", "trade\x1fshow", "--tag", " q4\tlead ", "--tag", "\x1e")
    assert run.json("show", "1", "--format", "json")["tags"] == ["q4 lead", "trade show"]
    run("edit", "1", "--add-tag", "expo\n2026")
    assert run.json("show", "1", "--format", "json")["tags"] == [
        "expo 2026",
        "q4 lead",
        "trade show",
    ]
    assert [r["tags"] for r in run.json("list", "--format", "json")] == [
        ["expo 2026", "q4 lead", "trade show"]
    ]
    run("edit", "1", "--remove-tag", "q4\tlead")  # as typed the first time
    assert run.json("show", "1", "--format", "json")["tags"] == ["expo 2026", "trade show"]


def test_withdraw_then_resend_after_21_days(run: Outreach):
    run("add", "Dana Fictional")
    run("invite", "1", "--at", "2026-10-01")
    run("withdraw", "1", "--at", "2026-10-20T15:00")
    assert run.json("review", "--as-of", "2026-11-09", "--format", "json") == []
    items = run.json("review", "--as-of", "2026-11-10", "--format", "json")
    assert [i["kind"] for i in items] == ["resend_invite"]


def test_snooze_and_opt_out(run: Outreach):
    run("add", "Dana Fictional", "--phone", "3125550142")
    run("log", "sms", "1", "--at", "2026-11-10")
    run("opt-out", "1", "--at", "2026-11-11")
    assert run.json("review", "--as-of", "2026-11-23", "--format", "json") == []
    run("opt-in", "1", "--at", "2026-11-12")
    assert len(run.json("review", "--as-of", "2026-11-23", "--format", "json")) == 1
    run("snooze", "1", "unanswered-text", "--until", "2099-01-01")
    assert run.json("review", "--format", "json") == []


BAD_INPUT = [
    (("log", "sms", "Nobody Here"), "unknown contact 'Nobody Here'"),
    (("log", "fax", "1"), "unknown channel 'fax'"),
    (("log", "sms", "1", "--at", "yesterday-ish"), "invalid date 'yesterday-ish'"),
    (("log", "sms", "1", "--at", "2026-13-01"), "invalid date '2026-13-01'"),
    (("log", "call", "1", "--status", "busy"), "unknown call status 'busy'"),
    (("log", "sms", "1", "--status", "accepted"), "takes no status"),
    (("log", "sms", "1", "--moment", "whenever"), "unknown moment 'whenever'"),
    (("add", "Someone", "--phone", "12"), "invalid phone number '12'"),
    (("add", "Someone", "--phone", "+1 555 0100"), "invalid phone number"),
    (("add", "Someone", "--email", "not-an-email"), "invalid email 'not-an-email'"),
    (("add", "Someone", "--linkedin", "https://example.com/in/x"), "invalid LinkedIn URL"),
    (("add", "Someone", "--segment", "vip"), "unknown segment 'vip'"),
    (("add", "Someone", "--keep-in-touch", "soon"), "keep-in-touch must be a number"),
    (("add", "Dana Twin", "--phone", "312-555-0142"), "already belongs to contact 1"),
    (("edit", "1", "--phone", "nope"), "invalid phone number 'nope'"),
    (("accepted", "1"), "no pending invitation"),
    (("withdraw", "1"), "no pending invitation"),
    (("snooze", "1", "someday", "--until", "2099-01-01"), "unknown kind 'someday'"),
    (("snooze", "1", "stale_invite", "--until", "2020-01-01"), "--until must be after today"),
    (("snooze", "1", "stale_invite", "--until", "soon"), "invalid date 'soon'"),
    (("follow-up", "1"), "exactly one of --on DATE, --in DAYS or --clear"),
    (("follow-up", "1", "--on", "2026-02-30"), "invalid date '2026-02-30'"),
    (("review", "--as-of", "last week"), "invalid date 'last week'"),
    (("review", "--format", "xml"), "xml"),
    (("show", "99"), "unknown contact '99'"),
    (("export", "contacts", "--out", "/nonexistent-dir/x.csv"), "no such folder"),
    (("delete-touch", "999"), "no touch with id 999"),
    (("frobnicate",), "No such command"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(run: Outreach, args, message):
    run("add", "Dana Fictional", "--phone", "312-555-0142")
    run("log", "sms", "1", "--at", "2026-11-01")
    before = run.db.read_bytes()
    result = run(*args, code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert lines[0].startswith("outreach: error: ")
    assert result.stdout == ""
    assert run.db.read_bytes() == before


def test_ambiguous_contact_lists_candidates(run: Outreach):
    run("add", "Alex Kim")
    run("add", "Alex Kim", "--email", "alex@example.com")
    result = run("log", "sms", "alex kim", code=2)
    assert "matches 2 contacts: 1 (Alex Kim), 2 (Alex Kim)" in result.stderr


def test_every_command_has_help():
    def walk(command: click.Command, path: list[str]):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    runner = click.testing.CliRunner()
    for path, command in walk(cli, []):
        assert command.help or command.short_help, f"{path} has no help"
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.output


def test_default_database_lives_in_outreach_home(outreach_home: Path):
    runner = click.testing.CliRunner()
    result = runner.invoke(cli, ["add", "Dana Fictional"])
    assert result.exit_code == 0, result.output
    assert (outreach_home / "outreach.db").exists()


def test_bad_config_is_a_clear_error(outreach_home: Path):
    (outreach_home / "config.toml").write_text("[review]\nstale_days = 3\n")
    result = click.testing.CliRunner().invoke(cli, ["review"])
    assert result.exit_code == 2
    assert "unknown setting [review] stale_days" in result.stderr


def test_the_app_without_a_terminal_says_so_and_exits_2(tmp_path):
    """Under cron or in a pipe, `outreach` must not start an app nobody sees and wait."""
    import os
    import subprocess
    import sys

    home = tmp_path / "fresh"
    env = {**os.environ, "OUTREACH_HOME": str(home)}
    for args in ([], ["app"]):
        result = subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "needs a terminal" in result.stderr and "outreach review" in result.stderr
    assert not home.exists()  # nothing created
