"""Search queries: what a typed query means (``parse``), and the FTS5 queries of the
search index it becomes. Pure functions; the store runs these queries.

A query is split into words, and **every word must match**: in any field of the contact
(each word may match a different one) or in the text of one of their touches. Words
match the start of a word, accents and case ignored (``ivan st`` finds Ivan Stark;
``ann.lee415`` is ``ann`` then ``lee415``, as in her email: ``search_words``). Digits
match a phone number only when the word (or the whole query) looks like a phone number
(seven digits or more, in phone punctuation): then a number that is, or ends with, it.
``%`` and ``_`` are plain characters, never wildcards; a word of punctuation alone must
appear as typed in what it matches, and a query of nothing else finds nothing.

Kept apart from how results rank and what they show (``search``), which reads a parsed
``Query`` and never builds index syntax.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.errors import UsageError
from tracker.identity import looks_like_phone, normalize_email, normalize_linkedin, try_phone
from tracker.search_words import Term, tokens

MESSAGE_PREFIX = 2
"""Letters a word needs to match the start of a word in messages (shorter: whole words)."""
MAX_TERMS = 8
"""Words of a query used; the rest are ignored (a search is not a document)."""


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
