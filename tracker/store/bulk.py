"""Bulk writes for imports and benchmarks: many rows in one transaction, summaries
refreshed once at the end rather than once per row.

The bulk refresh builds the same ``Touch`` objects as ``touch_from_row`` and feeds them to
the same ``summarize``, only with cheaper parsing (tuples instead of dicts, ISO parsing
instead of ``strptime``, enum lookups from dicts), so its summaries are identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tracker.models import CONTACT_FIELDS, DEFAULT_LABELS, IDENTIFIER_KINDS, TOUCH_COLUMNS
from tracker.store.base import StoreBase, opt_text
from tracker.store.touches import TouchesMixin
from tracker.text import tag_text
from tracker.timeutil import stamp


class BulkMixin(TouchesMixin, StoreBase):
    """Fast paths that skip per-row checks: callers validate and de-duplicate first."""

    def insert_contacts_bulk(
        self, rows: Sequence[dict[str, Any]], tags: Sequence[Sequence[str]] | None = None
    ) -> list[int]:
        """Insert validated contacts (keys from ``CONTACT_FIELDS``); returns their ids.
        A contact's ``phone`` and ``email`` are its primary ones, with the default labels."""
        now = stamp()
        ids: list[int] = []
        with self.write():
            for position, fields in enumerate(rows):
                row = {k: (opt_text(v) if isinstance(v, str) else v) for k, v in fields.items()}
                unknown = set(row) - set(CONTACT_FIELDS) - {"created_at"}
                if unknown:
                    raise ValueError(f"unknown contact fields: {sorted(unknown)}")
                row.setdefault("created_at", now)
                row["updated_at"] = now
                cursor = self.execute(
                    f"INSERT INTO contacts ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    tuple(row.values()),
                )
                contact_id = int(cursor.lastrowid or 0)
                ids.append(contact_id)
                self.conn.executemany(
                    "INSERT INTO contact_identifiers (contact_id, kind, value, label, is_primary)"
                    " VALUES (?, ?, ?, ?, 1)",
                    [
                        (contact_id, k, row[k], DEFAULT_LABELS[k])
                        for k in IDENTIFIER_KINDS
                        if row.get(k)
                    ],
                )
                if tags and tags[position]:
                    self.conn.executemany(
                        "INSERT OR IGNORE INTO tags (contact_id, tag) VALUES (?, ?)",
                        [(contact_id, k) for t in tags[position] if (k := tag_text(t))],
                    )
            self.conn.executemany(
                "INSERT INTO contact_state (contact_id, stale) VALUES (?, 1)", [(i,) for i in ids]
            )
        return ids

    def fill_empty_fields(self, contact_id: int, fields: dict[str, Any]) -> list[str]:
        """Set only the fields that are empty now (enrichment); returns the ones set. Not
        for phones and emails: those are identifiers (``add_identifiers``)."""
        current = self.one("SELECT * FROM contacts WHERE id = ?", (contact_id,)) or {}
        changes = {
            k: v
            for k, v in fields.items()
            if k in CONTACT_FIELDS
            and k not in IDENTIFIER_KINDS
            and v not in (None, "")
            and current.get(k) in (None, "")
        }
        if changes:
            with self.write():
                assignments = ", ".join(f"{k} = ?" for k in changes)
                self.execute(
                    f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?",
                    (*changes.values(), stamp(), contact_id),
                )
        return sorted(changes)

    def insert_touches_bulk(self, rows: Iterable[dict[str, Any]], refresh: bool = True) -> int:
        """Insert validated touches (keys from ``TOUCH_COLUMNS``; ``source`` de-duplicates:
        a row whose source is already stored is skipped). Returns how many were added."""
        now = stamp()
        columns = [*TOUCH_COLUMNS, "created_at"]
        sql = (
            f"INSERT OR IGNORE INTO touches ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})"
        )
        touched: set[int] = set()
        added = 0
        with self.write():
            batch: list[tuple[Any, ...]] = []
            for fields in rows:
                touched.add(fields["contact_id"])
                values = []
                for column in TOUCH_COLUMNS:
                    value = fields.get(column)
                    if column in ("is_group", "has_note") and value is not None:
                        value = int(bool(value))
                    values.append(value if column != "is_group" else (value or 0))
                batch.append((*values, now))
                if len(batch) >= 5000:
                    added += self._insert_batch(sql, batch)
                    batch = []
            if batch:
                added += self._insert_batch(sql, batch)
            self.mark_stale(sorted(touched))
            if refresh:
                self.refresh_stale()
        return added

    def _insert_batch(self, sql: str, batch: list[tuple[Any, ...]]) -> int:
        # The statement's own rows (``total_changes`` would count the search index's too).
        return max(self.conn.executemany(sql, batch).rowcount, 0)
