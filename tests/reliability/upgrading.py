"""Upgrades, seen from outside: which schema steps a file has, its rows on the columns an
older version had, and ``kill -9`` in the middle of an upgrade (the first start of a new
version on an old file), which must leave the old file or the upgraded one, never a mix."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tests.reliability import dbcheck
from tests.reliability.clirun import run, success
from tests.reliability.crash import IMPORT_TIMEOUT, ForkServer
from tests.reliability.figures import Area
from tracker.store.migrations import KNOWN

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
EARLIER = [f"schema-{name.split('_')[0]}.db" for name in KNOWN[:-1]]
"""The fixture for every schema step before the current one."""


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


def big_old_database(path: Path) -> None:
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


MIN_KILLS = 2
"""Upgrades that must be killed mid-way for a run to count."""


@dataclass
class KillFigures:
    attempts: int = 0
    kills: int = 0


def upgrade_kills(
    workdir: Path, base: Path, attempts: int, rng: random.Random, area: Area
) -> KillFigures:
    """Upgrade copies of the old database ``base``, killing the upgrade at random moments.
    After each: the file is sound, at the old steps or all of them, every old row is there
    on its old columns, every ``.bak`` is a whole copy, and the next start finishes the
    upgrade. Raises ``AssertionError`` at the first breach."""
    old_steps, columns = steps(base), table_columns(base)
    old_digest = old_columns_digest(base, columns)
    folder = workdir / "upgrade"
    folder.mkdir(mode=0o700, exist_ok=True)
    db, output = folder / "outreach.db", workdir / "upgrade.out"
    figures = KillFigures()
    server = ForkServer()
    try:
        dbcheck.restore(base, db)
        started = time.perf_counter()
        server.start(db, ["info"], output)
        assert server.wait(IMPORT_TIMEOUT) == 0, output.read_text()
        took = time.perf_counter() - started
        attempt = 0
        # Kills are timed from one measured run; should later runs go faster, go on
        # (up to five times as many attempts) until at least MIN_KILLS have landed.
        while attempt < attempts or (figures.kills < MIN_KILLS and attempt < attempts * 5):
            for leftover in folder.glob("outreach.*"):
                leftover.unlink()
            dbcheck.restore(base, db)
            server.start(db, ["info"], output)
            code = server.wait(rng.uniform(0.0, took * 1.1))
            if code is None:
                code = server.kill()
            assert code in (0, -9), output.read_text()
            figures.kills += code == -9
            figures.attempts += 1
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
            attempt += 1
    finally:
        server.close()
    area.count("upgrades killed", figures.kills)
    return figures
