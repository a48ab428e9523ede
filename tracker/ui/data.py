"""The app's one door to the database: a ``Tracker`` behind a lock, for worker threads.

Every method may wait on the disk, so screens call them from thread workers only, never
from the event loop. Each write remembers how to take itself back (``undo``), and the
queue snapshot tracks which of today's items the user has dealt with, so the header can
say "done / total" across restarts.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from tracker.config import Settings
from tracker.models import (
    Contact,
    ContactRow,
    ContactState,
    Kind,
    ReviewItem,
    Touch,
)
from tracker.review import build_queue, items_for
from tracker.service import Tracker

UNDO_DEPTH = 50
THEME_KEY = "app.theme"


@dataclass(frozen=True)
class QueueEntry:
    """One review item with the preview of the contact's last message."""

    item: ReviewItem
    preview: str = ""
    preview_out: bool = False

    @property
    def key(self) -> str:
        return f"{self.item.contact_id}:{self.item.kind.value}"


@dataclass(frozen=True)
class QueueSnapshot:
    """Today's queue as of one moment, with the day's progress and the streak."""

    seq: int
    today: date
    entries: tuple[QueueEntry, ...]
    done: int
    streak: int
    closed: bool

    @property
    def left(self) -> int:
        return len(self.entries)

    @property
    def total(self) -> int:
        return self.done + self.left


@dataclass(frozen=True)
class ContactDetail:
    contact: Contact
    touches: tuple[Touch, ...]
    state: ContactState
    due: tuple[ReviewItem, ...]


@dataclass(frozen=True)
class UndoStep:
    label: str
    revert: Callable[[Tracker], None]


class Data:
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
        self._seen: tuple[date, set[str]] | None = None
        self._early: dict[tuple[Any, ...], Any] = {}
        """Reads made ahead of their screen (``read_ahead``), each taken once."""

    # -- plumbing ------------------------------------------------------------------
    @property
    def tracker(self) -> Tracker:
        with self._lock:
            if self._tracker is None:
                self._tracker = Tracker.open(self.db_path, self.settings)
            return self._tracker

    @property
    def tz(self) -> tzinfo:
        return self.tracker.tz

    def today(self) -> date:
        return self.tracker.clock(self.now()).today

    def close(self) -> None:
        with self._lock:
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None

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
            self._seen = None
            return f"Undone: {step.label}"

    # -- reads ---------------------------------------------------------------------
    def is_empty(self) -> bool:
        return bool(self.run(lambda t: t.store.is_empty()))

    def theme(self) -> str | None:
        return self.run(lambda t: t.store.get_setting(THEME_KEY))

    def set_theme(self, name: str) -> None:
        self.run(lambda t: t.store.set_setting(THEME_KEY, name))

    def snapshot(self) -> QueueSnapshot:
        """Today's queue, and which of today's items are no longer in it (done)."""
        with self._locked() as tracker:
            store = tracker.store
            clock = tracker.clock(self.now())
            entries = store.review_entries(clock, self.settings)
            items = build_queue(entries, clock, self.settings, store.active_snoozes(clock.today))
            states = {contact.id: state for contact, state in entries}
            queue = tuple(_entry(item, states.get(item.contact_id)) for item in items)
            keys = {entry.key for entry in queue}
            done_key = f"app.review_done.{clock.today.isoformat()}"
            done = set(json.loads(store.get_setting(done_key) or "[]"))
            before = set(done)
            if self._seen is not None and self._seen[0] == clock.today:
                done |= self._seen[1] - keys
            done -= keys
            if done != before:
                store.set_setting(done_key, json.dumps(sorted(done)))
            self._seen = (clock.today, keys)
            return QueueSnapshot(
                seq=next(self._seq),
                today=clock.today,
                entries=queue,
                done=len(done),
                streak=store.streak(clock.today),
                closed=store.is_closed(clock.today),
            )

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
        return int(self.run(lambda t: t.store.count_contacts(search=search)))

    def contacts_page(
        self, search: str, sort: str, descending: bool, offset: int, limit: int
    ) -> list[ContactRow]:
        with self._lock:
            key = ("page", search, sort, descending, offset, limit)
            if (early := self._early.pop(key, None)) is not None:
                return list(early)
        return list(
            self.run(
                lambda t: t.store.list_contacts(
                    search=search, sort=sort, descending=descending, limit=limit, offset=offset
                )
            )
        )

    def find_contacts(self, query: str, limit: int = 20) -> list[ContactRow]:
        """Contacts whose name, company, phone, email, title or tag contain ``query``."""
        if not query.strip():
            return []
        return self.contacts_page(query.strip(), "name", False, 0, limit)

    def contact(self, contact_id: int) -> Contact:
        return self.run(lambda t: t.store.get_contact(contact_id))

    def contact_detail(self, contact_id: int) -> ContactDetail:
        def job(tracker: Tracker) -> ContactDetail:
            store = tracker.store
            contact = store.get_contact(contact_id)
            state = store.state_of(contact_id)
            clock = tracker.clock(self.now())
            due = items_for(contact, state, clock, self.settings, store.active_snoozes(clock.today))
            touches = tuple(store.touches_for(contact_id, newest_first=True))
            return ContactDetail(contact, touches, state, tuple(due))

        return self.run(job)

    def seed_demo(self) -> int:
        """Fill this (empty, demo) database with the demo people."""
        from tracker.demo import build_demo

        return int(self.run(lambda t: build_demo(t, self.now())))

    def close_review(self) -> str:
        def job(tracker: Tracker) -> str:
            snapshot = self.snapshot()
            tracker.store.close_review(snapshot.today, snapshot.done, snapshot.left)
            streak = tracker.store.streak(snapshot.today)
            return f"Review closed. Streak: {streak} day{'s' if streak != 1 else ''}."

        return str(self.run(job))

    def follow_up_in(self, days: int) -> date:
        return self.today() + timedelta(days=days)


def _entry(item: ReviewItem, state: ContactState | None) -> QueueEntry:
    if item.last_message:
        return QueueEntry(item, item.last_message, True)
    if state is not None and state.last_message:
        return QueueEntry(item, state.last_message, state.last_message_out)
    return QueueEntry(item)


def kind_key(contact_id: int, kind: Kind) -> str:
    return f"{contact_id}:{kind.value}"
