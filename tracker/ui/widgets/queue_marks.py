"""Marking entries of the review queue to act on them together: one at a time, a range
that follows the cursor (``toggle_range``), or a whole group. Marks are entry keys, so
they survive a new snapshot.

A base of ``QueueList``, which keeps the cursor and the entries, draws the marks, and says
when they change (``QueueList.MarksChanged``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.service.day import QueueEntry


class QueueMarks:
    """The marks of a ``QueueList``, and the range being marked."""

    marked: set[str]
    """The keys of the entries marked."""
    _anchor: str | None
    """While a range is being marked: the key of the entry it started on."""
    _before_range: set[str]
    """While a range is being marked: the marks from before it."""

    if TYPE_CHECKING:  # the list's, which this part reads
        entries: tuple[QueueEntry, ...]
        grouped: bool
        cursor: int

        @property
        def current(self) -> QueueEntry | None: ...

        def _marks_changed(self) -> None: ...

    def _init_marks(self) -> None:
        self.marked = set()
        self._anchor = None
        self._before_range = set()

    @property
    def ranging(self) -> bool:
        """Whether a range is being marked (it follows the cursor)."""
        return self._anchor is not None

    def marked_entries(self) -> list[QueueEntry]:
        """The entries shown that are marked, in list order."""
        return [entry for entry in self.entries if entry.key in self.marked]

    def toggle_mark(self) -> None:
        """Mark the entry under the cursor, or unmark it."""
        entry = self.current
        if entry is None:
            return
        self._anchor = None
        self.marked.symmetric_difference_update({entry.key})
        self._marks_changed()

    def toggle_range(self) -> None:
        """Start marking a range at the cursor (it follows the cursor), or end it."""
        entry = self.current
        if self._anchor is not None or entry is None:
            self._anchor = None
        else:
            self._anchor = entry.key
            self._before_range = set(self.marked)
            self._extend_range(notify=False)
        self._marks_changed()

    def _extend_range(self, notify: bool = True) -> None:
        start = next((i for i, e in enumerate(self.entries) if e.key == self._anchor), None)
        if start is None or self.current is None:
            self._anchor = None
        else:
            low, high = sorted((start, self.cursor))
            span = {entry.key for entry in self.entries[low : high + 1]}
            self.marked = self._before_range | span
        if notify:
            self._marks_changed()

    def toggle_group(self) -> None:
        """Mark every entry of the cursor's group (every entry when not grouped); when
        they are all marked already, unmark them."""
        entry = self.current
        if entry is None:
            return
        self._anchor = None
        kind = entry.item.kind
        group = {e.key for e in self.entries if not self.grouped or e.item.kind is kind}
        if group <= self.marked:
            self.marked -= group
        else:
            self.marked |= group
        self._marks_changed()

    def clear_marks(self) -> bool:
        """Unmark everything (and end a range); whether anything was marked."""
        had = bool(self.marked) or self._anchor is not None
        self.marked = set()
        self._anchor = None
        if had:
            self._marks_changed()
        return had

    def keep_marks(self, keys: set[str]) -> None:
        """Forget the marks of entries that are no longer in the queue at all."""
        if not self.marked <= keys:
            self.marked &= keys
            self._marks_changed()
