"""The store: the only code that speaks SQL. ``Store`` wraps one SQLite file.

It is assembled from parts, one module per thing held: opening and transactions
(``base``), contacts, touches and their summaries (``touches``, ``summaries``), the
review's reads, enrollments in sequences (``sequences``), closed reviews (``days``), the
app's remembered values (``settings``), a contact's phones and emails (``identifiers``),
key dates and the follow-ups a calendar shows (``key_dates``), merging and snapshots
(``merge``), exact restores for undo (``restore``), what imports write (``imports``,
``bulk``, ``sources``, and ``bulkload``: large imports indexed once at their end), exports
and the insights' and account health's reads (``stats``), the facts the insights count
replies from (``replies``), the search index (``search``).
"""

from __future__ import annotations

from tracker.store.base import StoreBase, backup_copy, translating_errors
from tracker.store.bulk import BulkMixin
from tracker.store.bulkload import BulkLoad, BulkLoadMixin, Deferral
from tracker.store.contacts import ContactsMixin
from tracker.store.days import DaysMixin
from tracker.store.export import ExportMixin
from tracker.store.identifiers import IdentifiersMixin
from tracker.store.imports import ImportsMixin
from tracker.store.invitation_counts import InvitationCountsMixin
from tracker.store.key_dates import KeyDatesMixin
from tracker.store.merge import MergeMixin
from tracker.store.restore import RestoreMixin
from tracker.store.review import ReviewMixin
from tracker.store.search import SearchMixin
from tracker.store.sequences import SequencesMixin
from tracker.store.settings import SettingsMixin
from tracker.store.sources import SourcesMixin
from tracker.store.stats import StatsMixin
from tracker.store.touches import TouchesMixin


class Store(
    MergeMixin,
    ContactsMixin,
    IdentifiersMixin,
    ReviewMixin,
    SequencesMixin,
    KeyDatesMixin,
    BulkMixin,
    BulkLoadMixin,
    ImportsMixin,
    SourcesMixin,
    TouchesMixin,
    ExportMixin,
    RestoreMixin,
    DaysMixin,
    SettingsMixin,
    StatsMixin,
    InvitationCountsMixin,
    SearchMixin,
    StoreBase,
):
    """One Outreach Tracker database."""

    def _after_migrate(self) -> None:
        if "m012_message_replies" in self.upgraded:
            self.refresh_messages()
        # Summaries added by a migration are flagged stale; fill them now.
        self.refresh_stale()
        if "m006_identifiers" in self.upgraded:
            self.claim_identifiers_in_notes(self.region)
            self.resplit_names()

    def counts(self) -> dict[str, int]:
        return {
            "contacts": int(self.scalar("SELECT count(*) FROM contacts") or 0),
            "touches": int(self.scalar("SELECT count(*) FROM touches") or 0),
        }

    def is_empty(self) -> bool:
        return self.scalar("SELECT 1 FROM contacts LIMIT 1") is None


__all__ = ["BulkLoad", "Deferral", "Store", "backup_copy", "translating_errors"]
