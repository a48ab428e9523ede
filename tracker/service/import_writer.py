"""Touches going into the store during an import, by the thousand, and the summaries of
the contacts they touch, refreshed once at the end of the file rather than per touch.

Each batch goes in on a worker thread, as a few SQLite statements (``touch_batch``: the
interpreter lock is free while they run) while the importer reads the next batch:
SQLite's work and Python's parsing share the two cores instead of taking turns. Only one
of them uses the connection at a time: the importer waits for the batch in flight
(``wait``) before it writes anything else, and ``close`` waits for it whatever happens.

An import that turns out to be most of the table goes on as a bulk load (``BULK_AFTER``;
``tracker.store.bulkload``): the rest of its rows go in unindexed, and the indexes are
built once as the call ends. A row that repeats a stored source goes in meanwhile and is
taken out then; the writer and the ``RecordLedger`` take it back out of what they
counted, so the summary reads as if the row had been skipped.

The contacts this import created have their summaries, and the facts of their messages
(``message_replies``), folded from the rows as they stream past (``import_folds``); each
fact goes in with the batch after the one that settled it (a bulk load's before its
repeats are taken out), the few still open at the end. Every other contact that gained a
touch is refreshed from the store at the end, summary and facts, and so is a new one whose
rows the folds cannot be sure of (a batch in which some rows were stored already, so
their ids are unknown, or a repeat a bulk load took out): the summaries and facts are
exactly those a plain import, and a full refresh, write.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any

from tracker.models import TOUCH_COLUMNS
from tracker.service.import_folds import ImportFolds
from tracker.service.touch_batch import Payload, payload
from tracker.store import BulkLoad, Store
from tracker.timeutil import stamp

TouchRow = tuple[Any, ...]
"""A touch as ``touch_row`` builds it: values in ``TOUCH_COLUMNS`` order, as stored."""
BeforeBatch = Callable[[list[TouchRow]], None]
"""Called with each batch just before it goes in (the connection is free then)."""
_SOURCE = TOUCH_COLUMNS.index("source")

BATCH = 5000
BULK_AFTER = 5000
"""A call of ``insert_all`` becomes a bulk load (``Store.begin_bulk_load``: the touches'
indexes built once at its end) once it has added this many touches and at least as many
as the table held when it began: the import is then most of the table, and sorting it
all once costs less than keeping the indexes current row by row for the rest."""


class TouchWriter:
    """Batched inserts for one import, and which summaries they leave to refresh."""

    def __init__(self, store: Store, first_new_contact: int):
        self.store = store
        self.created_at = stamp()
        self.added = 0
        self.attempted = 0
        self.folds = ImportFolds(first_new_contact)
        self._last_id = store.last_touch_id()
        self._pool: ThreadPoolExecutor | None = None
        self._job: tuple[list[TouchRow], Future[int]] | None = None
        self.ledger: RecordLedger | None = None
        """While set, told which rows of each batch went in (``insert_all`` sets it)."""
        self.before_batch: BeforeBatch | None = None
        self._bulk: BulkLoad | None = None
        self._bulk_after = 0
        """``insert_all``'s call turns into a bulk load once ``added`` reaches this."""
        self._bulk_start = 0
        """The position in the call's rows of the bulk load's first row."""
        self._call_start = 0
        """``attempted`` when the current ``insert_all`` call began."""

    def insert(self, batch: list[TouchRow]) -> None:
        """Start inserting ``batch`` (its contacts already written) on the worker thread,
        once the batch before it is in; ``wait`` settles it."""
        if not batch:
            return
        sent = payload(batch)
        self.wait()
        if self.before_batch is not None:
            self.before_batch(batch)
        if self._bulk is None and self.added >= self._bulk_after > 0:
            self._bulk = self.store.begin_bulk_load()
            self._bulk_start = self.attempted - self._call_start
        facts = self.folds.take_facts()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        job = self._pool.submit(self._write, sent, facts, self._bulk)
        self._job = (batch, job)

    def _write(self, sent: Payload, facts: list[Any], load: BulkLoad | None) -> int:
        """On the worker thread: the facts settled so far (their touches are stored),
        then one batch; during a bulk load, let the upkeep it defers catch up when it is
        due (``Store.keep_up``)."""
        self.store.add_message_facts(facts)
        added = self.store.insert_touch_rows(
            sent.values, sent.varying, sent.shared, sent.size, self.created_at, load is not None
        )
        if load is not None:
            self.store.keep_up(load)
        return added

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
            if self.ledger is not None:
                self.ledger.settled(batch, [False] * len(batch))
            return 0  # every row was stored already: no summary changes
        first = self._last_id + 1
        self._last_id = self.store.last_touch_id()
        in_order = added == len(batch) and self._last_id == first + added - 1
        if self._bulk is not None and not in_order:
            raise RuntimeError("a bulk load's rows were not numbered in order")
        if self.ledger is not None:
            self.ledger.settled(batch, self._went_in(batch, added, first))
        if in_order:
            # SQLite numbered the rows one after another, in order.
            self.folds.fold_all(batch, first)
            return added
        for row in batch:  # which rows went in is unknown: refresh their contacts whole
            self.folds.unsure_of(row[0])
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

    def insert_all(
        self,
        rows: Iterable[TouchRow],
        ledger: RecordLedger | None = None,
        before_batch: BeforeBatch | None = None,
    ) -> int:
        """Insert ``rows`` in batches, reading the next batch while the last goes in;
        returns how many were added. ``ledger`` is told which rows went in;
        ``before_batch`` sees each batch just before it goes in."""
        before = self.added
        self.ledger, self.before_batch = ledger, before_batch
        self._call_start = self.attempted
        self._bulk_after = before + max(BULK_AFTER, self._last_id)
        try:
            source = iter(rows)
            while batch := list(islice(source, BATCH)):
                self.insert(batch)
            self.wait()
            if self._bulk is not None:
                self._end_bulk(self._bulk)
        finally:
            # After a failure, the import's transaction rolls the load back with the rest.
            self.ledger = self.before_batch = self._bulk = None
            self._bulk_after = 0
        return self.added - before

    def _write_facts(self) -> None:
        """Store the facts the folds settled and no batch took (the connection is free)."""
        self.store.add_message_facts(self.folds.take_facts())

    def _end_bulk(self, load: BulkLoad) -> None:
        """Build the indexes the bulk load put off, and take the rows it removed as
        repeats (of sources stored already) back out of what was counted. The facts
        settled so far go in first: a fact of a touch taken out goes with it, and its
        contact is refreshed whole at the end."""
        self._bulk = None
        self._write_facts()
        removed = self.store.end_bulk_load(load)
        if not removed:
            return
        self.added -= len(removed)
        self._last_id = self.store.last_touch_id()
        for _, contact_id in removed:
            self.folds.unsure_of(contact_id)
        if self.ledger is not None:
            start = self._bulk_start - load.first_id
            self.ledger.retract([start + touch_id for touch_id, _ in removed])

    def finish(self, new_contacts: Iterable[int]) -> None:
        """Write the summaries and the facts of their messages: folded ones for the
        contacts this import created (empty for those without touches), refreshed ones
        for the rest."""
        self.wait()
        new = set(new_contacts)
        for states, empty in self.folds.summaries(new):
            self.store.write_states(states, empty)
            self._write_facts()
        self._write_facts()
        self.store.refresh_state(new & self.folds.unsure)
        self.store.mark_stale(sorted(self.folds.stale - new))
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
        self._spans: list[list[int]] = []
        """Each record of several rows, or given as ``Changed``: [first position, end
        position, rows gone in, 1 if ``Changed`` else 0] (a record of one row, the usual,
        is counted from the flags alone)."""
        self._open: deque[list[int]] = deque()
        """The spans not settled yet, in order."""
        self._settled = 0
        """Rows settled so far."""

    def rows(self, records: Iterable[Sequence[TouchRow]]) -> Iterator[TouchRow]:
        """The rows of ``records``, one after another (a record with none is not one)."""
        position = 0
        for record in records:
            size = len(record)
            if size == 1 and not isinstance(record, Changed):
                yield record[0]
            elif size:
                span = [position, position + size, 0, int(isinstance(record, Changed))]
                self._spans.append(span)
                self._open.append(span)
                yield from record
            position += size

    def settled(self, batch: list[TouchRow], went_in: list[bool]) -> None:
        """The next rows in order, and whether each went in."""
        start = self._settled
        end = self._settled = start + len(went_in)
        in_spans = in_spans_in = 0
        spans = self._open
        while spans and spans[0][0] < end:
            span = spans[0]
            low, high = max(span[0], start), min(span[1], end)
            gone_in = went_in[low - start : high - start].count(True)
            span[2] += gone_in
            in_spans += high - low
            in_spans_in += gone_in
            if span[1] > end:
                break
            spans.popleft()
            if span[2] or span[3]:
                self.added += 1
            else:
                self.already += 1
        singles_in = went_in.count(True) - in_spans_in
        self.added += singles_in
        self.already += len(went_in) - in_spans - singles_in

    def retract(self, positions: Sequence[int]) -> None:
        """The rows at these positions (ascending), settled as gone in, were taken out
        again as repeats: a record left without any row of its own was already imported."""
        starts = [span[0] for span in self._spans]
        in_span: Counter[int] = Counter()
        for position in positions:
            index = bisect_right(starts, position) - 1
            if index >= 0 and position < self._spans[index][1]:
                in_span[index] += 1
            else:
                self.added -= 1
                self.already += 1
        for index, count in in_span.items():
            span = self._spans[index]
            span[2] -= count
            if not span[2] and not span[3]:
                self.added -= 1
                self.already += 1
