"""Our own contacts export re-imports faithfully: every field comes back into a new home,
an opted-out contact stays opted out, and no import ever clears an opt-out (a file can add
one, never take one away). ``--map`` can target every field a contacts file carries."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at
from tests.importers.conftest import do_import
from tracker.config import Settings
from tracker.importers.contacts_csv import MAP_FIELDS, parse_map
from tracker.models import CONTACT_MAP_FIELDS, Contact, Relationship, Segment
from tracker.service import Tracker

OLDER = "contacts/outreach-export-older.csv"
"""A real export, written before Dana opted out of texts (CRLF, a neutralised cell)."""


def _everyone(db: Path, settings: Settings) -> list[Contact]:
    tracker = Tracker.open(db, settings)
    try:
        ids = sorted(row.id for row in tracker.contacts_page("", "id", False, 0, 100))
        return [replace(tracker.contact(i), updated_at=None) for i in ids]
    finally:
        tracker.close()


def _build_home(db: Path, settings: Settings) -> None:
    tracker = Tracker.open(db, settings)
    try:
        dana = tracker.add_contact(
            {
                "name": "Dana Fictional",
                "company": "Northwind Widgets, Inc.",
                "title": "VP Operations",
                "phone": "+1 312 555 0142",
                "email": "dana@northwind.example",
                "linkedin_url": "linkedin.com/in/dana-fictional-0a1b2c",
                "segment": "decision_maker",
                "relationship": "met_briefly",
                "keep_in_touch_days": "30",
                "notes": "=1+1 is not a formula here\nasked for the pricing sheet",
            },
            ["expo 2026", "prospects"],
            at=at("2026-02-01T08:30"),
        )
        tracker.opt_in(dana, at("2026-03-02T09:04:05"))
        tracker.opt_out(dana, at("2026-04-10T18:00"))
        tracker.follow_up(
            dana, date(2026, 12, 15), "send the pricing sheet", at("2026-11-20T10:00")
        )
        back = tracker.add_contact(
            {
                "name": "Lee Park",
                "first_name": "Lee",
                "last_name": "Park",
                "email": "lee@x.example",
            },
            ["-vip"],
            at=at("2026-02-03T03:00"),
        )
        tracker.opt_out(back, at("2026-03-01T10:00"))
        tracker.opt_in(back, at("2026-03-05T10:00"))  # opted back in: textable again
        tracker.add_contact({"name": "@Handle Person", "title": "+ Founder"}, (), at("2026-02-04"))
    finally:
        tracker.close()


def test_export_then_import_into_a_new_home_gives_back_every_field(tmp_path, settings):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    _build_home(first, settings)
    exported = tmp_path / "contacts.csv"
    Outreach(first)("export", "contacts", "--out", str(exported))

    said = Outreach(second)("import", "contacts", str(exported)).stdout
    assert "Outreach contacts export, 3 records read" in said
    assert "contacts: 3 added, 0 updated" in said

    before, after = _everyone(first, settings), _everyone(second, settings)
    assert after == before
    dana = after[0]
    assert dana.opted_out() and dana.sms_opt_in_at is not None  # still opted out
    assert (dana.segment, dana.relationship) == (Segment.DECISION_MAKER, Relationship.MET_BRIEFLY)
    assert (dana.keep_in_touch_days, dana.follow_up_on) == (30, date(2026, 12, 15))
    assert not after[1].opted_out()  # opted back in, as recorded
    assert after[2].name == "@Handle Person" and after[2].title == "+ Founder"

    again = tmp_path / "again.csv"
    Outreach(second)("export", "contacts", "--out", str(again))
    assert _without_updated_at(again) == _without_updated_at(exported)


def _without_updated_at(path: Path) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    where = rows[0].index("updated_at")
    return [row[:where] + row[where + 1 :] for row in rows]


def test_the_export_carries_every_field_the_import_reads(tmp_path, settings):
    path = tmp_path / "contacts.csv"
    Outreach(tmp_path / "a.db")("export", "contacts", "--out", str(path))
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert len(header) == len(set(header))
    assert set(header) == {"id", *CONTACT_MAP_FIELDS, "updated_at"}
    assert MAP_FIELDS == CONTACT_MAP_FIELDS


def test_an_older_file_without_the_opt_out_never_clears_it(tracker: Tracker, fixtures: Path):
    summary = do_import(tracker, fixtures / OLDER)
    assert (summary.format, summary.contacts_added) == ("Outreach contacts export", 3)
    dana = tracker.resolve("Dana Fictional")
    assert dana.notes == "- met at the Widgets Expo\nasked for the pricing sheet"
    assert tracker.resolve("=HYPERLINK Person").first_name == "=HYPERLINK"
    assert not dana.opted_out()
    tracker.opt_out(dana, at("2026-11-25T12:00"))  # STOP, after the file was written

    again = do_import(tracker, fixtures / OLDER)
    assert (again.contacts_added, again.contacts_updated) == (0, 0)
    assert tracker.resolve("Dana Fictional").opted_out()


def test_a_file_can_add_an_opt_out(tracker: Tracker, fixtures: Path, tmp_path: Path):
    tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    text = (fixtures / OLDER).read_text(encoding="utf-8")
    opted = text.replace("2026-03-02T15:04:05Z,,", "2026-03-02T15:04:05Z,2026-04-01T12:00:00Z,")
    assert opted != text
    path = tmp_path / "opted.csv"
    path.write_text(opted, encoding="utf-8", newline="")
    summary = do_import(tracker, path)
    assert summary.contacts_updated == 1
    dana = tracker.resolve("Dana Fictional")
    assert dana.opted_out()
    assert dana.sms_opt_out_at == datetime(2026, 4, 1, 12, tzinfo=UTC)
    # enrichment: the empty fields filled, from the same row
    assert (dana.segment, dana.keep_in_touch_days) == (Segment.DECISION_MAKER, 30)
    assert dana.follow_up_on == date(2026, 12, 15)


def test_an_opt_in_from_a_file_never_makes_an_opted_out_contact_textable(
    tracker: Tracker, tmp_path: Path
):
    dana = tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    tracker.opt_out(dana, at("2026-05-01T09:00"))
    path = tmp_path / "in.csv"
    path.write_text(
        "Name,Mobile,Texts OK\nDana Fictional,+13125550142,2026-06-01T09:00\n", encoding="utf-8"
    )
    do_import(tracker, path, column_map=parse_map(["Mobile=phone", "Texts OK=sms_opt_in_at"]))
    assert tracker.resolve("Dana Fictional").opted_out()


def test_enrichment_fills_empty_fields_only(tracker: Tracker, fixtures: Path):
    dana = tracker.add_contact(
        {"name": "Dana Fictional", "phone": "+13125550142", "segment": "influencer"}
    )
    tracker.follow_up(dana, date(2026, 12, 1), "call about the budget")
    do_import(tracker, fixtures / OLDER)
    dana = tracker.resolve("Dana Fictional")
    assert dana.segment is Segment.INFLUENCER  # kept
    assert dana.relationship is Relationship.MET_BRIEFLY  # was empty: filled
    assert (dana.follow_up_on, dana.follow_up_reason) == (
        date(2026, 12, 1),
        "call about the budget",
    )


def test_map_can_target_every_field(tracker: Tracker, tmp_path: Path):
    assert parse_map([f"Column {n}={field}" for n, field in enumerate(MAP_FIELDS)])
    path = tmp_path / "crm.csv"
    path.write_text(
        "Who,Tier,How we met,Every,Texts OK,STOP,Next,Why,Since\n"
        "Sam Seller,Decision maker,former colleague,14,2026-01-05,yes,2026-12-20,"
        "renewal call,2025-06-01\n",
        encoding="utf-8",
    )
    pairs = [
        "Who=name",
        "Tier=segment",
        "How we met=relationship",
        "Every=keep_in_touch_days",
        "Texts OK=sms_opt_in_at",
        "STOP=sms_opt_out_at",
        "Next=follow_up_on",
        "Why=follow_up_reason",
        "Since=created_at",
    ]
    summary = do_import(tracker, path, column_map=parse_map(pairs))
    assert summary.contacts_added == 1 and not summary.dropped
    sam = tracker.resolve("Sam Seller")
    assert (sam.segment, sam.relationship) == (
        Segment.DECISION_MAKER,
        Relationship.FORMER_COLLEAGUE,
    )
    assert sam.keep_in_touch_days == 14
    assert sam.sms_opt_in_at == at("2026-01-05T00:00").astimezone(UTC)
    assert sam.opted_out()  # "yes" is an opt-out, recorded at the import
    assert (sam.follow_up_on, sam.follow_up_reason) == (date(2026, 12, 20), "renewal call")
    assert sam.created_at == at("2025-06-01T00:00").astimezone(UTC)


@pytest.mark.parametrize(
    ("column", "value", "dropped"),
    [
        ("segment", "enterprise", "invalid segment"),
        ("relationship", "cousin", "invalid relationship"),
        ("keep_in_touch_days", "weekly", "invalid keep-in-touch days"),
        ("follow_up_on", "next week", "invalid follow-up date"),
        ("sms_opt_in_at", "maybe", "invalid SMS opt-in time"),
    ],
)
def test_a_bad_value_is_left_out_and_counted(tracker, tmp_path, column, value, dropped):
    path = tmp_path / "bad.csv"
    path.write_text(f"name,{column}\nSam Seller,{value}\n", encoding="utf-8")
    summary = do_import(tracker, path)
    assert summary.contacts_added == 1
    assert summary.dropped == {dropped: 1}


def test_an_unreadable_opt_out_still_opts_out(tracker: Tracker, tmp_path: Path):
    path = tmp_path / "stop.csv"
    path.write_text("name,sms_opt_out_at\nSam Seller,asked us to stop\n", encoding="utf-8")
    summary = do_import(tracker, path)
    assert not summary.dropped
    assert tracker.resolve("Sam Seller").opted_out()
