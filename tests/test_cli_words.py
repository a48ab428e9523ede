"""The CLI in plain words and without surprises: contacts named by first name, read-only
commands on a fresh machine, exports (stdout, no silent overwrite, filters), the review's
messages, the streak, phone numbers from another region, and no internal codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_helpers import Outreach
from tracker.cli import cli


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    return Outreach(tmp_path / "cli.db")


# -- contacts named by first name or the start of the name ----------------------------
def test_one_contact_by_first_name_resolves_and_says_who(run: Outreach):
    run("add", "Dana Fictional", "--company", "Northwind", "--phone", "(312) 555-0142")
    run("add", "Sam Seller")
    logged = run("log", "sms", "Dana", "--text", "Still good for Tuesday?")
    assert logged.stdout == "1\n"  # the touch's id, alone on stdout
    assert "'Dana' is Dana Fictional, Northwind (#1)" in logged.stderr
    started = run("show", "dana fic")  # the start of the name, any case
    assert "'dana fic' is Dana Fictional" in started.stderr
    assert "Still good for Tuesday?" in started.stdout
    exact = run("show", "Dana Fictional")
    assert exact.stderr == ""  # a full name needs no saying


def test_several_by_first_name_are_listed_with_company_and_phone(run: Outreach):
    run("add", "Dana Fictional", "--company", "Northwind", "--phone", "(312) 555-0142")
    run("add", "Dana Lee", "--company", "Acme")
    result = run("log", "sms", "Dana", code=2)
    assert (
        "'Dana' matches 2 contacts by name: 1 (Dana Fictional, Northwind, +1 312-555-0142), "
        "2 (Dana Lee, Acme)" in result.stderr
    )
    run("add", "Dana Fictional", "--company", "Contoso")
    same_name = run("show", "Dana Fictional", code=2)
    assert "1 (Dana Fictional, Northwind, +1 312-555-0142), 3 (Dana Fictional, Contoso)" in (
        same_name.stderr
    )


def test_a_name_that_only_contains_the_text_is_not_taken(run: Outreach):
    run("add", "Dana Fictional")
    result = run("show", "ana", code=2)
    assert "unknown contact 'ana'; 1 close by name" in result.stderr
    assert "unknown contact '4'" in run("show", "4", code=2).stderr  # a number is an id


# -- commands that only read create nothing --------------------------------------------
READS = [
    ["info"],
    ["review"],
    ["review", "--format", "json"],
    ["review", "--format", "markdown"],
    ["list"],
    ["list", "--format", "json"],
    ["stats", "--format", "json"],
    ["settings"],
    ["export", "touches"],
    ["duplicates"],
    ["health"],
    ["health", "--format", "json"],
    ["export", "calendar"],
]


@pytest.mark.parametrize("args", READS)
def test_reading_on_a_fresh_machine_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
):
    home = tmp_path / "fresh" / "outreach"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "fresh").exists()
    if args[0] != "settings":
        assert "no data yet" in result.stderr
    if "json" in args and args[0] in ("review", "list"):
        assert result.stdout.strip() == "[]"


def test_show_on_a_fresh_machine_is_an_unknown_contact(tmp_path: Path):
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "show", "Dana"])
    assert result.exit_code == 2
    assert "no data yet" in result.stderr and "unknown contact 'Dana'" in result.stderr
    assert not db.exists()


def test_info_says_where_the_database_will_be(tmp_path: Path):
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "info"])
    assert result.exit_code == 0
    assert f"database:  {db} (none yet)" in result.stdout
    assert not db.exists()


def test_writing_still_creates_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "fresh"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    assert CliRunner().invoke(cli, ["add", "Dana Fictional"]).exit_code == 0
    assert (home / "outreach.db").exists()


# -- exports ---------------------------------------------------------------------------
def _two_people(run: Outreach) -> None:
    run("add", "Dana Fictional", "--tag", "expo", "--segment", "decision_maker")
    run("add", "Sam Seller", "--tag", "web")
    run("log", "email", "Dana Fictional", "--at", "2026-11-02T10:00", "--text", "old")
    run("log", "email", "Dana Fictional", "--at", "2026-11-20T10:00", "--text", "new")
    run("log", "email", "Sam Seller", "--at", "2026-11-21T10:00", "--text", "hello")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_out_dash_is_standard_output(run: Outreach, tmp_path: Path, monkeypatch):
    _two_people(run)
    monkeypatch.chdir(tmp_path)
    result = run("export", "touches", "--out", "-")
    assert [r["text"] for r in rows(result.stdout)] == ["old", "new", "hello"]
    assert not (tmp_path / "-").exists()
    assert run("export", "review", "-o", "-").stdout.startswith("kind,contact_id")


def test_an_existing_file_is_replaced_only_with_force(run: Outreach, tmp_path: Path):
    _two_people(run)
    target = tmp_path / "touches.csv"
    target.write_text("precious\n", encoding="utf-8")
    refused = run("export", "touches", "--out", str(target), code=1)
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "precious\n"
    run("export", "touches", "--out", str(target), "--force")
    assert len(rows(target.read_text(encoding="utf-8"))) == 3


def test_exports_take_tag_segment_and_since(run: Outreach):
    _two_people(run)
    by_tag = rows(run("export", "touches", "--tag", "expo").stdout)
    assert [r["text"] for r in by_tag] == ["old", "new"]
    by_segment = rows(run("export", "contacts", "--segment", "decision_maker").stdout)
    assert [r["name"] for r in by_segment] == ["Dana Fictional"]
    since = rows(run("export", "touches", "--since", "2026-11-15").stdout)
    assert [r["text"] for r in since] == ["new", "hello"]
    both = rows(run("export", "touches", "--since", "2026-11-15", "--tag", "web").stdout)
    assert [r["text"] for r in both] == ["hello"]
    touched = rows(run("export", "contacts", "--since", "2026-11-21").stdout)
    assert [r["name"] for r in touched] == ["Dana Fictional", "Sam Seller"]  # both added now
    assert run("export", "contacts", "--segment", "vip", code=2).stderr
    assert "apply to the other exports" in run("export", "review", "--tag", "x", code=2).stderr


# -- the review ------------------------------------------------------------------------
def test_review_json_and_csv_fill_each_kinds_message(run: Outreach):
    run("add", "Ann Mailer", "--email", "ann@example.com")
    run("log", "email", "Ann Mailer", "--at", "2026-11-18T10:00", "--text", "Proposal attached")
    run("add", "Ben Caller", "--email", "ben@example.com")
    run("log", "call", "Ben Caller", "--at", "2026-11-22T10:00", "--text", "Talked pilot scope")
    run("add", "Cy Invitee")
    run("invite", "Cy Invitee", "--note", "Hi Cy, good to meet you", "--at", "2026-11-01")
    run("add", "Di Texter", "--phone", "(312) 555-0142")
    run("log", "sms", "Di Texter", "--at", "2026-11-21T10:00", "--text", "Still on?")
    items = run.json("review", "--as-of", "2026-11-23", "--format", "json")
    messages = {i["kind"]: i["last_message"] for i in items}
    assert messages == {
        "no_reply": "Proposal attached",
        "after_call_text": "Talked pilot scope",
        "stale_invite": "Hi Cy, good to meet you",
        "unanswered_text": "Still on?",
    }
    exported = rows(run("review", "--as-of", "2026-11-23", "--format", "csv").stdout)
    assert {r["kind"]: r["last_message"] for r in exported} == messages


def test_the_table_titles_kinds_in_words(run: Outreach):
    run("add", "Di Texter", "--phone", "(312) 555-0142")
    for day in ("2026-11-19", "2026-11-20"):
        run("log", "sms", "Di Texter", "--at", f"{day}T10:00", "--text", "Still on?")
    table = run("review", "--as-of", "2026-11-23").stdout
    assert "Stop texting: 2 unanswered" in table and "step_back" not in table
    assert "1 item due" in table


def test_closing_with_nothing_done_keeps_the_streak(run: Outreach):
    result = run("close-review")
    assert "streak 0 days" in result.stdout
    assert "nothing was dealt with, so the streak did not grow" in result.stderr
    assert "streak 1 day" in run("close-review", "--done", "2").stdout
    helped = " ".join(run("close-review", "--help").stdout.split())
    assert "counts the days you close the review with at least one item dealt with" in helped


# -- words, not codes ------------------------------------------------------------------
def test_check_and_show_speak_in_words(run: Outreach):
    run("add", "Di Texter", "--phone", "(312) 555-0142", "--segment", "decision_maker")
    for day in ("2026-11-19", "2026-11-20"):
        run("log", "sms", "Di Texter", "--at", f"{day}T10:00", "--text", "Still on?")
    checked = run("check", "Di Texter", "--channel", "sms", "Hi {event} the the", code=1).stdout
    assert "block 2 texts in a row unanswered: stop texting" in checked
    assert "{event} is not filled in: fill it in or take it out" in checked
    assert "doubled word 'the': take one out" in checked
    for code in ("step_back", "unfilled_field", "doubled_word", "(001)", "(000)"):
        assert code not in checked
    shown = run("show", "Di Texter").stdout
    assert "→ Text" in shown and "decision maker" in shown
    assert "sms" not in shown and "decision_maker" not in shown


def test_a_number_without_a_country_code_names_the_region_tried(run: Outreach):
    result = run("add", "Ava Londoner", "--phone", "020 7946 0958", code=2)
    assert "for region US (it has no country code)" in result.stderr
    assert "+44" in result.stderr and "contacts.default_region" in result.stderr
    run("add", "Ava Londoner", "--phone", "+44 20 7946 0958")


# -- the app on a contact --------------------------------------------------------------
def test_app_contact_opens_on_that_contact(run: Outreach, monkeypatch: pytest.MonkeyPatch):
    import tracker.cli.app_launch
    from tracker.ui.app import OutreachApp

    run("add", "Dana Fictional")
    run("add", "Sam Seller")
    opened: list[int | None] = []
    monkeypatch.setattr(tracker.cli.app_launch, "has_terminal", lambda: True)
    monkeypatch.setattr(OutreachApp, "run", lambda self: opened.append(self.start_contact))
    result = run("app", "--contact", "Sam")
    assert opened == [2] and "'Sam' is Sam Seller (#2)" in result.stderr
    assert "unknown contact 'Nobody'" in run("app", "--contact", "Nobody", code=2).stderr
    assert opened == [2]


def test_the_review_table_fits_a_terminal_and_why_too(run: Outreach, monkeypatch):
    import tracker.cli.tables

    run("add", "Di Texter", "--phone", "(312) 555-0142", "--company", "Keystone Builders")
    for day in ("2026-11-19", "2026-11-20"):
        run("log", "sms", "Di Texter", "--at", f"{day}T10:00", "--text", "Still on?")
    for columns in (80, 120, 200):
        monkeypatch.setattr(tracker.cli.tables, "terminal_width", lambda c=columns: c)
        for args in (("review",), ("review", "--why")):
            shown = run(*args, "--as-of", "2026-11-23").stdout
            lines = shown.splitlines()
            assert all(len(line) <= columns for line in lines), (columns, args, shown)
            assert "…" not in shown
            assert "switch channel or let it rest" in " ".join(shown.split())
