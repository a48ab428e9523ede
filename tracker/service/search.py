"""Search through the door: the query read by ``tracker.search``, the full-text indexes
read by the store, and the results ranked by ``tracker.search`` again.

Each tier is read with its own bounded query (exact identifiers; contacts whose name,
then whose fields, hold every word; the last messages recorded that hold every word;
messages of contacts whose fields hold part of the query), so a search costs the same
whatever the size of the history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from tracker import search
from tracker.errors import StoreError
from tracker.models import Channel
from tracker.search import (
    ContactFields,
    ContactMatch,
    Query,
    SearchHit,
    SearchResults,
    Tier,
    TouchText,
)
from tracker.service.base import ServiceBase
from tracker.timeutil import from_stored

CANDIDATES = 60
"""Contacts read per tier beyond the number of results asked for."""


def _fields(row: dict[str, Any]) -> ContactFields:
    return ContactFields(
        id=row["id"],
        name=row["name"],
        company=row["company"] or "",
        title=row["title"] or "",
        notes=row["notes"] or "",
        linkedin_url=row["linkedin_url"] or "",
        tags=tuple(row["tags"]),
        emails=tuple(row["email"]),
        phones=tuple(row["phone"]),
    )


def _touch(row: dict[str, Any]) -> TouchText:
    at = from_stored(row["at"])
    assert at is not None
    return TouchText(row["id"], row["contact_id"], at, Channel(row["channel"]), row["text"] or "")


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
        query = search.parse(text, self.settings.default_region)
        if not query.searchable:
            return SearchResults(query)
        with contextlib.suppress(StoreError):  # a read-only file: search what is indexed
            self.store.flush_search()
        wanted = limit + 1
        within = (tag, segment)
        hits: list[SearchHit] = []
        contacts: dict[int, ContactFields] = {}

        def load(ids: Iterable[int]) -> None:
            missing = [i for i in ids if i not in contacts]
            for cid, row in self.store.search_fields(missing).items():
                contacts[cid] = _fields(row)

        # Contacts matched by their fields: exact identifiers, every word in the name,
        # every word anywhere. A contact found twice keeps its best score.
        scores: dict[int, float] = {}
        in_name: set[int] = set()
        for kind, value in (
            ("email", query.email),
            ("phone", query.phone),
            ("linkedin", query.linkedin),
        ):
            if value:
                for cid in self.store.contacts_by_identifier(kind, value):
                    scores.setdefault(cid, 0.0)
        reads = [
            (search.full_name_match(query), True),
            (search.name_match(query.terms), True),
            (search.contact_match(query.terms), False),
        ]
        for match, name in reads:
            if match is None:
                continue
            for cid, score in self.store.search_contact_index(match, wanted + CANDIDATES, *within):
                scores[cid] = min(score, scores.get(cid, 0.0))
                if name:
                    in_name.add(cid)
        load(scores)
        for cid, score in scores.items():
            if cid in contacts:
                hits.append(search.contact_hit(query, contacts[cid], score, cid in in_name))

        hits += self._message_hits(query, contacts, load, within, wanted, per_contact)
        ranked = search.rank(hits, per_contact)
        if query.literals:
            ranked = [
                hit
                for hit in ranked
                if search.has_literals(query, self._texts(hit, contacts[hit.contact_id]))
            ]
        return SearchResults(query, tuple(ranked[:limit]), len(ranked) > limit)

    def _message_hits(
        self,
        query: Query,
        contacts: dict[int, ContactFields],
        load: Any,
        within: tuple[str, str],
        wanted: int,
        per_contact: bool,
    ) -> list[SearchHit]:
        """Touches whose text holds every word (scored by the index), then touches of
        contacts whose fields hold the words their text lacks."""
        store = self.store
        scored = store.search_touch_index(search.text_match(query.terms), search.MESSAGE_WINDOW)
        scored.sort(key=lambda pair: pair[1])
        # Each contact's best few, when one result per contact is wanted; else the best.
        keep = len(scored) if per_contact else wanted + CANDIDATES
        rows = store.search_touches([tid for tid, _ in scored[:keep]])
        by_id = {row["id"]: _touch(row) for row in rows}
        load({t.contact_id for t in by_id.values()})
        allowed = self._allowed(within, {t.contact_id for t in by_id.values()})
        hits: list[SearchHit] = []
        taken: dict[int, int] = {}
        for tid, score in scored[:keep]:
            touch = by_id.get(tid)
            if touch is None or touch.contact_id not in allowed:
                continue
            if per_contact and taken.get(touch.contact_id, 0) >= 1:
                continue
            taken[touch.contact_id] = taken.get(touch.contact_id, 0) + 1
            contact = contacts[touch.contact_id]
            hits.append(search.touch_hit(query, touch, contact, Tier.MESSAGE, score))
            if len(hits) >= wanted + CANDIDATES:
                break
        hits += self._split_hits(query, contacts, load, within, {h.touch_id for h in hits})
        return hits

    def _split_hits(
        self,
        query: Query,
        contacts: dict[int, ContactFields],
        load: Any,
        within: tuple[str, str],
        found: set[int | None],
    ) -> list[SearchHit]:
        """Touches whose text holds some of the words while their contact's fields hold
        the rest, among the contacts whose fields hold part of the query."""
        candidates: dict[int, None] = {}
        for _, in_fields in search.splits(query.terms):
            match = search.contact_match(in_fields)
            for cid, _ in self.store.search_contact_index(match, search.MIXED_CONTACTS, *within):
                candidates.setdefault(cid)
        if not candidates:
            return []
        ids = list(candidates)[: search.MIXED_CONTACTS]
        load(ids)
        held = {cid: search.fields_hold(query, contacts[cid]) for cid in ids if cid in contacts}
        hits = []
        for row in self.store.touches_with_text(list(held), search.MIXED_TOUCHES):
            if row["id"] in found:
                continue
            in_text = search.text_holds(query, row["text"] or "")
            tier = search.touch_tier(query, in_text, held[row["contact_id"]])
            if tier is not None:
                touch = _touch(row)
                hits.append(search.touch_hit(query, touch, contacts[touch.contact_id], tier))
        return hits

    def _allowed(self, within: tuple[str, str], ids: set[int]) -> set[int]:
        """The contacts among ``ids`` with the tag and in the segment ``within`` names."""
        tag, segment = within
        if not tag and not segment:
            return ids
        return set(self.store.filter_contacts(sorted(ids), tag, segment))

    def _texts(self, hit: SearchHit, contact: ContactFields) -> list[str]:
        """Everything a hit matched in (for the punctuation-only words of a query)."""
        texts = [
            contact.name,
            contact.company,
            contact.title,
            contact.notes,
            contact.linkedin_url,
            *contact.tags,
            *contact.emails,
            *contact.phones,
        ]
        if hit.touch_id is not None:
            texts += [row["text"] or "" for row in self.store.search_touches([hit.touch_id])]
        return texts

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
        results = self.search(text, limit, per_contact=True, tag=tag, segment=segment)
        hits = {hit.contact_id: hit for hit in results.hits}
        rows = self.store.contact_rows(list(hits), sort or "id", descending)
        if not sort:
            position = {cid: n for n, cid in enumerate(hits)}
            rows.sort(key=lambda row: position[row.id])
        return [ContactMatch(row, hits[row.id]) for row in rows]
