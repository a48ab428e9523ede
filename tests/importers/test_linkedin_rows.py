"""LinkedIn rows seen in real exports: a message with only an attachment, sponsored
InMail, senders hidden as "LinkedIn Member", and connections with no name
(fixtures ``linkedin/attachments`` and ``linkedin/nameless``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import local
from tests.importers.conftest import do_import
from tracker.importers.linkedin_files import nameless, slug_words
from tracker.models import Channel, Direction, Kind
from tracker.service import Tracker


@pytest.fixture
def connected(tracker: Tracker) -> dict[str, int]:
    rows = {
        "Dana Fictional": "https://www.linkedin.com/in/dana-fictional-0a1b2c",
        "Lee Example": "https://www.linkedin.com/in/lee-example",
    }
    return {n: tracker.add_contact({"name": n, "linkedin_url": u}).id for n, u in rows.items()}


def test_a_message_with_only_an_attachment_is_a_touch(
    tracker: Tracker, connected: dict[str, int], fixtures: Path
) -> None:
    summary = do_import(tracker, fixtures / "linkedin/attachments/messages.csv")
    assert (summary.records, summary.added, summary.touches_added) == (8, 3, 3)
    dana = tracker.store.touches_for(connected["Dana Fictional"])
    assert [(t.direction, t.text) for t in dana] == [
        (Direction.OUT, "Dana, here is the one-pager we talked about."),
        (Direction.IN, ""),  # her reply was a picture: still a reply
    ]
    (lee,) = tracker.store.touches_for(connected["Lee Example"])
    assert (lee.channel, lee.direction, lee.at) == (
        Channel.LINKEDIN_MESSAGE,
        Direction.OUT,
        local("2026-03-03T03:30"),
    )
    # Seen: the attachment was dropped and with it Lee's no_reply.
    items = tracker.review(local("2026-03-07T18:00"))
    assert [(i.kind, i.contact) for i in items] == [(Kind.NO_REPLY, "Lee Example")]


def test_sponsored_inmail_and_hidden_members_are_skipped_and_named(
    tracker: Tracker, connected: dict[str, int], fixtures: Path
) -> None:
    summary = do_import(
        tracker, fixtures / "linkedin/attachments/messages.csv", create_contacts=True
    )
    assert summary.skipped == {
        "sponsored InMail": 2,
        'sender shown as "LinkedIn Member"': 1,
        'recipient shown as "LinkedIn Member"': 1,
        "empty or filler message": 1,
    }
    said = "\n".join(summary.lines())
    assert "2 sponsored InMail" in said and '1 sender shown as "LinkedIn Member"' in said
    # No contact for an advertiser, even with --create-contacts.
    assert summary.contacts_added == 0
    assert tracker.store.find_contacts("Avery Adseller", "US") == []


def test_connections_without_a_name_get_one_a_person_can_read(
    tracker: Tracker, fixtures: Path
) -> None:
    summary = do_import(tracker, fixtures / "linkedin/nameless/Connections.csv")
    assert (summary.records, summary.contacts_added) == (6, 5)
    assert summary.skipped == {"no name and no identifier": 1}

    def named(slug: str) -> str:
        return tracker.resolve(f"https://www.linkedin.com/in/{slug}").name

    assert named("dana-fictional-0a1b2c") == "Dana Fictional"
    assert named("josé-muñoz-4b2") == "José Muñoz"
    # Seen: named "acoaabcdefg", the bare slug of an opaque member id.
    assert named("acoaabcdefg") == "LinkedIn member (connected 8 Feb 2026)"
    assert named("b7a3119a") == "LinkedIn member (connected 12 Jan 2026)"
    assert named("lee-example") == "Lee Example"
    # A later export that names them changes nothing: names are never overwritten.
    again = do_import(tracker, fixtures / "linkedin/nameless/Connections.csv")
    assert not again.changed


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://www.linkedin.com/in/dana-fictional-0a1b2c", "Dana Fictional"),
        ("https://www.linkedin.com/in/lee-example", "Lee Example"),
        ("https://www.linkedin.com/in/priya", "Priya"),
        ("https://www.linkedin.com/in/acoaabcdefg", ""),
        ("https://www.linkedin.com/in/acwaaabcdefg", ""),
        ("https://www.linkedin.com/in/12345678", ""),
        ("https://www.linkedin.com/in/mary-jane-o-neil-77", "Mary Jane O Neil"),
    ],
)
def test_slug_words(url: str, words: str) -> None:
    assert slug_words(url) == words


def test_nameless_falls_back_to_when_they_were_met() -> None:
    from datetime import date

    url = "https://www.linkedin.com/in/acoaabcdefg"
    assert nameless(url, "invited", date(2026, 1, 29)) == "LinkedIn member (invited 29 Jan 2026)"


def test_a_made_up_name_never_fills_in_a_known_contact(
    tracker: Tracker, fixtures: Path, tmp_path: Path
) -> None:
    # A contact an earlier import named after its bare slug, with no first name.
    urls = tmp_path / "urls.csv"
    urls.write_text("LinkedIn URL\nhttps://www.linkedin.com/in/dana-fictional-0a1b2c\n")
    do_import(tracker, urls, "contacts")
    known = tracker.resolve("https://www.linkedin.com/in/dana-fictional-0a1b2c")
    assert (known.name, known.first_name) == ("dana-fictional-0a1b2c", "")
    summary = do_import(tracker, fixtures / "linkedin/nameless/Connections.csv")
    again = tracker.store.get_contact(known.id)
    assert (again.name, again.first_name, again.last_name) == ("dana-fictional-0a1b2c", "", "")
    assert summary.contacts_updated == 1  # its connection day, nothing else


def test_a_nameless_recipient_of_a_group_message_is_named_readably(
    tracker: Tracker, tmp_path: Path
) -> None:
    messages = tmp_path / "messages.csv"
    messages.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        '2-Z3JvdXAtMDE=,Intro,Sam Seller,https://www.linkedin.com/in/sam-seller,"Lee, Member",'
        '"https://www.linkedin.com/in/lee-example,https://www.linkedin.com/in/ACoAABcdEfG",'
        "2026-02-26 17:45:10 UTC,,Meet each other!,INBOX\n"
    )
    do_import(tracker, messages, me="https://www.linkedin.com/in/sam-seller", create_contacts=True)
    member = tracker.resolve("https://www.linkedin.com/in/acoaabcdefg")
    assert member.name == "LinkedIn member (messaged 26 Feb 2026)"
    assert tracker.resolve("https://www.linkedin.com/in/lee-example").name == "Lee Example"
