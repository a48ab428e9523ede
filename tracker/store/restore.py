"""Exact restores of earlier values, so the app can undo its last change."""

from __future__ import annotations

from datetime import date, datetime

from tracker.models import Kind
from tracker.store.base import StoreBase
from tracker.timeutil import stamp, to_stored


class RestoreMixin(StoreBase):
    """Restoring a previous value exactly, so the app can undo its last change."""

    def restore_consent(
        self, contact_id: int, opt_in_at: datetime | None, opt_out_at: datetime | None
    ) -> None:
        """Put both SMS consent moments back as they were (``None`` clears one)."""
        with self.write():
            self.execute(
                "UPDATE contacts SET sms_opt_in_at = ?, sms_opt_out_at = ?, updated_at = ?"
                " WHERE id = ?",
                (
                    to_stored(opt_in_at) if opt_in_at else None,
                    to_stored(opt_out_at) if opt_out_at else None,
                    stamp(),
                    contact_id,
                ),
            )

    def snoozed_until(self, contact_id: int, kind: Kind) -> date | None:
        """The date a snooze of this contact's item runs to, expired or not."""
        value = self.scalar(
            "SELECT until FROM snoozes WHERE contact_id = ? AND kind = ?",
            (contact_id, kind.value),
        )
        return date.fromisoformat(value) if value else None
