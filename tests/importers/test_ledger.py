"""Every record read is added, skipped with a reason, or refused: for each importer's
fixtures the summary adds up (records read == added + skipped), on a first import, with
``--create-contacts``, and on a re-import (where nothing is added). A refused record
stops the import with nothing written, so a summary never holds one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.conftest import FIXTURES, do_import
from tracker.service import Tracker

CONTACTS = sorted(p.name for p in (FIXTURES / "contacts").iterdir() if p.suffix in (".csv", ".vcf"))
GENERIC_MAP = (("Full Contact", "name"), ("Cell #", "phone"), ("mail", "email"))
OPTIONS: dict[str, dict[str, object]] = {
    "linkedin/old": {"me": "https://www.linkedin.com/in/sam-seller"},
    "contacts/generic.csv": {"column_map": GENERIC_MAP},
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
