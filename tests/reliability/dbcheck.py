"""Looking at a database file from outside the app: integrity, row counts, a digest of its
content, and the exact bytes on disk. Tests may read SQLite directly; the product may not.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

TABLES = (
    "contacts",
    "contact_identifiers",
    "tags",
    "touches",
    "follow_ups",
    "snoozes",
    "reviews",
    "contact_state",
)
VOLATILE = frozenset({"created_at", "updated_at", "set_at", "closed_at"})
"""Columns holding the moment a row was written: two clean runs of the same import differ
there and nowhere else."""


@contextlib.contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection (WAL recovery included) that is always closed."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` as one string (``"ok"`` when the file is sound)."""
    with connect(db) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def existing_tables(conn: sqlite3.Connection) -> list[str]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in TABLES if t in names]


def counts(db: Path) -> dict[str, int]:
    """Rows per table, plus accepted invitations (a status an import changes in place)."""
    with connect(db) as conn:
        found = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in existing_tables(conn)
        }
        if "touches" in found:
            found["accepted"] = conn.execute(
                "SELECT count(*) FROM touches WHERE status = 'accepted'"
            ).fetchone()[0]
    return found


def table_rows(conn: sqlite3.Connection, table: str, skip: frozenset[str] = VOLATILE) -> list:
    """Every row of ``table`` without its volatile columns, in a stable order."""
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in skip]
    listed = ", ".join(columns)
    return conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()


def content_digest(db: Path) -> str:
    """A hash of every row of every table except the moments rows were written."""
    digest = hashlib.sha256()
    with connect(db) as conn:
        for table in existing_tables(conn):
            digest.update(table.encode())
            for row in table_rows(conn, table):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def file_bytes(db: Path) -> str:
    """A hash of the file and of its WAL when it holds anything: proof that nothing was
    written (an empty WAL left by a read-only open holds nothing)."""
    digest = hashlib.sha256()
    for candidate in (db, db.with_name(db.name + "-wal")):
        if candidate.exists() and (candidate == db or candidate.stat().st_size):
            digest.update(candidate.name.encode())
            digest.update(candidate.read_bytes())
    return digest.hexdigest()


def remove_sidecars(db: Path) -> None:
    """Delete the ``-wal``, ``-shm`` and ``-journal`` files left beside ``db``."""
    for suffix in ("-wal", "-shm", "-journal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def restore(source: Path, db: Path) -> None:
    """Make ``db`` an exact copy of the closed database ``source`` (no stale WAL beside it)."""
    remove_sidecars(db)
    shutil.copyfile(source, db)
    db.chmod(0o600)


def lost_rows(before: dict[str, int], after: dict[str, int]) -> int:
    """Rows present before and missing after, summed over tables (imports never delete)."""
    return sum(max(0, n - after.get(table, 0)) for table, n in before.items())
