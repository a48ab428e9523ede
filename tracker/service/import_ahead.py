"""The scheduled meetings a calendar imported earlier, for the next import of it.

``MeetingsAhead`` holds the meetings after the import's clock stored under a source
prefix, so that a file which moved one moves it (its record then counts added:
``Changed``) and a file which cancelled one removes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.models import TOUCH_COLUMNS
from tracker.service.import_writer import TouchRow

if TYPE_CHECKING:
    from tracker.service.imports import ImportSession

_SOURCE = TOUCH_COLUMNS.index("source")
_TEXT = TOUCH_COLUMNS.index("text")


class MeetingsAhead:
    """Meetings after the import's clock stored under ``prefix``, by source: a later
    file may move one (``move``) or cancel it (``cancel``)."""

    def __init__(self, session: ImportSession, prefix: str) -> None:
        self.session = session
        session.writer.wait()
        self.stored: dict[str, dict[str, Any]] = session.store.touches_ahead(prefix, session.now)
        self._moves: list[tuple[int, datetime, str | None]] = []
        self._drops: list[int] = []
        self.moved = 0
        self.cancelled = 0

    def move(self, row: TouchRow, at: datetime) -> bool:
        """When ``row``'s meeting is stored ahead at another time, move it there (its
        text too) and say so."""
        found = self.stored.get(row[_SOURCE])
        if found is None or found["at"] == at:
            return False
        self._moves.append((found["id"], at, row[_TEXT]))
        self.session.writer.folds.unsure_of(found["contact_id"])
        found["at"] = at
        self.moved += 1
        return True

    def cancel(self, prefix: str) -> int:
        """Remove the meetings ahead whose source starts with ``prefix`` (an occurrence
        cancelled since it was imported); how many."""
        gone = [source for source in self.stored if source.startswith(prefix)]
        for source in gone:
            found = self.stored.pop(source)
            self._drops.append(found["id"])
            self.session.writer.folds.unsure_of(found["contact_id"])
        self.cancelled += len(gone)
        return len(gone)

    def apply(self) -> None:
        """Write the moves and removals (the summaries are refreshed at the end)."""
        store = self.session.store
        self.session.writer.wait()
        if self._moves:
            store.move_touches(self._moves)
        if self._drops:
            store.delete_touches(self._drops)
        self._moves, self._drops = [], []
