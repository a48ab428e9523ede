"""Search: what a query means, and how its results rank. Pure functions; the store runs
the full-text queries these build, and the service puts the two together.

A query is split into words, and **every word must match**: in any field of the contact
(each word may match a different one) or in the text of one of their touches. Words
match the start of a word, accents and case ignored (``ivan st`` finds Ivan Stark;
``ann.lee415`` is ``ann`` then ``lee415``, as in her email: ``search_words``). Digits
match a phone number only when the word (or the whole query) looks like a phone number
(seven digits or more, in phone punctuation): then a number that is, or ends with, it.
``%`` and ``_`` are plain characters, never wildcards; a word of punctuation alone must
appear as typed in what it matches, and a query of nothing else finds nothing. A query of
one character (the first key typed in a search box) finds the names that start with it.

Results rank in tiers (``Tier``): the exact name or an exact phone, email or LinkedIn URL
first, then names that start with the query, names that hold every word, the contact's
other fields, then the text of their touches (every word in one message first, then
messages holding the words the contact's fields lack); within a tier by BM25 relevance,
then newest first, then by name.

What a query means and the index queries it becomes are ``search_query`` (its names are
importable from here too); this module holds the results and how they rank and show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from tracker.identity import fold, format_phone
from tracker.models import Channel, ContactRow
from tracker.search_query import (
    CONTACT_TEXT_COLUMNS,
    MAX_TERMS,
    MESSAGE_PREFIX,
    Query,
    contact_match,
    field_parts,
    name_match,
    parse,
    text_match,
)
from tracker.search_words import Snippet, matched_terms, may_hold, phone_matches, snippet, whole
from tracker.text import safe

__all__ = [
    "CONTACT_TEXT_COLUMNS",
    "FIELDS",
    "LIST_LIMIT",
    "MAX_RESULTS",
    "MAX_TERMS",
    "MESSAGE_PREFIX",
    "MESSAGE_WINDOW",
    "MIXED_CONTACTS",
    "MIXED_TOUCHES",
    "TEXT_FIELD",
    "Candidate",
    "ContactFields",
    "ContactMatch",
    "Query",
    "SearchHit",
    "SearchResults",
    "Tier",
    "contact_candidate",
    "contact_match",
    "field_parts",
    "fields_hold",
    "hit",
    "name_holds",
    "name_match",
    "parse",
    "rank",
    "split_tier",
    "text_match",
]

MESSAGE_WINDOW = 1_000
"""Messages scored per query: a word found in more messages than this ranks the ones
recorded last (scoring every message that says "thanks" would not answer in 50 ms)."""
MIXED_CONTACTS = 200
"""Contacts, holding part of a query in their fields, whose messages are read for the
rest."""
MIXED_TOUCHES = 2_000
"""Their messages read, newest first."""
MAX_RESULTS = 1_000_000
"""Results gathered at most, however many are asked for (a limit SQLite can hold)."""
LIST_LIMIT = 500
"""Contacts a search lists at most in the app's contacts list (the best ones)."""

FIELDS = ("name", "email", "phone", "company", "title", "tags", "linkedin_url", "notes")
"""A contact's searchable fields, in the order a match is preferred for showing."""
TEXT_FIELD = "text"
"""The field of a touch match (the touch's text)."""


class Tier(IntEnum):
    """Where a match ranks: lower first."""

    EXACT = 0
    """The whole query is the contact's name, or one of its phones, emails or URL."""
    NAME_START = 1
    """The name starts with the query."""
    NAME = 2
    """The name holds every word."""
    FIELD = 3
    """The contact's fields hold every word."""
    MESSAGE = 4
    """One touch's text holds every word."""
    MESSAGE_AND_FIELDS = 5
    """A touch's text holds some words, the contact's fields the rest."""


@dataclass(frozen=True)
class ContactFields:
    """What search reads of a contact."""

    id: int
    name: str
    company: str = ""
    title: str = ""
    notes: str = ""
    linkedin_url: str = ""
    tags: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A match, ranked before its snippet is made (only the ones shown get one)."""

    contact: ContactFields
    tier: Tier
    score: float = 0.0
    """BM25 (lower is better); 0, last in its tier, when the index did not score it."""
    touch_id: int | None = None
    at: datetime | None = None
    channel: Channel | None = None
    field: str = ""
    """The field of an exact match."""

    def sort_key(self) -> tuple[int, float, float, str, int, int]:
        """Tier, relevance, newest first, name, ids."""
        newest = -self.at.timestamp() if self.at else 0.0
        return (
            self.tier,
            self.score,
            newest,
            fold(self.contact.name),
            self.contact.id,
            self.touch_id or 0,
        )


@dataclass(frozen=True)
class SearchHit:
    """One result: a contact matched by its fields (``touch_id`` is ``None``) or by one
    of its touches, with the field that matched and the snippet to show."""

    contact_id: int
    contact: str
    field: str
    snippet: Snippet
    tier: Tier
    touch_id: int | None = None
    at: datetime | None = None
    channel: Channel | None = None
    company: str = ""


@dataclass(frozen=True)
class SearchResults:
    """A query's hits in rank order; ``more`` when there were more than were asked for."""

    query: Query
    hits: tuple[SearchHit, ...] = ()
    more: bool = False


@dataclass(frozen=True)
class ContactMatch:
    """A line of the contacts list found by a search, and the match that found it."""

    row: ContactRow
    hit: SearchHit


# -- ranking -------------------------------------------------------------------------
def _field_values(fields: ContactFields) -> dict[str, list[str]]:
    return {
        "name": [fields.name],
        "email": list(fields.emails),
        "phone": list(fields.phones),
        "company": [fields.company],
        "title": [fields.title],
        "tags": [", ".join(fields.tags)] if fields.tags else [],
        "linkedin_url": [fields.linkedin_url],
        "notes": [fields.notes],
    }


def _exact_field(query: Query, fields: ContactFields) -> str:
    """The field the whole query equals (name, phone, email, LinkedIn URL), else ""."""
    if query.email and query.email in fields.emails:
        return "email"
    if query.phone and query.phone in fields.phones:
        return "phone"
    if query.linkedin and query.linkedin == fields.linkedin_url:
        return "linkedin_url"
    if fields.name and fold(fields.name) == fold(query.text):
        return "name"
    return ""


def contact_candidate(
    query: Query, fields: ContactFields, score: float, in_name: bool
) -> Candidate:
    """A contact whose fields hold every word (``in_name``: its name holds them all);
    ``score`` is its BM25."""
    exact = _exact_field(query, fields)
    if exact:
        return Candidate(fields, Tier.EXACT, score, field=exact)
    if in_name:
        starts = fold(fields.name).startswith(fold(query.text))
        return Candidate(fields, Tier.NAME_START if starts else Tier.NAME, score)
    return Candidate(fields, Tier.FIELD, score)


def name_holds(query: Query, fields: ContactFields) -> bool:
    """Whether the contact's name holds every word of the query."""
    return len(matched_terms(query.terms, fields.name)) == len(query.terms)


def fields_hold(query: Query, fields: ContactFields) -> set[int]:
    """Indexes of the query's terms that the contact's fields hold."""
    held: set[int] = set()
    for field, values in _field_values(fields).items():
        for value in values:
            if field == "phone":
                held |= {i for i, t in enumerate(query.terms) if phone_matches(t, value)}
            elif value:
                held |= matched_terms(query.terms, value)
    return held


def split_tier(query: Query, text: str, held: set[int]) -> Tier | None:
    """The tier of a touch of a contact whose fields hold the terms ``held`` (some, not
    all): ``MESSAGE_AND_FIELDS`` when its text holds every other term (``MESSAGE`` when
    it holds them all), else ``None``."""
    missing = [t for i, t in enumerate(query.terms) if i not in held]
    if not missing or not may_hold(missing, text):
        return None
    in_text = matched_terms(query.terms, text)
    if len(in_text) == len(query.terms):
        return Tier.MESSAGE
    if len(in_text | held) == len(query.terms):
        return Tier.MESSAGE_AND_FIELDS
    return None


def rank(candidates: Iterable[Candidate], per_contact: bool = False) -> list[Candidate]:
    """Candidates in rank order, each once; with ``per_contact``, each contact's best."""
    seen: set[tuple[int, int | None]] = set()
    ranked = []
    for candidate in sorted(candidates, key=Candidate.sort_key):
        key = (candidate.contact.id, None if per_contact else candidate.touch_id)
        if key not in seen:
            seen.add(key)
            ranked.append(candidate)
    return ranked


def _best_field(query: Query, fields: ContactFields) -> tuple[str, Snippet]:
    """The field to show for a contact matched by its fields (the one holding the most
    of the query's words, ``FIELDS`` order breaking ties) and its snippet."""
    best: tuple[int, str, str] | None = None
    for field, values in _field_values(fields).items():
        for value in values:
            if not value:
                continue
            if field == "phone":
                count = sum(phone_matches(t, value) for t in query.terms)
            else:
                count = len(matched_terms(query.terms, value))
            if count and (best is None or count > best[0]):
                best = (count, field, value)
    if best is None:
        return "name", Snippet(safe(fields.name, single_line=True))
    _, field, value = best
    if field == "phone":
        return field, whole(format_phone(value))
    return field, snippet(value, query.terms)


def hit(query: Query, candidate: Candidate, text: str = "") -> SearchHit:
    """The result a candidate shows: the field that matched and its snippet (``text`` is
    the touch's, for a touch)."""
    fields = candidate.contact
    if candidate.touch_id is not None:
        field, shown = TEXT_FIELD, snippet(text, query.terms)
    elif candidate.field and candidate.field != "name":
        values = {"email": query.email, "phone": format_phone(query.phone)}
        field, shown = candidate.field, whole(values.get(candidate.field, query.linkedin))
    elif candidate.tier <= Tier.NAME:
        field, shown = "name", snippet(fields.name, query.terms)
    else:
        field, shown = _best_field(query, fields)
    return SearchHit(
        fields.id,
        fields.name,
        field,
        shown,
        candidate.tier,
        candidate.touch_id,
        candidate.at,
        candidate.channel,
        fields.company,
    )
