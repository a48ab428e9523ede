"""Calendar exports (``.ics``, a zip of them) → meeting touches (DOMAIN.md, "Scheduled
meetings"): each occurrence up to now, and each event's next one, is a meeting at its
start with every guest who is a contact (the organizer among them). A meeting the contact
organized is inbound (they reached out), any other outbound. One ahead of now is a
scheduled meeting: it holds back that contact's nudges until it has passed.

Not touches, each counted: cancelled events and occurrences (one imported earlier as a
scheduled meeting is removed), occurrences everyone declined or with no guest who is a
contact, and events with more than ``[import] max_recipients`` guests. A scheduled
meeting the file moved is moved. The rep's own addresses (``[me] emails``) are never a
guest; with ``--create-contacts`` they are needed, or the rep would become a contact.
"""

from __future__ import annotations

from pathlib import Path

from tracker.calendar_export import DOMAIN
from tracker.importers.calendar_ics import Attendee, EventRecord, read_calendar
from tracker.importers.common import Skipped
from tracker.importers.people import Counterparts
from tracker.me import Me, NeedsMe
from tracker.models import Channel, Direction
from tracker.service.import_ahead import MeetingsAhead
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import Changed, TouchRow
from tracker.service.imports import ImportSession, touch_row
from tracker.words import plural

PREFIX = "event:"


def needs(rep: Me, create_contacts: bool) -> NeedsMe | None:
    """A calendar read with ``--create-contacts`` needs the rep's address (or the rep
    would be made a contact of their own)."""
    if create_contacts and not rep.emails:
        return NeedsMe("emails", "this calendar, with --create-contacts,")
    return None


OWN_UIDS = f"@{DOMAIN}"
OWN_EXPORT = "reminder from Outreach Tracker's own calendar export"
"""Why an event of our own export is skipped: follow-ups, key dates and the review are
reminders for the phone's calendar, not meetings with anyone."""


def source_of(record: EventRecord, attendee: Attendee) -> str:
    """The touch source of one guest of one occurrence."""
    return f"{record.key}|{attendee.email or attendee.name.casefold()}"


def import_calendar(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Read the calendar at ``path`` into meeting touches (inside the caller's transaction)."""
    rep = session.options.rep
    asked = needs(rep, session.options.create_contacts)
    if asked is not None:
        raise asked
    summary = session.summary
    people = Counterparts(session)
    ahead = MeetingsAhead(session, PREFIX)
    limit = session.settings.max_recipients
    too_many = f"event with more than {plural(limit, 'guest')}"
    skipped = summary.skipped
    records: list[list[TouchRow]] = []
    """An occurrence is one record: a meeting touch for each guest who is a contact."""
    for item in read_calendar(path, session.tz, session.now, progress=progress):
        summary.records += 1
        if isinstance(item, Skipped):
            skipped[item.reason] += 1
            continue
        if item.cancelled:
            removed = ahead.cancel(f"{item.key}|")
            if removed:
                summary.meetings["removed (cancelled)"] += removed
            skipped["cancelled event"] += 1
            continue
        if item.uid.endswith(OWN_UIDS):  # what `outreach export calendar` wrote
            skipped[OWN_EXPORT] += 1
            continue
        guests = _guests(item, rep)
        if len(guests) > limit:
            skipped[too_many] += 1
            continue
        present = [g for g in guests if not g.declined]
        if not present:
            skipped["event everyone declined" if guests else "event with no guests"] += 1
            continue
        found: list[TouchRow] = []
        for guest in present:
            contact_id = (
                people.by_email(guest.email, guest.name)
                if guest.email
                else people.by_name(guest.name)
            )
            if contact_id is None:
                continue
            organizer = item.organizer is not None and _same(item.organizer, guest)
            direction = Direction.IN if organizer else Direction.OUT
            found.append(
                touch_row(
                    contact_id,
                    Channel.MEETING,
                    direction,
                    item.start,
                    source_of(item, guest),
                    item.summary,
                )
            )
        moved = sum(ahead.move(row, item.start) for row in found)
        if moved:
            summary.meetings["moved"] += moved
        if not found:
            skipped["event with no guest who is a contact"] += 1
        elif moved:
            records.append(Changed(found))  # it moved a meeting: it counts added
        else:
            records.append(found)
    session.add_records(records)
    ahead.apply()


def _same(one: Attendee, other: Attendee) -> bool:
    if one.email or other.email:
        return one.email == other.email
    return one.name.casefold() == other.name.casefold()


def _guests(item: EventRecord, rep: Me) -> list[Attendee]:
    """The organizer and the attendees, each once, the rep left out."""
    guests: list[Attendee] = []
    for person in (item.organizer, *item.attendees):
        if person is None or not (person.email or person.name):
            continue
        if person.email and rep.is_email(person.email):
            continue
        if not person.email and rep.is_name(person.name):
            continue
        if any(_same(person, seen) for seen in guests):
            if person is not item.organizer:
                # The organizer's own answer, when listed as an attendee too, is theirs.
                guests = [person if _same(person, seen) else seen for seen in guests]
            continue
        guests.append(person)
    return guests
