"""How the app learns that another program wrote: ``Tracker.data_version`` changes for
another connection's commits only, ``Session.changed_elsewhere`` says so once per change
without ever waiting, and ``contact_position`` finds a contact where the list shows it."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.conftest import local
from tracker.config import Settings
from tracker.service import Tracker
from tracker.service.session import Session

NOW = local("2026-11-23 09:30")


def test_data_version_moves_for_another_connection_only(tmp_path: Path, settings: Settings):
    path = tmp_path / "outreach.db"
    mine, other = Tracker.open(path, settings), Tracker.open(path, settings)
    try:
        start = mine.data_version()
        mine.add_contact({"name": "Ann Lee"}, at=NOW)
        assert mine.data_version() == start  # its own write
        other.add_contact({"name": "Ben Ode"}, at=NOW)
        assert mine.data_version() != start
    finally:
        mine.close()
        other.close()


def test_session_tells_each_change_once(tmp_path: Path, settings: Settings):
    path = tmp_path / "outreach.db"
    session = Session(path, settings, lambda: NOW)
    other = Tracker.open(path, settings)
    try:
        assert not session.changed_elsewhere()  # not open yet: nothing to compare
        session.write("", lambda t: t.create_contact({"name": "Ann Lee"}, [], NOW)[1])
        assert not session.changed_elsewhere()  # its own write
        other.add_contact({"name": "Ben Ode"}, at=NOW)
        assert session.changed_elsewhere()
        assert not session.changed_elsewhere()  # told once
    finally:
        session.close()
        other.close()


def test_session_never_waits_while_busy(tmp_path: Path, settings: Settings):
    path = tmp_path / "outreach.db"
    session = Session(path, settings, lambda: NOW)
    other = Tracker.open(path, settings)
    session.is_empty()
    other.add_contact({"name": "Ben Ode"}, at=NOW)
    busy, release = threading.Event(), threading.Event()

    def hold(_: Tracker) -> None:
        busy.set()
        release.wait(5)

    worker = threading.Thread(target=session.run, args=(hold,))
    worker.start()
    try:
        busy.wait(5)
        assert not session.changed_elsewhere()  # busy: asks again later
    finally:
        release.set()
        worker.join()
    assert session.changed_elsewhere()  # the change is not lost
    session.close()
    other.close()


def test_contact_position_is_where_the_list_shows_it(tracker: Tracker):
    for name, company in [("Cy Moss", "Zeta"), ("Ann Lee", "Beta"), ("Bo Park", "Alpha")]:
        tracker.add_contact({"name": name, "company": company}, at=NOW)
    for sort, descending in [("name", False), ("name", True), ("company", False)]:
        rows = tracker.contacts_page("", sort, descending, 0, 10)
        for index, row in enumerate(rows):
            assert tracker.contact_position(row.id, "", sort, descending) == index
    ann = tracker.resolve("Ann Lee")
    assert tracker.contact_position(ann.id, "park", "name", False) is None
