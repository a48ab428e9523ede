"""Bulk loads (``tracker/store/bulkload.py``): an import that is most of the touches table
goes on without the touches' source and contact indexes, which are built once at its end.
Whichever way a file goes in, it leaves the same rows, the same summaries, the same
counts and the same schema; a repeated source is taken out as ``INSERT OR IGNORE`` would
have skipped it; and a failure or a dry run leaves the file as it was, indexes included.

The tests force the bulk path on small files (batches of three rows, a load from the
second batch on) and compare it with the same import never bulk."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TZ
from tests.importers.conftest import FIXTURES, db_fingerprint, do_import
from tests.search_helpers import index_in_step
from tracker.config import Settings
from tracker.errors import StoreError, UsageError
from tracker.importers import sms_android, xml_stream
from tracker.service import Tracker, import_folds, import_writer, open_store
from tracker.store import Deferral, bulkload

SMS_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
    '<smses count="{count}" backup_set="bulk" backup_date="1773183600000" type="full">\n'
)
START_MS = 1_767_268_800_000  # 2026-01-01 12:00 UTC


def number(person: int) -> str:
    return f"+1312555{1000 + person:04d}"


def sms(n: int, person: int, kind: int = 1, body: str = "") -> str:
    """One ``<sms>`` as the app writes it, from ``person`` (a number of our own) at the
    ``n``-th minute."""
    text = body or f"Text {n} &amp; more"
    return (
        f'  <sms protocol="0" address="{number(person)}" date="{START_MS + n * 60_000}"'
        f' type="{kind}" subject="null" body="{text}" toa="null" sc_toa="null"'
        f' service_center="null" read="1" status="-1" locked="0"'
        f' date_sent="{START_MS + n * 60_000 - 2000}" readable_date="Jan 1, 2026"'
        f' contact_name="Person {person}" />\n'
    )


def group_mms(n: int, people: tuple[int, ...]) -> str:
    """An outbound group ``<mms>`` to ``people``: a touch for each of them."""
    numbers = "~".join(number(p) for p in people)
    names = ", ".join(f"Person {p}" for p in people)
    addrs = "".join(f'<addr address="{number(p)}" type="151" charset="106" />' for p in people)
    return (
        f'  <mms date="{START_MS + n * 60_000}" msg_box="2" address="{numbers}"'
        f' contact_name="{names}" text_only="1" read="1"><parts>'
        f'<part seq="0" ct="text/plain" text="Group note {n}" /></parts>'
        f'<addrs><addr address="insert-address-token" type="137" charset="106" />{addrs}'
        "</addrs></mms>\n"
    )


def backup(path: Path, records: list[str]) -> Path:
    path.write_text(
        SMS_HEAD.format(count=len(records)) + "".join(records) + "</smses>\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of three rows; every import is a bulk load from its second batch on."""
    monkeypatch.setattr(import_writer, "BATCH", 3)
    monkeypatch.setattr(import_writer, "BULK_AFTER", 1)


def never_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_writer, "BATCH", 3)
    monkeypatch.setattr(import_writer, "BULK_AFTER", 10**9)


def opened(path: Path) -> Tracker:
    return Tracker(open_store(path), Settings(timezone="America/Chicago"), TZ)


def contents(tracker: Tracker) -> dict[str, Any]:
    """What an import leaves, without the numbering of touches (a bulk load's repeats
    leave gaps in it) or the moments rows were written: the rows, the summaries, the
    contacts, the search index (in step with the tables) and the schema."""
    conn = tracker.store.conn
    touch = (
        "contact_id, channel, direction, at, text, status, status_at, has_note, moment,"
        " is_group, source, template"
    )
    state = [r[1] for r in conn.execute("PRAGMA table_info(contact_state)")]
    state.remove("invite_id")
    index_in_step(tracker.store)
    return {
        "search": search_index(conn),
        "touches": conn.execute(f"SELECT {touch} FROM touches ORDER BY {touch}").fetchall(),
        "states": conn.execute(
            f"SELECT {', '.join('s.' + c for c in state)}, i.source FROM contact_state s"
            " LEFT JOIN touches i ON i.id = s.invite_id ORDER BY s.contact_id"
        ).fetchall(),
        "contacts": conn.execute(
            "SELECT id, name, phone, email, linkedin_url, sms_opt_out_at FROM contacts ORDER BY id"
        ).fetchall(),
        "schema": schema(conn),
    }


def search_index(conn: sqlite3.Connection) -> dict[str, Any]:
    """What the search index holds, touches named by what they are rather than by their
    ids: each term's every occurrence, each contact's document, the indexes' settings."""
    for index in ("contact_search", "touch_search"):
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_terms"
            f" USING fts5vocab(main, {index}, instance)"
        )
    return {
        "touch terms": conn.execute(
            "SELECT v.term, t.contact_id, t.at, t.direction, t.source, v.col, v.offset"
            " FROM temp.touch_search_terms v JOIN touches t ON t.id = v.doc ORDER BY 1, 2, 3, 4, 5"
            ", 6, 7"
        ).fetchall(),
        "touches indexed": conn.execute("SELECT count(*) FROM touch_search_docsize").fetchone(),
        "contact terms": conn.execute(
            "SELECT * FROM temp.contact_search_terms ORDER BY 1, 2, 3, 4"
        ).fetchall(),
        "contacts": conn.execute("SELECT rowid, * FROM contact_search ORDER BY rowid").fetchall(),
        "settings": conn.execute(
            "SELECT 'touch', k, v FROM touch_search_config"
            " UNION ALL SELECT 'contact', k, v FROM contact_search_config ORDER BY 1, 2"
        ).fetchall(),
    }


def schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()


HISTORIES = (
    "SELECT * FROM contact_state WHERE contact_id IN (SELECT contact_id FROM touches)"
    " ORDER BY contact_id"
)


def exact_summaries(tracker: Tracker) -> None:
    """The summary of every contact with a history is the one a full refresh writes."""
    stored = tracker.store.conn.execute(HISTORIES).fetchall()
    ids = [r[0] for r in tracker.store.conn.execute("SELECT id FROM contacts")]
    tracker.store.refresh_state(ids)
    assert stored == tracker.store.conn.execute(HISTORIES).fetchall()


Imports = list[tuple[Path, dict[str, Any]]]


def people(tracker: Tracker) -> None:
    """The people of the fixture backups, their numbers spelled otherwise."""
    tracker.add_contact({"name": "Dana Fictional", "phone": "312-555-0142"})
    tracker.add_contact({"name": "Jordan Optout", "phone": "+1 312 555 0177"})
    tracker.add_contact({"name": "Sky Group", "phone": "(312) 555 0188"})
    tracker.add_contact({"name": "Casey Quiet", "phone": "3125550123"})


def counted_loads(tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time ``tracker``'s store begins a bulk load."""
    loads: list[int] = []
    begin = tracker.store.begin_bulk_load

    def counted() -> bulkload.BulkLoad:
        loads.append(1)
        return begin()

    monkeypatch.setattr(tracker.store, "begin_bulk_load", counted)
    return loads


def same_both_ways(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    imports: Imports,
    seed: Imports = (),
    loaded: bool = True,
) -> list[list[str]]:
    """Run ``imports`` (after ``seed``, imported as usual) never bulk, then bulk: the
    same summaries and contents, the summaries exactly those a refresh writes, and the
    bulk run a bulk load indeed (when ``loaded``). Returns the summaries' lines."""
    runs = []
    for name, forced in (("plain", False), ("bulk", True)):
        never_bulk(monkeypatch)
        tracker = opened(tmp_path / f"{name}.db")
        people(tracker)
        for path, options in seed:
            do_import(tracker, path, **options)
        loads = counted_loads(tracker, monkeypatch)
        if forced:
            monkeypatch.setattr(import_writer, "BULK_AFTER", 1)
        lines = [do_import(tracker, path, **options).lines() for path, options in imports]
        assert bool(loads) == (forced and loaded)
        content = contents(tracker)
        exact_summaries(tracker)
        runs.append(([[line.replace(str(tmp_path), "") for line in run] for run in lines], content))
        tracker.store.close()
    (plain_lines, plain), (bulk_lines, bulked) = runs
    assert bulk_lines == plain_lines
    for key in plain:
        assert bulked[key] == plain[key], key
    return plain_lines


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
