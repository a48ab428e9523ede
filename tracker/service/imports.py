"""One import's view of the database: records become contacts (matched as
``IdentityIndex`` says: LinkedIn URL, email, phone, name and company), existing contacts
are enriched (``import_contacts``), and touches go in by the thousand.

Everything here runs inside the import's single transaction; the identity index is read
once, so no imported row costs a query of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from tracker.models import TOUCH_COLUMNS
from tracker.service.identity_index import IdentityIndex
from tracker.service.import_contacts import ContactsPart
from tracker.service.import_fields import (
    FollowUpRow,
)
from tracker.service.import_key_dates import KeyDatePlan
from tracker.service.import_people import Cleaner, Person
from tracker.service.import_report import ImportOptions, ImportSummary
from tracker.service.import_writer import RecordLedger, TouchRow, TouchWriter
from tracker.service.tracker import Tracker
from tracker.store.identifiers import IdentifierRow
from tracker.timeutil import from_stored, now_utc, to_stored

__all__ = ["ImportSession", "Person", "touch_row"]
_AT = itemgetter(TOUCH_COLUMNS.index("at"))


class ImportSession(ContactsPart):
    """Matching, creating and enriching contacts, and adding touches, for one import."""

    @classmethod
    @contextlib.contextmanager
    def opened(
        cls,
        tracker: Tracker,
        summary: ImportSummary,
        options: ImportOptions,
        now: datetime | None = None,
    ) -> Iterator[ImportSession]:
        """A session inside the import's one transaction (with a larger page cache): all
        of it commits when the block ends, none of it when the block raises. Inside a
        transaction already (a folder's dry run), a savepoint undoes just this file;
        otherwise the transaction is the import's own, and no savepoint is opened (SQLite
        would copy every stored page the import changes aside, in case it rolled back to
        it). ``now`` is the import's clock (default: the current moment)."""
        store = tracker.store
        with store.large_cache(), store.savepoint():
            session = cls(tracker, summary, options, now)
            try:
                yield session
            finally:
                session.writer.close()  # before the transaction ends, however it ends

    def __init__(
        self,
        tracker: Tracker,
        summary: ImportSummary,
        options: ImportOptions,
        now: datetime | None = None,
    ):
        self.tracker = tracker
        self.store = tracker.store
        self.settings = tracker.settings
        self.tz = tracker.tz
        self.summary = summary
        self.options = options
        self.fields = self.store.fillable_fields()
        """Each contact's fields as this import knows them (kept current as it writes)."""
        self.index = IdentityIndex(self.fields, self.store.all_identifiers())
        self.cleaner = Cleaner(self.settings.default_region, summary)
        self._updated: set[int] = set()
        self._stops: dict[int, datetime] = {}
        self._changes = 0
        self._connected: dict[int, str] = {}
        # New contacts get their id now and are written in batches (see ``flush``).
        self._next_id = self.store.next_contact_id()
        self._first_new = self._first_pending = self._next_id
        self._pending: dict[int, dict[str, Any]] = {}
        self._pending_tags: list[tuple[int, str]] = []
        self._pending_identifiers: list[IdentifierRow] = []
        self._pending_follow_ups: dict[int, FollowUpRow] = {}
        self._follow_ups_planned: set[int] = set()
        self.key_dates = KeyDatePlan(self.store.key_date_labels(), summary.dropped)
        self._now = now or now_utc()
        self.stop_words = frozenset(w.upper() for w in self.settings.stop_words)
        """The opt-out words, upper case: an inbound one-to-one text that is one of them
        (``is_stop``) opts its sender out."""
        self.writer = TouchWriter(self.store, self._next_id)
        self._earliest = ""
        """The oldest touch time offered (stored text), for what the next Today says."""

    @property
    def now(self) -> datetime:
        """The import's clock: what is after it is ahead (a scheduled meeting)."""
        return self._now

    # -- identifiers -------------------------------------------------------------------
    def phone(self, raw: str) -> str | None:
        """E.164 for ``raw`` (cached: the same numbers repeat thousands of times)."""
        return self.cleaner.phone(raw)

    def linkedin(self, raw: str) -> str | None:
        """The canonical profile URL for ``raw`` (cached), ``None`` when it is not one."""
        return self.cleaner.linkedin(raw)

    # -- invitations -------------------------------------------------------------------
    def outbound_invitations(self) -> list[dict[str, Any]]:
        """Every outbound invitation already stored (id, contact, time, status)."""
        return self.store.outbound_invitations()

    def set_invitation_statuses(self, changes: list[tuple[int, str, str]]) -> None:
        """Apply ``(touch id, status, stored status_at)`` changes to stored invitations."""
        self.writer.wait()
        self.store.set_invitation_statuses(changes)

    # -- touches -----------------------------------------------------------------------
    def add_touches(self, rows: Iterable[TouchRow]) -> int:
        """Insert touch rows (their ``source`` makes a re-import add nothing), each one
        record of its own: counted added, or skipped as already imported."""
        return self.add_records([row] for row in rows)

    def add_records(self, records: Iterable[Sequence[TouchRow]]) -> int:
        """Insert the touch rows of records read, each given as its rows (one or more:
        an outbound group message is a touch per recipient). A record any of whose
        touches went in is counted added; one whose touches were all stored already
        (an earlier import of the same file) is skipped as "already imported". Returns
        how many touches were added."""
        ledger = RecordLedger()
        self.flush()
        added = self.writer.insert_all(ledger.rows(records), ledger, self._before_batch)
        self.summary.touches_added += added
        self.summary.added += ledger.added
        if ledger.already:
            self.summary.skipped["already imported"] += ledger.already
        return added

    def _before_batch(self, batch: list[TouchRow]) -> None:
        """Write the contacts created so far before a batch that may name them, and note
        the oldest touch time offered."""
        if self._pending or self._pending_follow_ups:
            self.flush()
        oldest = min(map(_AT, batch))
        if not self._earliest or oldest < self._earliest:
            self._earliest = oldest

    def changes(self) -> int:
        """How many changes to contacts this import has made so far (created, filled,
        a follow-up planned, a key date or a connection day noted): a record read that moved it
        added something."""
        return self._changes

    def note_stop(self, contact_id: int, at: datetime) -> None:
        """An inbound one-to-one STOP at ``at``: the contact opts out (applied at the end)."""
        previous = self._stops.get(contact_id)
        if previous is None or at > previous:
            self._stops[contact_id] = at

    def is_stop(self, text: str) -> bool:
        return text.strip().upper() in self.stop_words

    def finish(self) -> None:
        """Record opt-outs and connection days, and refresh the summaries of every
        contact touched."""
        self.flush()
        self.writer.wait()
        self.store.set_linkedin_connected(sorted(self._connected.items()))
        for contact_id, at in sorted(self._stops.items()):
            existing = from_stored(self.fields.get(contact_id, {}).get("sms_opt_out_at"))
            if existing is not None and existing >= at:
                continue
            self.store.set_consent(contact_id, opt_out_at=at)
            self.summary.opted_out += 1
        self.writer.finish(range(self._first_new, self._next_id))
        earliest = from_stored(self._earliest)
        if self.summary.touches_added and earliest is not None:
            self.tracker.note_imported_history(earliest)


def touch_row(
    contact_id: int,
    channel: str,
    direction: str,
    at: datetime,
    source: str,
    text: str = "",
    *,
    status: str | None = None,
    status_at: str | None = None,
    has_note: bool | None = None,
    is_group: bool = False,
) -> TouchRow:
    """A row for ``add_touches``: values in ``TOUCH_COLUMNS`` order, as stored."""
    return (
        contact_id,
        str(channel),
        str(direction),
        to_stored(at),
        text or None,
        status,
        status_at,
        None if has_note is None else int(has_note),
        None,
        int(is_group),
        source,
        None,
    )
