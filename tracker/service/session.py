"""The app's session with its database: a ``Tracker`` behind a lock, for worker threads.

Every method may wait on the disk, so screens call them from thread workers only, never
from the event loop. Each write remembers how to take itself back (``undo``); the queue
snapshot remembers what today's queue held last, so ``Tracker.day`` can count what the
user dealt with since ("done / total" in the header, across restarts); a screen's
first reads may be made ahead while it is built (``read_ahead``); and
``changed_elsewhere`` tells, cheaply and without waiting, whether another program wrote
to the database since it last asked.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.config import Settings
from tracker.service.day import QueueSnapshot
from tracker.service.edits import UndoStep
from tracker.service.tracker import Tracker
from tracker.timeutil import local_tz
from tracker.words import closed_words

if TYPE_CHECKING:
    from tracker.models import ContactRow, ReviewItem
    from tracker.search import ContactMatch, SearchResults
    from tracker.service.batch import Batch
    from tracker.service.reads import ContactDetail

UNDO_DEPTH = 50


class Session:
    """A tracker on ``db_path`` shared by the app's worker threads."""

    def __init__(
        self,
        db_path: Path,
        settings: Settings,
        now: Callable[[], datetime],
        demo: bool = False,
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self.now = now
        self.demo = demo
        self._lock = threading.RLock()
        self._tracker: Tracker | None = None
        self._undo: list[UndoStep] = []
        self._seq = itertools.count(1)
        self._last: QueueSnapshot | None = None
        """The last snapshot of the queue: what the next one counts as done."""
        self._early: dict[tuple[Any, ...], Any] = {}
        """Reads made ahead of their screen (``read_ahead``), each taken once."""
        self._seen_version: int | None = None
        """The database's ``data_version`` as this session last saw it."""

    # -- plumbing ------------------------------------------------------------------
    @property
    def tracker(self) -> Tracker:
        with self._lock:
            if self._tracker is None:
                self._tracker = Tracker.open(self.db_path, self.settings)
                # What other programs write from now on is "elsewhere".
                self._seen_version = self._tracker.data_version()
            return self._tracker

    @property
    def tz(self) -> tzinfo:
        return self.tracker.tz

    def close(self) -> None:
        with self._lock:
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None
                self._seen_version = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Tracker]:
        """The tracker, under the lock. A SQLite failure inside (a damaged page met by a
        read) comes out as the store's one-line ``StoreError``, which screens show."""
        with self._lock:
            tracker = self.tracker
            with tracker.store.translating_errors():
                yield tracker

    def run(self, job: Callable[[Tracker], Any]) -> Any:
        """Run ``job`` with the tracker, holding the lock."""
        with self._locked() as tracker:
            return job(tracker)

    def write(self, label: str, job: Callable[[Tracker], UndoStep | None]) -> str:
        """Run a write; remember its undo step. Returns ``label`` for the user."""
        with self._locked() as tracker:
            self._early.clear()
            step = job(tracker)
            if step is not None:
                self._undo.append(step)
                del self._undo[:-UNDO_DEPTH]
            return label

    def changed_elsewhere(self) -> bool:
        """Whether another program (the CLI, an import, a second app) wrote to the database
        since the last ask. Never waits: while this session is busy (or not open yet) it
        says no, and the next ask tells. What it read ahead is dropped on a change."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            tracker = self._tracker
            if tracker is None:
                return False
            with tracker.store.translating_errors():
                version = tracker.data_version()
            changed = self._seen_version is not None and version != self._seen_version
            self._seen_version = version
            if changed:
                self._early.clear()
            return changed
        finally:
            self._lock.release()

    def write_batch(self, job: Callable[[Tracker], Batch], said: Callable[[Batch], str]) -> str:
        """Run a bulk action; remember its one undo step (for the whole batch). Returns
        what ``said`` makes of the result, for the user."""
        with self._locked() as tracker:
            self._early.clear()
            batch = job(tracker)
            if batch.undo is not None:
                self._undo.append(batch.undo)
                del self._undo[:-UNDO_DEPTH]
            return said(batch)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str:
        """Take back the last change; returns what was undone."""
        with self._locked() as tracker:
            if not self._undo:
                return "Nothing to undo."
            step = self._undo.pop()
            self._early.clear()
            step.revert(tracker)
            # What an undo makes vanish was never dealt with: don't count it as done.
            self._last = None
            return f"Undone: {step.label}"

    # -- reads ---------------------------------------------------------------------
    def is_empty(self) -> bool:
        return bool(self.run(lambda t: t.is_empty()))

    def theme(self) -> str | None:
        return self.run(lambda t: t.theme())

    def set_theme(self, name: str) -> None:
        self.run(lambda t: t.set_theme(name))

    def snapshot(self) -> QueueSnapshot:
        """Today's queue, and how many of today's items are no longer in it (done)."""
        with self._locked() as tracker:
            day = tracker.day(tracker.clock(self.now()), self._last)
            self._last = day
            return replace(day, seq=next(self._seq))

    def read_ahead(self, search: str, sort: str, descending: bool, limit: int) -> None:
        """Count and read the first page of a contacts list now, as the app opens on
        Contacts (SQLite sorts while the screen is built); the list's first asks take
        them. A write in between drops them."""
        with self._lock:
            count = self.count_contacts(search)
            page = self.contacts_page(search, sort, descending, 0, limit)
            self._early[("count", search)] = count
            self._early[("page", search, sort, descending, 0, limit)] = page

    def count_contacts(self, search: str = "") -> int:
        with self._lock:
            if (early := self._early.pop(("count", search), None)) is not None:
                return int(early)
        return int(self.run(lambda t: t.count_contacts(search)))

    def contacts_page(
        self, search: str, sort: str, descending: bool, offset: int, limit: int
    ) -> list[ContactRow]:
        with self._lock:
            key = ("page", search, sort, descending, offset, limit)
            if (early := self._early.pop(key, None)) is not None:
                return list(early)
        return list(self.run(lambda t: t.contacts_page(search, sort, descending, offset, limit)))

    def find_contacts(self, query: str, limit: int = 20) -> list[ContactRow]:
        """The contacts matching every word of ``query`` (as ``Tracker.search`` finds
        them), best first."""
        if not query.strip():
            return []
        return [match.row for match in self.search_contacts(query.strip(), "", False, 0, limit)]

    def search(self, text: str, limit: int = 20, per_contact: bool = False) -> SearchResults:
        """The best matches of ``text`` among contacts and touches (``Tracker.search``)."""
        return self.run(lambda t: t.search(text, limit, per_contact))

    def search_contacts(
        self, text: str, sort: str, descending: bool, offset: int, limit: int
    ) -> list[ContactMatch]:
        """One page of the contacts list for a search: the contacts matching ``text``, each
        with the match that found it, best first (or sorted by ``sort``)."""
        found = self.run(
            lambda t: t.search_contacts(text, offset + limit, "", "", sort, descending)
        )
        return list(found[offset:])

    def contact_position(
        self, contact_id: int, search: str, sort: str, descending: bool
    ) -> int | None:
        return self.run(lambda t: t.contact_position(contact_id, search, sort, descending))

    def contact_detail(self, contact_id: int) -> ContactDetail:
        return self.run(lambda t: t.contact_detail(contact_id, t.clock(self.now())))

    # -- settings ------------------------------------------------------------------
    def set_setting(self, key: str, value: str) -> Settings:
        """Write one setting to ``config.toml`` (``config_write.set_setting``: checked as
        the file is, the rest of the file kept) and use it from now on; returns the
        settings in force. ``UsageError`` for a bad key or value, nothing written."""
        from tracker.config_write import set_setting

        with self._lock:
            written = set_setting(key, value)
            self.use_settings(replace(self.settings, **{written.name: written.value}))
            return self.settings

    def use_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on (the tracker's rules and the coach read them)."""
        with self._lock:
            self.settings = settings
            if self._tracker is not None:
                self._tracker.settings = settings
                self._tracker.tz = local_tz(settings.timezone)

    # -- writes beyond the undoable ones -------------------------------------------
    def seed_demo(self) -> int:
        """Fill this (empty, demo) database with the demo people."""
        from tracker.demo import build_demo

        return int(self.run(lambda t: build_demo(t, self.now())))

    def close_review(self) -> str:
        """Close today's review with today's counts; says the streak."""

        def job(tracker: Tracker) -> str:
            snapshot = self.snapshot()
            streak = tracker.close_review(snapshot.today, snapshot.done, snapshot.left)
            return closed_words(snapshot.done, streak)

        return str(self.run(job))

    def export_csv(self, what: str, target: Path, items: Sequence[ReviewItem]) -> int:
        """Write ``what`` (contacts, touches, or the queue ``items``) to ``target`` as CSV;
        returns the number of rows written. The file appears only once complete.

        Contacts and touches are read through a tracker of their own, so a long export
        does not hold up the app's other reads."""
        from tracker.export import REVIEW_COLUMNS, export_file, review_rows

        if what == "queue":
            filled = self.run(lambda t: t.with_messages(items))
            return export_file(target, REVIEW_COLUMNS, review_rows(filled, self.tz))
        tracker = Tracker.open(self.db_path, self.settings)
        try:
            header, rows = tracker.export_rows(what)
            return export_file(target, header, rows)
        finally:
            tracker.close()
