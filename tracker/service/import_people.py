"""A person as a file describes them (``Person``, raw strings), and the validated record an
import matches and writes (``Cleaner``): names split, identifiers normalised and
labelled, an invalid phone, email or URL dropped and counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tracker.errors import UsageError
from tracker.identity import (
    normalize_email,
    normalize_linkedin,
    primary_first,
    split_name,
    try_phone,
)
from tracker.models import CONTACT_TEXT_FIELDS, DEFAULT_LABELS, IDENTIFIER_KINDS
from tracker.service.identity_index import LISTS, Record
from tracker.service.import_fields import EXTRA_FIELDS
from tracker.service.import_report import ImportSummary

Labelled = list[tuple[str, str]]
"""Raw ``(value, label)`` pairs as a file gives them (a label may be "": not said)."""


_FOLLOW_UP_DETAIL = frozenset({"follow_up_reason", "follow_up_set_at"})
"""Extras that mean nothing without a follow-up date."""


@dataclass
class Person:
    """A person as a file describes them, before validation (raw strings).

    Its plain fields are the contact's text fields (``CONTACT_TEXT_FIELDS``, which a test
    holds this class to). ``phone`` and ``email`` are a number and an address with no
    label given (the primary, when the file says which); ``phones`` and ``emails`` are
    labelled ones. All of them are kept; without a plain one, the primary is the first
    mobile, else the first."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""
    linkedin_url: str = ""
    notes: str = ""
    phones: Labelled = field(default_factory=list)
    emails: Labelled = field(default_factory=list)
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    linkedin_connected_on: str = ""
    segment: str = ""
    relationship: str = ""
    keep_in_touch_days: str = ""
    sms_opt_in_at: str = ""
    sms_opt_out_at: str = ""
    follow_up_on: str = ""
    follow_up_reason: str = ""
    follow_up_set_at: str = ""
    key_dates: str = ""
    """As the file writes them: ``birthday:1988-05-12; renewal:--03-01``, or a date alone
    (``1988-05-12``, ``--05-12``, ``5/12/1988``), a birthday."""

    @property
    def has_extras(self) -> bool:
        """Whether the record carries any field beyond names and identifiers."""
        return any(getattr(self, key) for key in EXTRA_FIELDS if key not in _FOLLOW_UP_DETAIL)

    def extras(self) -> dict[str, str]:
        """The cells of the fields beyond names and identifiers (``import_fields``)."""
        return {key: getattr(self, key) for key in EXTRA_FIELDS}


_SPECIAL = frozenset({"name", "notes", "linkedin_url", *IDENTIFIER_KINDS})


class Cleaner:
    """Turns ``Person``s into records, with caches: the same numbers and profile URLs
    repeat thousands of times in a message history."""

    def __init__(self, region: str, summary: ImportSummary) -> None:
        self.region = region
        self.summary = summary
        self._phones: dict[str, str | None] = {}
        self._urls: dict[str, str | None] = {}

    def phone(self, raw: str) -> str | None:
        """E.164 for ``raw``, ``None`` when it is not a valid number."""
        text = raw.strip()
        if text not in self._phones:
            self._phones[text] = try_phone(text, self.region) if text else None
        return self._phones[text]

    def linkedin(self, raw: str) -> str | None:
        """The canonical profile URL for ``raw``, ``None`` when it is not one."""
        text = raw.strip()
        if text not in self._urls:
            try:
                self._urls[text] = normalize_linkedin(text) if text else None
            except UsageError:
                self._urls[text] = None
        return self._urls[text]

    def record(self, person: Person) -> Record:
        """The validated record: contact fields (``phone``/``email`` the primaries), with
        ``phones``/``emails`` lists; what is invalid is dropped and counted."""
        fields: dict[str, Any] = {}
        for key in CONTACT_TEXT_FIELDS:
            raw = getattr(person, key)
            if key not in _SPECIAL and raw:
                value = " ".join(raw.split())
                if value:
                    fields[key] = value
        if person.notes.strip():
            fields["notes"] = person.notes.strip()
        for kind, key in LISTS.items():
            fields[key] = self._identifiers(kind, getattr(person, kind), getattr(person, key))
            if fields[key]:
                fields[kind] = fields[key][0][0]
        if person.linkedin_url.strip():
            url = self.linkedin(person.linkedin_url)
            if url:
                fields["linkedin_url"] = url
            else:
                self.summary.dropped["invalid LinkedIn URL"] += 1
        name = " ".join(person.name.split())
        if not name:
            name = " ".join(f"{person.first_name} {person.last_name}".split())
        if name:
            fields["name"] = name
            if "first_name" not in fields and "last_name" not in fields:
                first, last = split_name(name)
                fields.update({k: v for k, v in (("first_name", first), ("last_name", last)) if v})
        return fields

    def _identifiers(self, kind: str, plain: str, labelled: Labelled) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, the primary first: ``plain`` when the file gives one
        apart (it says which is primary), else the first mobile, else the first."""
        if not labelled and not plain:
            return []
        first = self._valid(kind, plain) if plain.strip() else None
        found: dict[str, str] = {}
        for raw, label in labelled:
            value = self._valid(kind, raw) if raw.strip() else None
            if value is not None:
                found.setdefault(value, label or DEFAULT_LABELS[kind])
        if first is None:
            return primary_first(list(found.items()))
        label = found.pop(first, DEFAULT_LABELS[kind])
        return [(first, label), *found.items()]

    def _valid(self, kind: str, raw: str) -> str | None:
        """The normalised phone or email, ``None`` (counted) when it is not one."""
        if kind == "phone":
            value = self.phone(raw)
        else:
            try:
                value = normalize_email(raw)
            except UsageError:
                value = None
        if value is None:
            self.summary.dropped[f"invalid {kind}"] += 1
        return value
