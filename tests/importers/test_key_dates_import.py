"""Birthdays from contact files: vCard ``BDAY`` (``1988-05-12``, ``19900101``, ``--0512``,
Apple's made-up year), Google's and Outlook's "Birthday" columns, our own export's
``key_dates`` column; kept on re-import by the enrichment rule (empty labels only)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Outreach
from tests.importers.conftest import do_import, table_dump
from tracker.models import BIRTHDAY, KeyDate
from tracker.service import Tracker


def dates(tracker: Tracker, ref: str) -> list[KeyDate]:
    return tracker.key_dates(tracker.resolve(ref).id)


def test_vcard_bday_in_every_form(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/birthdays.vcf")
    assert summary.contacts_added == 5
    assert summary.dropped == {"unreadable key date": 1}  # "circa 1800"
    assert dates(tracker, "Ava Birthday") == [KeyDate(BIRTHDAY, 5, 12, 1988)]
    assert dates(tracker, "Bo Noyear") == [KeyDate(BIRTHDAY, 2, 29)]  # X-APPLE-OMIT-YEAR
    assert dates(tracker, "Cy Basic") == [KeyDate(BIRTHDAY, 1, 1, 1990)]
    assert dates(tracker, "Di Four") == [KeyDate(BIRTHDAY, 5, 12)]
    assert dates(tracker, "Ed Text") == []
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "contacts/birthdays.vcf")
    assert (again.contacts_added, again.contacts_updated) == (0, 0)
    assert table_dump(tracker) == before


def test_google_and_outlook_birthday_columns(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "contacts/google-birthdays.csv")
    assert dates(tracker, "Gil Google") == [KeyDate(BIRTHDAY, 7, 4, 1985)]
    assert dates(tracker, "Hana Noyear") == [KeyDate(BIRTHDAY, 11, 22)]
    summary = do_import(tracker, fixtures / "contacts/outlook-birthdays.csv")
    assert summary.format == "Outlook contacts CSV" and not summary.dropped
    assert dates(tracker, "Ines Outlook") == [KeyDate(BIRTHDAY, 5, 12, 1988)]
    assert dates(tracker, "Jo Nobday") == []  # Outlook's 0/0/00: no birthday


def test_enrichment_fills_a_missing_birthday_and_keeps_one_set(
    tracker: Tracker, fixtures: Path
) -> None:
    ava = tracker.add_contact({"name": "Ava Birthday", "phone": "+13125550101"})
    tracker.edit_contact(ava, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 6, 1, 1988)})
    bo = tracker.add_contact({"name": "Bo Noyear", "email": "bo@example.com"})
    tracker.edit_contact(bo, {}, key_dates={"renewal": KeyDate("renewal", 3, 1)})
    summary = do_import(tracker, fixtures / "contacts/birthdays.vcf")
    assert summary.contacts_updated == 1  # Bo got a birthday; Ava kept hers
    assert dates(tracker, "Ava Birthday") == [KeyDate(BIRTHDAY, 6, 1, 1988)]
    assert dates(tracker, "Bo Noyear") == [KeyDate(BIRTHDAY, 2, 29), KeyDate("renewal", 3, 1)]


def test_our_export_carries_key_dates_back(tmp_path: Path) -> None:
    first, second = Outreach(tmp_path / "a.db"), Outreach(tmp_path / "b.db")
    first("add", "Dana Fictional", "--birthday", "--05-12", "--date", "renewal=2027-03-01")
    first("add", "Lee Example")
    exported = tmp_path / "contacts.csv"
    first("export", "contacts", "--out", str(exported))
    header, dana, lee = exported.read_text(encoding="utf-8").splitlines()
    assert "key_dates" in header.split(",")
    assert "birthday:--05-12; renewal:2027-03-01" in dana and "birthday" not in lee
    second("import", "contacts", str(exported))
    assert second.json("show", "1", "--format", "json")["key_dates"] == [
        {"label": "birthday", "date": "--05-12"},
        {"label": "renewal", "date": "2027-03-01"},
    ]


def test_a_birthday_column_of_any_csv(tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("Name,Email,Birthday,DOB\nKim Lead,kim@example.com,1979-10-03,\n")
    run = Outreach(tmp_path / "c.db")
    run("import", "contacts", str(leads))
    assert run.json("show", "1", "--format", "json")["key_dates"] == [
        {"label": "birthday", "date": "1979-10-03"}
    ]
    mapped = tmp_path / "mapped.csv"
    mapped.write_text("Name,Email,DOB\nLou Mapped,lou@example.com,--12-31\n")
    run("import", "contacts", str(mapped), "--map", "DOB=key_dates")
    assert run.json("show", "2", "--format", "json")["key_dates"] == [
        {"label": "birthday", "date": "--12-31"}
    ]
