"""One person is one contact, two people are two: a shared switchboard, a shared home
number, a LinkedIn connection that is a phonebook contact, and every phone and email of a
contact matching texts and emails (DOMAIN.md, "Imports and identity")."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from tests.conftest import TZ, local
from tests.importers.conftest import do_import, table_dump
from tests.importers.test_contacts import held
from tracker.config import Settings
from tracker.export import write_csv
from tracker.models import CONTACT_TEXT_FIELDS, Kind
from tracker.service import Tracker, open_store
from tracker.service.imports import Person


def test_shared_switchboard_is_three_contacts(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/switchboard.vcf")
    assert (summary.records, summary.contacts_added) == (3, 3)
    alma, ben, cleo = (tracker.resolve(n) for n in ("Alma Ortiz", "Ben Okafor", "Cleo Lindqvist"))
    # The office number stays with the first who had it...
    assert tracker.resolve("+1 312 555 0100").id == alma.id
    assert held(tracker, alma) == [
        ("email", "alma.ortiz@harborlogistics.example", "work", True),
        ("phone", "+13125550100", "work", True),
    ]
    # ...and is noted on the others, who keep their own email and mobile.
    assert ben.phone == "+13125550102"
    assert ben.notes == "Shared phone: +13125550100 (kept with Alma Ortiz, #1)"
    assert cleo.phone == ""
    assert cleo.notes == (
        "Front desk transfers to Cleo after 2pm.\n"
        "Shared phone: +13125550100 (kept with Alma Ortiz, #1)"
    )
    assert summary.shared == [
        "phone +13125550100: kept with Alma Ortiz (#1), noted on Ben Okafor (#2)",
        "phone +13125550100: kept with Alma Ortiz (#1), noted on Cleo Lindqvist (#3)",
    ]
    lines = summary.lines()
    assert "shared phone +13125550100: kept with Alma Ortiz (#1), noted on Ben Okafor (#2)" in lines
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "contacts/switchboard.vcf")
    assert not again.changed and again.shared == []
    assert table_dump(tracker) == before


def test_partners_sharing_a_home_number_stay_two(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "contacts/partners-google.csv")
    assert summary.contacts_added == 2
    jordan, casey = tracker.resolve("Jordan Rivers"), tracker.resolve("Casey Rivers")
    assert jordan.id != casey.id
    assert held(tracker, jordan) == [
        ("email", "jordan.rivers@mail.example", "home", True),
        ("phone", "+13125550170", "home", True),
    ]
    # Casey has no email to conflict, but her first name differs: not Jordan.
    assert held(tracker, casey) == [("phone", "+13125550171", "mobile", True)]
    assert casey.notes == "Shared phone: +13125550170 (kept with Jordan Rivers, #1)"
    assert summary.shared == [
        "phone +13125550170: kept with Jordan Rivers (#1), noted on Casey Rivers (#2)"
    ]


def test_phone_matches_when_nothing_conflicts(tracker: Tracker, tmp_path: Path) -> None:
    typed = tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    rows = tmp_path / "crm.csv"
    rows.write_text(
        "Name,Phone,Email,Company\n"
        "DANA Fictional,(312) 555-0142,dana@northwind.example,Northwind\n"
        "Sam Other,(312) 555-0142,,\n",
        encoding="utf-8",
    )
    summary = do_import(tracker, rows)
    # Same number, same first name, no email on our side to differ: the same person.
    assert (summary.contacts_added, summary.contacts_updated) == (1, 1)
    dana = tracker.store.get_contact(typed.id)
    assert (dana.email, dana.company) == ("dana@northwind.example", "Northwind")
    # Same number, another first name: another person, who gets a note.
    sam = tracker.resolve("Sam Other")
    assert sam.phone == "" and "Shared phone: +13125550142" in sam.notes


def test_different_emails_keep_a_shared_number_apart(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142", "email": "d@a.example"})
    rows = tmp_path / "crm.csv"
    rows.write_text(
        "Name,Phone,Email\nDana Fictional,(312) 555-0142,other@b.example\n", encoding="utf-8"
    )
    summary = do_import(tracker, rows)
    assert summary.contacts_added == 1
    assert len(tracker.store.find_contacts("Dana Fictional", "US")) == 2


def test_linkedin_connection_is_the_phonebook_contact(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "contacts/phonebook-maria.vcf")
    summary = do_import(tracker, fixtures / "linkedin/overlap")
    # "Maria Garcia" at "CONTOSO" is "María García" at "Contoso Ltd.": one contact.
    assert summary.contacts_added == 0 and summary.contacts_updated == 1
    (maria,) = tracker.store.find_contacts("María García", "US")
    assert maria.linkedin_url == "https://www.linkedin.com/in/maria-garcia-7f3e"
    assert maria.title == "VP Supply Chain" and maria.company == "Contoso Ltd."
    items = tracker.review(local("2026-03-09T09:00"))
    assert [(i.kind, i.contact_id) for i in items] == [(Kind.NO_REPLY, maria.id)]
    # She answers the LinkedIn message by text, from the phonebook number: cleared.
    texts = do_import(tracker, fixtures / "sms/maria-reply.xml")
    assert texts.touches_added == 1 and texts.skipped == {}
    assert tracker.review(local("2026-03-09T18:00")) == []
    assert tracker.store.counts()["contacts"] == 1


def test_name_and_company_do_not_match_across_conflicting_urls(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_contact(
        {
            "name": "Lee Example",
            "company": "Fabrikam, Inc.",
            "linkedin_url": "linkedin.com/in/lee-a",
        }
    )
    rows = tmp_path / "people.csv"
    rows.write_text(
        "Name,Company,LinkedIn\nLee Example,Fabrikam GmbH,\n"
        "Lee Example,FABRIKAM,https://www.linkedin.com/in/lee-b\n",
        encoding="utf-8",
    )
    summary = do_import(tracker, rows)
    # Another profile is another person; no identifier at all is the same one.
    assert (summary.contacts_added, summary.contacts_updated) == (1, 0)
    assert [d.reason for d in tracker.duplicates()] == [
        "same name and company, different LinkedIn URLs"
    ]


def test_every_phone_and_email_is_a_matching_key(tracker: Tracker, tmp_path: Path) -> None:
    dana = tracker.add_contact(
        {
            "name": "Dana Fictional",
            "phones": ["mobile:+13125550142", "work:+13125550143"],
            "emails": ["work:dana@northwind.example", "home:dana.f@mail.example"],
        }
    )
    backup = tmp_path / "sms.xml"
    backup.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
        '  <sms protocol="0" address="(312) 555-0143" date="1772816523000" type="1"'
        ' body="From my desk line" read="1" status="-1" contact_name="Dana Work" />\n'
        "</smses>\n",
        encoding="utf-8",
    )
    summary = do_import(tracker, backup)
    assert summary.touches_added == 1
    assert [t.text for t in tracker.touches(dana.id)] == ["From my desk line"]
    assert tracker.resolve("dana.f@mail.example").id == dana.id
    assert [r.id for r in tracker.contacts_page("555-0143", "name", False, 0, 10)] == [dana.id]
    assert [r.id for r in tracker.contacts_page("mail.example", "name", False, 0, 10)] == [dana.id]


def test_contacts_export_round_trips_phones_and_emails(tracker: Tracker, tmp_path: Path) -> None:
    tracker.add_contact(
        {
            "name": "Dana Fictional",
            "phones": ["work:+13125550143", "mobile:+13125550142"],
            "emails": ["home:dana.f@mail.example", "work:dana@northwind.example"],
        }
    )
    header, rows = tracker.export_rows("contacts")
    out = tmp_path / "contacts.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, header, rows)
    text = out.read_text(encoding="utf-8")
    assert "mobile:+13125550142; work:+13125550143" in text
    assert "home:dana.f@mail.example; work:dana@northwind.example" in text

    fresh = Tracker(open_store(tmp_path / "new.db"), Settings(timezone="America/Chicago"), TZ)
    summary = do_import(fresh, out, "contacts")
    assert summary.contacts_added == 1 and summary.dropped == {}
    (dana,) = fresh.store.find_contacts("Dana Fictional", "US")
    assert held(fresh, dana) == held(tracker, dana)
    fresh.close()


def test_a_person_carries_every_contact_text_field() -> None:
    # The importers fill these by name; the session cleans them from the model's list.
    assert set(CONTACT_TEXT_FIELDS) <= {spec.name for spec in fields(Person)}


def test_a_second_file_adds_the_numbers_a_contact_lacks(tracker: Tracker, tmp_path: Path) -> None:
    dana = tracker.add_contact({"name": "Dana Fictional", "phone": "+13125550142"})
    card = tmp_path / "dana.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Fictional\r\nN:Fictional;Dana;;;\r\n"
        "TEL;type=CELL:+1 (312) 555-0142\r\nTEL;type=HOME:+1 (312) 555-0177\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    summary = do_import(tracker, card)
    assert (summary.contacts_added, summary.contacts_updated) == (0, 1)
    assert held(tracker, dana) == [
        ("phone", "+13125550142", "mobile", True),
        ("phone", "+13125550177", "home", False),
    ]
    assert not do_import(tracker, card).changed
