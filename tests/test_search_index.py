"""The search index is kept in step by the store, whatever writes: a contact added or
edited (fields, tags, phones, emails), a touch logged, edited or deleted, an import in
bulk, a merge and its undo, a delete and its undo. After each, what search finds is
current and the index equals one built afresh from the tables. An existing database gets
its index from the upgrade (schema step m009)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from tests.helpers import person, touch
from tests.importers.conftest import FIXTURES, do_import
from tests.reliability.upgrading import EARLIER, SCHEMAS
from tests.search_helpers import index_in_step
from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.service.edits import TouchDraft
from tracker.store.migrations import KNOWN

NOW = datetime(2026, 3, 10, 15, 0).astimezone()


def names(tracker: Tracker, text: str) -> list[str]:
    return [hit.contact for hit in tracker.search(text).hits]


# ``index_in_step`` comes straight after the writes, before any search: the writes keep
# the index current themselves (a search only catches up after a writer that is not the
# store, such as the sqlite3 shell).


def touch_ids(tracker: Tracker, text: str) -> list[int | None]:
    return [hit.touch_id for hit in tracker.search(text).hits]


def test_adding_and_editing_a_contact(tracker: Tracker) -> None:
    dana = person(tracker, "Dana Fictional", company="Northwind", tags=("expo",))
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == names(tracker, "expo") == ["Dana Fictional"]
    tracker.edit_contact(
        dana,
        {"name": "Dana Smith", "company": "Contoso", "notes": "sailing"},
        tags=["customers"],
        add={"phone": ["+1 312 555 0199"], "email": ["dana@contoso.example"]},
    )
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == names(tracker, "expo") == []
    assert names(tracker, "fictional") == []
    for text in ("dana smith", "contoso", "customers", "sailing", "312-555-0199"):
        assert names(tracker, text) == ["Dana Smith"], text
    tracker.edit_contact(tracker.contact(dana.id), {}, remove={"phone": ["+1 312 555 0199"]})
    index_in_step(tracker.store)
    assert names(tracker, "312-555-0199") == []


def test_logging_editing_and_deleting_a_touch(tracker: Tracker) -> None:
    dana = person(tracker, "Dana Fictional")
    first = touch(tracker, dana, "sms", "2026-03-01T10:00", text="About the pilot")
    index_in_step(tracker.store)
    assert touch_ids(tracker, "pilot") == [first]
    draft = TouchDraft(Channel.SMS, Direction.OUT, NOW, text="About the budget")
    step = tracker.edit_touch(first, draft, NOW)
    index_in_step(tracker.store)
    assert touch_ids(tracker, "pilot") == [] and touch_ids(tracker, "budget") == [first]
    step.revert(tracker)
    assert touch_ids(tracker, "pilot") == [first] and touch_ids(tracker, "budget") == []
    undo_delete = tracker.remove_touch(first)
    index_in_step(tracker.store)
    assert touch_ids(tracker, "pilot") == []
    undo_delete.revert(tracker)  # put back under its own id
    index_in_step(tracker.store)
    assert touch_ids(tracker, "pilot") == [first]
    empty = touch(tracker, dana, "call", "2026-03-02T10:00")  # no text: nothing to index
    tracker.delete_touch(empty)
    index_in_step(tracker.store)


def test_deleting_a_contact_and_its_undo(tracker: Tracker) -> None:
    dana = person(tracker, "Dana Fictional", company="Northwind")
    touch(tracker, dana, "sms", "2026-03-01T10:00", text="About the pilot")
    step = tracker.remove_contact(dana.id)
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == names(tracker, "pilot") == []
    step.revert(tracker)
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == names(tracker, "pilot") == ["Dana Fictional"]


def test_merge_and_its_undo(tracker: Tracker) -> None:
    keep = person(tracker, "Dana Fictional", phone="+13125550142")
    other = person(tracker, "Dana F.", emails=["dana@northwind.example"], tags=("expo",))
    moved = touch(tracker, other, "sms", "2026-03-01T10:00", text="About the pilot")
    _, step = tracker.merge_into(keep.id, other.id)
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == names(tracker, "expo") == ["Dana Fictional"]
    assert [(h.contact, h.touch_id) for h in tracker.search("pilot").hits] == [
        ("Dana Fictional", moved)
    ]
    step.revert(tracker)
    index_in_step(tracker.store)
    assert names(tracker, "northwind") == ["Dana F."]
    assert [h.contact for h in tracker.search("pilot").hits] == ["Dana F."]


def test_imports_in_bulk(tracker: Tracker) -> None:
    do_import(tracker, FIXTURES / "contacts/google.csv")
    index_in_step(tracker.store)
    assert names(tracker, "fabrikam") == ["Lee Example"]
    assert names(tracker, "lee.example@mail.example") == ["Lee Example"]  # a second email
    assert names(tracker, "206-555-0124") == ["Lee Example"]  # a second phone
    do_import(tracker, FIXTURES / "linkedin/export")
    index_in_step(tracker.store)
    summary = do_import(tracker, FIXTURES / "sms/backup.xml", create_contacts=True)
    index_in_step(tracker.store)
    assert summary.touches_added > 0
    assert names(tracker, "thursday works")


def test_the_bulk_store_paths(tracker: Tracker) -> None:
    store = tracker.store
    (cid,) = store.insert_contacts_bulk(
        [{"name": "Bulk Person", "company": "Hooli", "phone": "+13125550177"}], [("vip",)]
    )
    store.insert_touches_bulk(
        [
            {
                "contact_id": cid,
                "channel": "sms",
                "direction": "out",
                "at": "2026-01-05T15:00:00Z",
                "text": "The quarterly review",
            }
        ]
    )
    index_in_step(store)
    assert names(tracker, "hooli vip") == ["Bulk Person"]
    assert names(tracker, "quarterly") == ["Bulk Person"]


def test_an_old_database_gets_its_index_on_upgrade(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "outreach.db"
    before = EARLIER[KNOWN.index("m009_search") - 1]  # the schema just before the index
    shutil.copyfile(SCHEMAS / before, db)
    tracker = Tracker.open(db, settings)
    try:
        assert tracker.store.schema_steps() == KNOWN
        index_in_step(tracker.store)
        assert names(tracker, "northwind widgets") == ["Dana Fictional"]
        assert names(tracker, "312 555 0199") == ["Dana Fictional"]  # her second phone
        assert names(tracker, "jose munoz") == ["José Muñoz"]
        assert [h.touch_id for h in tracker.search("holidays").hits] == [9]
    finally:
        tracker.close()
    with sqlite3.connect(db) as conn:  # the triggers keep it current for any writer
        conn.execute("UPDATE touches SET text = 'Season greetings' WHERE id = 9")
    tracker = Tracker.open(db, settings)
    try:
        assert tracker.search("holidays").hits == ()
        assert [h.touch_id for h in tracker.search("greetings").hits] == [9]
    finally:
        tracker.close()


def test_a_row_put_back_over_a_changed_one_is_indexed_as_put_back(
    tmp_path: Path, settings: Settings
) -> None:
    # An undo writes rows back with INSERT OR REPLACE; the row it replaces (here a touch
    # moved by a merge, then edited) must leave the index with its own text. The file is
    # opened current (no upgrade), as the app opens it every day after the first.
    Tracker.open(tmp_path / "current.db", settings).close()
    tracker = Tracker.open(tmp_path / "current.db", settings)
    store = tracker.store
    keep = person(tracker, "Dana Fictional")
    other = person(tracker, "Dana F.")
    moved = touch(tracker, other, "sms", "2026-03-01T10:00", text="About the pilot")
    snapshot = store.contact_snapshot(other.id)
    store.merge_contacts(keep.id, other.id, {})
    store.update_touch(moved, {"text": "About the budget"})
    store.restore_contacts([snapshot])
    index_in_step(store)
    assert touch_ids(tracker, "budget") == []
    assert [(h.contact, h.touch_id) for h in tracker.search("pilot").hits] == [("Dana F.", moved)]
    tracker.close()
