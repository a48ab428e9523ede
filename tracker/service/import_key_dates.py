"""The key dates an import brings (a birthday from vCard ``BDAY``, Google's or Outlook's
"Birthday", our own export's ``key_dates``): read leniently (an unreadable one is
counted, never fatal) and kept by the enrichment rule, a label a contact has already is
never overwritten."""

from __future__ import annotations

from collections import Counter

from tracker.key_dates import read_file_key_dates
from tracker.store.key_dates import KeyDateRow, key_date_row


class KeyDatePlan:
    """Which key dates one import adds: ``held`` is every ``(contact id, label)`` the
    database has (and the import has added so far)."""

    def __init__(self, held: set[tuple[int, str]], dropped: Counter[str]) -> None:
        self.held = held
        self.dropped = dropped
        self.pending: list[KeyDateRow] = []
        """Rows for contacts not written yet (``ImportSession.flush`` writes them)."""

    def rows(self, contact_id: int, text: str) -> list[KeyDateRow]:
        """The rows to add for ``contact_id`` from a file's cell ``text``: the labels it
        has none of yet."""
        if not text.strip():
            return []
        found, unreadable = read_file_key_dates(text)
        if unreadable:
            self.dropped["unreadable key date"] += unreadable
        rows = []
        for key_date in found:
            if (contact_id, key_date.label) not in self.held:
                self.held.add((contact_id, key_date.label))
                rows.append(key_date_row(contact_id, key_date))
        return rows
