"""Bulk loads (``tracker/store/bulkload.py``): an import that is most of the touches table
goes on without the touches' source and contact indexes, which are built once at its end.
Whichever way a file goes in, it leaves the same rows, the same summaries, the same
counts, the same search index and the same schema; a repeated source is taken out as
``INSERT OR IGNORE`` would have skipped it; and a failure or a dry run leaves the file as
it was, indexes included.

The tests force the bulk path on small files (batches of three rows, a load from the
second batch on) and compare it with the same import never bulk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.importers.bulk_helpers import (
    backup,
    bulk,
    counted_loads,
    exact_summaries,
    group_mms,
    opened,
    reply_facts,
    same_both_ways,
    schema,
    sms,
)
from tests.importers.conftest import FIXTURES, db_fingerprint, do_import
from tracker.errors import StoreError, UsageError
from tracker.importers import sms_android, xml_stream
from tracker.service import Tracker, import_writer
from tracker.store import bulkload

__all__ = ["bulk"]  # a fixture the tests below use

CASES = {
    "sms backup": [("sms/backup.xml", {})],
    "sms, creating contacts": [("sms/backup.xml", {"create_contacts": True})],
    "group texts": [("sms/group-mms.xml", {"create_contacts": True})],
    "a reply, then the backup": [
        ("sms/maria-reply.xml", {"create_contacts": True}),
        ("sms/backup.xml", {"create_contacts": True}),
    ],
    "linkedin export": [("linkedin/export", {})],
    "imessage": [("imessage", {"create_contacts": True})],
}
SMALL_CALLS = {"imessage"}
"""Files whose touches go in a few at a time (a conversation each): never a load."""


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_files_go_in_alike_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    imports = [(FIXTURES / name, options) for name, options in CASES[case]]
    lines = same_both_ways(tmp_path, monkeypatch, imports, loaded=case not in SMALL_CALLS)
    assert all(run[2] != "touches: 0 added" for run in lines)


def test_a_large_file_is_a_bulk_load_and_a_small_one_is_not(
    tracker: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = counted_loads(tracker, monkeypatch)
    monkeypatch.setattr(import_writer, "BATCH", 4)
    monkeypatch.setattr(import_writer, "BULK_AFTER", 8)
    small = backup(tmp_path / "small.xml", [sms(n, n % 3) for n in range(8)])
    assert do_import(tracker, small, create_contacts=True).touches_added == 8
    assert loads == []  # the load would begin with the ninth row: there is none
    # The table holds 8 touches now: a load begins once 8 more went in.
    larger = backup(tmp_path / "larger.xml", [sms(n, n % 3) for n in range(100, 130)])
    assert do_import(tracker, larger, create_contacts=True).touches_added == 30
    assert loads == [1]
    assert schema(tracker.store.conn) == schema(opened(tmp_path / "fresh.db").store.conn)
    exact_summaries(tracker)


def test_repeats_in_the_file_are_counted_as_already_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [sms(n, n % 4, 1 + n % 2) for n in range(20)]
    records += [group_mms(30, (1, 2)), group_mms(31, (2, 3))]
    # Repeats of texts from before the load began and from during it, one repeated
    # twice, and a group text repeated whole: each is one record already imported.
    records += [records[0], records[1], records[12], records[12], records[20]]
    records += [sms(n, 5) for n in range(40, 46)]
    path = backup(tmp_path / "repeats.xml", records)
    lines = same_both_ways(tmp_path, monkeypatch, [(path, {"create_contacts": True})])
    assert lines[0][0].endswith("33 records read (28 added, 5 skipped)")
    assert "skipped: 5 already imported" in lines[0]
    assert lines[0][2] == "touches: 30 added"


def test_a_group_text_partly_repeated_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = backup(tmp_path / "first.xml", [sms(n, 1) for n in range(3)] + [group_mms(9, (1, 2))])
    # The second backup adds enough to become a load, then the same group text sent to
    # one more person: one of its three touches is new, so the record is added.
    later = [sms(n, 4) for n in range(100, 112)] + [group_mms(9, (1, 2, 3))]
    second = backup(tmp_path / "second.xml", later)
    options = {"create_contacts": True}
    lines = same_both_ways(tmp_path, monkeypatch, [(second, options)], [(first, options)])
    assert lines[0][0].endswith("13 records read (13 added, 0 skipped)")


def test_repeats_of_stored_touches_are_taken_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = [sms(n, n % 3) for n in range(6)]
    first = backup(tmp_path / "first.xml", old)
    # A later, fuller backup: new texts first (the load begins once six went in), then
    # the old ones again, which the rebuilt source index finds and takes out.
    second = backup(tmp_path / "second.xml", [sms(n, n % 3) for n in range(50, 60)] + old)
    options = {"create_contacts": True}
    lines = same_both_ways(tmp_path, monkeypatch, [(second, options)], [(first, options)])
    assert lines[0][0].endswith("16 records read (10 added, 6 skipped)")
    assert "skipped: 6 already imported" in lines[0]


def test_a_bulk_loaded_sms_import_leaves_the_reply_facts_of_a_plain_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts of every message (``message_replies``): folded as the rows stream past
    for new contacts, refreshed from the store for the others, for a contact with a row
    out of order and for one whose repeats the load took out."""
    # Six people, each sent texts and follow-ups and answering every third one.
    talk = [sms(n, n % 6, 1 if (n // 6) % 3 == 2 else 2) for n in range(60)]
    first = backup(tmp_path / "first.xml", talk[:12])  # people 0-5 known already
    later = talk[12:] + [sms(n, 6 + n % 3, 2 if n % 4 else 1) for n in range(70, 100)]
    later += [sms(n, 9, 2) for n in range(80, 90)] + [sms(65, 9, 2), sms(66, 9, 1)]
    later += [*talk[:4], group_mms(120, (1, 7))]  # repeats; a group text, no message
    second = backup(tmp_path / "second.xml", later)
    options = {"create_contacts": True}
    same_both_ways(tmp_path, monkeypatch, [(second, options)], [(first, options)])
    for name in ("plain", "bulk"):
        facts = reply_facts(opened(tmp_path / f"{name}.db").store.conn)
        assert len({fact[5] for fact in facts}) == 10  # every person has messages
        assert {fact[8] for fact in facts} >= {1, 2, 3}  # first messages and follow-ups
        assert any(fact[9] is None for fact in facts)
        assert any(fact[9] is not None for fact in facts)


def test_the_page_cache_is_put_back_after_an_import(
    tracker: Tracker, tmp_path: Path, bulk: None
) -> None:
    """A load shrinks the cache for the rest of the import; the import puts it back."""
    before = tracker.store.scalar("PRAGMA cache_size")
    path = backup(tmp_path / "texts.xml", [sms(n, n % 5) for n in range(40)])
    assert do_import(tracker, path, create_contacts=True).touches_added == 40
    assert tracker.store.scalar("PRAGMA cache_size") == before


def test_the_same_large_file_again_adds_nothing(
    tracker: Tracker, tmp_path: Path, bulk: None
) -> None:
    path = backup(tmp_path / "texts.xml", [sms(n, n % 5) for n in range(40)])
    assert do_import(tracker, path, create_contacts=True).touches_added == 40
    again = do_import(tracker, path, create_contacts=True)
    assert again.touches_added == 0
    assert again.skipped == {"already imported": 40}


def test_a_dry_run_of_a_bulk_load_leaves_the_file_as_it_was(
    tracker: Tracker, tmp_path: Path, bulk: None
) -> None:
    do_import(tracker, FIXTURES / "sms/backup.xml", create_contacts=True)
    before = db_fingerprint(tracker.store.path)
    path = backup(tmp_path / "texts.xml", [sms(n, n % 5) for n in range(40)])
    summary = do_import(tracker, path, create_contacts=True, dry_run=True)
    assert summary.touches_added == 40
    assert db_fingerprint(tracker.store.path) == before


def test_a_failure_during_a_bulk_load_leaves_the_file_as_it_was(
    tracker: Tracker, tmp_path: Path, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks, so rows go in (and the load begins) before the parser meets the end.
    monkeypatch.setattr(
        sms_android, "recovered_chunks", lambda handle: xml_stream.recovered_chunks(handle, 512)
    )
    do_import(tracker, FIXTURES / "sms/backup.xml", create_contacts=True)
    before = db_fingerprint(tracker.store.path)
    indexes = schema(tracker.store.conn)
    loads = counted_loads(tracker, monkeypatch)
    records = [sms(n, n % 5) for n in range(40)] + ['  <sms date="broken\n']
    path = backup(tmp_path / "broken.xml", records)
    with pytest.raises(UsageError, match="broken XML"):
        do_import(tracker, path, create_contacts=True)
    assert loads == [1]
    assert db_fingerprint(tracker.store.path) == before
    assert schema(tracker.store.conn) == indexes
    # The store is usable as before: the same file, repaired, goes in.
    path = backup(tmp_path / "repaired.xml", records[:-1])
    assert do_import(tracker, path, create_contacts=True).touches_added == 40


def test_a_transaction_never_commits_with_a_load_unfinished(tracker: Tracker) -> None:
    store = tracker.store
    indexes = schema(store.conn)
    with pytest.raises(RuntimeError, match="not ended"), store.write():
        store.begin_bulk_load()
    assert schema(store.conn) == indexes
    with pytest.raises(RuntimeError, match="inside the import's write transaction"):
        store.begin_bulk_load()


def test_a_disk_error_while_indexing_rolls_everything_back(
    tracker: Tracker, tmp_path: Path, bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db_fingerprint(tracker.store.path)
    indexes = schema(tracker.store.conn)

    def failing(load: bulkload.BulkLoad) -> list[tuple[int, int]]:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(tracker.store, "end_bulk_load", failing)
    path = backup(tmp_path / "texts.xml", [sms(n, n % 5) for n in range(40)])
    with pytest.raises(StoreError, match="disk is full or failing"):
        do_import(tracker, path, create_contacts=True)
    assert db_fingerprint(tracker.store.path) == before
    assert schema(tracker.store.conn) == indexes
