"""The contacts side of an import session: records matched, created or enriched (empty
fields only, and the phones and emails they lack; an opt-out is never lost:
``import_fields``); a number or address another contact holds stays with that contact and
is noted on the newcomer (the summary names each case); follow-ups and key dates a file
carries; the LinkedIn connection day each export gives.

A mixin of ``ImportSession`` (``imports.py``), which owns the state it reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tracker.models import IDENTIFIER_KINDS
from tracker.service.identity_index import LISTS, SHARED, IdentityIndex, Record, has_identifier
from tracker.service.import_fields import (
    ENRICHED_FIELDS,
    FollowUpRow,
    consent_changes,
    read_extras,
)
from tracker.service.import_people import Cleaner, Person
from tracker.service.import_report import ImportSummary
from tracker.store.identifiers import IdentifierRow
from tracker.store.imports import CONNECTED
from tracker.timeutil import from_stored, to_stored

if TYPE_CHECKING:
    from tracker.config import Settings
    from tracker.service.import_key_dates import KeyDatePlan
    from tracker.service.import_writer import TouchWriter
    from tracker.store import Store

_LIST_KEYS = frozenset(LISTS.values())


class ContactsPart:
    """Matching, creating and enriching contacts for one import."""

    store: Store
    settings: Settings
    summary: ImportSummary
    fields: dict[int, dict[str, Any]]
    index: IdentityIndex
    writer: TouchWriter
    cleaner: Cleaner
    tz: tzinfo
    _now: datetime
    _updated: set[int]
    _changes: int
    _connected: dict[int, str]
    _next_id: int
    _first_new: int
    _first_pending: int
    _pending: dict[int, dict[str, Any]]
    _pending_tags: list[tuple[int, str]]
    _pending_identifiers: list[IdentifierRow]
    _pending_follow_ups: dict[int, FollowUpRow]
    _follow_ups_planned: set[int]
    key_dates: KeyDatePlan

    def clean(self, person: Person) -> Record:
        """Validated fields, with ``phones``/``emails`` lists; an invalid phone, email or
        URL is dropped and counted."""
        return self.cleaner.record(person)

    def match(self, record: Record, counterpart: bool = False) -> int | None:
        """The contact ``record`` is (``IdentityIndex.match``), or ``None``."""
        return self.index.match(record, counterpart)

    # -- contacts ----------------------------------------------------------------------
    def resolve(
        self,
        person: Person,
        create: bool = True,
        skip_as: str = "",
        counterpart: bool = False,
    ) -> int | None:
        """The id of the contact ``person`` is: matched and enriched, or created when
        ``create``. ``None`` (counted under ``skip_as``) when it is neither.

        ``counterpart``: the person is the other end of a message (a number that texted,
        a profile that wrote); their identifiers alone say who it is, and their name only
        names a new contact."""
        record = self.clean(person)
        follow_up: FollowUpRow | None = None
        if person.has_extras:
            extras, follow_up = read_extras(
                person.extras(), self.tz, self._now, self.summary.dropped
            )
            record.update(extras)
        found = self.match(record, counterpart)
        if found is not None:
            if not counterpart:
                self.enrich(found, record)
                self.plan_follow_up(found, follow_up)
                self._connected_from(found, person)
                self._key_dates_from(found, person)
            return found
        if not create:
            if skip_as:
                self.summary.skipped[skip_as] += 1
            return None
        if not record.get("name"):
            fallback = record.get("email") or record.get("phone") or _slug(record)
            if not fallback:
                self.summary.skipped["no name and no identifier"] += 1
                return None
            record["name"] = fallback
        shared = self.index.names.get(record["name"].casefold()) == SHARED
        if shared and not has_identifier(record) and not record.get("company"):
            self.summary.skipped["name shared by several contacts"] += 1
            return None
        contact_id = self.create(record, person.tags, person.created_at)
        self.plan_follow_up(contact_id, follow_up)
        self._connected_from(contact_id, person)
        self._key_dates_from(contact_id, person)
        return contact_id

    def _key_dates_from(self, contact_id: int, person: Person) -> None:
        """The key dates a record carries, for the labels the contact has none of."""
        rows = self.key_dates.rows(contact_id, person.key_dates)
        if not rows:
            return
        self._changes += 1
        if contact_id in self._pending:
            self.key_dates.pending.extend(rows)
        else:
            self.writer.wait()
            self.store.insert_key_dates(rows)
            self._mark_updated(contact_id)

    def _connected_from(self, contact_id: int, person: Person) -> None:
        """The LinkedIn connection day a contacts file carries (our own export does)."""
        raw = person.linkedin_connected_on.strip()
        if not raw:
            return
        try:
            day = date.fromisoformat(raw[:10])
        except ValueError:
            self.summary.dropped["unreadable LinkedIn connection date"] += 1
            return
        self.note_connected(contact_id, day)

    def create(self, record: Record, tags: Iterable[str] = (), at: datetime | None = None) -> int:
        """A new contact's id, at once; the row itself is written by ``flush``. A phone or
        email another contact holds stays theirs and is noted on this one."""
        contact_id = self._next_id
        self._next_id += 1
        row = {"id": contact_id, **{k: v for k, v in record.items() if k not in _LIST_KEYS}}
        notes = [row.get("notes") or ""]
        for kind, key in LISTS.items():
            kept = []
            for value, label in record.get(key, ()):
                owner = self.index.owner[kind].get(value)
                if owner is None:
                    kept.append((value, label))
                else:
                    notes.append(self._shared(kind, value, owner, contact_id, row["name"]))
            row.pop(kind, None)
            if kept:
                row[kind] = kept[0][0]
            for position, (value, label) in enumerate(kept):
                self._pending_identifiers.append((contact_id, kind, value, label, position == 0))
                self.index.add(contact_id, kind, value)
        if len(notes) > 1:
            row["notes"] = "\n".join(n for n in notes if n)
        if at is not None:
            row["created_at"] = to_stored(at)
        self._pending[contact_id] = row
        if tags:
            self._pending_tags.extend(
                (contact_id, t) for t in sorted({t.strip() for t in tags}) if t
            )
        self.index.add_person(contact_id, row)
        self.fields[contact_id] = row  # what ``enrich`` reads and updates, like the row
        self.summary.contacts_added += 1
        self._changes += 1
        return contact_id

    def _shared(self, kind: str, value: str, owner: int, contact_id: int, name: str) -> str:
        """The note line for a ``kind`` that stays with ``owner``; the summary names it."""
        owner_name = self.fields.get(owner, {}).get("name") or "another contact"
        self.summary.shared.append(
            f"{kind} {value}: kept with {owner_name} (#{owner}), noted on {name} (#{contact_id})"
        )
        return f"{_shared_head(kind, value)} (kept with {owner_name}, #{owner})"

    def flush(self) -> None:
        """Write the contacts created so far (before anything refers to them)."""
        if self._pending:
            self.writer.wait()
            self.store.insert_contacts_with_ids(
                list(self._pending.values()), self._pending_tags, summaries=False
            )
            self.store.add_identifiers(self._pending_identifiers, mirror=False)
            self._first_pending = self._next_id
            self._pending, self._pending_tags, self._pending_identifiers = {}, [], []
        if self._pending_follow_ups:
            self.writer.wait()
            self.store.insert_follow_ups(
                [(cid, f.due_on, f.reason, f.set_at) for cid, f in self._pending_follow_ups.items()]
            )
            self._pending_follow_ups = {}
        if self.key_dates.pending:
            self.writer.wait()
            self.store.insert_key_dates(self.key_dates.pending)
            self.key_dates.pending = []

    def enrich(self, contact_id: int, record: Record) -> None:
        """Fill the contact's empty fields from ``record`` and add the phones and emails
        it lacks; never overwrite, never take an identifier another contact holds (that
        one is noted on this contact, once)."""
        current = self.fields.get(contact_id)
        if current is None:
            return
        changes: dict[str, Any] = {}
        for key in ENRICHED_FIELDS:
            value = record.get(key)
            if key in IDENTIFIER_KINDS or not value or current.get(key):
                continue
            if key == "linkedin_url" and self.index.owner[key].get(value, contact_id) != contact_id:
                self.summary.dropped["LinkedIn URL of another contact"] += 1
                continue
            changes[key] = value
        added: list[IdentifierRow] = []
        notes = changes.get("notes") or current.get("notes") or ""
        lines = []
        for kind, key in LISTS.items():
            primary = not self.index.holds(contact_id, kind)
            for value, label in record.get(key, ()):
                owner = self.index.owner[kind].get(value)
                if owner is None:
                    added.append((contact_id, kind, value, label, primary))
                    self.index.add(contact_id, kind, value)
                    if primary:
                        changes[kind] = value
                    primary = False
                elif owner != contact_id and _shared_head(kind, value) not in notes:
                    name = current.get("name") or ""
                    lines.append(self._shared(kind, value, owner, contact_id, name))
        if lines:
            changes["notes"] = "\n".join(n for n in (notes, *lines) if n)
        consent = consent_changes(current, record)
        if not changes and not added and not consent:
            return
        pending = contact_id in self._pending
        if pending:
            self._pending_identifiers.extend(added)
        else:
            self.writer.wait()
            if changes:
                self.store.fill_empty_fields(contact_id, changes)
            if lines and current.get("notes"):
                self.store.update_contact(contact_id, {"notes": changes["notes"]})
            self.store.add_identifiers(added)
            if consent:
                self.store.set_consent(
                    contact_id,
                    opt_in_at=from_stored(consent.get("sms_opt_in_at")),
                    opt_out_at=from_stored(consent.get("sms_opt_out_at")),
                )
        current.update(changes, **consent)  # the pending row itself, for one not written yet
        self._changes += 1
        if "linkedin_url" in changes:
            self.index.add(contact_id, "linkedin_url", changes["linkedin_url"])
        if "company" in changes:
            self.index.add_company(contact_id, current)
        self._mark_updated(contact_id)

    def plan_follow_up(self, contact_id: int, follow_up: FollowUpRow | None) -> None:
        """The follow-up a record carries, for a contact with none yet."""
        current = self.fields.get(contact_id)
        planned = self._follow_ups_planned
        if follow_up is None or current is None or current.get("follow_up_on"):
            return
        if contact_id in planned:
            return
        planned.add(contact_id)
        self._changes += 1
        if contact_id in self._pending:
            self._pending_follow_ups[contact_id] = follow_up
            return
        self.writer.wait()
        self.store.insert_follow_ups(
            [(contact_id, follow_up.due_on, follow_up.reason, follow_up.set_at)]
        )
        self._mark_updated(contact_id)

    def _mark_updated(self, contact_id: int) -> None:
        if contact_id < self._first_new and contact_id not in self._updated:
            self._updated.add(contact_id)
            self.summary.contacts_updated += 1

    # -- LinkedIn connections ----------------------------------------------------------
    def connected_on(self, contact_id: int) -> date | None:
        """The day the contact became a LinkedIn connection, as any export said."""
        day = self.fields.get(contact_id, {}).get(CONNECTED)
        return date.fromisoformat(day) if day else None

    def note_connected(self, contact_id: int, day: date) -> None:
        """A connections file lists the contact as connected on ``day`` (the latest day
        any export gave is kept, so files can come in any order)."""
        current = self.fields.get(contact_id)
        text = day.isoformat()
        if current is None or (current.get(CONNECTED) or "") >= text:
            return
        current[CONNECTED] = text
        self._changes += 1
        if contact_id not in self._pending:
            self._connected[contact_id] = text
            self._mark_updated(contact_id)

    def connected_contacts(self) -> dict[int, date]:
        """Every contact known to be a LinkedIn connection, with the day."""
        return {
            contact_id: date.fromisoformat(row[CONNECTED])
            for contact_id, row in self.fields.items()
            if row.get(CONNECTED)
        }


def _shared_head(kind: str, value: str) -> str:
    return f"Shared {kind}: {value}"


def _slug(fields: dict[str, Any]) -> str:
    url = fields.get("linkedin_url") or ""
    return url.rsplit("/", 1)[-1] if url else ""
