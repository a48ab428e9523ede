"""Privacy: the data folder is 0700 and the database, its WAL files and backups 0600 (even
under a permissive umask); an error names the field that failed and echoes nothing else
the user stored, and nothing writes the user's data anywhere but the database."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.clirun import clean_error, run, success
from tests.reliability.figures import Figures
from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker

SECRETS = {
    "name": "Zelda Secretname",
    "phone": "+13125550177",
    "email": "zelda@secret.example",
    "url": "https://www.linkedin.com/in/zelda-secret",
    "company": "Hidden Holdings",
    "note": "the combination is 4-8-15",
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """A umask that would let everyone read new files: the app must not rely on it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def leaks(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The secrets (other than ``allowed``) that appear in ``text``."""
    lowered = text.casefold()
    return [
        key for key, value in SECRETS.items() if key not in allowed and value.casefold() in lowered
    ]


def test_new_data_folder_and_files_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, permissive_umask: None, figures: Figures
) -> None:
    home = tmp_path / "fresh" / "outreach"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    success(run(None, "add", SECRETS["name"], "--phone", SECRETS["phone"]))
    db = home / "outreach.db"
    assert mode(home) == 0o700
    assert mode(db) == 0o600
    # The WAL and shared-memory files, while a writer holds the database open.
    tracker = Tracker.open(db, Settings(timezone="America/Chicago"))
    try:
        contact = tracker.resolve(SECRETS["name"])
        tracker.log(contact, Channel.SMS, Direction.IN, text=SECRETS["note"])
        for suffix in ("-wal", "-shm"):
            assert mode(db.with_name(db.name + suffix)) == 0o600, suffix
    finally:
        tracker.close()
    backup = tmp_path / "copy.db"
    success(run(None, "backup", str(backup)))
    assert mode(backup) == 0o600
    figures.area("privacy").add(cases=5)


def test_an_existing_open_folder_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    home = tmp_path / "shared"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    success(run(None, "info"))
    assert mode(home) == 0o700
    figures.area("privacy").add(cases=1)


def write_connections(path: Path, bad_date: str) -> None:
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Zelda,Secretname,{SECRETS['url']},{SECRETS['email']},{SECRETS['company']},"
        "CEO,08 Feb 2026\n"
        f"Other,Person,https://www.linkedin.com/in/other-person,,Acme,CTO,{bad_date}\n",
        encoding="utf-8",
    )


def test_a_failed_import_echoes_only_the_field_that_failed(
    tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "outreach.db"
    cases = 0
    connections = tmp_path / "Connections.csv"
    write_connections(connections, "31 Feb 2026")
    message = clean_error(run(db, "import", "linkedin", str(connections)), 2)
    assert "'31 Feb 2026'" in message and ":3:" in message
    assert leaks(message) == [] and "Other" not in message
    cases += 1
    backup = tmp_path / "backup.xml"
    backup.write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<smses count='2'>\n"
        f"<sms address='{SECRETS['phone']}' date='1772812800000' type='1'"
        f" body='{SECRETS['note']}' contact_name='{SECRETS['name']}' />\n"
        "<sms address='+13125550100' date='soon' type='1' body='hi' />\n</smses>\n",
        encoding="utf-8",
    )
    message = clean_error(run(db, "import", "sms", str(backup), "--create-contacts"), 2)
    assert "'soon'" in message and leaks(message) == []
    cases += 1
    card = tmp_path / "cards.vcf"
    card.write_text(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{SECRETS['name']}\nTEL:{SECRETS['phone']}\n"
        f"EMAIL:{SECRETS['email']}\nNOTE:{SECRETS['note']}\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Other Person\nthis line has no colon\nEND:VCARD\n",
        encoding="utf-8",
    )
    message = clean_error(run(db, "import", "contacts", str(card)), 2)
    assert "this line has no colon" in message and leaks(message) == []
    cases += 1
    # Nothing was imported, and nothing the files held was written anywhere else.
    for path in [*tmp_path.rglob("*"), *Path(os.environ["OUTREACH_HOME"]).rglob("*")]:
        if path.is_file() and path.suffix not in (".csv", ".xml", ".vcf"):
            assert leaks(path.read_bytes().decode("utf-8", "replace")) == [], path
    figures.area("privacy").add(cases=cases, faults=cases)


def test_reference_errors_echo_only_what_was_typed(tmp_path: Path, figures: Figures) -> None:
    db = tmp_path / "outreach.db"
    success(
        run(
            db,
            "add",
            SECRETS["name"],
            "--phone",
            SECRETS["phone"],
            "--email",
            SECRETS["email"],
            "--company",
            SECRETS["company"],
            "--notes",
            SECRETS["note"],
        )
    )
    # (A first name or the start of a name, "Zelda" or "Zel", names the one contact it
    # fits, and says so: tests/test_cli.py.)
    for typed in ("elda", "Secret", "zelda@", "3125550", "Hidden"):
        message = clean_error(run(db, "show", typed), 2)
        assert repr(typed) in message and leaks(message) == [], message
    message = clean_error(run(db, "log", "sms", "Secretname", "--text", "hi"), 2)
    assert leaks(message) == []
    # An identifier another contact holds: the error names that contact (DOMAIN.md) by id
    # and name, and nothing more about them.
    message = clean_error(run(db, "add", "Someone Else", "--phone", SECRETS["phone"]), 2)
    assert leaks(message, allowed=("name", "phone")) == [], message
    success(run(db, "add", SECRETS["name"]))
    # Two match: both listed, each with what tells them apart (company and phone).
    message = clean_error(run(db, "show", SECRETS["name"]), 2)
    assert leaks(message, allowed=("name", "company", "phone")) == [], message
    figures.area("privacy").add(cases=8, faults=8)
