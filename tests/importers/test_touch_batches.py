"""Touch batches as an import's writer sends them (``tracker/service/touch_batch.py``) to
``Store.insert_touch_rows``: whatever their size and whichever columns vary, every row
goes in as given and in order, a source stored already is skipped, and only a few
statement sizes are ever prepared."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tracker.service import Tracker
from tracker.service.touch_batch import payload
from tracker.store import imports, values

COLUMNS = (
    "contact_id, channel, direction, at, text, status, status_at, has_note, moment, is_group,"
    " source, template"
)


def rows_for(contact: int, tag: str, size: int, wide: bool = False) -> list[tuple[Any, ...]]:
    """``size`` touch rows; ``wide``: every column varies from row to row."""
    rows = []
    for i in range(size):
        rows.append(
            (
                contact,
                ("sms", "email")[i % 2] if wide else "sms",
                ("in", "out")[i % 2],
                f"2026-01-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
                f"{tag} text {i}" if i % 5 else None,
                ("sent", None)[i % 2] if wide else None,
                f"2026-02-01T00:00:{i % 60:02d}Z" if wide and i % 2 == 0 else None,
                i % 2 if wide else None,
                ("morning", None)[i % 2] if wide else None,
                i % 2 if wide else 0,
                f"{tag}:{i}",
                ("t1", None)[i % 2] if wide else None,
            )
        )
    return rows


def stored_after(tracker: Tracker, touch_id: int) -> list[tuple[Any, ...]]:
    return tracker.store.conn.execute(
        f"SELECT {COLUMNS} FROM touches WHERE id > ? ORDER BY id", (touch_id,)
    ).fetchall()


def send(tracker: Tracker, rows: list[tuple[Any, ...]], bulk: bool = False) -> int:
    sent = payload(rows)
    store = tracker.store
    with store.write():
        if not bulk:
            return store.insert_touch_rows(
                sent.values, sent.varying, sent.shared, sent.size, "2026-03-01T00:00:00Z"
            )
        load = store.begin_bulk_load()
        added = store.insert_touch_rows(
            sent.values, sent.varying, sent.shared, sent.size, "2026-03-01T00:00:00Z", True
        )
        assert store.end_bulk_load(load) == []
        return added


@pytest.mark.parametrize("bulk", [False, True])
def test_batches_of_any_size_go_in_whole_and_in_order(tracker: Tracker, bulk: bool) -> None:
    dana = tracker.add_contact({"name": "Dana Fictional"}).id
    last = 0
    for size in (1, 7, 8, 9, 41, 1001, 5000, 5001, 12_345):
        rows = rows_for(dana, f"s{size}", size)
        assert send(tracker, rows, bulk) == size
        assert stored_after(tracker, last) == rows
        last = tracker.store.last_touch_id()


def test_every_column_varying_takes_several_statements(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eleven values a row (all but the contact): SQLite's limit on parameters (32,766 by
    default; some builds allow more) splits a batch of 5,000."""
    dana = tracker.add_contact({"name": "Dana Fictional"}).id
    tracker.store.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    prepared: list[int] = []
    make = imports._insert_values

    def counted(varying: tuple[int, ...], shared: tuple[int, ...], rows: int, bulk: bool) -> str:
        prepared.append(rows)
        return make(varying, shared, rows, bulk)

    monkeypatch.setattr(imports, "_insert_values", counted)
    rows = rows_for(dana, "wide", 5000, wide=True)
    sent = payload(rows)
    assert len(sent.varying) == 11 and sent.shared == {0: dana}
    assert send(tracker, rows) == 5000
    assert stored_after(tracker, 0) == rows
    assert len(prepared) > 1 and max(prepared) * 11 < 32766


def test_a_source_stored_already_is_skipped(tracker: Tracker) -> None:
    dana = tracker.add_contact({"name": "Dana Fictional"}).id
    rows = rows_for(dana, "once", 300)
    assert send(tracker, rows) == 300
    # The same rows again, with new ones between them and one repeated in the batch.
    again = [*rows[:100], *rows_for(dana, "new", 50), rows[0], *rows[100:]]
    assert send(tracker, again) == 50
    assert stored_after(tracker, 300) == rows_for(dana, "new", 50)
    # Rows alike in every column: the first goes in, the others are the same source.
    same = rows_for(dana, "same", 1) * 3
    assert payload(same).varying == ()
    assert send(tracker, same) == 1


def test_only_a_few_statement_sizes_are_prepared() -> None:
    """Batches of every size from 1 to 12,000 rows use at most five sizes of statement
    (the rest of a statement is padding it skips)."""
    sizes = set()
    for rows in range(1, 12_001):
        parts = list(values.statements(rows, 10_000))
        assert sum(taken for taken, _ in parts) == rows
        assert all(taken <= size for taken, size in parts)
        sizes.update(size for _, size in parts)
    assert sizes == {5000, 1000, 200, 40, 8}
