"""The other end of a call, an email, a meeting or a chat: the contact it is, resolved once
per number, address or name (a file repeats the same few people thousands of times).

A number or an address is matched as the other end of a message (``counterpart``: any
of a contact's numbers or addresses is theirs, whatever name the file shows); a bare
name (a WhatsApp chat named after a saved contact) matches the contact with exactly that
name. With ``--create-contacts`` someone who matches nobody becomes a contact, named from
the file; without it they are counted once in the summary's ``unmatched``.
"""

from __future__ import annotations

from tracker.errors import UsageError
from tracker.identity import normalize_email
from tracker.service.imports import ImportSession, Person

_UNSEEN = object()


class Counterparts:
    """Contacts by E.164 number, lower-case address or name, for one import."""

    def __init__(self, session: ImportSession) -> None:
        self.session = session
        self.create = session.options.create_contacts
        self._phones: dict[str, str | None] = {}
        self._found: dict[tuple[str, str], int | None] = {}

    def phone(self, raw: str) -> str | None:
        """E.164 for a number as the file wrote it (``None``: not a valid number)."""
        found = self._phones.get(raw, _UNSEEN)
        if found is _UNSEEN:
            found = self._phones[raw] = self.session.phone(raw)
        return found  # type: ignore[return-value]

    def by_phone(self, phone: str, name: str = "") -> int | None:
        """The contact with this (E.164) number; ``name`` names a new one."""
        return self._resolve("number", phone, Person(name=name or phone, phone=phone))

    def by_email(self, address: str, name: str = "") -> int | None:
        """The contact with this address; ``name`` names a new one. An address that is
        not one matches nobody and makes no contact."""
        found = self._found.get(("address", address), _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        try:
            clean = normalize_email(address)
        except UsageError:
            self.session.summary.dropped["invalid email"] += 1
            self._found[("address", address)] = None
            return None
        return self._resolve("address", clean, Person(name=name or clean, email=clean))

    def by_name(self, name: str) -> int | None:
        """The one contact with exactly this full name (any case)."""
        return self._resolve("name", name.casefold(), Person(name=name), counterpart=False)

    def _resolve(self, kind: str, key: str, person: Person, counterpart: bool = True) -> int | None:
        found = self._found.get((kind, key), _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        found = self.session.resolve(person, create=self.create, counterpart=counterpart)
        self._found[(kind, key)] = found
        if found is None:
            self.session.summary.unmatched[kind] += 1
        return found
