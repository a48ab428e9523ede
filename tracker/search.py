"""Search: what a query means, and how its results rank. Pure functions; the store runs
the full-text queries these build, and the service puts the two together.

A query is split into words, and **every word must match**: in any field of the contact
(each word may match a different one) or in the text of one of their touches. Words are
matched as the start of a word in the text, accents and case ignored (``ivan st`` finds
Ivan Stark; ``ann.lee415`` is the words ``ann`` and ``lee415`` in a row, as in her
email). Digits match a phone number only when the word (or the whole query) looks like a
phone number (seven digits or more, in phone punctuation): then it matches a number that
is, or ends with, it. ``%`` and ``_`` are plain characters, never wildcards; a word of
punctuation alone must appear as typed in what it matches.

Results rank in tiers: the exact name or an exact phone, email or LinkedIn URL first,
then contacts whose name holds every word, then matches in their other fields, then the
text of their touches (every word in one message first, then messages that hold some
words while the contact's fields hold the rest); within a tier by BM25 relevance, then
newest first.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
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
from tracker.text import safe

MESSAGE_WINDOW = 1_000
"""Messages scored per query: a word found in more messages than this ranks the ones
recorded last (scoring every message that says "thanks" would not answer in 50 ms)."""
MIXED_CONTACTS = 200
"""Contacts whose fields hold part of a query whose messages are read for the rest."""
MIXED_TOUCHES = 5_000
"""Messages read, newest first, when the query's words are split between a contact's
fields and their messages."""
MAX_TERMS = 8
"""Words of a query used; the rest are ignored (a search is not a document)."""
LIST_LIMIT = 500
"""Contacts a search lists at most in the app's contacts list (the best ones)."""
SNIPPET_WIDTH = 70
"""Characters of context shown around a match."""

FIELDS = ("name", "email", "phone", "company", "title", "tags", "linkedin_url", "notes")
"""A contact's searchable fields, in the order a match is preferred for showing."""
TEXT_FIELD = "text"
"""The field of a touch match (the touch's text)."""

_TOKEN = re.compile(r"[^\W_]+")
"""A word as SQLite's ``unicode61`` tokenizer sees one: a run of letters and digits."""


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
class Term:
    """One word of a query: as typed, its folded tokens, and the digits a phone must end
    with when it looks like a phone number (else empty)."""

    text: str
    tokens: tuple[str, ...]
    phone: str = ""


@dataclass(frozen=True)
class Query:
    """A parsed query. ``email``, ``phone`` and ``linkedin`` are set when the whole query
    is one (normalised), for the exact tier."""

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
class TouchText:
    """What search reads of a touch."""

    id: int
    contact_id: int
    at: datetime
    channel: Channel
    text: str


@dataclass(frozen=True)
class Snippet:
    """A line of the matched text, and where in it the query's words are (start, end)."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One result: a contact matched by its fields (``touch_id`` is ``None``) or by one
    of its touches."""

    contact_id: int
    contact: str
    field: str
    snippet: Snippet
    tier: Tier
    score: float = 0.0
    touch_id: int | None = None
    at: datetime | None = None
    channel: Channel | None = None
    company: str = ""

    def sort_key(self) -> tuple[int, float, float, str, int, int]:
        """Tier, relevance (BM25: lower is better), newest first, name, ids."""
        newest = -self.at.timestamp() if self.at else 0.0
        return (
            self.tier,
            self.score,
            newest,
            fold(self.contact),
            self.contact_id,
            self.touch_id or 0,
        )


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
def fold_token(token: str) -> str:
    """A token as the index keeps it: accents removed, case folded."""
    if token.isascii():
        return token.lower()
    bare = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    return bare.casefold()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """``(folded token, start, end)`` of each word in ``text``."""
    return [(fold_token(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phone_term(text: str, region: str) -> Term:
    """A word that looks like a phone number: the number it is, when it is a valid one
    in ``region`` or with its country code, else its digits less any leading zeros (a
    trunk prefix: ``07700 900123`` ends ``+447700900123``)."""
    e164 = try_phone(text, region)
    digits = e164[1:] if e164 else _digits(text).lstrip("0")
    return Term(text, tuple(t for t, _, _ in tokens(text)), digits)


def parse(text: str, region: str) -> Query:
    """The query ``text`` means, with phone numbers read in ``region``."""
    typed = " ".join(text.split())
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
            whole = try_phone(typed, region) or ""
            return Query(typed, (term,), phone=whole)
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


def full_name_match(query: Query) -> str | None:
    """FTS5 query of names holding the whole query in a row (exact-name candidates)."""
    if not query.terms or any(t.phone for t in query.terms):
        return None
    return "name : " + _phrase(" ".join(t.text for t in query.terms), False)


def text_match(terms: Sequence[Term]) -> str:
    """FTS5 query of the touch index: every term in the text."""
    return " AND ".join(_phrase(t.text, not t.phone) for t in terms)


def splits(terms: Sequence[Term]) -> list[tuple[tuple[Term, ...], tuple[Term, ...]]]:
    """Each way to share the terms between a touch's text (first, never empty) and its
    contact's fields (second, never empty), for queries of two words or more."""
    found = []
    count = len(terms)
    if count < 2 or count > 4:  # four words: 14 ways; more would cost more than it finds
        return []
    for mask in range(1, (1 << count) - 1):
        in_text = tuple(t for i, t in enumerate(terms) if mask >> i & 1)
        in_fields = tuple(t for i, t in enumerate(terms) if not mask >> i & 1)
        found.append((in_text, in_fields))
    return found


# -- matching text in Python (which field, where) -------------------------------------
def _spans(term: Term, found: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Where ``term``'s tokens appear in a row (the last as a prefix, unless the term is
    a phone number) among ``found``."""
    want = term.tokens
    if not want:
        return []
    spans = []
    for i in range(len(found) - len(want) + 1):
        window = found[i : i + len(want)]
        head_ok = all(window[j][0] == want[j] for j in range(len(want) - 1))
        last = window[-1][0]
        last_ok = last == want[-1] if term.phone else last.startswith(want[-1])
        if head_ok and last_ok:
            spans.append((window[0][1], window[-1][2]))
    return spans


def _phone_matches(term: Term, phone: str) -> bool:
    return bool(term.phone) and phone.lstrip("+").endswith(term.phone)


def matched_terms(terms: Iterable[Term], text: str) -> set[int]:
    """Indexes of the terms found in ``text``."""
    found = tokens(text)
    return {i for i, term in enumerate(terms) if _spans(term, found)}


def has_literals(query: Query, texts: Iterable[str]) -> bool:
    """Whether every punctuation-only word of the query appears, as typed (case
    ignored), in one of ``texts``."""
    if not query.literals:
        return True
    haystack = "\n".join(texts).casefold()
    return all(word.casefold() in haystack for word in query.literals)


def snippet(text: str, terms: Sequence[Term], width: int = SNIPPET_WIDTH) -> Snippet:
    """The part of ``text`` (on one line) around the first match of a term, about
    ``width`` characters, cut at word boundaries with "…", and the matches in it."""
    line = safe(text, single_line=True)
    found = tokens(line)
    marks = sorted({span for term in terms for span in _spans(term, found)})
    if len(line) <= width or not marks:
        start, end = 0, min(len(line), width)
    else:
        first = marks[0][0]
        start = max(0, first - width // 3)
        end = min(len(line), start + width)
        start = max(0, min(start, end - width))
    if start > 0:
        space = line.find(" ", start)
        start = space + 1 if 0 <= space < marks[0][0] else start
    if end < len(line):
        space = line.rfind(" ", start, end)
        end = space if space > start and (not marks or space >= marks[0][1]) else end
    excerpt = line[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    shift = len(lead) - start
    kept = tuple((a + shift, b + shift) for a, b in marks if a >= start and b <= end)
    return Snippet(lead + excerpt + tail, kept)


def _whole(value: str) -> Snippet:
    """``value`` matched as a whole (a phone number, an email address)."""
    line = safe(value, single_line=True)
    return Snippet(line, ((0, len(line)),))


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


def _exact(query: Query, fields: ContactFields) -> tuple[str, str] | None:
    """(field, value) when the query is the contact's name or one of its identifiers."""
    if query.email and query.email in fields.emails:
        return "email", query.email
    if query.phone and query.phone in fields.phones:
        return "phone", query.phone
    if query.linkedin and query.linkedin == fields.linkedin_url:
        return "linkedin_url", query.linkedin
    if fields.name and fold(fields.name) == fold(query.text):
        return "name", fields.name
    return None


def fields_hold(query: Query, fields: ContactFields) -> set[int]:
    """Indexes of the query's terms that the contact's fields hold."""
    held: set[int] = set()
    for field, values in _field_values(fields).items():
        for value in values:
            if field == "phone":
                held |= {i for i, t in enumerate(query.terms) if _phone_matches(t, value)}
            elif value:
                held |= matched_terms(query.terms, value)
    return held


def best_field(query: Query, fields: ContactFields) -> tuple[str, Snippet]:
    """The field to show for a contact matched by its fields (the one holding the most
    of the query's words, ``FIELDS`` order breaking ties) and its snippet."""
    best: tuple[int, str, str] | None = None
    for field, values in _field_values(fields).items():
        for value in values:
            if not value:
                continue
            if field == "phone":
                count = sum(_phone_matches(t, value) for t in query.terms)
            else:
                count = len(matched_terms(query.terms, value))
            if count and (best is None or count > best[0]):
                best = (count, field, value)
    if best is None:
        return "name", Snippet(safe(fields.name, single_line=True))
    _, field, value = best
    if field == "phone":
        return field, _whole(format_phone(value))
    return field, snippet(value, query.terms)


def contact_hit(query: Query, fields: ContactFields, score: float, in_name: bool) -> SearchHit:
    """The result for a contact whose fields match every word (``in_name``: its name
    holds them all); ``score`` is its BM25."""
    exact = _exact(query, fields)
    if exact is not None:
        field, value = exact
        if field == "name":
            shown = snippet(value, query.terms)
        else:
            shown = _whole(format_phone(value) if field == "phone" else value)
        return SearchHit(
            fields.id, fields.name, field, shown, Tier.EXACT, score, company=fields.company
        )
    if in_name:
        starts = fold(fields.name).startswith(fold(query.text))
        tier = Tier.NAME_START if starts else Tier.NAME
        shown = snippet(fields.name, query.terms)
        return SearchHit(fields.id, fields.name, "name", shown, tier, score, company=fields.company)
    field, shown = best_field(query, fields)
    return SearchHit(
        fields.id, fields.name, field, shown, Tier.FIELD, score, company=fields.company
    )


def text_holds(query: Query, text: str) -> set[int]:
    """Indexes of the query's terms that ``text`` holds. ASCII text that does not even
    contain a term's first word is passed over without splitting it into words."""
    if text.isascii():
        lowered = text.lower()
        if not any(t.tokens and t.tokens[0] in lowered for t in query.terms):
            return set()
    return matched_terms(query.terms, text)


def touch_tier(query: Query, in_text: set[int], held: set[int]) -> Tier | None:
    """The tier of a touch whose text holds the terms ``in_text`` while its contact's
    fields hold ``held``: ``None`` when that is not every word, or none is in the text."""
    if not in_text:
        return None
    if len(in_text) == len(query.terms):
        return Tier.MESSAGE
    if len(in_text | held) == len(query.terms):
        return Tier.MESSAGE_AND_FIELDS
    return None


def touch_hit(
    query: Query, touch: TouchText, contact: ContactFields, tier: Tier, score: float = 0.0
) -> SearchHit:
    """The result for a touch; ``score`` is its BM25 (0, ranking last in its tier, when
    the index did not score it)."""
    return SearchHit(
        touch.contact_id,
        contact.name,
        TEXT_FIELD,
        snippet(touch.text, query.terms),
        tier,
        score,
        touch.id,
        touch.at,
        touch.channel,
        contact.company,
    )


def rank(hits: Iterable[SearchHit], per_contact: bool = False) -> list[SearchHit]:
    """Hits in rank order, each once; with ``per_contact``, only each contact's best."""
    ordered = sorted(hits, key=SearchHit.sort_key)
    seen: set[tuple[int, int | None]] = set()
    unique = []
    for hit in ordered:
        key = (hit.contact_id, None if per_contact else hit.touch_id)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique
