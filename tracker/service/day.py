"""The day's review as the service runs it: the store reads the candidates, the rules
in ``tracker.review`` decide what is due, in what order."""

from __future__ import annotations

from datetime import datetime

from tracker.models import Contact, ContactState, ReviewItem
from tracker.review import build_queue
from tracker.service.base import ServiceBase
from tracker.state import summarize
from tracker.timeutil import Clock


class DayMixin(ServiceBase):
    """Today's queue (or any day's), from the store's candidates and the review rules."""

    def review_entries(self, clock: Clock) -> list[tuple[Contact, ContactState]]:
        """(contact, summary as of ``clock``) for every contact that may be due.

        The store keeps each summary current for the whole history; a contact with
        anything recorded after the as-of moment is summarised again up to that moment,
        so a review of a past day is exact too."""
        entries = self.store.review_entries(clock, self.settings)
        as_of = clock.as_of
        for index, (contact, state) in enumerate(entries):
            if state.last_event_at is not None and state.last_event_at > as_of:
                history = self.store.touches_for(contact.id)
                entries[index] = (contact, summarize(contact.id, history, as_of))
        return entries

    def queue(self, clock: Clock) -> list[ReviewItem]:
        """The review as of ``clock``, in review order, snoozed items left out."""
        entries = self.review_entries(clock)
        return build_queue(entries, clock, self.settings, self.store.active_snoozes(clock.today))

    def review(self, as_of: datetime | str | None = None) -> list[ReviewItem]:
        """The review as of ``as_of`` (now when ``None``; a date means its end)."""
        return self.queue(self.clock(as_of))

    def clock(self, as_of: datetime | str | None = None) -> Clock:
        """The review's clock for ``as_of`` in the user's zone (now when ``None``)."""
        from tracker.timeutil import parse_as_of

        if isinstance(as_of, datetime):
            return Clock(as_of, self.tz)
        return Clock(parse_as_of(as_of, self.tz), self.tz)
