"""The store: file safety, migrations, identity rules."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.helpers import at, person, touch
from tracker.errors import AmbiguousError, ConflictError, NotFoundError, StoreError
from tracker.service import open_store
from tracker.store.migrations import KNOWN, migrations


def test_new_database_is_private_wal_with_foreign_keys(tmp_path: Path):
    path = tmp_path / "private" / "outreach.db"
    store = open_store(path)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA foreign_keys") == 1
        assert store.scalar("PRAGMA busy_timeout") >= 1000
        assert store.schema_steps() == KNOWN
    finally:
        store.close()


def _older_file(path: Path, upto: str) -> None:
    """A database at an older schema step, with a contact and a touch in it."""
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    db = Database(conn)
    migrations.apply(db, stop_before=upto)
    conn.execute(
        "INSERT INTO contacts (id, name, phone, created_at, updated_at)"
        " VALUES (1, 'Dana Fictional', '+13125550142', '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO touches (contact_id, channel, direction, at, text, created_at)"
        " VALUES (1, 'sms', 'out', '2026-11-20T16:00:00Z', 'hello', '2026-11-20T16:00:00Z')"
    )
    conn.close()


def test_migration_keeps_rows_backs_up_first_and_fills_state(tmp_path: Path, tracker):
    path = tmp_path / "old.db"
    _older_file(path, "m002_contact_state")
    store = open_store(path)
    try:
        assert store.schema_steps() == KNOWN
        assert store.get_contact(1).name == "Dana Fictional"
        assert [t.text for t in store.touches_for(1)] == ["hello"]
        state = store.state_of(1)
        assert state.text_run == 1 and state.last_text_out == "hello"
        assert len(store.backups) == 1
        backup = store.backups[0]
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        old = sqlite3.connect(backup)
        assert "contact_state" not in {
            r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert old.execute("SELECT count(*) FROM touches").fetchone()[0] == 1
        old.close()
    finally:
        store.close()


def test_file_from_a_newer_version_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "new.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('outreach', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("these are not the droids\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an Outreach Tracker database"):
        open_store(path)
    assert path.read_bytes() == before


def test_duplicate_identity_names_the_other_contact(tracker):
    person(tracker, "Dana Fictional", phone="(312) 555-0142")
    with pytest.raises(ConflictError, match=r"phone \+13125550142 already belongs to contact 1"):
        person(tracker, "Dana Again", phone="+1 312 555 0142")
    person(tracker, "Sam Other", linkedin_url="https://uk.linkedin.com/in/Sam-Other/")
    with pytest.raises(ConflictError, match="Sam Other"):
        person(tracker, "Sam Two", linkedin_url="linkedin.com/in/sam-other")


def test_references_resolve_by_id_name_phone_email_url(tracker):
    dana = person(
        tracker,
        "Dana Fictional",
        phone="+13125550142",
        email="Dana@Example.com",
        linkedin_url="https://www.linkedin.com/in/dana-f",
    )
    for ref in (
        "1",
        "dana fictional",
        "(312) 555-0142",
        "312.555.0142",
        "dana@example.com",
        "linkedin.com/in/Dana-F/",
    ):
        assert tracker.resolve(ref).id == dana.id


def test_ambiguous_reference_lists_candidates(tracker):
    person(tracker, "Alex Kim")
    person(tracker, "Alex Kim", email="alex2@example.com")
    with pytest.raises(AmbiguousError, match=r"matches 2 contacts: 1 \(Alex Kim\), 2 \(Alex Kim\)"):
        tracker.resolve("alex kim")


def test_unknown_reference_points_at_close_names_without_naming_them(tracker):
    person(tracker, "Dana Fictional")
    # "Dana" is her first name, so it names her (test_cli); "ana" only appears in it.
    with pytest.raises(NotFoundError, match=r"1 close by name: outreach list --search 'ana'$"):
        tracker.resolve("ana")


def test_deleting_a_contact_removes_its_history(tracker):
    dana = person(tracker, phone="+13125550142")
    touch(tracker, dana, "sms", "2026-11-20T10:00")
    tracker.store.delete_contact(dana.id)
    assert tracker.store.counts() == {"contacts": 0, "touches": 0}


def test_failed_write_leaves_nothing_behind(tracker):
    dana = person(tracker)
    with pytest.raises(RuntimeError), tracker.store.write():
        tracker.store.insert_touch(
            {
                "contact_id": dana.id,
                "channel": "sms",
                "direction": "out",
                "at": "2026-11-20T16:00:00Z",
            }
        )
        raise RuntimeError("boom")
    assert tracker.store.touches_for(dana.id) == []
    assert tracker.store.state_of(dana.id).text_run == 0


def test_delete_and_edit_touch_refresh_the_state(tracker):
    dana = person(tracker, phone="+13125550142")
    first = touch(tracker, dana, "sms", "2026-11-20T10:00")
    assert tracker.store.state_of(dana.id).text_run == 1
    tracker.store.update_touch(first, {"direction": "in"})
    assert tracker.store.state_of(dana.id).text_run == 0
    tracker.store.delete_touch(first)
    assert tracker.store.state_of(dana.id).last_touch_at is None


def test_streak_counts_consecutive_closed_days(tracker):
    from datetime import date

    store = tracker.store
    for day in (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)):
        store.close_review(day, 3, 0)
    assert store.streak(date(2026, 11, 22)) == 3
    assert store.streak(date(2026, 11, 23)) == 3  # today still open
    store.close_review(date(2026, 11, 23), 1, 0)
    assert store.streak(date(2026, 11, 23)) == 4
    assert store.streak(date(2026, 11, 25)) == 0


def test_accepting_without_a_pending_invitation_is_an_error(tracker):
    from tracker.errors import UsageError
    from tracker.models import InviteStatus

    dana = person(tracker)
    with pytest.raises(UsageError, match="no pending invitation"):
        tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-20T10:00"))
    touch(tracker, dana, "linkedin_invite", "2026-11-10T10:00")
    tracker.set_invitation(dana, InviteStatus.ACCEPTED, at("2026-11-20T10:00"))
    with pytest.raises(UsageError, match="no pending invitation"):
        tracker.set_invitation(dana, InviteStatus.WITHDRAWN, at("2026-11-21T10:00"))
    assert len(tracker.store.touches_for(dana.id)) == 1  # status change is not a touch


def test_known_steps_are_the_migrations_in_order():
    from tracker.store.steps import KNOWN_STEPS

    assert list(KNOWN_STEPS) == KNOWN == [m.name for m in migrations._migrations]


def test_a_current_file_opens_without_loading_the_migration_tool(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "current.db"
    open_store(db).close()
    code = (
        "import sys; from tracker.service import open_store; s = open_store(sys.argv[1]);"
        " assert s.schema_steps(); s.close();"
        " print('sqlite_utils' in sys.modules, 'phonenumbers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
