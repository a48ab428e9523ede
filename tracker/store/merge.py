"""Moving everything recorded about one contact to another (a merge), and snapshots that
put contacts back exactly (the undo of a merge or a delete).

Both work on every table that refers to a contact, found from the schema's foreign keys,
so a table added later moves and comes back without this file knowing it. The summary
(``contact_state``) is never copied: it is recomputed from the touches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import NotFoundError
from tracker.store.identifiers import IdentifiersMixin
from tracker.store.touches import TouchesMixin
from tracker.timeutil import stamp

SUMMARY_TABLE = "contact_state"


@dataclass(frozen=True)
class ContactSnapshot:
    """A contact's row and every row that refers to it, as stored; the touches only when
    ``with_touches`` (a merge leaves the kept contact's own touches alone)."""

    contact: dict[str, Any]
    tables: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    with_touches: bool = True

    @property
    def contact_id(self) -> int:
        return int(self.contact["id"])

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The snapshot's rows of ``table`` (none when it holds no such table)."""
        found = self.tables.get(table)
        return found[1] if found else []


class MergeMixin(IdentifiersMixin, TouchesMixin):
    """Merging two contacts and snapshots of contacts, over every table referring to one."""

    _contact_tables: list[tuple[str, str]] | None = None

    def contact_tables(self) -> list[tuple[str, str]]:
        """``(table, column)`` of every reference to ``contacts(id)``, the summary aside."""
        if self._contact_tables is None:
            found = []
            names = [
                r[0]
                for r in self.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            for table in names:
                for ref in self.execute(f"PRAGMA foreign_key_list([{table}])"):
                    if ref[2] == "contacts" and table != SUMMARY_TABLE:
                        found.append((table, ref[3]))
            self._contact_tables = found
        return self._contact_tables

    # -- snapshots -----------------------------------------------------------------
    def contact_snapshot(self, contact_id: int, with_touches: bool = True) -> ContactSnapshot:
        """Everything stored about the contact, to put back with ``restore_contacts``."""
        row = self.one("SELECT * FROM contacts WHERE id = ?", (contact_id,))
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        tables = {}
        for table, column in self.contact_tables():
            if table == "touches" and not with_touches:
                continue
            rows = self.rows(f"SELECT * FROM [{table}] WHERE [{column}] = ?", (contact_id,))
            tables[table] = (column, rows)
        return ContactSnapshot(row, tables, with_touches)

    def restore_contacts(self, snapshots: Sequence[ContactSnapshot]) -> None:
        """Put each contact back as its snapshot holds it, in order, in one transaction:
        its row (made again if deleted) and its rows in every other table (rows that moved
        to another contact since come back, by their keys). Summaries are recomputed."""
        with self.write():
            for snapshot in snapshots:
                self._restore(snapshot)
            self.refresh_state([s.contact_id for s in snapshots])

    def _restore(self, snapshot: ContactSnapshot) -> None:
        row = snapshot.contact
        contact_id = snapshot.contact_id
        exists = self.scalar("SELECT 1 FROM contacts WHERE id = ?", (contact_id,))
        columns = list(row)
        if exists:
            # Free the unique identifiers first: the row is rewritten whole below.
            self.execute(
                "UPDATE contacts SET phone = NULL, email = NULL, linkedin_url = NULL WHERE id = ?",
                (contact_id,),
            )
            for table, (column, _) in snapshot.tables.items():
                self.execute(f"DELETE FROM [{table}] WHERE [{column}] = ?", (contact_id,))
            assignments = ", ".join(f"[{c}] = ?" for c in columns if c != "id")
            self.execute(
                f"UPDATE contacts SET {assignments} WHERE id = ?",
                (*(row[c] for c in columns if c != "id"), contact_id),
            )
        else:
            self.execute(
                f"INSERT INTO contacts ({', '.join(f'[{c}]' for c in columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                tuple(row.values()),
            )
        for table, (_, rows) in snapshot.tables.items():
            for values in rows:
                names = ", ".join(f"[{c}]" for c in values)
                self.execute(
                    f"INSERT OR REPLACE INTO [{table}] ({names})"
                    f" VALUES ({', '.join('?' * len(values))})",
                    tuple(values.values()),
                )

    # -- merging -------------------------------------------------------------------
    def merge_contacts(self, keep: int, other: int, fill: Mapping[str, Any]) -> dict[str, int]:
        """Move every row referring to ``other`` to ``keep`` (a row ``keep`` already has
        the like of, such as the same tag, stays with ``keep``), give ``other``'s phones
        and emails to ``keep`` (its primaries stay primary only where ``keep`` has none),
        delete ``other``, set ``fill`` on ``keep`` and recompute its summary. Returns how
        many rows of each table moved."""
        moved: dict[str, int] = {}
        with self.write():
            for kind in ("phone", "email"):
                if self.scalar(
                    "SELECT 1 FROM contact_identifiers WHERE contact_id = ? AND kind = ?",
                    (keep, kind),
                ):
                    self.execute(
                        "UPDATE contact_identifiers SET is_primary = 0"
                        " WHERE contact_id = ? AND kind = ?",
                        (other, kind),
                    )
            for table, column in self.contact_tables():
                cursor = self.execute(
                    f"UPDATE OR IGNORE [{table}] SET [{column}] = ? WHERE [{column}] = ?",
                    (keep, other),
                )
                moved[table] = cursor.rowcount
            self.execute("DELETE FROM contacts WHERE id = ?", (other,))
            for kind in ("phone", "email"):
                self.mirror_primary(keep, kind)
            if fill:
                assignments = ", ".join(f"[{k}] = ?" for k in fill)
                self.execute(
                    f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?",
                    (*fill.values(), stamp(), keep),
                )
            self.refresh_state([keep])
        return moved
