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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from tracker.errors import UsageError
from tracker.identity import (
    fold,
    format_phone,
    looks_like_phone,
    normalize_email,
    normalize_linkedin,
    try_phone,
)
from tracker.models import Channel, ContactRow
from tracker.search_words import (
    Snippet,
    Term,
    matched_terms,
    may_hold,
    phone_matches,
    snippet,
    tokens,
    whole,
)
from tracker.text import safe

MESSAGE_WINDOW = 1_000
"""Messages scored per query: a word found in more messages than this ranks the ones
recorded last (scoring every message that says "thanks" would not answer in 50 ms)."""
MIXED_CONTACTS = 200
"""Contacts, holding part of a query in their fields, whose messages are read for the
rest."""
MIXED_TOUCHES = 2_000
"""Their messages read, newest first."""
MESSAGE_PREFIX = 2
"""Letters a word needs to match the start of a word in messages (shorter: whole words)."""
MAX_TERMS = 8
"""Words of a query used; the rest are ignored (a search is not a document)."""
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
class Query:
    """A parsed query. ``email``, ``phone`` and ``linkedin`` are set when the whole query
    is one (normalised), for the exact tier; ``literals`` are its words of punctuation."""

    text: str
    terms: tuple[Term, ...] = ()
    literals: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    linkedin: str = ""

    @property
    def searchable(self) -> bool:
        """Whether anything can match (a query of punctuation alone cannot)."""
        return bool(self.terms)

    @property
    def initial(self) -> bool:
        """A query of one letter or digit, as the first key typed in a search box: it
        finds the names that start with it (every word of every message would match)."""
        return len(self.text) == 1 and self.searchable


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


# -- reading a query ---------------------------------------------------------------------
def _phone_term(text: str, region: str) -> Term:
    """A word that looks like a phone number: the number it is, when it is a valid one
    in ``region`` or with its country code, else its digits less any leading zeros (a
    trunk prefix: ``07911 123456`` ends ``+447911123456``)."""
    e164 = try_phone(text, region)
    digits = e164[1:] if e164 else "".join(ch for ch in text if ch.isdigit()).lstrip("0")
    return Term(text, tuple(t for t, _, _ in tokens(text)), digits)


def parse(text: str, region: str) -> Query:
    """The query ``text`` means, with phone numbers read in ``region``."""
    typed = " ".join(text.replace("\x00", " ").split())  # SQLite reads a NUL as the end
    if not typed:
        return Query("")
    exact: dict[str, str] = {}
    if "@" in typed and " " not in typed:
        with contextlib.suppress(UsageError):
            exact["email"] = normalize_email(typed)
    if "linkedin.com/" in typed.lower() and " " not in typed:
        with contextlib.suppress(UsageError):
            exact["linkedin"] = normalize_linkedin(typed)
    if looks_like_phone(typed):
        term = _phone_term(typed, region)
        if term.phone:
            return Query(typed, (term,), phone=try_phone(typed, region) or "")
    terms: list[Term] = []
    literals: list[str] = []
    for word in typed.split(" "):
        if looks_like_phone(word):
            terms.append(_phone_term(word, region))
            continue
        found = tuple(t for t, _, _ in tokens(word))
        if found:
            terms.append(Term(word, found))
        else:
            literals.append(word)
    return Query(typed, tuple(terms[:MAX_TERMS]), tuple(literals), **exact)


# -- the full-text queries -----------------------------------------------------------
CONTACT_TEXT_COLUMNS = "{name company title tags notes emails linkedin}"
"""The contact index's columns a word of text is looked for in (not ``phones``: digits
match a phone only when they look like a phone number)."""


def _phrase(text: str, prefix: bool) -> str:
    """``text`` as one FTS5 string: its words in a row, the last one a prefix."""
    return '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")


def _contact_term(term: Term) -> str:
    words = f"{CONTACT_TEXT_COLUMNS} : {_phrase(term.text, not term.phone)}"
    if term.phone:
        return f"(phones : {_phrase(term.phone, False)} OR {words})"
    return words


def contact_match(terms: Sequence[Term]) -> str:
    """FTS5 query of the contact index: every term, each in any field."""
    return " AND ".join(_contact_term(t) for t in terms)


def name_match(terms: Sequence[Term]) -> str | None:
    """FTS5 query of contacts whose name holds every term (``None`` when a term is a
    phone number)."""
    if any(t.phone for t in terms):
        return None
    return "name : (" + " AND ".join(_phrase(t.text, True) for t in terms) + ")"


def text_match(terms: Sequence[Term]) -> str:
    """FTS5 query of the touch index: every term in the text (a word of one letter as
    a whole word: as the start of one, it would read most of the messages ever sent)."""
    return " AND ".join(
        _phrase(t.text, not t.phone and len(t.tokens[-1]) >= MESSAGE_PREFIX) for t in terms
    )


def field_parts(terms: Sequence[Term]) -> list[tuple[Term, ...]]:
    """The proper parts of a query of two to four words, for contacts whose fields hold
    some words while their messages hold the rest (more words would cost more reads than
    they find)."""
    count = len(terms)
    if count < 2 or count > 4:
        return []
    return [
        tuple(t for i, t in enumerate(terms) if mask >> i & 1)
        for mask in range(1, (1 << count) - 1)
    ]


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
