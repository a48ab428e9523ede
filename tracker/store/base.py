"""Opening the database file safely, and the transaction and row helpers the store uses.

The file is created owner-only (0600) in an owner-only folder, runs in WAL mode with a
busy timeout and foreign keys on, is copied aside before any migration touches it, and
is refused untouched when a newer version of the app wrote it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tracker.errors import StoreError
from tracker.store.steps import KNOWN_STEPS, MIGRATION_SET, applied_steps, pending_steps
from tracker.store.summaries import FoldFactory, MessageFoldFactory
from tracker.timeutil import now_utc

BUSY_TIMEOUT_MS = 30_000


def _friendly(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the database is read-only; nothing was saved")
    if "disk is full" in text or "disk I/O" in text:
        return StoreError(f"{path}: the disk is full or failing; nothing was saved")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path}: not an Outreach Tracker database, or it is damaged")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the database is busy in another program; try again")
    if "unable to open" in text and path.exists():
        if not os.access(path, os.R_OK):
            return StoreError(f"{path}: permission denied: this user cannot read the database")
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            return StoreError(
                f"{path}: cannot open: the database or its folder is read-only; nothing was saved"
            )
    return StoreError(f"{path}: database error: {text}")


@contextlib.contextmanager
def translating_errors(path: Path | Callable[[], Path]) -> Iterator[None]:
    """Let a SQLite failure inside (a damaged page met while reading rows, say) out as the
    one-line ``StoreError`` every caller already shows, not a raw exception. ``path`` may
    be a function, asked only when a failure needs naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _friendly(exc, path() if callable(path) else path) from None


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, and its folder if missing."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def backup_copy(conn: sqlite3.Connection, path: Path, label: str) -> Path:
    """Copy the live database next to itself (0600) with SQLite's backup API.

    The copy is written under a ``.partial`` name and takes its ``.bak`` name only when it
    is whole, so a ``.bak`` file is always a complete copy, even after a crash."""
    stamp = now_utc().strftime("%Y%m%d-%H%M%S")
    partial = path.with_name(f"{path.stem}.{stamp}.{label}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)  # left by a crashed process that had this pid
    _create_private_file(partial)
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
    except BaseException:
        dest.close()
        partial.unlink(missing_ok=True)
        raise
    dest.close()
    counter = 0
    while True:  # another process may have made a copy in the same second
        suffix = f".{counter}" if counter else ""
        target = path.with_name(f"{path.stem}.{stamp}.{label}{suffix}.bak")
        try:
            os.link(partial, target)
            break
        except FileExistsError:
            counter += 1
    partial.unlink()
    return target


class StoreBase:
    """Connection, schema checks and transactions shared by every part of the store."""

    def __init__(
        self,
        path: Path | str,
        fold: FoldFactory,
        messages: MessageFoldFactory,
        *,
        migrate: bool = True,
        region: str = "US",
    ) -> None:
        self.path = Path(path)
        self.fold = fold
        """Folds one contact's history into its summary: the service's rules."""
        self.messages = messages
        """Folds one contact's history into the facts of its messages (the insights')."""
        self.region = region
        """Where a phone number written without a country code is (the user's setting):
        an upgrade that reads numbers out of notes needs it."""
        self.backups: list[Path] = []
        self.upgraded: list[str] = []
        """The schema steps this open applied (empty when the file was current)."""
        if str(path) == ":memory:":
            conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            self.path = self.path.expanduser()
            if self.path.is_dir():
                raise StoreError(f"{self.path}: is a folder, not a database file")
            if not self.path.exists():
                try:
                    _create_private_file(self.path)
                except FileExistsError:
                    pass  # another process created it a moment ago
                except OSError as exc:
                    raise StoreError(
                        f"{self.path}: cannot create the database ({exc.strerror})"
                    ) from None
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        conn.isolation_level = None  # explicit BEGIN/COMMIT only: no hidden transactions
        self.conn = conn
        self._in_write = False
        self._bulk_load: Any = None
        """The bulk load under way (``bulkload.BulkLoad``), which has dropped indexes this
        transaction must put back: the transaction never commits while it is set."""
        try:
            self._check_version()
            self._configure()
            if migrate:
                self._migrate()
        except sqlite3.Error as exc:
            conn.close()
            raise _friendly(exc, self.path) from None
        except BaseException:
            conn.close()
            raise

    def reader(self) -> sqlite3.Connection:
        """A second connection to the same file, read-only (it can never create or change
        one), for a read that runs beside this connection's in another thread."""
        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)

    # -- opening -------------------------------------------------------------------
    def _check_version(self) -> None:
        self.conn.execute("PRAGMA schema_version").fetchone()
        applied = applied_steps(self.conn)
        unknown = [name for name in applied if name not in KNOWN_STEPS]
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer version of Outreach Tracker "
                f"(schema step {unknown[-1]}); upgrade the app to open it. "
                "The file was left untouched."
            )

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # A row replaced by INSERT OR REPLACE (an undo puts rows back so) fires its delete
        # triggers too, which the search index needs to forget the old text.
        self.conn.execute("PRAGMA recursive_triggers = ON")
        if str(self.path) != ":memory:":
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                with contextlib.suppress(sqlite3.OperationalError):
                    self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def pending_migrations(self) -> list[str]:
        return pending_steps(self.conn)

    def _migrate(self) -> None:
        pending = self.pending_migrations()
        if not pending:
            return
        has_data = (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                " AND name <> '_sqlite_migrations' LIMIT 1"
            ).fetchone()
            is not None
        )
        if has_data and str(self.path) != ":memory:":
            # Before the write lock: SQLite cannot copy a file from inside its own
            # connection's write transaction.
            try:
                self.backups.append(backup_copy(self.conn, self.path, f"before-{pending[0]}"))
            except (OSError, sqlite3.Error) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                raise StoreError(
                    f"{self.path}: cannot make a copy before upgrading it ({reason}); "
                    "the file was left as it was"
                ) from None
        # Take the write lock, then look again: another process opening the same file may
        # have migrated it meanwhile. Every step (each a savepoint inside this transaction)
        # and the summaries they need commit together, so a crash mid-upgrade leaves the
        # file as it was. A step that cannot run in a transaction would need its own path.
        with self.write():
            if not self.pending_migrations():
                return
            # sqlite-utils runs the steps; it is loaded only when one is pending.
            from sqlite_utils import Database

            from tracker.store.migrations import migrations

            self.upgraded = self.pending_migrations()
            migrations.apply(Database(self.conn, execute_plugins=False))
            self._schema_changed()
            self._after_migrate()

    def _after_migrate(self) -> None:
        """Hook for work that needs more than SQL once the schema is current."""

    def _schema_changed(self) -> None:
        """Hook: forget what was learnt about the schema (a migration just ran)."""

    def _before_commit(self) -> None:
        """Hook: work every write transaction does last (keeping derived tables current)."""

    def _touches_changing(self) -> None:
        """Hook: stored touches are about to be updated or deleted (a bulk load catches
        its deferred upkeep up first)."""

    def schema_steps(self) -> list[str]:
        """Names of the migrations applied to this file."""
        return [name for name in applied_steps(self.conn) if name in KNOWN_STEPS]

    @staticmethod
    def migration_set() -> str:
        return MIGRATION_SET

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    # -- transactions --------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One all-or-nothing write. ``BEGIN IMMEDIATE`` takes the write lock up front,
        so two writers wait for each other instead of failing with "locked"."""
        if self._in_write:
            yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        self._in_write = True
        try:
            yield
            self._before_commit()
        except sqlite3.Error as exc:
            self._bulk_load = None
            self.conn.execute("ROLLBACK") if self.conn.in_transaction else None
            raise _friendly(exc, self.path) from None
        except BaseException:
            self._bulk_load = None
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            if self._bulk_load is not None:
                self._bulk_load = None
                self.conn.execute("ROLLBACK")
                raise RuntimeError("a bulk load of touches was not ended: nothing was saved")
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _friendly(exc, self.path) from None
        finally:
            self._in_write = False

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a ``write``: a part that is undone alone when it raises (the
        transaction around it goes on); outside one, a ``write`` of its own."""
        if not self._in_write:
            with self.write():
                yield
            return
        name = f"part{id(self)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        else:
            self.conn.execute(f"RELEASE {name}")

    @contextlib.contextmanager
    def translating_errors(self) -> Iterator[None]:
        """SQLite failures inside come out as this file's one-line ``StoreError``."""
        with translating_errors(self.path):
            yield

    # -- reading -------------------------------------------------------------------
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Every row of a query, as dicts."""
        try:
            cursor = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise _friendly(exc, self.path) from None
        return row[0] if row else None

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: a number that changes whenever another
        connection (another program, or another open of the file) commits, and never for
        this connection's own writes. Reading it costs next to nothing."""
        return int(self.scalar("PRAGMA data_version") or 0)


def opt_text(value: str | None) -> str | None:
    """Empty strings are stored as NULL so unique indexes ignore them."""
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None
