"""LinkedIn account health as the service assembles it: the store reads the invitations
that matter in one pass, ``tracker.health`` works out the figures and the warnings (for
``outreach health``, the Insights panel, Today's top line, and an invitation about to
be logged). Also the pending invitations older than a number of days: what
``withdraw --older-than`` marks, and what the health's ``withdraw_count`` counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from tracker.health import (
    ACCEPTANCE_DAYS,
    WEEK_DAYS,
    HealthReport,
    HealthWarning,
    SentInvitation,
    assess,
    invitations_as_of,
    invite_warnings,
)
from tracker.local_time import epoch, offsets
from tracker.service.base import ServiceBase
from tracker.timeutil import (
    Clock,
    end_of_day,
    from_stored,
    local_date,
    now_utc,
    start_of_day,
    to_stored,
)

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker


class HealthMixin(ServiceBase):
    """Account health and the limits an invitation is checked against."""

    def _past(self, clock: Clock) -> bool:
        """Whether ``clock`` is before now (statuses may have changed since)."""
        return clock.as_of < now_utc() - timedelta(minutes=self.settings.clock_skew_minutes)

    def _sent_around(self, clock: Clock, with_accepted: bool) -> list[SentInvitation]:
        """The invitations account health reads as of ``clock``: sent in the last 30
        days or this month, pending, and (``with_accepted``) every accepted one."""
        today = clock.today
        first = min(today - timedelta(days=ACCEPTANCE_DAYS - 1), today.replace(day=1))
        rows = self.store.health_rows(
            to_stored(start_of_day(first, self.tz)),
            to_stored(clock.as_of),
            with_accepted,
            self._past(clock),
        )
        return invitations_as_of(rows, clock.as_of)

    def pending_older_than(self, clock: Clock, days: int) -> list[int]:
        """The contacts whose latest invitation is pending as of ``clock`` and was sent
        more than ``days`` local days before its day, oldest first: what ``withdraw
        --older-than DAYS`` (and ``ignored``) marks, and what ``withdraw_count`` counts."""
        rows = self.store.latest_pending_invitations(to_stored(clock.as_of), self._past(clock))
        found = []
        for contact_id, at in rows:
            sent = from_stored(at)
            if sent is not None and clock.age(sent) > days:
                found.append(contact_id)
        return found

    def health(self, as_of: datetime | str | None = None) -> HealthReport:
        """Account health as of ``as_of`` (now): ``record()`` is ``outreach health``'s
        JSON. The invitations of the last month and the pending ones are read; every
        acceptance's age in days comes counted by the store."""
        clock = cast("Tracker", self).clock(as_of)
        invites = self._sent_around(clock, False)
        until = epoch(clock.as_of)
        first = self.store.first_touch_at()
        zone = offsets(self.tz, min(epoch(first), until) if first else until, until)
        ages = self.store.acceptance_ages(to_stored(clock.as_of), zone)
        return assess(
            invites,
            clock,
            self.settings,
            lambda days: len(self.pending_older_than(clock, days)),
            ages,
        )

    def health_warnings(self, clock: Clock) -> tuple[HealthWarning, ...]:
        """The account health warnings as of ``clock`` (for Today's top line)."""
        return assess(self._sent_around(clock, False), clock, self.settings).warnings

    def invitation_limits(self, at: datetime | None, has_note: bool) -> list[HealthWarning]:
        """Why one more invitation at ``at`` (now) would pass the weekly invitation limit
        or (with a note) the monthly note limit, and when there is room again."""
        at = at or now_utc()
        day = local_date(at, self.tz)
        first = min(day - timedelta(days=WEEK_DAYS - 1), day.replace(day=1))
        until = end_of_day(day, self.tz)
        since = start_of_day(first, self.tz)
        rows = self.store.health_rows(to_stored(since), to_stored(until), with_accepted=False)
        around = [i for i in invitations_as_of(rows, until) if i.sent >= since]
        return invite_warnings(around, at, has_note, self.settings, self.tz)
