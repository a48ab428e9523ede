"""Touches going into the store during an import, by the thousand, and the summaries of
the contacts they touch, refreshed once at the end of the file rather than per touch.

Each batch goes in on a worker thread, as one SQLite statement (the interpreter lock is
free meanwhile) while the importer reads the next batch: SQLite's index updates and
Python's parsing share the two cores instead of taking turns. Only one of them uses the
connection at a time: the importer waits for the batch in flight (``wait``) before it
writes anything else, and ``close`` waits for it whatever happens.

A contact created by this import has no history but what the import adds, so its
summary is folded from the rows as they stream past (``HistoryFold`` keeps only what
the summary reads, so memory stays flat whatever the file's size) and nothing is read
back; so are the facts of its messages (``ReplyFold``: each written with the next
batch once its reply is known, the few still open at the end). Every other contact that
gained a touch is refreshed from the store at the end. Where the folds cannot be sure (a
batch in which some rows were stored already, so their ids are unknown, rows out of
order around a long unanswered run, or a row older than one already folded for the
facts), that contact is refreshed from the store too: the summaries and facts are
exactly those a full refresh writes.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from tracker.history import HistoryFold
from tracker.models import TOUCH_COLUMNS
from tracker.replies import Fact, ReplyFold
from tracker.store import Store
from tracker.timeutil import stamp

TouchRow = tuple[Any, ...]
"""A touch as ``touch_row`` builds it: values in ``TOUCH_COLUMNS`` order, as stored."""
Settled = Callable[[list[TouchRow], list[bool]], None]
"""Told, batch by batch and in order, which rows went in (``True``) and which were
stored already (``False``)."""
_SOURCE = TOUCH_COLUMNS.index("source")

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
        self.messages: dict[int, ReplyFold] = {}
        self.facts: list[Fact] = []
        """Facts of new contacts' messages whose touches are stored, not written yet."""
        self.unsure: set[int] = set()
        self._last_id = store.last_touch_id()
        self._pool: ThreadPoolExecutor | None = None
        self._job: tuple[list[TouchRow], Future[int]] | None = None
        self.settled: Settled | None = None
        """While set, told which rows of each batch went in (``insert_all`` sets it)."""

    def insert(self, batch: list[TouchRow]) -> None:
        """Start inserting ``batch`` (its contacts already written) on the worker thread,
        once the batch before it is in; ``wait`` settles it."""
        if not batch:
            return
        payload = json.dumps(batch, ensure_ascii=False)
        self.wait()
        facts = json.dumps(self.facts, ensure_ascii=False) if self.facts else ""
        self.facts.clear()  # the folds' sink: emptied in place
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        job = self._pool.submit(self._write, payload, facts)
        self._job = (batch, job)

    def _write(self, payload: str, facts: str) -> int:
        """On the worker thread: the facts settled so far, then the batch's touches."""
        if facts:
            self.store.insert_message_facts_json(facts)
        return self.store.insert_touch_json(payload, self.created_at)

    def wait(self) -> None:
        """Let the batch in flight finish (the connection is free again after this) and
        account for it. Any error it met is raised here."""
        if self._job is None:
            return
        batch, job = self._job
        self._job = None
        self._settle(batch, job.result())

    def close(self) -> None:
        """Wait for the batch in flight, whatever happened, and stop the worker thread."""
        try:
            if self._job is not None:
                wait([self._job[1]])
            self._job = None
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def _settle(self, batch: list[TouchRow], added: int) -> int:
        self.attempted += len(batch)
        self.added += added
        if not added:
            if self.settled is not None:
                self.settled(batch, [False] * len(batch))
            return 0  # every row was stored already: no summary changes
        first = self._last_id + 1
        self._last_id = self.store.last_touch_id()
        if self.settled is not None:
            self.settled(batch, self._went_in(batch, added, first))
        if added == len(batch) and self._last_id == first + added - 1:
            # SQLite numbered the rows one after another, in order.
            for touch_id, row in enumerate(batch, start=first):
                self._fold(touch_id, row)
            return added
        for row in batch:  # which rows went in is unknown: refresh their contacts whole
            self._unsure(row[0])
        return added

    def _went_in(self, batch: list[TouchRow], added: int, first: int) -> list[bool]:
        """Which rows of ``batch`` were added (its new touches are numbered from
        ``first``); a source twice in one batch went in once, the first time."""
        if added == len(batch):
            return [True] * len(batch)
        new = self.store.touch_sources_after(first - 1)
        flags = []
        for row in batch:
            source = row[_SOURCE]
            flags.append(source in new)
            new.discard(source)
        return flags

    def _fold(self, touch_id: int, row: TouchRow) -> None:
        contact_id = row[0]
        if contact_id < self.first_new or contact_id in self.unsure:
            self.stale.add(contact_id)
            return
        fold = self.folds.get(contact_id)
        if fold is None:
            fold = self.folds[contact_id] = HistoryFold(contact_id)
            messages = self.messages[contact_id] = ReplyFold(contact_id, self.facts)
        else:
            messages = self.messages[contact_id]
        stored = (touch_id, *row[:11])
        if not (fold.add(stored) and messages.add(stored)):
            self._unsure(contact_id)

    def _unsure(self, contact_id: int) -> None:
        self.stale.add(contact_id)
        if contact_id >= self.first_new:
            self.unsure.add(contact_id)
            self.folds.pop(contact_id, None)
            self.messages.pop(contact_id, None)

    def insert_all(self, rows: Iterable[TouchRow], settled: Settled | None = None) -> int:
        """Insert ``rows`` in batches, reading the next batch while the last goes in;
        returns how many were added. ``settled`` is told which rows went in."""
        before = self.added
        self.settled = settled
        try:
            batch: list[TouchRow] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    self.insert(batch)
                    batch = []
            self.insert(batch)
            self.wait()
        finally:
            self.settled = None
        return self.added - before

    def finish(self, new_contacts: Iterable[int]) -> None:
        """Write the summaries: folded ones for the contacts this import created (empty
        for those without touches), refreshed ones for the rest."""
        self.wait()
        new = set(new_contacts)
        states = []
        empty = []
        for contact_id in sorted(new - self.unsure):
            fold = self.folds.pop(contact_id, None)
            if fold is None:
                empty.append(contact_id)
            else:
                states.append(fold.summary())
                self.messages.pop(contact_id).finish()
        self.store.insert_message_facts(self.facts)
        self.facts.clear()
        self.store.write_states(states, empty)
        self.store.refresh_state(new & self.unsure)
        self.store.mark_stale(sorted(self.stale - new))
        self.store.refresh_stale()


class Changed(list[TouchRow]):
    """The touch rows of a record that changed a stored touch besides (a scheduled
    meeting a calendar moved): the record counts added even when none of its rows is
    new."""


class RecordLedger:
    """Touch rows grouped by the record read that gave them (a message to three contacts
    is one record, three rows), and, as the writer settles each batch, how many records
    added a touch (or, given as ``Changed``, changed one) and how many had all theirs
    stored already."""

    def __init__(self) -> None:
        self.added = 0
        self.already = 0
        self._open: deque[list[int]] = deque()
        """Per record not yet settled, in order: [rows in flight, whether any went in]."""

    def rows(self, records: Iterable[Sequence[TouchRow]]) -> Iterator[TouchRow]:
        """The rows of ``records``, one after another (a record with none is not one)."""
        for record in records:
            if record:
                self._open.append([len(record), int(isinstance(record, Changed))])
                yield from record

    def settled(self, batch: list[TouchRow], went_in: list[bool]) -> None:
        """``Settled``: the next rows in order, and whether each went in."""
        for flag in went_in:
            entry = self._open[0]
            entry[0] -= 1
            entry[1] |= flag
            if entry[0] == 0:
                self._open.popleft()
                if entry[1]:
                    self.added += 1
                else:
                    self.already += 1
