"""Bulk loads: a large import appends touches without the upkeep each row would cost, and
that upkeep is done once, for every row, when the load ends, in the same transaction.

SQLite builds an index with one sorted pass over the table several times faster than it
keeps the index current row by row (each new touch lands in the middle of the B-trees of
``touches_contact_at`` and ``touches_source``). So a load drops those indexes as it
begins and creates them again as it ends. Both are statements of the
import's own transaction: a crash or a dry run rolls them back with the rows, and no
other connection ever sees the table without them (readers see the last commit).

``touches_source`` is unique: it is what makes a re-import add nothing. While it is away
a new row may repeat a source (of a touch stored before, or of one earlier in the same
file). Creating it again finds them: the later copies are deleted, exactly the rows an
``INSERT OR IGNORE`` would have skipped, and ``end_bulk_load`` returns them so the caller
can correct what it counted.

Other upkeep of the touches table joins a load by registering a ``Deferral``: suspended
as the load begins; caught up on the rows added so far, in one statement, each time the
load has added ``CATCH_UP_ROWS`` more (``keep_up``, which the import's writer calls on its
thread after each batch, so the work goes on beside the parsing) and once more as the
load ends, before repeats are looked for (the rows removed then leave the upkeep's
derived data through its own triggers, as any deletion does); resumed last. The search
index (``search``) registers one: its text index is written a batch at a time, in one
statement, instead of row by row. Anything that updates or deletes touches during a load
calls ``_touches_changing`` first (the rows it changes are then caught up).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.store.base import StoreBase

DEFERRED_INDEXES = ("touches_source", "touches_contact_at", "message_replies_cells")
"""Dropped for a bulk load and created again at its end, in this order (the unique one
first: the rows it finds repeated are deleted before the others are built). These are
the ones whose upkeep lands all over their B-trees: the touches' by source and by
contact (a backup interleaves thousands of people), and the reply facts' by channel and
hour of the week. ``touches_at`` stays: rows mostly come in time order, so SQLite
appends to it on the writer's thread, cheaper than sorting it again at the end; and the
partial indexes on invitations stay too: a text never enters them."""
SOURCE_INDEX = "touches_source"
BULK_CACHE_MB = 8
"""The page cache from a bulk load on: rows are only appended (a few pages in use at a
time), it bounds the memory the index builds sort in before they spill to a file, and
what follows a load in the same import (summaries read back, the commit) gains nothing
from a larger one but memory. It stays so until whoever set the connection's cache puts
it back (an import's ``large_cache``, as the import ends)."""


CATCH_UP_ROWS = 5000
"""Rows a load adds between two catch-ups of the deferred upkeep: one batch of the
import's writer (its catch-up then takes less time than the parser needs for the next
batch, so the parser never waits for it; larger catch-ups, a hundred thousand rows say,
cost no less in all and stall the parser while they run)."""


@dataclass(frozen=True)
class Deferral:
    """Upkeep of the touches table that a bulk load puts off: ``suspend(conn)`` as the
    load begins, returning what the other two need (``saved``);
    ``catch_up(conn, from_id, saved)`` does the upkeep for the touches from ``from_id``
    on (added during the load since the last catch-up); ``resume(conn, saved)`` puts
    things back as the load ends."""

    name: str
    suspend: Callable[[sqlite3.Connection], Any]
    catch_up: Callable[[sqlite3.Connection, int, Any], None]
    resume: Callable[[sqlite3.Connection, Any], None]


DEFERRALS: list[Deferral] = []
"""Registered by the parts of the store that keep something derived from touches (each
appends its ``Deferral`` when its module loads); the indexes above are always deferred."""


@dataclass
class BulkLoad:
    """A bulk load under way: what it dropped and must put back."""

    first_id: int
    """The id of the first touch the load adds."""
    indexes: list[tuple[str, str]] = field(default_factory=list)
    """``(name, CREATE statement)`` of each index dropped, in ``DEFERRED_INDEXES`` order."""
    deferrals: tuple[Deferral, ...] = ()
    saved: list[Any] = field(default_factory=list)
    """What each deferral's ``suspend`` returned, in order."""
    caught_up: int = 0
    """The first touch the deferrals have not caught up on yet."""


class BulkLoadMixin(StoreBase):
    """Begin and end a bulk load of touches, inside the caller's write transaction."""

    def begin_bulk_load(self) -> BulkLoad:
        """Drop the touches' deferred indexes, suspend the registered upkeep and shrink
        the page cache (``BULK_CACHE_MB``); touches added until ``end_bulk_load`` go in
        unindexed, and a repeated source is not refused (insert them with ``bulk=True``)."""
        if not self.conn.in_transaction:
            raise RuntimeError("a bulk load runs inside the import's write transaction")
        first = int(self.scalar("SELECT coalesce(max(id), 0) + 1 FROM touches") or 1)
        marks = ", ".join("?" * len(DEFERRED_INDEXES))
        found = dict(
            self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                f" AND sql IS NOT NULL AND name IN ({marks})",
                DEFERRED_INDEXES,
            ).fetchall()
        )
        indexes = [(n, found[n]) for n in DEFERRED_INDEXES if n in found]
        load = BulkLoad(first, indexes=indexes, caught_up=first)
        for name, _ in load.indexes:
            self.conn.execute(f"DROP INDEX [{name}]")
        self._bulk_load = load
        self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_MB * 1024}")
        load.deferrals = tuple(DEFERRALS)
        load.saved = [deferral.suspend(self.conn) for deferral in load.deferrals]
        return load

    def keep_up(self, load: BulkLoad, rows: int | None = None) -> None:
        """Catch the deferred upkeep up on the load's touches, once ``rows`` (default
        ``CATCH_UP_ROWS``) or more were added since it last was (the import's writer calls
        this after each batch)."""
        last = int(self.scalar("SELECT coalesce(max(id), 0) FROM touches") or 0)
        if last - load.caught_up + 1 < (CATCH_UP_ROWS if rows is None else rows):
            return
        for deferral, saved in zip(load.deferrals, load.saved, strict=True):
            deferral.catch_up(self.conn, load.caught_up, saved)
        load.caught_up = last + 1

    def _touches_changing(self) -> None:
        if self._bulk_load is not None:
            self.keep_up(self._bulk_load, 1)

    def end_bulk_load(self, load: BulkLoad) -> list[tuple[int, int]]:
        """Catch the deferred upkeep up, create the dropped indexes again and resume the
        upkeep. Touches of the load whose source was stored already (before the load, or
        earlier in it) are deleted before the source index is made: returns their
        ``(id, contact_id)``, in id order."""
        self.keep_up(load, 1)
        removed: list[tuple[int, int]] = []
        for name, sql in load.indexes:
            try:
                self.conn.execute(sql)
            except sqlite3.IntegrityError:
                if name != SOURCE_INDEX or removed:
                    raise
                removed = self._remove_repeated_sources(load.first_id)
                self.conn.execute(sql)
        for deferral, saved in zip(load.deferrals, load.saved, strict=True):
            deferral.resume(self.conn, saved)
        self._bulk_load = None
        return removed

    def _remove_repeated_sources(self, first_id: int) -> list[tuple[int, int]]:
        """Delete each touch from ``first_id`` on whose source an earlier touch has (the
        first of each source stays, as ``INSERT OR IGNORE`` keeps it)."""
        removed = [
            (int(touch_id), int(contact_id))
            for touch_id, contact_id in self.conn.execute(
                "WITH repeated AS (SELECT source, min(id) AS kept FROM touches"
                " WHERE source IS NOT NULL GROUP BY source HAVING count(*) > 1)"
                " SELECT t.id, t.contact_id FROM touches t JOIN repeated r"
                " ON r.source = t.source AND t.id > r.kept WHERE t.id >= ? ORDER BY t.id",
                (first_id,),
            )
        ]
        self.conn.executemany("DELETE FROM touches WHERE id = ?", [(r[0],) for r in removed])
        return removed
