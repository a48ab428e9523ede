"""Every record read is added, skipped with a reason, or refused: for each importer's
fixtures the summary adds up (records read == added + skipped), on a first import, with
``--create-contacts``, and on a re-import (where nothing is added); each file of a folder
imported at once adds up too. A refused record
stops the import with nothing written, so a summary never holds one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.importers.conftest import FIXTURES, do_import
from tracker.importers import ImportOptions
from tracker.importers.imessage_chat import parse_chat
from tracker.importers.plan import plan_import
from tracker.importers.run import run_plan
from tracker.service import Tracker

CONTACTS = sorted(p.name for p in (FIXTURES / "contacts").iterdir() if p.suffix in (".csv", ".vcf"))
GENERIC_MAP = (("Full Contact", "name"), ("Cell #", "phone"), ("mail", "email"))
MAIL = ("mail/takeout.mbox", "mail/Apple Export.mbox", "mail/thunderbird/Inbox", "mail/eml")
CALENDARS = tuple(f"calendar/{name}" for name in ("google.ics", "outlook.ics", "apple.ics"))
WHATSAPP = (
    "whatsapp/WhatsApp Chat with Dana Fictional.txt",
    "whatsapp/WhatsApp Chat - Deal Team.zip",
)
OPTIONS: dict[str, dict[str, object]] = {
    "linkedin/old": {"me": "https://www.linkedin.com/in/sam-seller"},
    "contacts/generic.csv": {"column_map": GENERIC_MAP},
    **{name: {"me_values": ("sam@example.com",)} for name in (*MAIL, *CALENDARS)},
    "whatsapp/WhatsApp Chat - Deal Team.zip": {"me_values": ("Sam Seller",)},
}
"""What a file needs besides its path (its export cannot tell whose it is; its columns
need naming)."""
PATHS = [
    *(f"linkedin/{name}" for name in ("export", "early", "late", "old", "overlap")),
    "linkedin/export/Connections.csv",
    "linkedin/export/Invitations.csv",
    "linkedin/export/messages.csv",
    "linkedin/attachments/messages.csv",
    "linkedin/nameless/Connections.csv",
    "sms/backup.xml",
    "sms/maria-reply.xml",
    "sms/group-mms.xml",
    "imessage",
    "imessage-contacts",
    *(f"contacts/{name}" for name in CONTACTS),
    "calls/calls-20240327.xml",
    *MAIL,
    *CALENDARS,
    *WHATSAPP,
]


def _adds_up(tracker: Tracker, path: Path, **options: object) -> None:
    summary = do_import(tracker, path, **options)
    skipped = sum(summary.skipped.values())
    assert summary.records == summary.added + skipped, summary.lines()
    assert summary.records > 0
    if summary.touches_added or summary.contacts_added:
        assert summary.added > 0
    assert f"({summary.added} added, {skipped} skipped)" in summary.lines()[0]


@pytest.mark.parametrize("create", [False, True], ids=["matching", "create-contacts"])
@pytest.mark.parametrize("name", PATHS)
def test_the_summary_adds_up(tracker: Tracker, name: str, create: bool) -> None:
    # Some of the people in the files exist already, so both matches and misses show.
    tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    tracker.add_contact({"name": "Jordan Optout", "phone": "+13125550177"})
    path = FIXTURES / name
    options = {"create_contacts": create, **OPTIONS.get(name, {})}
    _adds_up(tracker, path, **options)
    again = do_import(tracker, path, **options)
    assert again.records == sum(again.skipped.values()), again.lines()
    assert again.added == 0 and not again.changed


def test_a_newer_backup_counts_only_its_new_messages(tracker: Tracker, tmp_path: Path) -> None:
    """Backups are cumulative: a later one holds the earlier messages and new ones, so one
    batch mixes rows stored already and new rows (and a record of several rows, the
    rep's group message, may be half new)."""
    for name, phone in (("Dana Fictional", "+13125550142"), ("Sky Group", "+13125550188")):
        tracker.add_contact({"name": name, "phone": phone})
    full = (FIXTURES / "sms/group-mms.xml").read_text(encoding="utf-8")
    older = tmp_path / "older.xml"
    # The older backup knew the group message's recipients as Dana alone.
    older.write_text(
        full.replace("+13125550142~+13125550188~+13125550199", "+13125550142"),
        encoding="utf-8",
    )
    first = do_import(tracker, older)
    assert (first.added, first.touches_added) == (2, 2)  # Dana's two messages
    newer = tmp_path / "newer.xml"
    duplicate = full.index('  <mms date="1773068400000"')
    end = full.index("</mms>", duplicate) + len("</mms>\n")
    newer.write_text(full[:end] + full[duplicate:end] + full[end:], encoding="utf-8")
    second = do_import(tracker, newer)
    # The group message now also reaches Sky Group: added (one of its two rows is new);
    # Dana's STOP is stored already, and so is its copy later in the same file.
    assert (second.records, second.touches_added) == (7, 1)
    assert second.added == 1
    assert second.skipped["already imported"] == 2
    assert second.records == second.added + sum(second.skipped.values())


def test_each_file_of_a_mixed_folder_adds_up(tracker: Tracker, tmp_path: Path) -> None:
    """A folder of several exports (imessage-exporter's chats, a call log, a chat, an
    mbox, a calendar): each unit's summary adds up, and on a second run each is all
    "already imported"."""
    tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    tracker.add_contact({"name": "Casey Quiet", "email": "casey@example.com"})
    folder = tmp_path / "Downloads"
    folder.mkdir()
    for chat in (FIXTURES / "imessage-contacts").iterdir():
        shutil.copy(chat, folder / chat.name)
    for name in (
        "calls/calls-20240327.xml",
        "mail/takeout.mbox",
        "calendar/google.ics",
        WHATSAPP[0],
    ):
        shutil.copy(FIXTURES / name, folder / Path(name).name)
    options = ImportOptions(me_values=("sam@example.com",))
    for run in ("first", "again"):
        result = run_plan(tracker, plan_import(folder), options)
        assert not result.refused and len(result.summaries) == 5, result.listing()
        for summary in result.summaries:
            skipped = sum(summary.skipped.values())
            assert summary.records == summary.added + skipped > 0, summary.lines()
            if run == "again":
                assert summary.added == 0 and not summary.changed, summary.lines()
        imessage = next(s for s in result.summaries if "imessage" in s.format)
        assert imessage.records == sum(
            len(parse_chat(chat.read_text(encoding="utf-8"), str(chat), tracker.tz))
            for chat in folder.glob("*.txt")
            if not chat.name.startswith("WhatsApp")
        )
