"""Hostile values in names and notes (control characters, terminal escape sequences,
right-to-left marks, carriage returns, formulas, 10,000-character strings) print safely from
the CLI and export faithfully to CSV.

Printing safely: no byte that starts an escape sequence or reorders text reaches the
terminal raw (it is shown escaped, ``\\x1b``), and each record stays on its own line. The
JSON output keeps the exact values, with those characters as ``\\u`` escapes. Exporting
safely: the CSV parses back to one row per record with every value exactly as stored,
except that a cell a spreadsheet would run as a formula starts with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.reliability import dbcheck
from tests.reliability.clirun import UNSAFE_FOR_TERMINAL, run, success
from tests.reliability.figures import Figures
from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.timeutil import now_utc

HOSTILE = {
    "ansi colour": "\x1b[31mRed Alert\x1b[0m",
    "clear screen": "Clear\x1b[2J\x1b[HScreen",
    "osc 52 clipboard": "Clip\x1b]52;c;ZWNobyBwd25lZA==\x07board",
    "window title": "Title\x1b]0;pwned\x07Bar",
    "c1 csi": "C1\x9b31mCsi",
    "dcs": "Dcs\x1bPq#0;2;0;0;0\x1b\\End",
    "bell and backspace": "Bell\x07\x08\x08Back",
    "carriage return": "Honest Name\rForged Name",
    "newline": "Two\nLines",
    "rtl override": "Invoice \u202egpj.exe\u202c Payments",
    "rtl isolates": "Iso \u2067late\u2069 Marks \u200f\u200e\u061c",
    "formula": '=HYPERLINK("http://evil.example","Click")',
    "plus formula": "+1+1 Formula",
    "at formula": "@SUM(A1:A9)",
    "tab formula": "\t=1+1",
    "delete char": "Del\x7fEte",
    "nul": "Nul\x00Byte",
    "long": "L" + "o" * 9_998 + "ng",
}


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """One contact per hostile value (as name, company and notes), each with an email sent
    five days ago (a ``no_reply`` item, so the review shows them) and a note-carrying touch."""
    db = tmp_path / "hostile.db"
    tracker = Tracker.open(db, Settings(timezone="America/Chicago"))
    try:
        sent = now_utc() - timedelta(days=5)
        for label, value in HOSTILE.items():
            contact = tracker.add_contact(
                {"name": f"{value} {label}", "company": value, "notes": value, "title": value},
                (value[:40],),
                sent - timedelta(days=1),
            )
            tracker.log(contact, Channel.EMAIL, Direction.OUT, sent, value)
    finally:
        tracker.close()
    return db


def terminal_safe(text: str, area_count: list[int]) -> None:
    area_count[0] += 1
    found = UNSAFE_FOR_TERMINAL.search(text)
    assert found is None, f"raw {found.group()!r} reaches the terminal: {text[:200]!r}"
    assert "\r" not in text


def test_list_show_and_review_print_safely(hostile_db: Path, figures: Figures) -> None:
    outputs = [0]
    listing = success(run(hostile_db, "list")).out
    terminal_safe(listing, outputs)
    assert len(listing.splitlines()) == 1 + len(HOSTILE), "one line per contact"
    review = success(run(hostile_db, "review")).out
    terminal_safe(review, outputs)
    assert review.count("No reply to your email") == len(HOSTILE)  # kinds in words
    for why in (success(run(hostile_db, "review", "--why")).out,):
        terminal_safe(why, outputs)
    for contact_id in range(1, len(HOSTILE) + 1):
        shown = success(run(hostile_db, "show", str(contact_id))).out
        terminal_safe(shown, outputs)
    long_id = list(HOSTILE).index("long") + 1
    shown = success(run(hostile_db, "show", str(long_id))).out
    assert "o" * 9_998 in shown, "a long note is shown whole, not lost"
    for args in (["stats"], ["info"], ["list", "--search", "Red"]):
        terminal_safe(success(run(hostile_db, *args)).out, outputs)
    area = figures.area("hostile values")
    area.add(cases=outputs[0], faults=len(HOSTILE))
    area.count("terminal outputs checked", outputs[0])


def test_messages_naming_a_contact_print_safely(hostile_db: Path, figures: Figures) -> None:
    """Confirmations and errors that name the contact escape it too, on one line."""
    outputs = [0]
    ids = [str(i) for i in range(1, len(HOSTILE) + 1)]
    for contact_id in ids:
        for args in (
            ["follow-up", contact_id, "--in", "3"],
            ["opt-in", contact_id],
            ["snooze", contact_id, "no_reply", "--until", "+2d"],
            ["edit", contact_id, "--title", "Buyer"],
            # (a draft needs your name: with none set, draft asks for it and exits 2)
            ["draft", contact_id, "--channel", "sms", "--field", "my_name=Sam Seller"],
        ):
            result = run(hostile_db, *args)
            assert result.crash is None and result.code in (0, 1), result.describe()
            terminal_safe(result.out + result.err, outputs)
            assert len(result.out.splitlines()) <= 12
        result = run(hostile_db, "accepted", contact_id)  # no pending invitation: an error
        terminal_safe(result.err, outputs)
        assert result.code == 2 and result.err.count("\n") == 1
    figures.area("hostile values").add(cases=outputs[0])


def test_json_keeps_exact_values_without_raw_escapes(hostile_db: Path, figures: Figures) -> None:
    outputs = [0]
    for args in (["list", "--format", "json"], ["review", "--format", "json"]):
        text = success(run(hostile_db, *args)).out
        terminal_safe(text, outputs)
        json.loads(text)
    for contact_id, value in enumerate(HOSTILE.values(), start=1):
        text = success(run(hostile_db, "show", str(contact_id), "--format", "json")).out
        terminal_safe(text, outputs)
        data = json.loads(text)
        assert data["notes"] == value.strip() and data["company"] == value.strip()
        assert data["touches"][0]["text"] == value
    figures.area("hostile values").add(cases=outputs[0])


def expected_cell(value: str) -> str:
    """What the CSV must hold for ``value``: the value, with a ``'`` before a formula."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def stored(db: Path, table: str, column: str) -> list[str]:
    """The values as the database holds them (names and fields are trimmed on the way in)."""
    with dbcheck.connect(db) as conn:
        return [r[0] for r in conn.execute(f"SELECT {column} FROM {table}") if r[0] is not None]


@pytest.mark.parametrize("what", ["contacts", "touches", "review"])
def test_csv_export_round_trips(what: str, hostile_db: Path, figures: Figures) -> None:
    text = success(run(hostile_db, "export", what)).out
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE), f"{len(rows)} rows for {len(HOSTILE)} records"
    column, table, source = {
        "contacts": ("notes", "contacts", "notes"),
        "touches": ("text", "touches", "text"),
        "review": ("company", "contacts", "company"),
    }[what]
    got = sorted(row[column] for row in rows)
    values = stored(hostile_db, table, source)
    assert len(values) == len(HOSTILE) and "o" * 9_998 in "".join(values)
    assert got == sorted(expected_cell(v) for v in values)
    figures.area("hostile values").add(cases=len(rows), faults=len(HOSTILE))
    figures.area("hostile values").count("CSV cells checked", len(rows))


def test_hostile_values_arriving_by_import(tmp_path: Path, figures: Figures) -> None:
    """The same values in a contacts CSV are stored as they are and printed escaped."""
    source = tmp_path / "hostile.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Company", "Notes"])
        for label, value in HOSTILE.items():
            if "\x00" not in value:
                writer.writerow([f"{value} {label}", value, value])
    db = tmp_path / "imported.db"
    success(run(db, "import", "contacts", str(source)))
    outputs = [0]
    terminal_safe(success(run(db, "list")).out, outputs)
    exported = success(run(db, "export", "contacts")).out
    notes = sorted(row["notes"] for row in csv.DictReader(io.StringIO(exported, newline="")))
    expected = sorted(expected_cell(v) for v in stored(db, "contacts", "notes"))
    assert len(expected) == len(HOSTILE) - 1
    assert notes == expected
    figures.area("hostile values").add(cases=outputs[0] + len(notes), faults=len(expected))
