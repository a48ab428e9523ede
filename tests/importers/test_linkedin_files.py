"""LinkedIn files one at a time, in any order, give the folder's result: connection days
are kept, so an invitation imported after its invitee's connection is accepted, a
connection imported after a pending invitation accepts it, and an earlier export imported
after a later one takes nothing back (DOMAIN.md, "Files one at a time")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TZ, local
from tests.importers.conftest import do_import, table_dump
from tracker.config import Settings
from tracker.models import InviteStatus
from tracker.service import Tracker, open_store


def state(tracker: Tracker) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every contact and touch as the user sees them (not when the tracker first heard of
    them, which depends on the order by nature)."""
    contacts = []
    for row in tracker.contacts_page("", "name", False, 0, 1000):
        c = tracker.contact(row.id)
        ids = tuple((i.kind, i.value, i.label, i.primary) for i in tracker.identifiers(c.id))
        contacts.append(
            (c.name, c.first_name, c.last_name, c.company, c.title, c.linkedin_url, ids)
        )
    touches = []
    for row in tracker.contacts_page("", "name", False, 0, 1000):
        for t in tracker.touches(row.id):
            touches.append(
                (row.name, t.channel, t.direction, t.at, t.text, t.status, t.status_at, t.is_group)
            )
    return sorted(contacts), sorted(touches, key=repr)


def fresh(tmp_path: Path, name: str) -> Tracker:
    return Tracker(open_store(tmp_path / f"{name}.db"), Settings(timezone="America/Chicago"), TZ)


@pytest.mark.parametrize(
    "order",
    [
        ("Connections.csv", "Invitations.csv", "messages.csv"),
        ("Invitations.csv", "Connections.csv", "messages.csv"),
    ],
)
def test_files_one_at_a_time_give_the_folders_result(
    tmp_path: Path, fixtures: Path, order: tuple[str, ...]
) -> None:
    folder = fresh(tmp_path, "folder")
    do_import(folder, fixtures / "linkedin/export")
    one_by_one = fresh(tmp_path, "files")
    me = "https://www.linkedin.com/in/sam-seller"
    for name in order:
        do_import(one_by_one, fixtures / "linkedin/export" / name, me=me)
    assert state(one_by_one) == state(folder)
    dana = one_by_one.resolve("https://www.linkedin.com/in/dana-fictional-0a1b2c")
    invite = one_by_one.touches(dana.id)[0]
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-02-08T00:00"))
    folder.close()
    one_by_one.close()


def test_invitations_after_connections_are_accepted(tracker: Tracker, fixtures: Path) -> None:
    do_import(tracker, fixtures / "linkedin/export/Connections.csv")
    summary = do_import(tracker, fixtures / "linkedin/export/Invitations.csv")
    assert summary.invitations_accepted == 2  # Dana and Priya, already connected
    priya = tracker.resolve("Priya Sample")
    (invite,) = tracker.touches(priya.id)
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-02-20T10:00"))
    morgan = tracker.resolve("Morgan Pending")
    assert tracker.touches(morgan.id)[0].status == InviteStatus.PENDING
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "linkedin/export/Invitations.csv")
    assert not again.changed and table_dump(tracker) == before


@pytest.mark.parametrize("first", ["early", "late"])
def test_an_earlier_export_after_a_later_one_takes_nothing_back(
    tmp_path: Path, fixtures: Path, first: str
) -> None:
    expected = fresh(tmp_path, "expected")
    for export in ("early", "late"):
        do_import(expected, fixtures / "linkedin" / export)
    tracker = fresh(tmp_path, first)
    for export in (first, "early" if first == "late" else "late"):
        for name in ("Invitations.csv", "Connections.csv"):
            do_import(tracker, fixtures / "linkedin" / export / name)
    assert state(tracker) == state(expected)
    morgan = tracker.resolve("Morgan Pending")
    (invite,) = tracker.touches(morgan.id)
    assert (invite.status, invite.status_at) == (InviteStatus.ACCEPTED, local("2026-03-02T00:00"))
    avery = tracker.resolve("https://www.linkedin.com/in/avery-new")
    assert tracker.touches(avery.id)[0].status == InviteStatus.PENDING
    before = table_dump(tracker)
    for export in ("early", "late"):
        assert not do_import(tracker, fixtures / "linkedin" / export).changed
    assert table_dump(tracker) == before
    expected.close()
    tracker.close()
