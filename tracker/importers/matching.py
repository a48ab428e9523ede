"""One import's view of the database: records become contacts (matched on LinkedIn URL,
then phone, then email, then an exact name when there is no identifier), existing
contacts are enriched (empty fields only), and touches go in by the thousand.

Everything here runs inside the import's single transaction; the identity index is read
once, so no imported row costs a query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.errors import UsageError
from tracker.identity import normalize_email, normalize_linkedin, split_name, try_phone
from tracker.importers.common import ImportOptions, ImportSummary
from tracker.service import Tracker
from tracker.store.imports import FILLABLE_FIELDS
from tracker.timeutil import from_stored, to_stored

IDENTITY_KEYS = ("linkedin_url", "phone", "email")


@dataclass
class Person:
    """A person as a file describes them, before validation (raw strings)."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""
    linkedin_url: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None


class ImportSession:
    """Matching, creating and enriching contacts, and adding touches, for one import."""

    def __init__(self, tracker: Tracker, summary: ImportSummary, options: ImportOptions):
        self.tracker = tracker
        self.store = tracker.store
        self.settings = tracker.settings
        self.tz = tracker.tz
        self.summary = summary
        self.options = options
        self.index = self.store.identity_index()
        self.fields = self.store.fillable_fields()
        self._phones: dict[str, str | None] = {}
        self._updated: set[int] = set()
        self._stops: dict[int, datetime] = {}

    # -- identifiers -------------------------------------------------------------------
    def phone(self, raw: str) -> str | None:
        """E.164 for ``raw`` (cached: the same numbers repeat thousands of times)."""
        text = raw.strip()
        if text not in self._phones:
            self._phones[text] = try_phone(text, self.settings.default_region) if text else None
        return self._phones[text]

    def clean(self, person: Person) -> dict[str, Any]:
        """Validated contact fields; an invalid phone, email or URL is dropped and counted."""
        fields: dict[str, Any] = {}
        for key in ("first_name", "last_name", "company", "title", "notes"):
            value = " ".join(getattr(person, key).split()) if key != "notes" else person.notes
            if value.strip():
                fields[key] = value.strip()
        if person.phone.strip():
            phone = self.phone(person.phone)
            if phone:
                fields["phone"] = phone
            else:
                self.summary.dropped["invalid phone"] += 1
        if person.email.strip():
            try:
                fields["email"] = normalize_email(person.email)
            except UsageError:
                self.summary.dropped["invalid email"] += 1
        if person.linkedin_url.strip():
            try:
                fields["linkedin_url"] = normalize_linkedin(person.linkedin_url)
            except UsageError:
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

    def match(self, fields: dict[str, Any]) -> int | None:
        """The contact these fields mean: URL, then phone, then email, then exact name
        when there is no identifier at all. ``None`` when nobody matches."""
        for key in IDENTITY_KEYS:
            value = fields.get(key)
            if value and value in self.index[key]:
                return self.index[key][value]
        if not any(fields.get(k) for k in IDENTITY_KEYS) and fields.get("name"):
            found = self.index["name"].get(fields["name"].casefold())
            if found is not None and found > 0:
                return found
        return None

    # -- contacts ----------------------------------------------------------------------
    def resolve(self, person: Person, create: bool = True, skip_as: str = "") -> int | None:
        """The id of the contact ``person`` is: matched and enriched, or created when
        ``create``. ``None`` (counted under ``skip_as``) when it is neither."""
        fields = self.clean(person)
        found = self.match(fields)
        if found is not None:
            self.enrich(found, fields)
            return found
        if not create:
            if skip_as:
                self.summary.skipped[skip_as] += 1
            return None
        if not fields.get("name"):
            fallback = fields.get("email") or fields.get("phone") or _slug(fields)
            if not fallback:
                self.summary.skipped["no name and no identifier"] += 1
                return None
            fields["name"] = fallback
        shared = self.index["name"].get(fields["name"].casefold()) == -1
        if shared and not any(fields.get(k) for k in IDENTITY_KEYS):
            self.summary.skipped["name shared by several contacts"] += 1
            return None
        return self.create(fields, person.tags, person.created_at)

    def create(
        self, fields: dict[str, Any], tags: Iterable[str] = (), at: datetime | None = None
    ) -> int:
        row = dict(fields)
        if at is not None:
            row["created_at"] = to_stored(at)
        tag_list = sorted({t.strip() for t in tags if t.strip()})
        contact_id = self.store.insert_contacts_bulk([row], [tag_list])[0]
        for key in IDENTITY_KEYS:
            if row.get(key):
                self.index[key][row[key]] = contact_id
        name_key = row["name"].casefold()
        self.index["name"][name_key] = -1 if name_key in self.index["name"] else contact_id
        self.fields[contact_id] = {k: row.get(k) for k in FILLABLE_FIELDS}
        self.fields[contact_id]["sms_opt_out_at"] = None
        self.summary.contacts_added += 1
        return contact_id

    def enrich(self, contact_id: int, fields: dict[str, Any]) -> None:
        """Fill the contact's empty fields from ``fields``; never overwrite, never take an
        identifier another contact already has."""
        current = self.fields.get(contact_id)
        if current is None:
            return
        changes: dict[str, Any] = {}
        for key in FILLABLE_FIELDS:
            value = fields.get(key)
            if not value or current.get(key):
                continue
            if key in IDENTITY_KEYS and self.index[key].get(value, contact_id) != contact_id:
                self.summary.dropped[f"{key.replace('_', ' ')} of another contact"] += 1
                continue
            changes[key] = value
        if not changes:
            return
        self.store.fill_empty_fields(contact_id, changes)
        current.update(changes)
        for key in IDENTITY_KEYS:
            if key in changes:
                self.index[key][changes[key]] = contact_id
        if contact_id not in self._updated:
            self._updated.add(contact_id)
            self.summary.contacts_updated += 1

    # -- touches -----------------------------------------------------------------------
    def add_touches(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert touch rows (their ``source`` makes a re-import add nothing)."""
        attempted = 0

        def counted() -> Iterator[dict[str, Any]]:
            nonlocal attempted
            for row in rows:
                attempted += 1
                yield row

        added = self.store.insert_touches_bulk(counted(), refresh=False)
        self.summary.touches_added += added
        if attempted > added:
            self.summary.skipped["already imported"] += attempted - added
        return added

    def note_stop(self, contact_id: int, at: datetime) -> None:
        """An inbound one-to-one STOP at ``at``: the contact opts out (applied at the end)."""
        previous = self._stops.get(contact_id)
        if previous is None or at > previous:
            self._stops[contact_id] = at

    def is_stop(self, text: str) -> bool:
        return text.strip().upper() in {w.upper() for w in self.settings.stop_words}

    def finish(self) -> None:
        """Record opt-outs and refresh the summaries of every contact touched."""
        for contact_id, at in sorted(self._stops.items()):
            existing = from_stored(self.fields.get(contact_id, {}).get("sms_opt_out_at"))
            if existing is not None and existing >= at:
                continue
            self.store.set_consent(contact_id, opt_out_at=at)
            self.summary.opted_out += 1
        self.store.refresh_stale()


def _slug(fields: dict[str, Any]) -> str:
    url = fields.get("linkedin_url") or ""
    return url.rsplit("/", 1)[-1] if url else ""


def touch_row(
    contact_id: int,
    channel: str,
    direction: str,
    at: datetime,
    source: str,
    text: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """A row for ``insert_touches_bulk``."""
    return {
        "contact_id": contact_id,
        "channel": str(channel),
        "direction": str(direction),
        "at": to_stored(at),
        "text": text or None,
        "source": source,
        **extra,
    }
