"""Contacts files: vCard 2.1/3.0/4.0, Google, Outlook (Windows-1252), HubSpot, Close and
mapped CSVs; matching, enrichment that never overwrites, and idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.conftest import do_import, table_dump
from tracker.errors import UsageError
from tracker.models import Contact
from tracker.service import Tracker


def held(tracker: Tracker, contact: Contact) -> list[tuple[str, str, str, bool]]:
    """The contact's identifiers as (kind, value, label, primary), primary first."""
    return [(i.kind, i.value, i.label, i.primary) for i in tracker.identifiers(contact.id)]


def test_vcard_21_quoted_printable(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/android-2.1.vcf", "contacts")
    assert (summary.records, summary.contacts_added) == (2, 2)
    assert summary.dropped == {"invalid phone": 1}
    jose = tracker.resolve("+13125550160")  # the CELL number is the one kept
    assert (jose.name, jose.first_name, jose.last_name) == ("José Muñoz", "José", "Muñoz")
    assert (jose.company, jose.title, jose.email) == (
        "Tailspin Toys",
        "Director of Sales",
        "jose@tailspin.example",
    )
    assert jose.notes == "Met at the Expo – wants a demo.\nPrefers texts after 5pm."
    # Every number is kept, labelled; the mobile is the primary.
    assert held(tracker, jose) == [
        ("email", "jose@tailspin.example", "home", True),
        ("phone", "+13125550160", "mobile", True),
        ("phone", "+13125550161", "work", False),
    ]
    assert tracker.resolve("+1 312 555 0161").id == jose.id
    assert tracker.resolve("Number Bad").phone == ""


def test_vcard_30_folding_escapes_groups(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "contacts/apple-3.0.vcf")
    dana = tracker.resolve("https://www.linkedin.com/in/dana-fictional-0a1b2c")
    assert dana.company == "Northwind Widgets, Inc."
    assert (dana.phone, dana.email) == ("+13125550142", "dana@northwind.example")
    assert dana.notes == (
        "Budget review in Q2; ask about the new plant.\nLikes concise emails, no calls before 10."
    )
    assert held(tracker, dana) == [
        ("email", "dana@northwind.example", "work", True),
        ("email", "dana.f@mail.example", "home", False),
        ("phone", "+13125550142", "mobile", True),
        ("phone", "+13125550143", "work", False),
    ]
    assert tracker.resolve("dana.f@mail.example").id == dana.id
    assert dana.tags == ("Expo 2026", "Prospects")
    assert tracker.resolve("casey@example.com").phone == "+13125550123"


def test_vcard_40_uri_values(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "contacts/google-4.0.vcf")
    jordan = tracker.resolve("Jordan Optout")
    assert (jordan.phone, jordan.email, jordan.company) == (
        "+13125550177",
        "jordan@optout.example",
        "Fabrikam",
    )
    assert jordan.notes == "Websites: https://example.com/jordan"


def test_google_csv(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/google.csv")
    assert summary.format == "Google Contacts CSV"
    assert summary.contacts_added == 2
    assert summary.skipped == {"no name and no identifier": 1}
    assert summary.dropped == {"invalid phone": 1}
    lee = tracker.resolve("Lee Example")
    assert (lee.phone, lee.email) == ("+12065550123", "lee@example.com")
    assert lee.linkedin_url == "https://www.linkedin.com/in/lee-example"
    assert (lee.company, lee.title, lee.tags) == ("Fabrikam", "Engineering Manager", ("Prospects",))
    assert lee.notes == "Met at DevConf.\nLikes Rust."
    assert held(tracker, lee) == [
        ("email", "lee@example.com", "work", True),
        ("email", "lee.example@mail.example", "work", False),
        ("phone", "+12065550123", "mobile", True),
        ("phone", "+12065550124", "work", False),
    ]


def test_outlook_windows_1252(tracker: Tracker, fixtures: Path) -> None:
    assert b"\xe9" in (fixtures / "contacts/outlook-1252.csv").read_bytes()
    summary = do_import(tracker, fixtures / "contacts/outlook-1252.csv")
    assert summary.contacts_added == 2
    renee = tracker.resolve("renee@cafe.example")
    assert (renee.name, renee.company, renee.title) == ("Renée Côté", "Café Société", "Gérante")
    assert renee.phone == "+15145550131"  # the mobile, not the business line
    assert renee.linkedin_url == "https://www.linkedin.com/in/renee-cote"
    assert renee.tags == ("Clients", "Montréal")
    assert renee.notes == "Prefers French – “bonjour” first."
    assert held(tracker, renee)[1:] == [
        ("phone", "+15145550131", "mobile", True),
        ("phone", "+15145550130", "work", False),
    ]


def test_hubspot_and_close(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "contacts/hubspot.csv")
    morgan = tracker.resolve("morgan@pending.example")
    assert (morgan.name, morgan.phone, morgan.company, morgan.title) == (
        "Morgan Pending",
        "+14155550190",
        "Pending Corp",
        "VP Operations",
    )
    do_import(tracker, fixtures / "contacts/close.csv")
    avery = tracker.resolve("https://www.linkedin.com/in/avery-close")
    assert (avery.name, avery.company, avery.title, avery.phone) == (
        "Avery Close",
        "Tailwind Traders",
        "COO",
        "+16465550110",
    )
    assert avery.notes == "Industry: Logistics\nDeal Size: 50k"


def test_unknown_csv_needs_a_map(tracker: Tracker, fixtures: Path) -> None:
    with pytest.raises(UsageError, match=r"generic\.csv:1: unknown contacts layout"):
        do_import(tracker, fixtures / "contacts/generic.csv")
    summary = do_import(
        tracker,
        fixtures / "contacts/generic.csv",
        column_map=(
            ("Full Contact", "name"),
            ("Cell #", "phone"),
            ("mail", "email"),
            ("Where", "notes"),
        ),
    )
    assert summary.contacts_added == 1
    taylor = tracker.resolve("Taylor Generic")
    assert (taylor.phone, taylor.email, taylor.notes) == (
        "+13035550150",
        "taylor@generic.example",
        "Denver office",
    )
    with pytest.raises(UsageError, match="no column 'Nope'"):
        do_import(tracker, fixtures / "contacts/generic.csv", column_map=(("Nope", "name"),))


def test_enrichment_fills_empty_fields_only(tracker: Tracker, fixtures: Path) -> None:
    typed = tracker.add_contact(
        {"name": "Dana F.", "email": "dana@northwind.example", "title": "Buyer (typed)"}
    )
    summary = do_import(tracker, fixtures / "contacts/apple-3.0.vcf")
    assert (summary.contacts_added, summary.contacts_updated) == (1, 1)
    dana = tracker.store.get_contact(typed.id)
    assert (dana.name, dana.first_name, dana.last_name) == ("Dana F.", "Dana", "F.")
    assert dana.title == "Buyer (typed)"
    assert dana.company == "Northwind Widgets, Inc."
    assert dana.phone == "+13125550142"
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-fictional-0a1b2c"
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "contacts/apple-3.0.vcf")
    assert not again.changed
    assert table_dump(tracker) == before


def test_identifiers_of_another_contact_are_never_taken(tracker: Tracker, fixtures: Path) -> None:
    by_email = tracker.add_contact({"name": "Email Owner", "email": "dana@northwind.example"})
    by_phone = tracker.add_contact({"name": "Phone Owner", "phone": "+13125550142"})
    summary = do_import(tracker, fixtures / "contacts/apple-3.0.vcf")
    # Email comes before phone in matching (DOMAIN): the card is the email owner's, and
    # the phone owner keeps their number, noted on the email owner.
    assert summary.contacts_updated == 1
    assert summary.shared == [
        "phone +13125550142: kept with Phone Owner (#2), noted on Email Owner (#1)"
    ]
    owner = tracker.store.get_contact(by_email.id)
    assert owner.company == "Northwind Widgets, Inc."
    assert owner.phone == "+13125550143"  # the card's other number, free, is theirs now
    assert "Shared phone: +13125550142 (kept with Phone Owner, #2)" in owner.notes
    assert tracker.store.get_contact(by_phone.id).email == ""
    assert held(tracker, by_phone) == [("phone", "+13125550142", "mobile", True)]


def test_name_matches_only_a_record_without_identifiers_or_company(
    tracker: Tracker, tmp_path: Path
) -> None:
    existing = tracker.add_contact({"name": "Sam Same"})
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("Name,Company\nSam Same,\nSam Same,Acme\n", encoding="utf-8")
    summary = do_import(tracker, csv_file)
    # The first row (no identifier, no company) is the contact of the same full name; the
    # second names a company, which the contact lacks: a second contact, never merged.
    assert (summary.contacts_added, summary.contacts_updated) == (1, 0)
    assert tracker.store.get_contact(existing.id).company == ""
    assert [c.company for c in tracker.store.find_contacts("Sam Same", "US")] == ["", "Acme"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"binary data"),
        (b"Name,Email\nJos\xe9,j@x.example\nBad\x81,b@x.example\n", r":3: byte 0x81"),
        (b"BEGIN:VCARD\nVERSION:3.0\nFN:Half\n", r":1: card 1 has no END:VCARD"),
        (b'Name,Email\nA,a@x.example\nB,"b@x".example\n', r":3: broken CSV"),
        (b"", r":1: no header found"),
    ],
)
def test_malformed_files_are_refused_whole(
    tracker: Tracker, tmp_path: Path, content: bytes, message: str
) -> None:
    tracker.add_contact({"name": "Already Here"})
    before = table_dump(tracker)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        do_import(tracker, bad, "contacts")
    assert table_dump(tracker) == before
