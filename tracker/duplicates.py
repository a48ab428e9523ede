"""Likely duplicates: pairs of contacts an import leaves apart (existing contacts are never
merged on their own, DOMAIN.md "Imports and identity"), each with the reason, for the user
to ``merge`` or leave. A pure function of the contacts' names, companies and identifiers.

- the same name (titles, suffixes and "Last, First" aside) where one, or neither, has a
  company;
- the same phone number, held by one and written in the other's notes (a shared
  switchboard or home number), or in both their notes;
- the same name and company, with different LinkedIn URLs or emails (or none that differ).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from tracker.identity import fold_company, is_person_name, name_key


@dataclass(frozen=True)
class Someone:
    """What telling two contacts apart reads of one contact."""

    id: int
    name: str
    company: str = ""
    linkedin_url: str = ""
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    note_phones: frozenset[str] = frozenset()
    """Valid numbers written in the contact's notes, in E.164."""


@dataclass(frozen=True)
class Duplicate:
    """Two contacts that may be one person, and why (the lower id first)."""

    ids: tuple[int, int]
    names: tuple[str, str]
    reason: str

    def record(self) -> dict[str, object]:
        """As JSON shows it: ``{"ids": [A, B], "names": [..], "reason": "..."}``."""
        return {"ids": list(self.ids), "names": list(self.names), "reason": self.reason}


def find_duplicates(people: Sequence[Someone]) -> list[Duplicate]:
    """Every likely duplicate pair among ``people``, in id order; a pair with several
    reasons is listed once, its reasons joined by "; "."""
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_id = {person.id: person for person in people}

    by_name: dict[str, list[Someone]] = defaultdict(list)
    for person in people:
        if is_person_name(person.name):
            by_name[name_key(person.name)].append(person)
    for group in by_name.values():
        for a, b in _pairs(group):
            reason = _same_name(a, b)
            if reason:
                reasons[(a.id, b.id)].append(reason)

    holders: dict[str, set[int]] = defaultdict(set)
    for person in people:
        for phone in person.phones | person.note_phones:
            holders[phone].add(person.id)
    for phone in sorted(holders):
        for a, b in _pairs([by_id[i] for i in holders[phone]]):
            if name_key(a.name) == name_key(b.name):
                reasons[(a.id, b.id)].append(f"same name and phone {phone}")
            else:
                reasons[(a.id, b.id)].append(f"same phone {phone}, different names")

    return [
        Duplicate(pair, (by_id[pair[0]].name, by_id[pair[1]].name), "; ".join(found))
        for pair, found in sorted(reasons.items())
    ]


def _pairs(group: Iterable[Someone]) -> Iterable[tuple[Someone, Someone]]:
    return combinations(sorted(group, key=lambda p: p.id), 2)


def _same_name(a: Someone, b: Someone) -> str:
    if not a.company and not b.company:
        return "same name, neither has a company"
    if not a.company or not b.company:
        return "same name, one has no company"
    if fold_company(a.company) != fold_company(b.company):
        return ""  # namesakes at two companies: two people
    differ = []
    if a.linkedin_url and b.linkedin_url and a.linkedin_url != b.linkedin_url:
        differ.append("LinkedIn URLs")
    if a.emails and b.emails and not a.emails & b.emails:
        differ.append("emails")
    if differ:
        return f"same name and company, different {' and '.join(differ)}"
    return "same name and company"
