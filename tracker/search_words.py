"""How the words of a search match a text, as the full-text index sees them: a word is a
run of letters and digits, accents and case ignored; a query's word matches where its
tokens appear in a row, the last one as the start of a word (``ann.lee415`` matches
``ann.lee415@example.com``; ``pil`` matches "pilot"). A word that looks like a phone
number matches a phone that ends with it. Also the snippet shown around a match.

Pure functions: the index decides what matches; these say where, to show it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.text import safe

SNIPPET_WIDTH = 70
"""Characters of context shown around a match."""

_TOKEN = re.compile(r"[^\W_]+")
"""A word as SQLite's ``unicode61`` tokenizer sees one: a run of letters and digits."""


@dataclass(frozen=True)
class Term:
    """One word of a query: as typed, its folded tokens, and the digits a phone must end
    with when it looks like a phone number (else empty)."""

    text: str
    tokens: tuple[str, ...]
    phone: str = ""


@dataclass(frozen=True)
class Snippet:
    """A line of the matched text, and where in it the query's words are (start, end)."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


def fold_token(token: str) -> str:
    """Text as the index keeps it: accents removed, case folded."""
    if token.isascii():
        return token.lower()
    bare = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    return bare.casefold()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """``(folded token, start, end)`` of each word in ``text``."""
    return [(fold_token(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spans(term: Term, found: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Where ``term``'s tokens appear in a row (the last as a prefix, unless the term is
    a phone number) among the tokens ``found``."""
    want = term.tokens
    if not want:
        return []
    hits = []
    for i in range(len(found) - len(want) + 1):
        window = found[i : i + len(want)]
        if any(window[j][0] != want[j] for j in range(len(want) - 1)):
            continue
        last = window[-1][0]
        if last == want[-1] if term.phone else last.startswith(want[-1]):
            hits.append((window[0][1], window[-1][2]))
    return hits


def phone_matches(term: Term, phone: str) -> bool:
    """Whether the stored (E.164) ``phone`` is, or ends with, the phone term."""
    return bool(term.phone) and phone.lstrip("+").endswith(term.phone)


def matched_terms(terms: Iterable[Term], text: str) -> set[int]:
    """Indexes of the terms found in ``text``."""
    found = tokens(text)
    return {i for i, term in enumerate(terms) if spans(term, found)}


def may_hold(terms: Iterable[Term], text: str) -> bool:
    """A quick necessary test: ``text`` contains each term's first token somewhere."""
    folded = fold_token(text)
    return all(t.tokens[0] in folded for t in terms)


def has_literals(words: Sequence[str], texts: Iterable[str]) -> bool:
    """Whether every word (punctuation alone) appears as typed, case ignored, in one of
    ``texts``."""
    if not words:
        return True
    haystack = "\n".join(texts).casefold()
    return all(word.casefold() in haystack for word in words)


def snippet(text: str, terms: Sequence[Term], width: int = SNIPPET_WIDTH) -> Snippet:
    """The part of ``text`` (on one line) around the first match of a term, about
    ``width`` characters, cut at word boundaries with "…", and the matches in it."""
    line = safe(text, single_line=True)
    found = tokens(line)
    marks = sorted({span for term in terms for span in spans(term, found)})
    if len(line) <= width or not marks:
        start, end = 0, min(len(line), width)
    else:
        start = max(0, marks[0][0] - width // 3)
        end = min(len(line), start + width)
        start = max(0, min(start, end - width))
    if start > 0:
        space = line.find(" ", start)
        start = space + 1 if 0 <= space < marks[0][0] else start
    if end < len(line):
        space = line.rfind(" ", start, end)
        end = space if space > start and (not marks or space >= marks[0][1]) else end
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    shift = len(lead) - start
    kept = tuple((a + shift, b + shift) for a, b in marks if a >= start and b <= end)
    return Snippet(lead + line[start:end] + tail, kept)


def whole(value: str) -> Snippet:
    """``value`` matched as a whole (a phone number, an email address)."""
    line = safe(value, single_line=True)
    return Snippet(line, ((0, len(line)),))


def lead_in(shown: Snippet, before: int) -> Snippet:
    """``shown`` with at most about ``before`` characters ahead of its first match (cut at
    a word, marked "…"), for a narrow column that cuts the end off."""
    if not shown.marks or shown.marks[0][0] <= before:
        return shown
    first = shown.marks[0][0]
    space = shown.text.find(" ", first - before, first)
    start = space + 1 if space != -1 else first - before
    shift = 1 - start
    marks = tuple((a + shift, b + shift) for a, b in shown.marks if a >= start)
    return Snippet("…" + shown.text[start:], marks)
