"""Reads and writes the importers need beyond the bulk paths: every contact's fillable
fields at once, outbound invitations for matching, invitation status changes, and
contacts inserted in batches with ids chosen up front (so touches can name them at once)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tracker.models import CONTACT_FIELDS, TOUCH_COLUMNS
from tracker.store.base import StoreBase, opt_text
from tracker.store.summaries import state_to_row
from tracker.store.touches import TouchesMixin
from tracker.store.values import run_values, values_from
from tracker.text import tag_text
from tracker.timeutil import stamp

CONNECTED = "linkedin_connected_on"
"""The day a contact became a LinkedIn connection (ISO date), as an export said."""
IMPORT_CACHE_MB = 40
"""Page cache during an import: most of the SMS target's memory (150 MB)."""


@functools.lru_cache(maxsize=64)
def _insert_values(varying: tuple[int, ...], shared: tuple[int, ...], rows: int, bulk: bool) -> str:
    """The statement inserting up to ``rows`` touch rows (``values``) that carry the
    columns ``varying`` (positions in ``TOUCH_COLUMNS``), the columns ``shared`` (the same
    positions) taking one value for all: its parameters are the shared values and
    ``created_at``, then each row's varying values.

    During a bulk load (no unique index on ``source`` to ignore a row by) every row goes
    in, numbered in order, and any other constraint a row breaks is an error, never a row
    silently skipped (the load accounts for each row by its number)."""
    picked = []
    for index in range(len(TOUCH_COLUMNS)):
        picked.append("?" if index in shared else f"column{varying.index(index) + 1}")
    verb = "INSERT" if bulk else "INSERT OR IGNORE"
    return (
        f"{verb} INTO touches ({', '.join(TOUCH_COLUMNS)}, created_at)"
        f" SELECT {', '.join(picked)}, ? {values_from(len(varying), rows)}"
    )


class ImportsMixin(TouchesMixin, StoreBase):
    """One query per need, never one per imported row."""

    def fillable_fields(self) -> dict[int, dict[str, Any]]:
        """Each contact's name, enrichable fields, consent times, follow-up date and
        LinkedIn connection date, by id."""
        columns = ", ".join(f"c.{k}" for k in CONTACT_FIELDS)
        found: dict[int, dict[str, Any]] = {}
        cursor = self.execute(
            f"SELECT c.id, {columns}, c.sms_opt_in_at, c.sms_opt_out_at, c.{CONNECTED},"
            " f.due_on AS follow_up_on FROM contacts c"
            " LEFT JOIN follow_ups f ON f.contact_id = c.id"
        )
        names = [d[0] for d in cursor.description]
        for row in cursor:
            record = dict(zip(names, row, strict=True))
            found[record.pop("id")] = record
        return found

    def set_linkedin_connected(self, days: Sequence[tuple[int, str]]) -> None:
        """Record ``(contact id, ISO date)``: the day each became a LinkedIn connection."""
        with self.write():
            self.conn.executemany(
                f"UPDATE contacts SET {CONNECTED} = ?, updated_at = ? WHERE id = ?",
                [(day, stamp(), contact_id) for contact_id, day in days],
            )

    def outbound_invitations(self) -> list[dict[str, Any]]:
        """Every outbound invitation: id, contact_id, at, status, status_at (oldest first)."""
        return self.rows(
            "SELECT id, contact_id, at, status, status_at FROM touches"
            " WHERE channel = 'linkedin_invite' AND direction = 'out' ORDER BY at, id"
        )

    def set_invitation_statuses(self, changes: Sequence[tuple[int, str, str]]) -> None:
        """Apply ``(touch id, status, stored status_at)`` changes; summaries go stale."""
        if not changes:
            return
        with self.write():
            self.conn.executemany(
                "UPDATE touches SET status = ?, status_at = ? WHERE id = ?",
                [(status, at, touch_id) for touch_id, status, at in changes],
            )
            marks = ",".join("?" * len(changes))
            contact_ids = [
                r["contact_id"]
                for r in self.rows(
                    f"SELECT DISTINCT contact_id FROM touches WHERE id IN ({marks})",
                    [c[0] for c in changes],
                )
            ]
            self.mark_stale(contact_ids)

    def insert_follow_ups(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        """Plan follow-ups ``(contact id, due date, reason, set at)`` for contacts that
        have none (one a contact has already is kept)."""
        with self.write():
            self.conn.executemany(
                "INSERT INTO follow_ups (contact_id, due_on, reason, set_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(contact_id) DO NOTHING",
                [(cid, due, reason or None, set_at) for cid, due, reason, set_at in rows],
            )

    def next_contact_id(self) -> int:
        """The id SQLite would give the next contact (imports assign ids up front)."""
        return int(self.scalar("SELECT coalesce(max(id), 0) + 1 FROM contacts") or 1)

    def insert_contacts_with_ids(
        self,
        rows: Sequence[dict[str, Any]],
        tags: Sequence[tuple[int, str]],
        summaries: bool = True,
    ) -> None:
        """Insert validated contacts whose ``id`` is already chosen, in one statement per
        column set, with their tags and (unless the caller writes them itself with
        ``write_states`` before the transaction ends) a current empty-history summary."""
        if not rows:
            return
        now = stamp()
        empty = state_to_row(self.fold(0).summary())
        state_columns = [c for c in empty if c != "contact_id"]
        allowed = {
            *CONTACT_FIELDS,
            "id",
            "created_at",
            "sms_opt_in_at",
            "sms_opt_out_at",
            CONNECTED,
        }
        with self.write():
            by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
            for fields in rows:
                cells = [opt_text(v) if isinstance(v, str) else v for v in fields.values()]
                columns = tuple(fields)
                if "created_at" not in fields:
                    columns = (*columns, "created_at")
                    cells.append(now)
                cells.append(now)
                by_columns.setdefault((*columns, "updated_at"), []).append(tuple(cells))
            for columns in by_columns:
                unknown = set(columns) - allowed - {"updated_at"}
                if unknown:
                    raise ValueError(f"unknown contact fields: {sorted(unknown)}")
            for columns, values in by_columns.items():
                self.conn.executemany(
                    f"INSERT INTO contacts ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' * len(columns))})",
                    values,
                )
            self.conn.executemany(
                "INSERT OR IGNORE INTO tags (contact_id, tag) VALUES (?, ?)",
                [(contact_id, kept) for contact_id, t in tags if (kept := tag_text(t))],
            )
            if not summaries:
                return
            self.conn.executemany(
                f"INSERT INTO contact_state (contact_id, stale, {', '.join(state_columns)})"
                f" VALUES (?, 0, {', '.join('?' * len(state_columns))})",
                [(row["id"], *(empty[c] for c in state_columns)) for row in rows],
            )

    def insert_touch_rows(
        self,
        values: Sequence[Any],
        varying: tuple[int, ...],
        shared: Mapping[int, Any],
        size: int,
        created_at: str,
        bulk: bool = False,
    ) -> int:
        """Insert ``size`` validated touches: ``values`` holds each row's columns
        ``varying`` (positions in ``TOUCH_COLUMNS``), row after row, and ``shared`` every
        other column's one value for all rows (``tracker.service.touch_batch``). A row
        whose source is stored already is skipped (with ``bulk``, inside
        ``begin_bulk_load``, every row goes in); returns how many were added. Summaries
        are the caller's to refresh.

        The rows are bound to a statement or two (``values``), each run with the
        interpreter lock free (an import's parser goes on meanwhile)."""
        positions = tuple(sorted(shared))
        head = [*(shared[i] for i in positions), created_at]  # in the order they are named

        def sql(rows: int) -> str:
            return _insert_values(varying, positions, rows, bulk)

        with self.write():
            # The statements' own rows (``total_changes`` would count derived tables').
            return run_values(self.conn, sql, head, values, len(varying), size)

    @contextlib.contextmanager
    def large_cache(self, megabytes: int = IMPORT_CACHE_MB) -> Iterator[None]:
        """A larger page cache while a big import runs: its index inserts land all over
        the touches' indexes, and with SQLite's default 2 MB most of them go to disk."""
        before = self.scalar("PRAGMA cache_size")
        self.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")
        try:
            yield
        finally:
            self.execute(f"PRAGMA cache_size = {int(before)}")

    def touch_sources_after(self, touch_id: int) -> set[str]:
        """The sources of the touches numbered after ``touch_id``: those one batch added,
        when some of its rows were stored already (an import counts each record once)."""
        cursor = self.execute(
            "SELECT source FROM touches WHERE id > ? AND source IS NOT NULL", (touch_id,)
        )
        return {row[0] for row in cursor}

    def last_touch_id(self) -> int:
        """The largest touch id (0 when there are none): SQLite numbers each new touch one
        more than the largest, so an import can tell the ids of the rows it added."""
        return int(self.scalar("SELECT coalesce(max(id), 0) FROM touches") or 0)
