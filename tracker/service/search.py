"""Search through the door: ``search`` (contacts and touches by any word, ranked) and
``search_contacts`` (the contacts list for a search). What a search matches and how it
ranks is ``tracker.search``; how it reads the store, tier by tier, is ``search_reader``.
Both load with the first search, not with the service (the app's start needs neither).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.service.base import ServiceBase

if TYPE_CHECKING:
    from tracker.search import ContactMatch, SearchResults


class SearchMixin(ServiceBase):
    """Finding contacts and touches by any word."""

    def search(
        self,
        text: str,
        limit: int = 50,
        per_contact: bool = False,
        tag: str = "",
        segment: str = "",
    ) -> SearchResults:
        """The best ``limit`` matches of ``text`` in rank order (``tracker.search`` says
        what matches and how it ranks); with ``per_contact`` each contact's best match
        only; ``tag`` and ``segment`` keep to contacts with that tag, in that segment."""
        from tracker.service.search_reader import find

        return find(self, text, limit, per_contact, tag, segment)

    def search_contacts(
        self,
        text: str,
        limit: int,
        tag: str = "",
        segment: str = "",
        sort: str = "",
        descending: bool = False,
    ) -> list[ContactMatch]:
        """The contacts list for a search: each matching contact once with the match that
        found it, the best first (or sorted by the list's ``sort``, when given)."""
        from tracker.search import ContactMatch

        results = self.search(text, limit, per_contact=True, tag=tag, segment=segment)
        hits = {hit.contact_id: hit for hit in results.hits}
        rows = self.store.contact_rows(list(hits), sort or "id", descending)
        if not sort:
            position = {cid: n for n, cid in enumerate(hits)}
            rows.sort(key=lambda row: position[row.id])
        return [ContactMatch(row, hits[row.id]) for row in rows]
