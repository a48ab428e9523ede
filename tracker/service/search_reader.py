"""A search's reads (``SearchMixin.search``; loaded with the first search, not with
the service): the query read by ``tracker.search``, the full-text indexes read by the
store, the candidates ranked by ``tracker.search`` again, and only the ones shown given
a snippet.

Each tier is read with its own bounded query (exact identifiers and names; contacts whose
name, then whose fields, hold every word; the last messages recorded that hold every
word; messages of contacts whose fields hold part of the query), and a lower tier is read
only while the ones above leave room, so a search costs about the same whatever the size
of the history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tracker import search
from tracker.errors import StoreError
from tracker.models import Channel
from tracker.search import (
    Candidate,
    ContactFields,
    Query,
    SearchResults,
    Tier,
)
from tracker.search_words import has_literals
from tracker.service.base import ServiceBase

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


def _at(stored: str) -> datetime:
    """A stored time (``2026-01-05T15:00:00Z``), parsed the cheap way."""
    return datetime.fromisoformat(stored.removesuffix("Z")).replace(tzinfo=UTC)


def _room(found: list[Candidate], wanted: int, per_contact: bool) -> bool:
    """Whether fewer than ``wanted`` results are found (contacts, ``per_contact``)."""
    count = len({c.contact.id for c in found}) if per_contact else len(found)
    return count < wanted


def find(
    service: ServiceBase, text: str, limit: int, per_contact: bool, tag: str, segment: str
) -> SearchResults:
    """``SearchMixin.search``: the best ``limit`` matches of ``text``, ranked."""
    query = search.parse(text, service.settings.default_region)
    limit = min(limit, search.MAX_RESULTS)
    if not query.searchable:
        return SearchResults(query)
    with contextlib.suppress(StoreError):  # a read-only file: search what is indexed
        service.store.flush_search()
    reader = _Reader(service, query, (tag, segment), limit + 1, per_contact)
    found = reader.initials() if query.initial else reader.contacts()
    # Messages rank below every contact matched by its fields: read only while those
    # leave room (and messages holding part of the words below those holding all).
    words = not query.initial
    if words and _room(found, reader.wanted, per_contact):
        found += reader.messages()
    if words and _room(found, reader.wanted, per_contact):
        found += reader.split_messages({c.touch_id for c in found if c.touch_id is not None})
    ranked = search.rank(found, per_contact)
    if query.literals:
        ranked = [c for c in ranked if has_literals(query.literals, reader.texts_of(c))]
    shown = ranked[:limit]
    texts = reader.touch_texts(c.touch_id for c in shown if c.touch_id is not None)
    hits = tuple(
        search.hit(query, c, texts.get(c.touch_id, "") if c.touch_id else "") for c in shown
    )
    return SearchResults(query, hits, len(ranked) > limit or reader.cut)


class _Reader:
    """One search's reads of the store, and the contacts read so far."""

    def __init__(
        self,
        service: ServiceBase,
        query: Query,
        within: tuple[str, str],
        wanted: int,
        per_contact: bool,
    ) -> None:
        self.store = service.store
        self.query = query
        self.within = within
        self.wanted = wanted
        self.per_contact = per_contact
        self.fields: dict[int, ContactFields] = {}
        self.texts: dict[int, str] = {}
        self.cut = False
        """Whether more messages matched than were read."""

    def load(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self.fields]
        for cid, row in self.store.search_fields(missing).items():
            self.fields[cid] = _fields(row)

    def contacts(self) -> list[Candidate]:
        """Contacts matched by their fields: the exact identifier or name, every word in
        the name, every word anywhere. A contact found twice keeps its best score."""
        query, store = self.query, self.store
        scores: dict[int, float] = {}
        in_name: set[int] = set()
        for kind, value in (
            ("email", query.email),
            ("phone", query.phone),
            ("linkedin", query.linkedin),
        ):
            if value:
                scores.update(dict.fromkeys(store.contacts_by_identifier(kind, value), 0.0))
        named = search.name_match(query.terms)
        if named is not None:
            exact = store.contacts_named(query.text)
            in_name.update(exact)
            scores.update({cid: scores.get(cid, 0.0) for cid in exact})
        limit = self.wanted + CANDIDATES
        found = store.search_contact_index(search.contact_match(query.terms), limit, *self.within)
        for cid, score in found:
            scores[cid] = min(score, scores.get(cid, 0.0))
        if named is not None and len(found) == limit:
            # More contacts match than were read: those whose name holds every word may
            # be among the rest, so they are read apart (else all are in hand).
            for cid, score in store.search_contact_index(named, limit, *self.within):
                scores[cid] = min(score, scores.get(cid, 0.0))
                in_name.add(cid)
        if any(self.within) and scores:
            allowed = set(store.filter_contacts(sorted(scores), *self.within))
            scores = {cid: score for cid, score in scores.items() if cid in allowed}
        self.load(scores)
        if named is not None:
            in_name.update(
                cid
                for cid in scores
                if cid in self.fields and search.name_holds(query, self.fields[cid])
            )
        return [
            search.contact_candidate(query, self.fields[cid], score, cid in in_name)
            for cid, score in scores.items()
            if cid in self.fields
        ]

    def initials(self) -> list[Candidate]:
        """Contacts whose name starts with the query's one character."""
        ids = self.store.contacts_starting(self.query.text, self.wanted, *self.within)
        self.load(ids)
        return [
            search.contact_candidate(self.query, self.fields[cid], 0.0, True)
            for cid in ids
            if cid in self.fields
        ]

    def messages(self) -> list[Candidate]:
        """Touches whose text holds every word, best BM25 first among the last ones
        recorded (each contact's best only, ``per_contact``)."""
        window = max(search.MESSAGE_WINDOW, self.wanted + CANDIDATES)
        rows = self.store.search_touch_index(search.text_match(self.query.terms), window)
        self.cut = len(rows) == window
        rows.sort(key=lambda row: row[4])
        if any(self.within):
            allowed = set(self.store.filter_contacts(sorted({r[1] for r in rows}), *self.within))
            rows = [row for row in rows if row[1] in allowed]
        if self.per_contact:
            best: dict[int, tuple[Any, ...]] = {}
            for row in rows:
                best.setdefault(row[1], row)
            rows = list(best.values())
        rows = rows[: self.wanted + CANDIDATES]
        self.load(row[1] for row in rows)
        return [
            Candidate(self.fields[cid], Tier.MESSAGE, score, tid, _at(at), Channel(channel))
            for tid, cid, at, channel, score in rows
            if cid in self.fields
        ]

    def split_messages(self, found: set[int]) -> list[Candidate]:
        """Touches whose text holds the words their contact's fields lack, among the
        contacts whose fields hold part of the query."""
        query = self.query
        ids: dict[int, None] = {}
        for part in search.field_parts(query.terms):
            match = search.contact_match(part)
            for cid, _ in self.store.search_contact_index(
                match, search.MIXED_CONTACTS, *self.within
            ):
                ids.setdefault(cid)
        chosen = list(ids)[: search.MIXED_CONTACTS]
        self.load(chosen)
        held = {cid: search.fields_hold(query, self.fields[cid]) for cid in chosen}
        # A contact whose fields hold every word is a result already.
        partial = [cid for cid, terms in held.items() if len(terms) < len(query.terms)]
        candidates = []
        for row in self.store.touches_with_text(partial, search.MIXED_TOUCHES):
            text = row["text"] or ""
            tier = search.split_tier(query, text, held[row["contact_id"]])
            if tier is None or row["id"] in found:
                continue
            self.texts[row["id"]] = text
            fields = self.fields[row["contact_id"]]
            at, channel = _at(row["at"]), Channel(row["channel"])
            candidates.append(Candidate(fields, tier, 0.0, row["id"], at, channel))
        return candidates

    def touch_texts(self, ids: Iterable[int]) -> dict[int, str]:
        """The text of each of these touches (those read already kept)."""
        wanted = [tid for tid in ids if tid not in self.texts]
        self.texts.update(self.store.touch_texts(wanted))
        return self.texts

    def texts_of(self, candidate: Candidate) -> list[str]:
        """Everything a candidate matched in (for a query's punctuation-only words)."""
        contact = candidate.contact
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
        if candidate.touch_id is not None:
            texts.append(self.touch_texts([candidate.touch_id])[candidate.touch_id])
        return texts
