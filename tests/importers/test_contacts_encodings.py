"""Contacts files as real exporters write their bytes: an iPhone vCard whose lines end CR
CR LF, UTF-16 with a BOM (old Address Book, Google's "Unicode" CSV), a UTF-8 file with a
few Windows-1252 lines (repaired and named), Outlook's ``;``-separated CSV, and Google's
system groups, which are not tags (fixtures written by ``contacts/make_encodings.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.conftest import do_import, table_dump
from tracker.importers.contacts_csv import is_system_group
from tracker.service import Tracker


def test_iphone_vcard_with_cr_cr_lf_line_ends_and_a_folded_photo(
    tracker: Tracker, fixtures: Path
) -> None:
    # Seen: refused as "not a vCard line" on the PHOTO's second line.
    summary = do_import(tracker, fixtures / "contacts/iphone-crcrlf.vcf", "contacts")
    assert (summary.records, summary.contacts_added) == (2, 2)
    astrid = tracker.resolve("astrid@contoso.example")
    assert (astrid.name, astrid.company, astrid.title, astrid.phone) == (
        "Astrid Lindqvist",
        "Contoso Nordic",
        "Purchasing Lead",
        "+13125550164",
    )
    assert astrid.notes == ""  # the photo is not text
    tobi = tracker.resolve("+13125550165")
    assert tobi.notes == "Met at the Expo booth.\nAsked for the spring catalogue."
    assert tobi.tags == ("Expo 2026",)  # Google's "myContacts" is not a tag


def test_address_book_vcard_in_utf16(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/address-book-utf16.vcf", "contacts")
    assert summary.contacts_added == 1
    elif_ = tracker.resolve("elif@tailspin.example")
    assert (elif_.name, elif_.first_name, elif_.last_name) == ("Elif Şahin", "Elif", "Şahin")


def test_google_unicode_csv_and_its_system_groups(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/google-unicode.csv", "contacts")
    assert summary.format == "Google Contacts CSV"
    assert summary.contacts_added == 2
    zoe = tracker.resolve("zoe@fabrikam.example")
    assert (zoe.name, zoe.company, zoe.title, zoe.phone) == (
        "Zoë Brandt",
        "Fabrikam",
        "Buyer",
        "+13125550167",
    )
    # "* My Contacts" and "Starred in Android" are Google's, not the rep's labels.
    assert zoe.tags == ("Suppliers",)
    assert tracker.resolve("mateo@mail.example").tags == ()


@pytest.mark.parametrize(
    ("label", "system"),
    [
        ("* myContacts", True),
        ("My Contacts", True),
        ("* starred", True),
        ("Starred in Android", True),
        ("myContacts", True),
        ("Friends", False),
        ("Prospects", False),
        ("My Customers", False),
    ],
)
def test_system_groups(label: str, system: bool) -> None:
    assert is_system_group(label) is system


def test_utf8_file_with_pasted_windows_1252_rows_is_repaired_and_named(
    tracker: Tracker, fixtures: Path
) -> None:
    # Seen: the whole file was read as Windows-1252 ("JosÃ© GarcÃ­a").
    path = fixtures / "contacts/google-repaired.csv"
    summary = do_import(tracker, path, "contacts")
    assert summary.contacts_added == 4
    assert tracker.resolve("jose.garcia@contoso.example").name == "José García"
    renee = tracker.resolve("renee@lumiere.example")
    assert (renee.name, renee.company, renee.notes) == (
        "Renée Dubois",
        "Café Lumière",
        "Likes “short” emails",
    )
    assert tracker.resolve("noah@fabrikam.example").notes == "Quote “ASAP”"
    assert summary.repaired == {str(path): (3, 5)}
    assert "lines repaired from Windows-1252: 3, 5" in summary.lines()


def test_outlook_semicolon_csv_is_detected(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/outlook-semicolon.csv", "contacts")
    assert summary.format == "Outlook contacts CSV (semicolon-separated)"
    assert summary.contacts_added == 2
    jurgen = tracker.resolve("juergen@mueller-soehne.example")
    assert (jurgen.name, jurgen.company, jurgen.title) == (
        "Jürgen Weiß",
        "Müller & Söhne GmbH",
        "Einkaufsleiter",
    )
    assert jurgen.linkedin_url == "https://www.linkedin.com/in/juergen-weiss"
    assert jurgen.notes == "Bevorzugt Anrufe; nie vor 9 Uhr."  # a ";" inside quotes stays
    assert jurgen.tags == ("Kunden", "Messe 2026")
    assert tracker.resolve("claire@cafe-societe.example").company == "Café Société"


@pytest.mark.parametrize(
    "name",
    [
        "iphone-crcrlf.vcf",
        "address-book-utf16.vcf",
        "google-unicode.csv",
        "google-repaired.csv",
        "outlook-semicolon.csv",
    ],
)
def test_reimporting_changes_nothing(tracker: Tracker, fixtures: Path, name: str) -> None:
    do_import(tracker, fixtures / "contacts" / name)
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "contacts" / name)
    assert not again.changed and again.added == 0
    assert again.skipped == {"record with nothing new": again.records}
    assert table_dump(tracker) == before
