"""CSV export through the CLI: formulas neutralised, Unicode and newlines intact, and
every touch and field round-trips."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    return Outreach(tmp_path / "export.db")


def _rows(result) -> list[dict[str, str]]:
    # Read the bytes: click's text output folds CRLF, which would hide a CR in a cell.
    text = result.stdout_bytes.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _fill(run: Outreach) -> None:
    run(
        "add",
        '=HYPERLINK("http://evil")',
        "--company",
        "@SUM(A1)",
        "--notes",
        'line one\nline two, with "quotes"',
    )
    run(
        "add",
        "Zoë Ångström-Łukasz 王",
        "--phone",
        "+44 20 7946 0958",
        "--company",
        "-2+3",
        "--tag",
        "vip",
        "--tag",
        "expo",
    )
    run("log", "sms", "2", "--text", "+1 this\r\nand that", "--at", "2026-11-20T10:00")
    run("log", "email", "1", "--text", "\tindented", "--at", "2026-11-21T10:00", "--in")
    run(
        "invite",
        "1",
        "--note",
        "Hi, met at the expo",
        "--at",
        "2026-11-01",
        "--moment",
        "after_event",
    )
    run("follow-up", "2", "--on", "2026-12-01", "--reason", "=1+1")


def test_formula_cells_are_neutralised_but_numbers_are_not(run: Outreach):
    _fill(run)
    contacts = _rows(run("export", "contacts"))
    assert contacts[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert contacts[0]["company"] == "'@SUM(A1)"
    assert contacts[1]["company"] == "'-2+3"
    assert contacts[1]["phone"] == "+442079460958"
    assert contacts[1]["follow_up_reason"] == "'=1+1"
    touches = _rows(run("export", "touches"))
    assert touches[0]["text"] == "'+1 this\r\nand that"
    assert touches[1]["text"] == "'\tindented"


def test_raw_export_round_trips_every_field(run: Outreach):
    _fill(run)
    conn = sqlite3.connect(run.db)
    conn.row_factory = sqlite3.Row
    for what, sql in (
        ("touches", "SELECT * FROM touches ORDER BY id"),
        ("contacts", "SELECT * FROM contacts ORDER BY id"),
    ):
        exported = _rows(run("export", what, "--raw"))
        stored = [dict(r) for r in conn.execute(sql)]
        assert len(exported) == len(stored)
        for out, row in zip(exported, stored, strict=True):
            for key, value in row.items():
                assert out[key] == ("" if value is None else str(value)), (what, key)
    conn.close()


def test_non_ascii_and_multiline_survive(run: Outreach):
    _fill(run)
    rows = _rows(run("export", "contacts"))
    assert rows[1]["name"] == "Zoë Ångström-Łukasz 王"
    assert rows[0]["notes"] == 'line one\nline two, with "quotes"'
    assert rows[1]["tags"] == "expo; vip"


def test_export_to_a_file_says_where(run: Outreach, tmp_path: Path):
    _fill(run)
    target = tmp_path / "out" / "touches.csv"
    target.parent.mkdir()
    result = run("export", "touches", "--out", str(target))
    assert f"wrote 3 touches to {target}" in result.stderr  # in words now
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8").startswith("id,contact_id,contact,channel")
    assert not list(target.parent.glob(".touches.csv.*"))


def test_invitations_and_review_exports(run: Outreach):
    _fill(run)
    invitations = _rows(run("export", "invitations"))
    assert [(r["contact_id"], r["status"], r["has_note"], r["moment"]) for r in invitations] == [
        ("1", "pending", "1", "after_event")
    ]
    review = _rows(run("export", "review", "--as-of", "2026-11-23"))
    assert {r["kind"] for r in review} == {"stale_invite", "unanswered_text"}
