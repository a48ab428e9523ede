"""The upgrade to several phones and emails per contact (m006): primaries become labelled
identifiers, the "Other phones/emails" note lines earlier imports wrote become identifiers
where no other contact holds them, and names split word by word are split again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.reliability.upgrading import SCHEMAS
from tracker.config import Settings
from tracker.service import Tracker

STAMP = "2026-01-05T15:00:00Z"


def _old_database(tmp_path: Path) -> Path:
    """The m005 fixture plus contacts with the note lines earlier imports wrote."""
    db = tmp_path / "outreach.db"
    shutil.copyfile(SCHEMAS / "schema-m005.db", db)
    conn = sqlite3.connect(db)
    conn.executemany(
        "INSERT INTO contacts (id, name, first_name, last_name, phone, email, notes,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                10,
                "Ana Notes",
                "Ana",
                "Notes",
                None,
                "ana@work.example",
                "Met at the expo.\nOther phones: +1 (312) 555-0180, 12345\n"
                "Other emails: ana@home.example\nWebsites: https://ana.example",
                STAMP,
                STAMP,
            ),
            # Dana (#1) holds +13125550142: the line stays with Ben.
            (
                11,
                "Ben Shared",
                "Ben",
                "Shared",
                None,
                None,
                "Other phones: +1 312 555 0142",
                STAMP,
                STAMP,
            ),
            # Ana claimed +13125550180 first: Cleo keeps her line; her other number is hers.
            (
                12,
                "Cleo Later",
                "Cleo",
                "Later",
                "+13125550181",
                None,
                "Other phones: (312) 555-0180, 312 555 0182",
                STAMP,
                STAMP,
            ),
            (13, "Dr. Jane Old", "Dr.", "Jane Old", None, None, None, STAMP, STAMP),
            (14, "Smith, John", "Smith,", "John", None, None, None, STAMP, STAMP),
            (15, "Mary Ann Lee", "Mary", "Ann Lee", None, None, None, STAMP, STAMP),
        ],
    )
    conn.execute("INSERT INTO contact_state (contact_id) SELECT id FROM contacts WHERE id >= 10")
    conn.commit()
    conn.close()
    return db


def test_note_lines_become_identifiers(tmp_path: Path) -> None:
    tracker = Tracker.open(_old_database(tmp_path), Settings(timezone="America/Chicago"))

    def held(contact_id: int) -> list[tuple[str, str, str, bool]]:
        return [(i.kind, i.value, i.label, i.primary) for i in tracker.identifiers(contact_id)]

    assert held(1) == [
        ("email", "dana@example.com", "other", True),
        ("phone", "+13125550142", "mobile", True),
    ]
    ana = tracker.contact(10)
    assert held(10) == [
        ("email", "ana@work.example", "other", True),
        ("email", "ana@home.example", "other", False),
        ("phone", "+13125550180", "other", True),
    ]
    assert ana.phone == "+13125550180"  # the primary, mirrored for the review and coach
    assert ana.notes == "Met at the expo.\nOther phones: 12345\nWebsites: https://ana.example"
    assert tracker.resolve("ana@home.example").id == 10
    ben = tracker.contact(11)
    assert ben.notes == "Other phones: +1 312 555 0142" and held(11) == []
    cleo = tracker.contact(12)
    assert cleo.notes == "Other phones: (312) 555-0180"
    assert held(12) == [
        ("phone", "+13125550181", "mobile", True),
        ("phone", "+13125550182", "other", False),
    ]
    names = {i: (tracker.contact(i).first_name, tracker.contact(i).last_name) for i in (13, 14, 15)}
    assert names == {13: ("Jane", "Old"), 14: ("John", "Smith"), 15: ("Mary", "Ann Lee")}
    tracker.close()
