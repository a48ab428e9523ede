"""Who holds what, for one import: every contact's LinkedIn URL, phones and emails, and
their names and companies folded for comparing; and which contact a record is, in the
order DOMAIN.md sets ("Imports and identity"):

1. the LinkedIn URL; 2. any email; 3. any phone, unless something conflicts (both sides
have emails, or URLs, and they differ; both have first names and they differ); 4. name and
company, both present and equal after folding, when no identifier conflicts; 5. for a
record with no identifier and no company, exactly the same full name.

A record that is the other end of a message (a number that texted, a profile that wrote)
is matched on its identifiers alone: a text from any of a contact's numbers is theirs,
whatever name the phone had saved for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tracker.identity import first_name_key, fold, fold_company
from tracker.models import IDENTIFIER_KINDS, IDENTIFIER_LISTS

Record = dict[str, Any]
"""A record as ``ImportSession.clean`` makes it: contact fields, plus ``phones`` and
``emails`` as ``(value, label)`` lists, the primary first."""
KEYS = ("linkedin_url", *IDENTIFIER_KINDS)
LISTS = IDENTIFIER_LISTS
SHARED = -1
"""What a name (or name and company) maps to when several contacts have it."""


def has_identifier(record: Record) -> bool:
    return bool(record.get("linkedin_url") or record.get("phones") or record.get("emails"))


class IdentityIndex:
    """Owners of every identifier, and contacts by name and by name and company.

    ``people`` is the import's view of each contact's fields by id (name, first name,
    company, LinkedIn URL...), shared with the session, which keeps it current."""

    def __init__(
        self, people: dict[int, dict[str, Any]], identifiers: Iterable[tuple[int, str, str]]
    ) -> None:
        self.people = people
        self.owner: dict[str, dict[str, int]] = {key: {} for key in KEYS}
        self.held: dict[int, dict[str, set[str]]] = {}
        self.names: dict[str, int] = {}
        self._name_company: dict[tuple[str, str], int] | None = None
        for contact_id, row in people.items():
            self.add_person(contact_id, row)
        for contact_id, kind, value in identifiers:
            self.add(contact_id, kind, value)

    # -- keeping it current --------------------------------------------------------
    def add(self, contact_id: int, kind: str, value: str) -> None:
        """``value`` (a URL, phone or email) is now the contact's."""
        self.owner[kind][value] = contact_id
        if kind in LISTS:
            self.held.setdefault(contact_id, {}).setdefault(kind, set()).add(value)

    def add_person(self, contact_id: int, row: dict[str, Any]) -> None:
        """Index a contact's name, name and company, and LinkedIn URL."""
        name = row.get("name") or ""
        key = name.casefold()
        self.names[key] = SHARED if key in self.names else contact_id
        self.add_company(contact_id, row)
        if row.get("linkedin_url"):
            self.owner["linkedin_url"][row["linkedin_url"]] = contact_id

    def add_company(self, contact_id: int, row: dict[str, Any]) -> None:
        """Index the contact by name and company (once both are known)."""
        if self._name_company is not None:
            self._index_company(self._name_company, contact_id, row)

    @property
    def name_company(self) -> dict[tuple[str, str], int]:
        """Contacts by folded name and company: built when a record first needs it (a
        re-import, matched on identifiers, never does)."""
        if self._name_company is None:
            self._name_company = {}
            for contact_id, row in self.people.items():
                self._index_company(self._name_company, contact_id, row)
        return self._name_company

    @staticmethod
    def _index_company(
        index: dict[tuple[str, str], int], contact_id: int, row: dict[str, Any]
    ) -> None:
        if row.get("name") and row.get("company"):
            pair = (fold(row["name"]), fold_company(row["company"]))
            found = index.get(pair)
            index[pair] = contact_id if found in (None, contact_id) else SHARED

    def holds(self, contact_id: int, kind: str) -> set[str]:
        """The contact's phones or emails."""
        return self.held.get(contact_id, {}).get(kind, set())

    # -- matching --------------------------------------------------------------------
    def match(self, record: Record, counterpart: bool = False) -> int | None:
        """The contact ``record`` is, or ``None`` (see the module's docstring)."""
        url = record.get("linkedin_url")
        if url and url in self.owner["linkedin_url"]:
            return self.owner["linkedin_url"][url]
        for value, _ in record.get("emails", ()):
            if value in self.owner["email"]:
                return self.owner["email"][value]
        for value, _ in record.get("phones", ()):
            found = self.owner["phone"].get(value)
            if found is not None and (counterpart or not self.conflicts(record, found, True)):
                return found
        if counterpart:
            return None
        name, company = record.get("name"), record.get("company")
        if name and company:
            found = self.name_company.get((fold(name), fold_company(company)))
            if found is not None and found != SHARED and not self.conflicts(record, found):
                return found
        elif name and not has_identifier(record):
            found = self.names.get(name.casefold())
            if found is not None and found != SHARED:
                return found
        return None

    def conflicts(self, record: Record, contact_id: int, names: bool = False) -> bool:
        """Whether ``record`` cannot be the contact: both have LinkedIn URLs, or emails,
        and they differ; with ``names``, both have first names and they differ."""
        person = self.people.get(contact_id, {})
        url, theirs = record.get("linkedin_url"), person.get("linkedin_url")
        if url and theirs and url != theirs:
            return True
        emails = {value for value, _ in record.get("emails", ())}
        held = self.holds(contact_id, "email")
        if emails and held and not emails & held:
            return True
        if names:
            mine = first_name_key(record.get("first_name") or "", record.get("name") or "")
            other = first_name_key(person.get("first_name") or "", person.get("name") or "")
            return bool(mine and other and mine != other)
        return False
