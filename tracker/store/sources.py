"""Touches found by their ``source`` (the key an import stored them under), for imports
that come back to what they wrote: every source under a prefix (so a re-import counts
each record already imported once), meetings ahead that a calendar file moved or
cancelled, and the next meeting of all (Today's top line)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tracker.store.base import StoreBase
from tracker.timeutil import from_stored, to_stored


def _prefix_end(prefix: str) -> str:
    """The smallest text greater than every text starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SourcesMixin(StoreBase):
    """Reads and writes by touch source; one query per need."""

    def touch_sources(self, prefix: str) -> set[str]:
        """Every stored source starting with ``prefix`` (read through its unique index)."""
        if not prefix:
            raise ValueError("a source prefix is needed")
        cursor = self.execute(
            "SELECT source FROM touches WHERE source >= ? AND source < ?",
            (prefix, _prefix_end(prefix)),
        )
        return {source for (source,) in cursor}

    def touches_ahead(self, prefix: str, after: datetime) -> dict[str, dict[str, Any]]:
        """The touches after ``after`` whose source starts with ``prefix``, by source:
        ``{"id", "contact_id", "at"}`` (``at`` a ``datetime``)."""
        rows = self.rows(
            "SELECT id, contact_id, at, source FROM touches"
            " WHERE source >= ? AND source < ? AND at > ?",
            (prefix, _prefix_end(prefix), to_stored(after)),
        )
        return {
            row["source"]: {
                "id": row["id"],
                "contact_id": row["contact_id"],
                "at": from_stored(row["at"]),
            }
            for row in rows
        }

    def delete_touches(self, touch_ids: Sequence[int]) -> None:
        """Delete touches by id; their contacts' summaries are the caller's to refresh."""
        with self.write():
            self._touches_changing()
            self.conn.executemany("DELETE FROM touches WHERE id = ?", [(i,) for i in touch_ids])

    def move_touches(self, changes: Sequence[tuple[int, datetime, str | None]]) -> None:
        """Give touches ``(id, at, text)`` a new time and text; summaries are the
        caller's to refresh."""
        with self.write():
            self._touches_changing()
            self.conn.executemany(
                "UPDATE touches SET at = ?, text = ? WHERE id = ?",
                [(to_stored(at), text, touch_id) for touch_id, at, text in changes],
            )

    def next_meeting(self, after: datetime) -> tuple[int, str, datetime] | None:
        """The first meeting after ``after``: ``(contact id, name, start)``."""
        row = self.one(
            "SELECT t.contact_id, c.name, t.at FROM touches t"
            " JOIN contacts c ON c.id = t.contact_id"
            " WHERE t.at > ? AND t.channel = 'meeting' ORDER BY t.at, t.id LIMIT 1",
            (to_stored(after),),
        )
        if row is None:
            return None
        at = from_stored(row["at"])
        assert at is not None
        return row["contact_id"], row["name"], at
