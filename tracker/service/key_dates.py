"""A contact's key dates as the service reads them, and what the coach makes of one that
has just fallen: the occasion a congratulation names (``{occasion}``) and the templates
for it (a birthday text or message, a congratulation)."""

from __future__ import annotations

from datetime import datetime

from tracker.key_dates import Occasion, occasion_field, occasions, sorted_key_dates
from tracker.models import BIRTHDAY, Channel, Contact, KeyDate, Kind
from tracker.service.base import ServiceBase
from tracker.timeutil import local_date, now_utc

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
