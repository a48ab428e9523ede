"""Bulk loads and what else the touches table keeps: upkeep a load defers (the search
index) caught up batch by batch and put back at its end, a search after a load, touches
changed during a load, and the folds of the new contacts' summaries within their budget."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.importers.bulk_helpers import (
    backup,
    bulk,
    counted_loads,
    exact_summaries,
    number,
    opened,
    schema,
    sms,
)
from tests.importers.conftest import do_import
from tests.search_helpers import index_in_step
from tracker.service import Tracker, import_folds, import_writer
from tracker.store import Deferral, bulkload

__all__ = ["bulk"]  # a fixture the tests below use


def test_other_upkeep_joins_a_load(
    tracker: Tracker, tmp_path: Path, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered ``Deferral`` is suspended as the load begins, caught up each time the
    load added ``CATCH_UP_ROWS`` more touches (and at its end, before repeats are taken
    out), then resumed, each given what its suspension returned."""
    calls: list[tuple[Any, ...]] = []

    def suspend(conn: sqlite3.Connection) -> str:
        calls.append(("suspend",))
        return "as it was"

    def catch_up(conn: sqlite3.Connection, first_id: int, saved: Any) -> None:
        rows = conn.execute("SELECT count(*) FROM touches WHERE id >= ?", (first_id,))
        calls.append(("catch up", first_id, rows.fetchone()[0], saved))

    def resume(conn: sqlite3.Connection, saved: Any) -> None:
        calls.append(("resume", saved))

    monkeypatch.setattr(bulkload, "DEFERRALS", [Deferral("test", suspend, catch_up, resume)])
    monkeypatch.setattr(bulkload, "CATCH_UP_ROWS", 4)
    records = [sms(n, n % 5) for n in range(12)]
    path = backup(tmp_path / "texts.xml", records + records[4:6] + [sms(20, 1), sms(21, 2)])
    summary = do_import(tracker, path, create_contacts=True)
    assert summary.touches_added == 14
    # Batches of three: touches 1-3 before the load; then caught up on 4-9 (six, after
    # the third batch), on 10-15 (with the two repeats, not taken out yet), and on the
    # sixteenth as the load ends.
    assert calls == [
        ("suspend",),
        ("catch up", 4, 6, "as it was"),
        ("catch up", 10, 6, "as it was"),
        ("catch up", 16, 1, "as it was"),
        ("resume", "as it was"),
    ]


def test_touches_changed_during_a_load_are_caught_up_first(tracker: Tracker) -> None:
    """A touch a load added, deleted or moved before the load ends (nothing an import
    does today, but the store allows it) leaves the search index as it should."""
    dana = tracker.add_contact({"name": "Dana Fictional"}).id
    store = tracker.store
    rows = [
        (dana, "sms", "in", f"2026-01-0{d}T10:00:00Z", f"Note {d} about pilots")
        for d in range(1, 6)
    ]
    flat = [value for row in rows for value in (*row[3:], f"s{row[3]}")]
    shared = {0: dana, 1: "sms", 2: "in", 5: None, 6: None, 7: None, 8: None, 9: 0, 11: None}
    with store.write():
        load = store.begin_bulk_load()
        store.insert_touch_rows(flat, (3, 4, 10), shared, 5, "2026-01-09T00:00:00Z", bulk=True)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM touches ORDER BY id")]
        store.delete_touches(ids[:1])
        store.move_touches([(ids[1], datetime(2026, 1, 8, tzinfo=UTC), "Moved, about sailing")])
        assert store.end_bulk_load(load) == []
    store.refresh_state([dana])
    index_in_step(store)
    assert len(tracker.search("pilots").hits) == 3
    assert [hit.touch_id for hit in tracker.search("sailing").hits] == [ids[1]]


def test_folds_stay_within_their_budget_and_summaries_stay_exact(
    tracker: Tracker, tmp_path: Path, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_folds, "FOLD_ROWS", 40)
    seen: list[int] = []
    cut_down = import_folds.ImportFolds._cut_down

    def watched(self: import_folds.ImportFolds) -> None:
        cut_down(self)
        seen.append(sum(len(f.rows) for f in self.folds.values()))

    monkeypatch.setattr(import_folds.ImportFolds, "_cut_down", watched)
    # 30 people, 20 texts each, both ways: more essential rows than the budget holds.
    records = [sms(n, n % 30, 1 + (n // 30) % 2) for n in range(600)]
    path = backup(tmp_path / "many.xml", records)
    assert do_import(tracker, path, create_contacts=True).touches_added == 600
    assert seen and max(seen) <= 20
    exact_summaries(tracker)


def test_a_bulk_load_is_searchable_and_its_texts_leave_with_their_contact(
    tracker: Tracker, tmp_path: Path, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The texts a load added are found by search; deleting a contact it created takes
    that contact's texts out of the index, and the undo puts them back."""
    loads = counted_loads(tracker, monkeypatch)
    records = [sms(n, n % 4, body=f"Quarterly pipeline review {n}") for n in range(40)]
    path = backup(tmp_path / "texts.xml", records)
    assert do_import(tracker, path, create_contacts=True).touches_added == 40
    assert loads == [1]
    index_in_step(tracker.store)

    def found(text: str) -> list[str]:
        return sorted(hit.snippet.text for hit in tracker.search(text, limit=100).hits)

    assert found("pipeline") == sorted(f"Quarterly pipeline review {n}" for n in range(40))
    assert found("review 13") == ["Quarterly pipeline review 13"]
    person_1 = tracker.store.contacts_by_identifier("phone", number(1))
    step = tracker.remove_contact(person_1[0])
    index_in_step(tracker.store)
    assert found("pipeline") == sorted(
        f"Quarterly pipeline review {n}" for n in range(40) if n % 4 != 1
    )
    step.revert(tracker)
    index_in_step(tracker.store)
    assert len(found("pipeline")) == 40


@pytest.mark.parametrize("automerge", [None, 8])
def test_a_load_holds_the_index_merges_and_puts_the_setting_back(
    tracker: Tracker,
    tmp_path: Path,
    bulk: None,
    monkeypatch: pytest.MonkeyPatch,
    automerge: int | None,
) -> None:
    """While a load runs, FTS5 merges none of the index's segments (``automerge`` 0);
    afterwards the setting is what it was: none (FTS5's default), or one the user set."""
    conn = tracker.store.conn
    if automerge is not None:
        with tracker.store.write():
            conn.execute(
                "INSERT INTO touch_search (touch_search, rank) VALUES ('automerge', ?)",
                (automerge,),
            )
    before = conn.execute("SELECT k, v FROM touch_search_config ORDER BY k").fetchall()
    during: list[Any] = []
    end = tracker.store.end_bulk_load

    def watched(load: bulkload.BulkLoad) -> list[tuple[int, int]]:
        setting = "SELECT v FROM touch_search_config WHERE k = 'automerge'"
        during.append(conn.execute(setting).fetchone())
        return end(load)

    monkeypatch.setattr(tracker.store, "end_bulk_load", watched)
    path = backup(tmp_path / "texts.xml", [sms(n, n % 5) for n in range(40)])
    assert do_import(tracker, path, create_contacts=True).touches_added == 40
    assert during == [(0,)]
    assert conn.execute("SELECT k, v FROM touch_search_config ORDER BY k").fetchall() == before
    index_in_step(tracker.store)


@pytest.mark.parametrize("forced", [False, True])
def test_enrollments_of_the_contacts_a_load_touches_are_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forced: bool
) -> None:
    """A bulk load flags the running enrollments of the contacts its texts name (as the
    trigger does touch by touch on a plain import), and no other, and puts the trigger
    back."""
    monkeypatch.setattr(import_writer, "BATCH", 3)
    monkeypatch.setattr(import_writer, "BULK_AFTER", 1 if forced else 10**9)
    tracker = opened(tmp_path / "flags.db")
    loads = counted_loads(tracker, monkeypatch)
    store, conn = tracker.store, tracker.store.conn
    texted, quiet = (tracker.add_contact({"name": n, "phone": number(p)}).id for n, p in
                     (("Dana Fictional", 1), ("Robin Absent", 2)))  # fmt: skip
    for contact_id in (texted, quiet):
        store.add_enrollment(contact_id, "intro", "{}", date(2026, 3, 1), "2026-03-01T00:00:00Z")
    store.add_enrollment(texted, "later", "{}", date(2026, 3, 2), "2026-03-02T00:00:00Z")
    with store.write():
        conn.execute("UPDATE enrollments SET dirty = 0")
    trigger = schema(conn)
    # Three texts from someone else first: Dana's go in during the load, when forced.
    path = backup(tmp_path / "texts.xml", [sms(n, 5) for n in range(3)] + [sms(9, 1)])
    assert do_import(tracker, path, create_contacts=True).touches_added == 4
    assert bool(loads) == forced
    flags = conn.execute(
        "SELECT contact_id, sequence, frozen, dirty FROM enrollments ORDER BY id"
    ).fetchall()
    # Dana's running enrollment is flagged; her frozen one and Robin's (no texts) are not.
    assert flags == [(texted, "intro", 1, 0), (quiet, "intro", 0, 0), (texted, "later", 0, 1)]
    assert schema(conn) == trigger
    tracker.store.close()
