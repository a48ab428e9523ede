"""What an import of calls, mail, calendars or chats has stored before, by touch source.

``Ledger`` reads every source under the import's prefix once, so that each record of a
re-imported file is counted once as "already imported" (a message to three contacts is
one record, three touches), and each record that adds anything counts as imported: the
summary adds up. ``Ahead`` holds the meetings after the import's clock that a calendar
imported earlier, so that a file which moved or cancelled one changes or removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tracker.models import TOUCH_COLUMNS
from tracker.service.import_writer import TouchRow

if TYPE_CHECKING:
    from tracker.service.imports import ImportSession

_SOURCE = TOUCH_COLUMNS.index("source")
_AT = TOUCH_COLUMNS.index("at")
_TEXT = TOUCH_COLUMNS.index("text")


class Ledger:
    """The sources stored under ``prefix``, and those this import adds."""

    def __init__(self, session: ImportSession, prefix: str) -> None:
        self.session = session
        self.summary = session.summary
        session.writer.wait()
        self.known = session.store.touch_sources(prefix)

    def record(
        self, rows: Sequence[TouchRow], skip_as: str = "", changed: bool = False
    ) -> list[TouchRow]:
        """The rows of one record not stored yet (each source once), and the record
        counted: imported when any row is new (or it ``changed`` a stored one), "already
        imported" when none is, under ``skip_as`` when it has no rows at all (nothing
        counted without one)."""
        if not rows:
            if skip_as:
                self.summary.skipped[skip_as] += 1
            return []
        fresh = []
        for row in rows:
            source = row[_SOURCE]
            if source not in self.known:
                self.known.add(source)
                fresh.append(row)
        if fresh or changed:
            self.summary.imported += 1
        else:
            self.summary.skipped["already imported"] += 1
        return fresh


class Ahead:
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
        self.session.writer.stale.add(found["contact_id"])
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
            self.session.writer.stale.add(found["contact_id"])
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
