"""One import's view of the database: records become contacts (matched on LinkedIn URL,
then phone, then email, then an exact name when there is no identifier), existing
contacts are enriched (empty fields only; an opt-out is never lost: ``import_fields``),
and touches go in by the thousand.

Everything here runs inside the import's single transaction; the identity index is read
once, so no imported row costs a query of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.errors import UsageError
from tracker.identity import normalize_email, normalize_linkedin, split_name, try_phone
from tracker.service.import_fields import (
    ENRICHED_FIELDS,
    EXTRA_FIELDS,
    FollowUpRow,
    consent_changes,
    read_extras,
)
from tracker.service.import_report import ImportOptions, ImportSummary
from tracker.service.import_writer import TouchRow, TouchWriter
from tracker.service.tracker import Tracker
from tracker.timeutil import from_stored, now_utc, to_stored

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
    segment: str = ""
    relationship: str = ""
    keep_in_touch_days: str = ""
    sms_opt_in_at: str = ""
    sms_opt_out_at: str = ""
    follow_up_on: str = ""
    follow_up_reason: str = ""
    follow_up_set_at: str = ""

    @property
    def has_extras(self) -> bool:
        """Whether the record carries any field beyond names and identifiers."""
        return bool(
            self.segment
            or self.relationship
            or self.keep_in_touch_days
            or self.sms_opt_in_at
            or self.sms_opt_out_at
            or self.follow_up_on
        )

    def extras(self) -> dict[str, str]:
        """The cells of the fields beyond names and identifiers (``import_fields``)."""
        return {key: getattr(self, key) for key in EXTRA_FIELDS}


class ImportSession:
    """Matching, creating and enriching contacts, and adding touches, for one import."""

    @classmethod
    @contextlib.contextmanager
    def opened(
        cls, tracker: Tracker, summary: ImportSummary, options: ImportOptions
    ) -> Iterator[ImportSession]:
        """A session inside the import's one transaction (with a larger page cache): all
        of it commits when the block ends, none of it when the block raises."""
        store = tracker.store
        with store.large_cache(), store.write():
            session = cls(tracker, summary, options)
            try:
                yield session
            finally:
                session.writer.close()  # before the transaction ends, however it ends

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
        self._urls: dict[str, str | None] = {}
        self._updated: set[int] = set()
        self._stops: dict[int, datetime] = {}
        # New contacts get their id now and are written in batches (see ``flush``).
        self._next_id = self.store.next_contact_id()
        self._first_new = self._first_pending = self._next_id
        self._pending: dict[int, dict[str, Any]] = {}
        self._pending_tags: list[tuple[int, str]] = []
        self._pending_follow_ups: dict[int, FollowUpRow] = {}
        self._follow_ups_planned: set[int] = set()
        self._now = now_utc()
        self._stop_words = frozenset(w.upper() for w in self.settings.stop_words)
        self.writer = TouchWriter(self.store, self._next_id)
        self._earliest = ""
        """The oldest touch time offered (stored text), for what the next Today says."""

    # -- identifiers -------------------------------------------------------------------
    def phone(self, raw: str) -> str | None:
        """E.164 for ``raw`` (cached: the same numbers repeat thousands of times)."""
        text = raw.strip()
        if text not in self._phones:
            self._phones[text] = try_phone(text, self.settings.default_region) if text else None
        return self._phones[text]

    def linkedin(self, raw: str) -> str | None:
        """The canonical profile URL for ``raw`` (cached), ``None`` when it is not one."""
        text = raw.strip()
        if text not in self._urls:
            try:
                self._urls[text] = normalize_linkedin(text) if text else None
            except UsageError:
                self._urls[text] = None
        return self._urls[text]

    def clean(self, person: Person) -> dict[str, Any]:
        """Validated contact fields; an invalid phone, email or URL is dropped and counted."""
        fields: dict[str, Any] = {}
        for key, raw in (
            ("first_name", person.first_name),
            ("last_name", person.last_name),
            ("company", person.company),
            ("title", person.title),
        ):
            if raw:
                value = " ".join(raw.split())
                if value:
                    fields[key] = value
        if person.notes.strip():
            fields["notes"] = person.notes.strip()
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
        follow_up: FollowUpRow | None = None
        if person.has_extras:
            extras, follow_up = read_extras(
                person.extras(), self.tz, self._now, self.summary.dropped
            )
            fields.update(extras)
        found = self.match(fields)
        if found is not None:
            self.enrich(found, fields)
            self.plan_follow_up(found, follow_up)
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
        contact_id = self.create(fields, person.tags, person.created_at)
        self.plan_follow_up(contact_id, follow_up)
        return contact_id

    def create(
        self, fields: dict[str, Any], tags: Iterable[str] = (), at: datetime | None = None
    ) -> int:
        """A new contact's id, at once; the row itself is written by ``flush``."""
        contact_id = self._next_id
        self._next_id += 1
        row = {"id": contact_id, **fields}
        if at is not None:
            row["created_at"] = to_stored(at)
        self._pending[contact_id] = row
        if tags:
            self._pending_tags.extend(
                (contact_id, t) for t in sorted({t.strip() for t in tags}) if t
            )
        index = self.index
        for key in IDENTITY_KEYS:
            value = row.get(key)
            if value:
                index[key][value] = contact_id
        names = index["name"]
        name_key = row["name"].casefold()
        names[name_key] = -1 if name_key in names else contact_id
        self.fields[contact_id] = row  # what ``enrich`` reads; it updates both alike
        self.summary.contacts_added += 1
        return contact_id

    def flush(self) -> None:
        """Write the contacts created so far (before anything refers to them)."""
        if self._pending:
            self.writer.wait()
            self.store.insert_contacts_with_ids(
                list(self._pending.values()), self._pending_tags, summaries=False
            )
            self._first_pending = self._next_id
            self._pending, self._pending_tags = {}, []
        if self._pending_follow_ups:
            self.writer.wait()
            self.store.insert_follow_ups(
                [(cid, f.due_on, f.reason, f.set_at) for cid, f in self._pending_follow_ups.items()]
            )
            self._pending_follow_ups = {}

    def enrich(self, contact_id: int, fields: dict[str, Any]) -> None:
        """Fill the contact's empty fields from ``fields``; never overwrite, never take an
        identifier another contact already has."""
        current = self.fields.get(contact_id)
        if current is None:
            return
        changes: dict[str, Any] = {}
        for key in ENRICHED_FIELDS:
            value = fields.get(key)
            if not value or current.get(key):
                continue
            if key in IDENTITY_KEYS and self.index[key].get(value, contact_id) != contact_id:
                self.summary.dropped[f"{key.replace('_', ' ')} of another contact"] += 1
                continue
            changes[key] = value
        consent = consent_changes(current, fields)
        if not changes and not consent:
            return
        if contact_id in self._pending:
            self._pending[contact_id].update(changes, **consent)
        else:
            self.writer.wait()
            if changes:
                self.store.fill_empty_fields(contact_id, changes)
            if consent:
                self.store.set_consent(
                    contact_id,
                    opt_in_at=from_stored(consent.get("sms_opt_in_at")),
                    opt_out_at=from_stored(consent.get("sms_opt_out_at")),
                )
        current.update(changes, **consent)
        for key in IDENTITY_KEYS:
            if key in changes:
                self.index[key][changes[key]] = contact_id
        if contact_id not in self._updated:
            self._updated.add(contact_id)
            self.summary.contacts_updated += 1

    def plan_follow_up(self, contact_id: int, follow_up: FollowUpRow | None) -> None:
        """The follow-up a record carries, for a contact with none yet."""
        current = self.fields.get(contact_id)
        planned = self._follow_ups_planned
        if follow_up is None or current is None or current.get("follow_up_on"):
            return
        if contact_id in planned:
            return
        planned.add(contact_id)
        if contact_id in self._pending:
            self._pending_follow_ups[contact_id] = follow_up
            return
        self.writer.wait()
        self.store.insert_follow_ups(
            [(contact_id, follow_up.due_on, follow_up.reason, follow_up.set_at)]
        )
        if contact_id not in self._updated:
            self._updated.add(contact_id)
            self.summary.contacts_updated += 1

    # -- invitations -------------------------------------------------------------------
    def outbound_invitations(self) -> list[dict[str, Any]]:
        """Every outbound invitation already stored (id, contact, time, status)."""
        return self.store.outbound_invitations()

    def set_invitation_statuses(self, changes: list[tuple[int, str, str]]) -> None:
        """Apply ``(touch id, status, stored status_at)`` changes to stored invitations."""
        self.writer.wait()
        self.store.set_invitation_statuses(changes)

    # -- touches -----------------------------------------------------------------------
    def add_touches(self, rows: Iterable[TouchRow]) -> int:
        """Insert touch rows (their ``source`` makes a re-import add nothing)."""

        def written() -> Iterator[TouchRow]:
            earliest = self._earliest
            for row in rows:
                if row[0] >= self._first_pending:
                    self.flush()
                if not earliest or row[3] < earliest:
                    earliest = row[3]
                yield row
            self._earliest = earliest

        self.flush()
        writer = self.writer
        attempted = writer.attempted
        added = writer.insert_all(written())
        self.summary.touches_added += added
        if writer.attempted - attempted > added:
            self.summary.skipped["already imported"] += writer.attempted - attempted - added
        return added

    def note_stop(self, contact_id: int, at: datetime) -> None:
        """An inbound one-to-one STOP at ``at``: the contact opts out (applied at the end)."""
        previous = self._stops.get(contact_id)
        if previous is None or at > previous:
            self._stops[contact_id] = at

    def is_stop(self, text: str) -> bool:
        return text.strip().upper() in self._stop_words

    def finish(self) -> None:
        """Record opt-outs and refresh the summaries of every contact touched."""
        self.flush()
        self.writer.wait()
        for contact_id, at in sorted(self._stops.items()):
            existing = from_stored(self.fields.get(contact_id, {}).get("sms_opt_out_at"))
            if existing is not None and existing >= at:
                continue
            self.store.set_consent(contact_id, opt_out_at=at)
            self.summary.opted_out += 1
        self.writer.finish(range(self._first_new, self._next_id))
        earliest = from_stored(self._earliest)
        if self.summary.touches_added and earliest is not None:
            self.tracker.note_imported_history(earliest)


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
    *,
    status: str | None = None,
    status_at: str | None = None,
    has_note: bool | None = None,
    is_group: bool = False,
) -> TouchRow:
    """A row for ``add_touches``: values in ``TOUCH_COLUMNS`` order, as stored."""
    return (
        contact_id,
        str(channel),
        str(direction),
        to_stored(at),
        text or None,
        status,
        status_at,
        None if has_note is None else int(has_note),
        None,
        int(is_group),
        source,
        None,
    )
