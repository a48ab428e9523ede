"""Helpers for the bulk-load tests: SMS backups written to order, the bulk path forced on
small files, and what an import leaves, compared whichever way it went in."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TZ
from tests.importers.conftest import do_import
from tests.search_helpers import index_in_step
from tracker.config import Settings
from tracker.service import Tracker, import_writer, open_store
from tracker.store import bulkload

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
    facts of the messages (``message_replies``), the contacts, the search index (in step
    with the tables) and the schema."""
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
        "replies": reply_facts(conn),
        "contacts": conn.execute(
            "SELECT id, name, phone, email, linkedin_url, sms_opt_out_at FROM contacts ORDER BY id"
        ).fetchall(),
        "schema": schema(conn),
    }


REPLY_FACTS = (
    "SELECT t.contact_id, t.channel, t.direction, t.at, t.source, f.contact_id, f.channel,"
    " f.sent, f.run, f.replied FROM message_replies f JOIN touches t ON t.id = f.touch_id"
    " ORDER BY 1, 2, 3, 4, 5"
)


def reply_facts(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The reply facts, each with the touch it is of named by what it is (not its id)."""
    return conn.execute(REPLY_FACTS).fetchall()


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


FACTS = "SELECT * FROM message_replies ORDER BY touch_id"


def exact_summaries(tracker: Tracker) -> None:
    """The summary of every contact with a history, and the facts of its messages, are
    those a full refresh writes."""
    conn = tracker.store.conn
    stored, facts = conn.execute(HISTORIES).fetchall(), conn.execute(FACTS).fetchall()
    ids = [r[0] for r in conn.execute("SELECT id FROM contacts")]
    tracker.store.refresh_state(ids)
    assert stored == conn.execute(HISTORIES).fetchall()
    assert facts == conn.execute(FACTS).fetchall()


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
