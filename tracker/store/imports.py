"""Reads and writes the importers need beyond the bulk paths: every contact's fillable
fields at once, outbound invitations for matching, and invitation status changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.store.base import StoreBase
from tracker.store.touches import TouchesMixin

FILLABLE_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin_url",
    "notes",
)


class ImportsMixin(TouchesMixin, StoreBase):
    """One query per need, never one per imported row."""

    def fillable_fields(self) -> dict[int, dict[str, Any]]:
        """Each contact's enrichable fields and opt-out time, by id."""
        columns = ", ".join(FILLABLE_FIELDS)
        found: dict[int, dict[str, Any]] = {}
        cursor = self.execute(f"SELECT id, {columns}, sms_opt_out_at FROM contacts")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            record = dict(zip(names, row, strict=True))
            found[record.pop("id")] = record
        return found

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
