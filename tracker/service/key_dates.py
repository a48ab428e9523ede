"""A contact's key dates as the service reads them; what the coach makes of one that has
just fallen (the occasion a congratulation names, ``{occasion}``, and the templates for
it: a birthday text or message, a congratulation); and the calendar of the days ahead
(follow-ups, key dates, today's review) for ``outreach export calendar``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from tracker.key_dates import Occasion, occasion_field, occasions, sorted_key_dates
from tracker.models import BIRTHDAY, Channel, Contact, KeyDate, Kind
from tracker.service.base import ServiceBase
from tracker.timeutil import local_date, now_utc

if TYPE_CHECKING:
    from tracker.calendar_export import CalendarEntry
    from tracker.service.tracker import Tracker

KEY_DATE_TEMPLATES = {
    Channel.SMS: ("text-birthday", "text-congrats"),
    Channel.LINKEDIN_MESSAGE: ("message-birthday", "message-congrats"),
    Channel.EMAIL: ("email-birthday", "email-congrats"),
}
"""The templates for a key date on each channel: (for a birthday, for another date)."""


class KeyDatesMixin(ServiceBase):
    """Key dates read, and the coach's view of the one that has just fallen."""

    def key_dates(self, contact_id: int) -> list[KeyDate]:
        """The contact's key dates, the birthday first, then by label."""
        return sorted_key_dates(self.store.key_dates_of(contact_id))

    def occasion(self, contact: Contact, as_of: datetime | None = None) -> Occasion | None:
        """The contact's key date that fell most recently within ``[review]
        key_date_days`` of ``as_of`` (now), if any."""
        today = local_date(as_of or now_utc(), self.tz)
        found = occasions(self.store.key_dates_of(contact.id), today, self.settings.key_date_days)
        return found[0] if found else None

    def occasion_fields(self, contact: Contact, as_of: datetime | None = None) -> dict[str, str]:
        """``{occasion}`` for a template (``your work anniversary``) while one is near."""
        found = self.occasion(contact, as_of)
        return {"occasion": occasion_field(found)} if found else {}

    def occasion_hints(
        self, contact: Contact, channel: Channel, kind: Kind | None, as_of: datetime | None
    ) -> tuple[str, ...]:
        """The key-date template for ``channel`` when the message is for a key date (the
        item is one, or no item is named and one is near); empty otherwise."""
        if kind not in (None, Kind.KEY_DATE) or channel not in KEY_DATE_TEMPLATES:
            return ()
        found = self.occasion(contact, as_of)
        if found is None:
            return ()
        birthday, other = KEY_DATE_TEMPLATES[channel]
        return (birthday,) if found.key_date.label == BIRTHDAY else (other,)

    def calendar(self, days: int, as_of: datetime | str | None = None) -> list[CalendarEntry]:
        """The events of ``outreach export calendar``: every follow-up date up to ``days``
        days ahead (those overdue too: they are still due), every key date falling in
        that time, and today's review with its count."""
        from collections import Counter

        from tracker.calendar_export import (
            follow_up_entry,
            key_date_entry,
            review_entry,
            upcoming,
        )
        from tracker.words import KIND_TITLES

        tracker = cast("Tracker", self)
        clock = tracker.clock(as_of)
        last = clock.today + timedelta(days=days)
        entries = []
        for contact_id in self.store.follow_up_ids_until(last.isoformat()):
            entry = follow_up_entry(self.store.get_contact(contact_id))
            if entry is not None:
                entries.append(entry)
        held = self.store.all_key_dates()
        dates = [(contact_id, key_date) for contact_id, found in held.items() for key_date in found]
        for contact_id, occasion in upcoming(dates, clock.today, days):
            entries.append(key_date_entry(self.store.get_contact(contact_id), occasion))
        items = tracker.queue(clock)
        kinds = Counter(item.kind for item in items)
        counts = [(KIND_TITLES[kind], kinds[kind]) for kind in Kind if kinds[kind]]
        entries.append(review_entry(clock.today, len(items), counts))
        return entries
