"""LinkedIn export: connections, invitations (accepted, pending, same day, incoming),
messages (direction from the user's profile), idempotence and the review after it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import local
from tests.importers.conftest import do_import, table_dump
from tracker.config import Settings
from tracker.errors import UsageError
from tracker.models import Channel, Contact, Direction, InviteStatus, Kind
from tracker.service import Tracker
from tracker.store import Store
from tracker.timeutil import local_tz


def _contact(tracker: Tracker, ref: str) -> Contact:
    return tracker.resolve(ref)


def test_connections_become_contacts(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "linkedin/export/Connections.csv")
    assert summary.records == 5
    assert summary.contacts_added == 5
    assert summary.touches_added == 0  # a connection with no invitation adds no touch
    dana = _contact(tracker, "https://www.linkedin.com/in/dana-fictional-0a1b2c")
    assert (dana.first_name, dana.last_name) == ("Dana", "Fictional")
    assert dana.company == "Northwind Widgets, Inc."
    assert dana.title == "Head of Procurement"
    assert dana.created_at == local("2026-02-08T00:00")
    lee = _contact(tracker, "lee@example.com")
    assert lee.linkedin_url == "https://www.linkedin.com/in/lee-example"
    # The URL is kept canonical: lower-cased and percent-decoded.
    assert _contact(tracker, "Priya Sample").linkedin_url.endswith("/in/priya-sample")
    assert _contact(tracker, "José Muñoz").linkedin_url.endswith("/in/josé-muñoz")
    # A row with a URL and no name is named from its profile slug's words.
    assert _contact(tracker, "https://www.linkedin.com/in/anon-77").name == "Anon"


def test_whole_export_folder(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "linkedin/export")
    assert summary.records == 17
    assert summary.contacts_added == 7  # 5 connections + Morgan (invitee) + Riley (inviter)
    assert summary.touches_added == 8
    assert summary.invitations_accepted == 2
    assert summary.skipped == {
        "draft": 1,
        "empty or filler message": 1,
        "message with no matching contact": 1,
        "invitation listed twice": 1,
        'sender shown as "LinkedIn Member"': 1,
    }
    assert summary.added == 12  # 17 rows read: 12 added, 5 skipped

    dana = _contact(tracker, "Dana Fictional")
    invite, thanks_in, message_out = tracker.store.touches_for(dana.id)
    assert invite.channel is Channel.LINKEDIN_INVITE and invite.direction is Direction.OUT
    assert invite.at == local("2026-01-29T14:37")
    # Accepted at the later of Connected On (8 Feb) and Sent At (29 Jan).
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-02-08T00:00"))
    assert invite.has_note is False
    assert (thanks_in.channel, thanks_in.direction) == (Channel.LINKEDIN_MESSAGE, Direction.IN)
    assert message_out.direction is Direction.OUT
    assert message_out.text.startswith("Great to connect, Dana.\nWould a short call")

    priya = _contact(tracker, "Priya Sample")
    invite, group = tracker.store.touches_for(priya.id)
    # Connected On (20 Feb, 00:00) is earlier than Sent At (20 Feb 10:00): the later wins.
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-02-20T10:00"))
    assert invite.has_note is True
    assert group.is_group and group.direction is Direction.OUT
    assert group.text == "Lee, meet Priya.\nYou both work on supplier tooling & should talk."
    assert tracker.store.touches_for(_contact(tracker, "Lee Example").id)[0].is_group

    morgan = _contact(tracker, "https://www.linkedin.com/in/morgan-pending")
    (pending,) = tracker.store.touches_for(morgan.id)  # the same invitation twice that day
    assert pending.status == InviteStatus.PENDING and pending.has_note is True
    assert pending.text.startswith("Hi Morgan,\nWe met at the Widgets Expo")

    riley = _contact(tracker, "Riley Recruiter")
    (incoming,) = tracker.store.touches_for(riley.id)
    assert (incoming.channel, incoming.direction) == (Channel.LINKEDIN_INVITE, Direction.IN)
    assert incoming.status is None and incoming.text == "Hello Sam"
    assert tracker.store.find_contacts("Alex Spam", "US") == []


def test_reimport_changes_nothing(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "linkedin/export")
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "linkedin/export")
    assert not again.changed
    # Counted per row read: 8 touches (the group message to Lee and Priya is one row)
    # already imported, 5 connections with nothing new, and the 4 skipped as before.
    assert again.added == 0
    assert again.skipped["already imported"] == 8
    assert again.skipped["record with nothing new"] == 5
    assert table_dump(tracker) == before


def test_zip_imports_like_the_folder(tracker: Tracker, fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_03-12-2026.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in (fixtures / "linkedin/export").iterdir():
            out.write(file, f"export/{file.name}")
        out.writestr("export/Profile.csv", "First Name,Last Name\nSam,Seller\n")
    summary = do_import(tracker, archive, "linkedin")
    assert summary.format == "LinkedIn export (zip)"
    assert (summary.contacts_added, summary.touches_added) == (7, 8)


def test_zip_without_expected_files_is_fatal(tracker: Tracker, tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("Profile.csv", "First Name\nSam\n")
    with pytest.raises(UsageError, match=r"other\.zip: none of the expected files"):
        do_import(tracker, archive, "linkedin")


def test_connection_after_an_earlier_pending_import_accepts_it(
    tracker: Tracker, fixtures: Path, tmp_path: Path
) -> None:
    do_import(tracker, fixtures / "linkedin/export/Invitations.csv")
    morgan = _contact(tracker, "Morgan Pending")
    assert tracker.store.touches_for(morgan.id)[0].status == InviteStatus.PENDING
    later = tmp_path / "Connections.csv"
    later.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Morgan,Pending,https://www.linkedin.com/in/morgan-pending,,Pending Corp,VP,02 Mar 2026\n",
        encoding="utf-8",
    )
    summary = do_import(tracker, later)
    assert summary.invitations_accepted == 1 and summary.contacts_updated == 1
    (invite,) = tracker.store.touches_for(morgan.id)
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-03-02T00:00"))
    assert _contact(tracker, "Morgan Pending").company == "Pending Corp"


def test_same_day_invitation_logged_by_hand_is_not_doubled(
    tracker: Tracker, fixtures: Path
) -> None:
    morgan = tracker.add_contact(
        {"name": "Morgan Pending", "linkedin_url": "linkedin.com/in/morgan-pending"}
    )
    tracker.log(morgan, Channel.LINKEDIN_INVITE, at=local("2026-02-20T08:00"), text="hi")
    summary = do_import(tracker, fixtures / "linkedin/export/Invitations.csv")
    assert len(tracker.store.touches_for(morgan.id)) == 1
    assert summary.skipped["already imported"] == 2


def test_review_after_import_shows_the_stale_invitation(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "linkedin/export")
    items = tracker.review(local("2026-03-12T18:00"))
    stale = [i for i in items if i.kind is Kind.STALE_INVITE]
    assert [(i.contact, i.age_days) for i in stale] == [("Morgan Pending", 20)]
    # Thirteen days after it was sent it is not stale yet.
    early = tracker.review(local("2026-03-05T18:00"))
    assert not [i for i in early if i.kind is Kind.STALE_INVITE]


def test_dry_run_reports_and_writes_nothing(tracker: Tracker, fixtures: Path) -> None:
    before = table_dump(tracker)
    summary = do_import(tracker, fixtures / "linkedin/export", dry_run=True)
    assert summary.dry_run and (summary.contacts_added, summary.touches_added) == (7, 8)
    assert table_dump(tracker) == before


def test_broken_file_in_the_middle_writes_nothing(
    tracker: Tracker, fixtures: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    shutil.copytree(fixtures / "linkedin/export", export)
    with (export / "messages.csv").open("a", encoding="utf-8") as out:
        out.write('2-eA==,,Sam Seller,https://www.linkedin.com/in/sam-seller,X,,"not a date"\n')
        out.write("2-eA==,,Sam,,X,,yesterday,,hello,INBOX,,No,No\n")
    tracker.add_contact({"name": "Kept Alone"})
    before = table_dump(tracker)
    with pytest.raises(UsageError, match=r"messages\.csv:10: "):
        do_import(tracker, export)
    assert table_dump(tracker) == before


def test_old_export_without_urls_needs_me_for_messages(tracker: Tracker, fixtures: Path) -> None:
    with pytest.raises(UsageError, match="give your profile with --me"):
        do_import(tracker, fixtures / "linkedin/old")
    summary = do_import(
        tracker, fixtures / "linkedin/old", me="https://www.linkedin.com/in/sam-seller"
    )
    assert summary.contacts_added == 2
    dana = _contact(tracker, "dana@northwind.example")
    assert dana.created_at == local("2026-02-08T00:00")  # 08-Feb-26, as Excel saves it
    # The old export's connections have no URL, so messages cannot be tied to them
    # (a record with an identifier never matches on name alone).
    assert summary.skipped["message with no matching contact"] == 2
    created = do_import(
        tracker,
        fixtures / "linkedin/old/messages.csv",
        me="https://www.linkedin.com/in/sam-seller",
        create_contacts=True,
    )
    assert (created.contacts_added, created.touches_added) == (1, 2)
    url = "https://www.linkedin.com/in/old-colleague"
    texts = [t.text for t in tracker.store.touches_for(_contact(tracker, url).id)]
    assert texts == ["Happy new year!", 'Same to you, "old friend"!']


def test_unreadable_connected_on_is_fatal(tracker: Tracker, tmp_path: Path) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "A,B,https://www.linkedin.com/in/a-b,,,,08 Feb 2026\n"
        "C,D,https://www.linkedin.com/in/c-d,,,,someday\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"Connections\.csv:3: unreadable Connected On"):
        do_import(tracker, bad)
    assert tracker.store.counts()["contacts"] == 0


def test_system_time_zone_when_none_is_set(store: Store, fixtures: Path) -> None:
    system = Tracker(store, Settings(), local_tz(""))
    summary = do_import(system, fixtures / "linkedin/export")
    assert (summary.contacts_added, summary.touches_added) == (7, 8)
