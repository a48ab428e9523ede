"""Touches going into the store during an import, by the thousand, and the summaries of
the contacts they touch, refreshed once at the end of the file rather than per touch.

A contact created by this import has no history but what the import adds, so its
summary is folded from the rows as they stream past (``HistoryFold`` keeps only what
the summary reads, so memory stays flat whatever the file's size) and nothing is read
back. Every other contact that gained a touch is refreshed from the store at the end.
Where the fold cannot be sure (a batch in which some rows were stored already, so their
ids are unknown, or rows out of order around a long unanswered run), that contact is
refreshed from the store too: the summaries are exactly those a full refresh writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.store import Store
from tracker.store.base import stamp
from tracker.store.history import HistoryFold

TouchRow = tuple[Any, ...]
"""A touch as ``touch_row`` builds it: values in ``TOUCH_COLUMNS`` order, as stored."""

BATCH = 5000


class TouchWriter:
    """Batched inserts for one import, and which summaries they leave to refresh."""

    def __init__(self, store: Store, first_new_contact: int):
        self.store = store
        self.first_new = first_new_contact
        """Contacts from this id on were created by this import."""
        self.created_at = stamp()
        self.added = 0
        self.attempted = 0
        self.stale: set[int] = set()
        self.folds: dict[int, HistoryFold] = {}
        self.unsure: set[int] = set()
        self._last_id = store.last_touch_id()

    def insert(self, batch: list[TouchRow]) -> int:
        """Insert ``batch`` (its contacts already written); returns how many were added."""
        if not batch:
            return 0
        added = self.store.insert_touch_rows(batch, self.created_at)
        self.attempted += len(batch)
        self.added += added
        if not added:
            return 0  # every row was stored already: no summary changes
        first = self._last_id + 1
        self._last_id = self.store.last_touch_id()
        if added == len(batch) and self._last_id == first + added - 1:
            # SQLite numbered the rows one after another, in order.
            for touch_id, row in enumerate(batch, start=first):
                self._fold(touch_id, row)
            return added
        for row in batch:  # which rows went in is unknown: refresh their contacts whole
            self._unsure(row[0])
        return added

    def _fold(self, touch_id: int, row: TouchRow) -> None:
        contact_id = row[0]
        if contact_id < self.first_new or contact_id in self.unsure:
            self.stale.add(contact_id)
            return
        fold = self.folds.get(contact_id)
        if fold is None:
            fold = self.folds[contact_id] = HistoryFold(contact_id)
        if not fold.add((touch_id, *row[:11])):
            self._unsure(contact_id)

    def _unsure(self, contact_id: int) -> None:
        self.stale.add(contact_id)
        if contact_id >= self.first_new:
            self.unsure.add(contact_id)
            self.folds.pop(contact_id, None)

    def insert_all(self, rows: Iterable[TouchRow]) -> int:
        """Insert ``rows`` in batches; returns how many were added."""
        added = 0
        batch: list[TouchRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                added += self.insert(batch)
                batch = []
        return added + self.insert(batch)

    def finish(self, new_contacts: Iterable[int]) -> None:
        """Write the summaries: folded ones for the contacts this import created (empty
        for those without touches), refreshed ones for the rest."""
        new = set(new_contacts)
        states = []
        empty = []
        for contact_id in sorted(new - self.unsure):
            fold = self.folds.pop(contact_id, None)
            if fold is None:
                empty.append(contact_id)
            else:
                states.append(fold.summary())
        self.store.write_states(states, empty)
        self.store.refresh_state(new & self.unsure)
        self.store.mark_stale(sorted(self.stale - new))
        self.store.refresh_stale()
