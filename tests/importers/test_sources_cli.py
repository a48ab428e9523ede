"""Calls, email and WhatsApp chats imported end to end through ``outreach import``: the
summaries add up, a second import adds nothing, a dry run writes nothing, and the review
sees what each file says (a call-back answers a text, a reply by email clears no_reply,
a WhatsApp reply clears an unanswered text)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.importers.conftest import db_fingerprint

CALLS = "calls/calls-20240327.xml"
MBOX = "mail/takeout.mbox"
CHAT = "whatsapp/WhatsApp Chat with Dana Fictional.txt"
GROUP = "whatsapp/WhatsApp Chat - Deal Team.zip"


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    outreach = Outreach(tmp_path / "sources.db")
    outreach("add", "Dana Fictional", "--phone", "+13125550142", "--email", "dana@example.com")
    outreach("add", "José García", "--email", "jose@example.com")
    outreach("add", "Casey Quiet", "--phone", "+13125550123", "--email", "casey@example.com")
    outreach("add", "Jordan Optout", "--phone", "+13125550177", "--email", "jordan@example.com")
    return outreach


def added_up(out: str) -> None:
    """The summary's records read are its records added plus those skipped, and the
    reasons skipped add up to the head line's count."""
    head = re.search(r"(\d+) records? read \((\d+) added, (\d+) skipped\)", out)
    assert head is not None, out
    read, added, skipped = (int(n) for n in head.groups())
    assert read == added + skipped, out
    skipped_line = next((line for line in out.splitlines() if line.startswith("skipped: ")), "")
    assert skipped == sum(int(n) for n in re.findall(r"(\d+) [^,]+", skipped_line)), out


def kinds_for(run: Outreach, name: str, as_of: str) -> set[str]:
    items = run.json("review", "--as-of", as_of, "--format", "json")
    return {i["kind"] for i in items if i["contact"] == name}


# -- calls -------------------------------------------------------------------------------
def test_call_log_counts_idempotence_and_dry_run(run: Outreach, fixtures: Path) -> None:
    path = str(fixtures / CALLS)
    before = db_fingerprint(run.db)
    dry = run("import", path, "--dry-run").stdout
    assert "(dry run: nothing was written)" in dry and "12 records read (6 added, 6 skipped)" in dry
    assert db_fingerprint(run.db) == before
    out = run("import", path).stdout
    assert "Android call log (SMS Backup & Restore), 12 records read" in out
    assert "12 records read (6 added, 6 skipped)" in out and "touches: 6 added" in out
    assert "skipped: 2 hidden numbers, 2 numbers matching no contact, 1 blocked call" in out
    assert "matching no contact: 2 numbers (--create-contacts adds them)" in out
    added_up(out)
    again = run("import", "calls", path).stdout
    assert "touches: 0 added" in again and "6 already imported" in again
    added_up(again)
    shown = run("show", "Casey Quiet").stdout
    assert "← Call [no answer]" in shown and "← Call [voicemail]" in shown
    assert "→ Call [connected]" in run("show", "Dana Fictional").stdout


def test_a_call_back_answers_a_text_and_a_connected_call_asks_for_one(
    run: Outreach, fixtures: Path
) -> None:
    run("log", "sms", "Casey Quiet", "--at", "2024-03-13T10:00", "--text", "Still on?", "--force")
    assert "unanswered_text" in kinds_for(run, "Casey Quiet", "2024-03-15")
    run("import", str(fixtures / CALLS))
    # Casey's missed call on the 14th is a reply; Jordan's connected call wants a text.
    assert "unanswered_text" not in kinds_for(run, "Casey Quiet", "2024-03-15")
    assert "after_call_text" in kinds_for(run, "Jordan Optout", "2024-03-14")


def test_create_contacts_names_callers_from_the_log(run: Outreach, fixtures: Path) -> None:
    out = run("import", str(fixtures / CALLS), "--create-contacts").stdout
    assert "contacts: 2 added" in out and "touches: 8 added" in out
    assert "matching no contact" not in out
    names = {c["name"] for c in run.json("list", "--format", "json")}
    assert "Sky Group 😀" in names and "+13125550166" in names


# -- email -------------------------------------------------------------------------------
def test_an_mbox_needs_your_address_and_remembers_it(
    run: Outreach, fixtures: Path, outreach_home: Path
) -> None:
    before = db_fingerprint(run.db)
    refused = run("import", str(fixtures / MBOX), code=2)
    assert refused.stderr.strip() == (
        "outreach: error: this mbox needs your email address: give it with --me you@example.com"
    )
    assert db_fingerprint(run.db) == before
    config = outreach_home / "config.toml"
    config.write_text("# mine\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    out = run("import", str(fixtures / MBOX), "--me", "Sam@Example.com").stdout
    assert "remembered in [me] (config.toml): emails sam@example.com" in out
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and 'emails = ["sam@example.com"]' in text
    again = run("import", str(fixtures / MBOX)).stdout  # no --me: [me] knows it now
    assert "touches: 0 added" in again and "remembered" not in again


def test_mbox_counts_every_message_and_skips_what_is_not_a_person(
    run: Outreach, fixtures: Path
) -> None:
    out = run("import", "email", str(fixtures / MBOX), "--me", "sam@example.com").stdout
    # Sam's quote to two contacts and Dana's reply: 3 records, 4 touches.
    assert "mbox (email), 11 records read (3 added, 8 skipped)" in out
    assert "touches: 4 added" in out
    for skipped in (
        "1 mailing-list message",
        "1 message in spam",
        "1 message in trash",
        "1 automatic message",
        "1 message to more than 10 recipients",
        "1 Google Chat item (not email)",
        "1 draft (never sent)",
        "1 message with no readable Date",
    ):
        assert skipped in out
    assert "matching no contact: 1 address" in out  # lee@, copied on the quote
    added_up(out)
    again = run("import", str(fixtures / MBOX)).stdout
    assert "touches: 0 added" in again
    added_up(again)
    dana = run("show", "Dana Fictional").stdout
    assert "→ Email" in dana and "Quote for Northwind" in dana and "← Email" in dana


def test_an_email_reply_clears_no_reply(run: Outreach, fixtures: Path) -> None:
    run("import", str(fixtures / MBOX), "--me", "sam@example.com")
    # Both were sent the quote on the 13th; only Dana answered (on the 15th).
    assert "no_reply" in kinds_for(run, "José García", "2024-03-19")
    assert "no_reply" not in kinds_for(run, "Dana Fictional", "2024-03-19")


def test_max_recipients_is_a_setting(run: Outreach, fixtures: Path, outreach_home: Path) -> None:
    config = outreach_home / "config.toml"
    config.write_text(config.read_text() + "\n[import]\nmax_recipients = 1\n")
    out = run("import", str(fixtures / MBOX), "--me", "sam@example.com").stdout
    assert "messages to more than 1 recipient" in out


def test_eml_folder_is_read_one_level_deep(run: Outreach, fixtures: Path) -> None:
    out = run("import", str(fixtures / "mail/eml"), "--me", "sam@example.com").stdout
    assert "outlook-html-only.EML" in out and "notes.txt" in out
    assert re.search(r"older/ +a folder: not read", out)
    assert ".eml files (folder), 2 records read" in out
    assert "2 records read (2 added, 0 skipped)" in out and "touches: 2 added" in out


# -- WhatsApp ----------------------------------------------------------------------------
def test_whatsapp_chat_counts_idempotence_and_the_review(run: Outreach, fixtures: Path) -> None:
    path = str(fixtures / CHAT)
    out = run("import", path).stdout
    assert "WhatsApp chat (Dana Fictional), 8 records read" in out
    assert "8 records read (5 added, 3 skipped)" in out and "touches: 5 added" in out
    assert "skipped: 2 deleted messages, 1 system line" in out
    added_up(out)
    assert "5 already imported" in run("import", "whatsapp", path).stdout
    shown = run("show", "Dana Fictional").stdout
    assert "→ WhatsApp" in shown and "← WhatsApp" in shown and "[group]" not in shown
    # The last message is Dana's: nothing waits on her. Sam's own last message, 3 days
    # unanswered, is a no_reply like a LinkedIn message.
    assert "no_reply" not in kinds_for(run, "Dana Fictional", "2024-03-20")


def test_an_outbound_whatsapp_waits_like_a_linkedin_message(tmp_path: Path) -> None:
    run = Outreach(tmp_path / "wa.db")
    run("add", "Dana Fictional", "--phone", "+13125550142")
    chat = tmp_path / "WhatsApp Chat with Dana Fictional.txt"
    chat.write_text("3/9/24, 9:05 AM - Sam Seller: Still good for Thursday?\n", encoding="utf-8")
    run("import", str(chat), "--me", "Sam Seller")
    assert "no_reply" not in kinds_for(run, "Dana Fictional", "2024-03-11")
    items = run.json("review", "--as-of", "2024-03-12", "--format", "json")
    (item,) = [i for i in items if i["kind"] == "no_reply"]
    assert item["reason"] == "WhatsApp message sent 3 days ago, no reply"


def test_a_whatsapp_reply_clears_an_unanswered_text(run: Outreach, fixtures: Path) -> None:
    run("log", "sms", "Dana Fictional", "--at", "2024-03-08T10:00", "--text", "Hi!", "--force")
    assert "unanswered_text" in kinds_for(run, "Dana Fictional", "2024-03-09")
    run("import", str(fixtures / CHAT))
    assert "unanswered_text" not in kinds_for(run, "Dana Fictional", "2024-03-10")


def test_a_stop_on_whatsapp_opts_nobody_out(tmp_path: Path) -> None:
    run = Outreach(tmp_path / "stop.db")
    run("add", "Dana Fictional", "--phone", "+13125550142")
    chat = tmp_path / "WhatsApp Chat with Dana Fictional.txt"
    chat.write_text("3/9/24, 9:05 AM - Dana Fictional: STOP\n", encoding="utf-8")
    out = run("import", str(chat)).stdout
    assert "touches: 1 added" in out and "opt-outs" not in out
    assert run.json("show", "Dana Fictional", "--format", "json")["sms_opt_out_at"] is None


def test_a_group_chat_needs_your_name_then_is_group_touches(tmp_path: Path, fixtures: Path) -> None:
    run = Outreach(tmp_path / "group.db")
    run("add", "Dana Fictional", "--email", "dana@example.com")
    run("add", "Lee Example", "--phone", "+13125550142")
    before = db_fingerprint(run.db)
    refused = run("import", str(fixtures / GROUP), code=2)
    assert "this WhatsApp group chat needs your name as the chat shows it" in refused.stderr
    assert 'give it with --me "Sam Seller"' in refused.stderr
    assert db_fingerprint(run.db) == before
    out = run("import", str(fixtures / GROUP), "--me", "Sam Seller").stdout
    assert "remembered in [me] (config.toml): names Sam Seller" in out
    # Sam's two messages go to both members (4); Dana's text, photo and call, and Lee's
    # photo and text (by number) are one touch each from their sender (5).
    assert "(7 added, " in out and "touches: 9 added" in out
    added_up(out)
    dana = run.json("show", "Dana Fictional", "--format", "json")["touches"]
    assert all(t["is_group"] for t in dana)
    assert {t["direction"] for t in dana} == {"in", "out"}
    lee = run.json("show", "Lee Example", "--format", "json")["touches"]
    assert sorted(t["direction"] for t in lee) == ["in", "in", "out", "out"]
    # Group touches are not replies for the text rules.
    run("log", "sms", "Lee Example", "--at", "2024-03-30T10:00", "--text", "Hi", "--force")
    assert "unanswered_text" in kinds_for(run, "Lee Example", "2024-03-31")


def test_a_chat_named_by_a_number_matches_by_phone(tmp_path: Path) -> None:
    run = Outreach(tmp_path / "number.db")
    run("add", "Dana Fictional", "--phone", "+13125550142")
    chat = tmp_path / "WhatsApp Chat with +1 312-555-0142.txt"
    chat.write_text(
        "[09/03/2024, 21:05:07] +1 312-555-0142: Hola\n[09/03/2024, 21:06:00] Sam: Hi!\n",
        encoding="utf-8",
    )
    out = run("import", str(chat)).stdout
    assert "touches: 2 added" in out
    directions = [t["direction"] for t in run.json("show", "1", "--format", "json")["touches"]]
    assert sorted(directions) == ["in", "out"]


def test_a_chat_with_nobody_known_is_counted(tmp_path: Path, fixtures: Path) -> None:
    run = Outreach(tmp_path / "nobody.db")
    out = run("import", str(fixtures / CHAT)).stdout
    assert "skipped: 5 messages in a chat with no contact, 2 deleted messages, 1 system line" in out
    added_up(out)
    assert "matching no contact: 1 name" in out
    created = run("import", str(fixtures / CHAT), "--create-contacts").stdout
    assert "contacts: 1 added" in created and "touches: 5 added" in created
    assert run.json("list", "--format", "json")[0]["name"] == "Dana Fictional"


def test_linkedin_me_is_the_shared_me(run: Outreach, fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "only-messages"
    folder.mkdir()
    shutil.copy(fixtures / "linkedin/export/messages.csv", folder / "messages.csv")
    me = "https://www.linkedin.com/in/sam-seller"
    out = run("import", "linkedin", str(folder / "messages.csv"), "--me", me).stdout
    assert f"remembered in [me] (config.toml): linkedin {me}" in out
    assert run("import", str(folder / "messages.csv")).exit_code == 0


@pytest.mark.parametrize(
    "relative",
    [CALLS, MBOX, "mail/Apple Export.mbox", "mail/thunderbird/Inbox", CHAT, GROUP],
)
def test_every_source_dry_run_writes_nothing_and_says_so(
    run: Outreach, fixtures: Path, outreach_home: Path, relative: str
) -> None:
    before = db_fingerprint(run.db)
    config = (outreach_home / "config.toml").read_bytes()
    out = run(
        "import",
        str(fixtures / relative),
        "--dry-run",
        "--me",
        "sam@example.com",
        "--me",
        "Sam Seller",
        "--create-contacts",
    ).stdout
    assert "(dry run: nothing was written)" in out
    assert "would remember in [me] (config.toml)" in out
    assert db_fingerprint(run.db) == before
    assert (outreach_home / "config.toml").read_bytes() == config
    added_up(out)


def test_broken_files_are_one_line_and_change_nothing(
    run: Outreach, fixtures: Path, tmp_path: Path
) -> None:
    log = (fixtures / CALLS).read_text(encoding="utf-8")
    cut = tmp_path / "calls-cut.xml"
    cut.write_text(log[: len(log) // 2], encoding="utf-8")
    chat = tmp_path / "WhatsApp Chat with Dana Fictional.txt"
    chat.write_bytes((fixtures / CHAT).read_bytes().replace(b"Yes!", b"Yes\x00"))
    calendar = tmp_path / "cut.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", encoding="utf-8")
    cases = {
        cut: "broken XML",
        chat: "not a text file (binary data: a NUL byte on line 3)",
        calendar: "not a readable calendar",
    }
    before = db_fingerprint(run.db)
    for path, problem in cases.items():
        error = run("import", str(path), "--me", "sam@example.com", code=2).stderr
        assert error.count("\n") == 1 and error.startswith(f"outreach: error: {path}"), error
        assert problem in error, error
    assert db_fingerprint(run.db) == before
