"""imessage-exporter text as current versions write it with Contacts access: files and
senders named by contact name, announcements, edited messages, tapbacks, replies repeated
in context, and named groups (fixtures in ``imessage-contacts/``)."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from tests.conftest import local
from tests.importers.conftest import do_import, table_dump
from tracker.errors import UsageError
from tracker.importers.imessage_chat import (
    Announcement,
    ChatMessage,
    looks_like_imessage,
    parse_chat,
)
from tracker.models import Channel, Kind
from tracker.service import Tracker

FOLDER = "imessage-contacts"


@pytest.fixture
def people(tracker: Tracker) -> dict[str, int]:
    rows = {
        "Dana Fictional": {"phone": "312-555-0142"},
        "Jordan Optout": {"phone": "+1 312 555 0177"},
        "Casey Quiet": {"email": "casey@example.com"},
    }
    return {name: tracker.add_contact({"name": name, **f}).id for name, f in rows.items()}


def _texts(tracker: Tracker, contact_id: int) -> list[tuple[str, str, bool]]:
    return [
        (t.direction.value, t.text, t.is_group)
        for t in tracker.store.touches_for(contact_id)
        if t.channel is Channel.SMS
    ]


def test_files_and_senders_named_by_contact_name(
    tracker: Tracker, people: dict[str, int], fixtures: Path
) -> None:
    # Seen: all 8 of Dana's messages skipped as invalid numbers.
    summary = do_import(tracker, fixtures / FOLDER, "sms")
    assert summary.format == "imessage-exporter text (folder)"
    assert (summary.records, summary.added, summary.touches_added) == (16, 13, 13)
    assert summary.skipped == {
        "announcement (not a message)": 2,
        "handle matching no contact": 1,
    }
    dana = tracker.store.touches_for(people["Dana Fictional"])
    assert [(t.direction.value, t.at, t.text, t.is_group) for t in dana] == [
        (
            "out",
            local("2026-03-02T09:15"),
            "Hi Dana, it's Sam Seller from Northwind. Are you free for a call this week?",
            False,
        ),
        ("in", local("2026-03-02T09:40:12"), "Thursday works.", False),
        # Edited: only the final text, not its first version or "Edited ... later:".
        ("out", local("2026-03-02T09:41"), "Great, 3pm?", False),
        # The reply repeated (indented) inside the message it answers is not its text.
        ("in", local("2026-03-02T09:45:30"), "3pm is fine.", False),
        ("out", local("2026-03-02T09:46:02"), "Perfect, see you then.", False),
        (
            "out",
            local("2026-03-05T16:05"),
            "Thanks for the call. The proposal is in your inbox.",
            False,
        ),
        ("out", local("2026-03-05T16:05:01"), "Attachments/Dana Fictional/IMG_0042.jpeg", False),
        (
            "in",
            local("2026-03-06T10:00"),
            "Got it, thanks!\nI'll review it with finance\nand come back to you Friday.",
            False,
        ),
    ]


def test_outbound_only_chat_named_by_contact_is_theirs(
    tracker: Tracker, people: dict[str, int], fixtures: Path
) -> None:
    # Seen: the rep's own messages in "Casey Quiet.txt" vanished with no count.
    do_import(tracker, fixtures / FOLDER)
    assert _texts(tracker, people["Casey Quiet"]) == [
        ("out", "Casey, following up on the quote. Any questions?", False),
        ("out", "Happy to walk through it on a call.", False),
    ]
    items = tracker.review(local("2026-03-07T18:00"))
    assert (Kind.STEP_BACK, "Casey Quiet") in [(i.kind, i.contact) for i in items]


def test_named_group_with_one_other_sender_is_a_group(
    tracker: Tracker, people: dict[str, int], fixtures: Path
) -> None:
    # Seen: the announcement at the top refused the whole folder.
    summary = do_import(tracker, fixtures / FOLDER / "Deal Team.txt", "sms")
    assert (summary.records, summary.added) == (5, 3)
    assert summary.skipped == {"announcement (not a message)": 2}
    assert _texts(tracker, people["Jordan Optout"]) == [
        ("out", "Jordan, I've set up this thread for the renewal.", True),
        ("in", "STOP", True),
        ("out", "Noted, I'll keep it to the renewal.", True),
    ]
    # A STOP in a group opts nobody out.
    assert summary.opted_out == 0
    assert tracker.store.get_contact(people["Jordan Optout"]).sms_opt_out_at is None


def test_reimport_adds_nothing(tracker: Tracker, people: dict[str, int], fixtures: Path) -> None:
    do_import(tracker, fixtures / FOLDER)
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / FOLDER)
    assert not again.changed and again.added == 0
    assert again.skipped["already imported"] == 13
    assert table_dump(tracker) == before


def test_name_matching_no_contact_is_skipped_or_created(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / FOLDER / "Dana Fictional.txt")
    assert summary.touches_added == 0
    assert summary.skipped == {"name matching no contact": 8}
    created = do_import(tracker, fixtures / FOLDER / "Dana Fictional.txt", create_contacts=True)
    assert (created.contacts_added, created.touches_added) == (1, 8)
    assert tracker.resolve("Dana Fictional").phone == ""


def test_a_name_two_contacts_share_is_not_guessed(tracker: Tracker, fixtures: Path) -> None:
    for phone in ("+13125550142", "+13125550143"):
        tracker.add_contact({"name": "Dana Fictional", "phone": phone})
    summary = do_import(tracker, fixtures / FOLDER / "Dana Fictional.txt", create_contacts=True)
    assert (summary.contacts_added, summary.touches_added) == (0, 0)
    assert summary.skipped == {"name shared by several contacts": 8}


def test_display_name_group_creates_no_contact_named_after_it(
    tracker: Tracker, fixtures: Path
) -> None:
    do_import(tracker, fixtures / FOLDER / "Deal Team.txt", create_contacts=True)
    assert [c.name for c in tracker.store.contacts_by_ids([1, 2]).values()] == ["Jordan Optout"]


CHAT = """Mar 01, 2026  8:59:00 AM Dana Fictional added Jordan Optout to the conversation.

Mar 01, 2026  9:00:00 AM
Dana Fictional
Mar 01, 2026  9:00:00 AM First try
Edited 10 seconds later: Second try
Edited 1 minute later: Third try,
on two lines
Reactions:
Loved by Me

Mar 01, 2026  9:05:00 AM Jordan Optout left the conversation.

Mar 01, 2026  9:06:00 AM
Me
Bye Jordan
"""


def test_parse_chat_reads_announcements_and_the_last_edit() -> None:
    assert looks_like_imessage(CHAT)
    items = parse_chat(CHAT, "chat.txt", UTC)
    assert [type(i) for i in items] == [Announcement, ChatMessage, Announcement, ChatMessage]
    first, edited, left, last = items
    assert isinstance(first, Announcement) and first.is_group_action and first.line == 1
    assert first.text == "Dana Fictional added Jordan Optout to the conversation."
    assert isinstance(edited, ChatMessage)
    assert edited.body == "Third try,\non two lines"
    assert isinstance(left, Announcement) and left.line == 12
    assert isinstance(last, ChatMessage) and last.body == "Bye Jordan"


def test_a_file_starting_with_other_text_is_still_refused(tracker: Tracker, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "notes.txt").write_text("Shopping list\nMar 01, 2026  9:00:00 AM\nMe\nhi\n")
    assert not looks_like_imessage((folder / "notes.txt").read_text())
    # A folder's files are told by their contents: this one is named as no export.
    with pytest.raises(UsageError, match=r"no text message files .*notes\.txt: not recognised"):
        do_import(tracker, folder, "sms")


def test_a_sender_the_exporter_could_not_name_is_no_one(tracker: Tracker, tmp_path: Path) -> None:
    chat = tmp_path / "+13125550142.txt"
    chat.write_text(
        "Mar 01, 2026  9:00:00 AM\nUnknown\nStarted sharing location!\n\n"
        "Mar 01, 2026  9:01:00 AM\nMe\nThanks!\n\n"
    )
    summary = do_import(tracker, chat, create_contacts=True)
    assert summary.skipped == {"message without a sender": 1}
    assert [c.name for c in tracker.store.contacts_by_ids([1, 2]).values()] == ["+13125550142"]
    assert summary.records == summary.added + 1
