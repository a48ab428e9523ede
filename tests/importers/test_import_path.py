"""``outreach import PATH`` with no kind: each file told by its contents, a folder read one
level deep (never its sub-folders), its files listed with what each is and adds, nothing
read from a file that is no export; a kind word imports only that kind and refuses a file
of another."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.importers.conftest import db_fingerprint
from tracker.importers import detect_format, plan_import

DOWNLOADS = "downloads"


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    outreach = Outreach(tmp_path / "path.db")
    outreach("add", "Casey Quiet", "--phone", "+13125550123")
    return outreach


def line_of(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith(name))


def test_a_folder_dry_run_lists_each_file_and_writes_nothing(run: Outreach, fixtures: Path) -> None:
    before = db_fingerprint(run.db)
    out = run("import", str(fixtures / DOWNLOADS), "--dry-run").stdout
    assert db_fingerprint(run.db) == before
    assert out.splitlines()[0].endswith(
        "8 entries (read one level deep), 3 to import (dry run: nothing was written)"
    )
    assert "LinkedIn export (CSV) → would add 7 contacts" in line_of(out, "Connections.csv")
    assert "with Connections.csv" in line_of(out, "Invitations.csv")
    # The chat's Dana is one of the LinkedIn contacts, added first in the same dry run.
    assert "WhatsApp chat (Dana Fictional) → would add 5 touches" in line_of(out, "WhatsApp")
    assert "Android call log" in line_of(out, "calls-20240327.xml")
    assert line_of(out, "report.csv").endswith(
        "not recognised: not a text file (binary data: a PDF document)"
    )
    assert "not recognised" in line_of(out, "notes.txt")
    assert "a folder: not read" in line_of(out, "Someone else/")
    assert "LinkedIn export (folder), 10 records read (9 added, 1 skipped) (dry run" in out


def test_a_folder_imports_its_own_files_never_a_sub_folder(run: Outreach, fixtures: Path) -> None:
    out = run("import", str(fixtures / DOWNLOADS)).stdout
    assert "→ added 7 contacts" in line_of(out, "Connections.csv")
    names = {c["name"] for c in run.json("list", "--format", "json")}
    # Someone else's export (a sub-folder) holds Riley Stranger: never read.
    other = (fixtures / DOWNLOADS / "Someone else" / "Connections.csv").read_text()
    assert "Riley,Stranger" in other and "Riley Stranger" not in names
    assert "Dana Fictional" in names
    again = run("import", str(fixtures / DOWNLOADS)).stdout
    assert "added nothing new" in line_of(again, "Connections.csv")
    assert "added nothing new" in line_of(again, "WhatsApp")


def test_linkedin_kind_on_a_folder_reads_its_own_files_only(run: Outreach, fixtures: Path) -> None:
    out = run("import", "linkedin", str(fixtures / DOWNLOADS)).stdout
    assert "left out (not LinkedIn)" in line_of(out, "WhatsApp")
    assert "left out (not LinkedIn)" in line_of(out, "calls-20240327.xml")
    assert "contacts: 7 added" in out
    assert "Riley Stranger" not in {c["name"] for c in run.json("list", "--format", "json")}


def test_a_kind_word_refuses_a_file_of_another_kind(run: Outreach, fixtures: Path) -> None:
    chat = fixtures / DOWNLOADS / "WhatsApp Chat with Dana Fictional.txt"
    refused = run("import", "calls", str(chat), code=2).stderr
    assert "this is a WhatsApp chat (Dana Fictional), not a calls file" in refused
    assert "use `outreach import whatsapp`" in refused
    refused = run("import", "email", str(fixtures / "calls/calls-20240327.xml"), code=2).stderr
    assert "not an email file: use `outreach import calls`" in refused
    assert (
        "no WhatsApp chats in this folder"
        in run("import", "whatsapp", str(fixtures / "imessage"), code=2).stderr
    )
    assert run("import", "sms", str(fixtures / "sms/backup.xml"), "--dry-run").exit_code == 0


def test_a_pdf_renamed_csv_is_not_a_text_file(run: Outreach, fixtures: Path) -> None:
    pdf = fixtures / DOWNLOADS / "report.csv"
    for args in (["import", str(pdf)], ["import", "contacts", str(pdf)]):
        error = run(*args, code=2).stderr
        assert error.strip().endswith(
            "unsupported format: not a text file (binary data: a PDF document)"
        )
        assert "contacts CSV" not in error


def test_a_broken_file_in_a_folder_is_refused_alone(
    run: Outreach, fixtures: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(fixtures / "calls/calls-20240327.xml", folder / "calls-20240327.xml")
    broken = (
        (fixtures / "calls/calls-20240327.xml").read_text().replace("</calls>", "<call </calls>")
    )
    (folder / "calls-20240401.xml").write_text(broken)
    result = run("import", str(folder), code=2)
    assert "refused: " in line_of(result.stdout, "calls-20240401.xml")
    assert "broken XML" in line_of(result.stdout, "calls-20240401.xml")
    assert "added 2 touches" in line_of(result.stdout, "calls-20240327.xml")
    assert result.stderr.strip().endswith("refused, nothing of it written: calls-20240401.xml")


def test_detection_reads_contents_not_names(fixtures: Path, tmp_path: Path) -> None:
    cases = {
        "calls/calls-20240327.xml": ("calls", "android-calls"),
        "mail/takeout.mbox": ("email", "mbox"),
        "mail/thunderbird/Inbox": ("email", "mbox"),
        "mail/Apple Export.mbox": ("email", "mbox"),
        "mail/eml": ("email", "eml"),
        "mail/eml/2024-03-22 Re Lunch.eml": ("email", "eml"),
        "calendar/outlook.ics": ("calendar", "ics"),
        "whatsapp/WhatsApp Chat with Dana Fictional.txt": ("whatsapp", "whatsapp"),
        "whatsapp/WhatsApp Chat - Deal Team.zip": ("whatsapp", "whatsapp"),
        "imessage": ("sms", "imessage"),
        "linkedin/export": ("linkedin", "linkedin"),
    }
    for relative, expected in cases.items():
        found = detect_format(fixtures / relative)
        assert (found.kind, found.format) == expected, relative
    renamed = tmp_path / "contacts.csv"
    shutil.copy(fixtures / "mail/eml/2024-03-22 Re Lunch.eml", renamed)
    assert detect_format(renamed).format == "eml"
    archive = tmp_path / "calendars.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", fixtures / "calendar")
    assert detect_format(archive).kind == "calendar"
    plan = plan_import(fixtures / "mail/eml")
    assert [p.name for p in plan.units[0].files] == [
        "2024-03-22 Re Lunch.eml",
        "outlook-html-only.EML",
    ]


def test_an_empty_folder_and_nothing_but_strangers(run: Outreach, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "unsupported format: nothing here" in run("import", str(empty), code=2).stderr
    (empty / "a.txt").write_text("hello\n")
    error = run("import", str(empty), code=2).stderr
    assert re.search(r"1 entries, 1 not recognised", error)
