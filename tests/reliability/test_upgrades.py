"""Upgrades: a database from every earlier schema step (``tests/fixtures/schemas``) opens,
is copied aside first (0600, holding the old rows), and migrates keeping every row; an
upgrade killed part-way leaves the old file or the new one, never a mixture."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from tests.reliability import dbcheck
from tests.reliability.clirun import run, success
from tests.reliability.crash import IMPORT_TIMEOUT, ForkServer
from tests.reliability.figures import Figures
from tracker.store.migrations import KNOWN

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
EARLIER = [f"schema-{name.split('_')[0]}.db" for name in KNOWN[:-1]]


def steps(db: Path) -> list[str]:
    with dbcheck.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]


def all_rows(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """Every row of every table (all columns), with the column names, by table."""
    found = {}
    with dbcheck.connect(db) as conn:
        for table in dbcheck.existing_tables(conn):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            rows = dbcheck.table_rows(conn, table, frozenset())
            found[table] = {tuple(zip(columns, row, strict=True)) for row in rows}
    return found


def kept(old: dict[str, set[tuple[object, ...]]], new_db: Path) -> int:
    """How many old rows are missing from ``new_db`` (compared on the old columns)."""
    missing = 0
    new = all_rows(new_db)
    for table, rows in old.items():
        if table == "contact_state":  # a summary the upgrade recomputes on purpose
            continue
        old_columns = {name for row in rows for name, _ in row}
        projected = {tuple(p for p in row if p[0] in old_columns) for row in new[table]}
        missing += len(rows - projected)
    return missing


def old_columns_digest(db: Path, columns: dict[str, list[str]]) -> str:
    """A hash of ``db``'s rows on the given columns only: equal before and after an upgrade
    that kept every row (``contact_state``, recomputed on purpose, left out)."""
    digest = hashlib.sha256()
    with dbcheck.connect(db) as conn:
        for table, names in columns.items():
            listed = ", ".join(names)
            for row in conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def table_columns(db: Path) -> dict[str, list[str]]:
    with dbcheck.connect(db) as conn:
        return {
            table: [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            for table in dbcheck.existing_tables(conn)
            if table != "contact_state"
        }


def test_a_fixture_for_every_earlier_step() -> None:
    present = sorted(p.name for p in SCHEMAS.glob("schema-*.db"))
    assert present == sorted(EARLIER), "run tests/fixtures/schemas/make_schemas.py"


@pytest.mark.parametrize("fixture", EARLIER)
def test_upgrade_keeps_every_row_after_a_private_backup(
    fixture: str, tmp_path: Path, figures: Figures
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "outreach.db"
    shutil.copyfile(SCHEMAS / fixture, db)
    old_steps = steps(db)
    old = all_rows(db)
    assert old_steps == KNOWN[: len(old_steps)] and len(old_steps) < len(KNOWN)
    assert sum(len(rows) for rows in old.values()) >= 20

    success(run(db, "info"))

    assert steps(db) == KNOWN
    lost = kept(old, db)
    figures.area("upgrades").add(cases=1, faults=0, rows_lost=lost)
    assert lost == 0
    with dbcheck.connect(db) as conn:
        contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        states = conn.execute("SELECT count(*) FROM contact_state WHERE stale = 0").fetchone()[0]
    assert states == contacts, "every contact's summary is filled in by the upgrade"
    backups = list(folder.glob(f"outreach.*.before-{KNOWN[len(old_steps)]}*.bak"))
    assert len(backups) == 1, sorted(p.name for p in folder.iterdir())
    backup = backups[0]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert all_rows(backup) == old and steps(backup) == old_steps
    assert not list(folder.glob("*.partial"))
    for args in (["review", "--as-of", "2026-01-10"], ["show", "1"], ["list"], ["stats"]):
        success(run(db, *args))
    success(run(db, "info"))
    assert len(list(folder.glob("*.bak"))) == 1, "a current file is not copied again"


def _big_old_database(path: Path) -> None:
    """The oldest fixture with 1,000 more contacts and 10,000 more touches: an upgrade that
    takes about half a second, long enough to be killed part-way."""
    shutil.copyfile(SCHEMAS / EARLIER[0], path)
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    stamp = "2026-01-01T00:00:00Z"
    conn.executemany(
        "INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(100 + i, f"Bulk Person{i}", stamp, stamp) for i in range(1000)],
    )
    channels = ("sms", "email", "call", "linkedin_message")
    conn.executemany(
        "INSERT INTO touches (contact_id, channel, direction, at, text, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                100 + rng.randrange(1000),
                rng.choice(channels),
                rng.choice(("in", "out")),
                f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T12:00:00Z",
                f"t{i}",
                stamp,
            )
            for i in range(10_000)
        ],
    )
    conn.commit()
    conn.close()


def test_upgrade_killed_part_way(tmp_path: Path, figures: Figures, seed: int) -> None:
    base = tmp_path / "old.db"
    _big_old_database(base)
    old_steps, columns = steps(base), table_columns(base)
    old_digest = old_columns_digest(base, columns)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "outreach.db"
    rng = random.Random(seed)
    area = figures.area("upgrades")
    server = ForkServer()
    try:
        dbcheck.restore(base, db)
        started = time.perf_counter()
        server.start(db, ["info"], tmp_path / "out")
        assert server.wait(IMPORT_TIMEOUT) == 0
        took = time.perf_counter() - started
        kills = 0
        for attempt in range(8):
            for leftover in folder.glob("outreach.*"):
                leftover.unlink()
            dbcheck.restore(base, db)
            pid = server.start(db, ["info"], tmp_path / "out")
            if server.wait(rng.uniform(0.0, took * 1.1)) is None:
                os.kill(pid, signal.SIGKILL)
                server.wait(IMPORT_TIMEOUT)
                kills += 1
            assert dbcheck.integrity(db) == "ok"
            assert steps(db) in (old_steps, KNOWN), steps(db)
            intact = old_columns_digest(db, columns) == old_digest
            area.add(cases=1, faults=1, rows_lost=0 if intact else 1)
            assert intact, "the rows are not what they were before the upgrade"
            for copy in folder.glob("*.bak"):
                assert old_columns_digest(copy, columns) == old_digest, "a partial .bak"
            if attempt % 2 == 0:  # whatever the kill left, the next start upgrades it
                success(run(db, "info"))
                assert steps(db) == KNOWN and old_columns_digest(db, columns) == old_digest
        area.count("upgrades killed", kills)
        assert kills >= 4
    finally:
        server.close()
