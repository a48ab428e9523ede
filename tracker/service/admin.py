"""Housekeeping through the door: what the database holds, its schema, safe copies, and
deleting a contact with everything recorded about them."""

from __future__ import annotations

from pathlib import Path

from tracker.errors import RefusedError, UsageError
from tracker.models import Contact
from tracker.service.base import ServiceBase
from tracker.store import backup_copy


class AdminMixin(ServiceBase):
    """Counts, schema steps, backups and deleting contacts."""

    def counts(self) -> dict[str, int]:
        """How many contacts and touches the database holds."""
        return self.store.counts()

    def schema_steps(self) -> list[str]:
        """The names of the schema steps applied to this file."""
        return self.store.schema_steps()

    def backup(self, target: Path) -> Path:
        """Copy the database to ``target`` (a new file) safely, even while another
        process writes to it; returns where the copy went."""
        if target.exists():
            raise RefusedError(f"{target}: already exists; choose a new file name")
        if not target.parent.exists():
            raise UsageError(f"{target.parent}: no such folder")
        made = backup_copy(self.store.conn, target.with_suffix(""), "backup")
        made.rename(target)
        return target

    def delete_contact(self, contact: Contact) -> int:
        """Delete the contact and everything recorded about them; returns how many
        touches went with them."""
        count = len(self.store.touches_for(contact.id))
        self.store.delete_contact(contact.id)
        return count
