"""When a contact's review items can be due, while its summary stays the same.

The review (``tracker.review.items_for``) is a function of a contact, its summary and the
clock. Between two touches the summary stays as it is and only the clock moves; an item
can then be in the day's queue only inside a *window* of days its rule opens (from the
day an age reaches the rule's threshold to the day the item leaves or lapses), and the
items change only at a window's ends or on the day a dated fact of the contact changes
(an opt-out, a follow-up being set). ``due_days`` lists both, rule by rule, so a replay
of many days (``tracker.whatif``) asks ``items_for`` only inside windows, only where an
answer can change, and knows it holds until the next such day. It decides nothing
itself: the items are always ``items_for``'s.

Each rule of ``tracker.review`` has its thresholds here; ``tests/test_review_days.py``
checks on random contacts and summaries that no item is in the day's queue outside the
windows and that the items due, lapsed or not, are the same every day between two of
these days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from tracker.config import Settings
from tracker.key_dates import on_year
from tracker.models import Contact, ContactState, InviteStatus, KeyDate
from tracker.timeutil import local_date

Window = tuple[date, date | None]
"""Days ``[first, end)`` on which an item may be in the day's queue; ``end`` ``None``:
the item never lapses, it stays until the summary changes."""


class DueDays(NamedTuple):
    """The windows of (contact, summary), and the days inside them on which what is
    due may change for another reason than a window's end."""

    windows: list[Window]
    changes: list[date]

    def live(self, first: date, last: date) -> list[Window]:
        """The windows that meet the days ``first`` to ``last``."""
        return [w for w in self.windows if w[0] <= last and (w[1] is None or w[1] > first)]


def _day(moment: datetime | None, tz: tzinfo) -> date | None:
    return None if moment is None else local_date(moment, tz)


class StateDays:
    """The local days of the moments the rules count ages from, for one contact and
    summary: read once, then asked of any settings (``due``)."""

    __slots__ = ("cadence", "changes", "follow_up", "invite", "keep", "stamps", "withdrawn")

    def __init__(self, contact: Contact, state: ContactState, tz: tzinfo) -> None:
        pending = state.invite_status == InviteStatus.PENDING
        self.invite = _day(state.invite_sent_at, tz) if pending else None
        withdrawn = state.invite_status == InviteStatus.WITHDRAWN
        self.withdrawn = _day(state.invite_status_at, tz) if withdrawn else None
        self.stamps = (
            _day(state.thank_since, tz),
            _day(state.call_since, tz),
            _day(state.text_run_last, tz) if state.text_run else None,
            _day(state.no_reply_since, tz),
        )
        self.follow_up: date | None = None
        if contact.follow_up_on is not None:  # shown once it was set
            set_on = _day(contact.follow_up_set_at, tz)
            self.follow_up = max(contact.follow_up_on, set_on or contact.follow_up_on)
        self.cadence = contact.keep_in_touch_days
        self.keep = _day(state.last_touch_at or contact.created_at, tz) if self.cadence else None
        self.changes = [
            day
            for day in (_day(contact.sms_opt_out_at, tz), _day(contact.sms_opt_in_at, tz))
            if day is not None
        ]

    def due(self, settings: Settings) -> DueDays:
        """The windows and changes under ``settings``."""
        windows: list[Window] = []
        horizon = settings.horizon_days

        def window(day: date | None, start: int, stop: int | None) -> None:
            if day is not None:
                end = None if stop is None else day + timedelta(days=stop)
                windows.append((day + timedelta(days=start), end))

        # stale_invite (never lapses), resend_invite, thank_new_connection.
        window(self.invite, settings.stale_invite_days, None)
        resend = settings.resend_invite_days
        window(self.withdrawn, resend, resend + horizon + 1)
        thank, call, text, no_reply = self.stamps
        window(thank, 0, min(settings.thank_window_days, horizon + 1))
        # after_call_text; unanswered_text and step_back (due a wait after the last
        # text); no_reply. Each lapses once due for more than the horizon.
        window(call, 0, horizon + 1)
        wait = settings.unanswered_text_days
        window(text, wait, wait + horizon + 1)
        wait = settings.no_reply_days
        window(no_reply, wait, wait + horizon + 1)
        # follow_up_due and keep_in_touch never lapse.
        window(self.follow_up, 0, None)
        if self.cadence:
            window(self.keep, self.cadence + 1, None)
        return DueDays(windows, self.changes)


def due_days(contact: Contact, state: ContactState, settings: Settings, tz: tzinfo) -> DueDays:
    """For a review as of the end of each day with the summary unchanged: the windows in
    which each rule may put an item of (``contact``, ``state``) in the day's queue, and
    the days its dated facts change what is due (texting allowed or not)."""
    return StateDays(contact, state, tz).due(settings)


def key_date_windows(
    key_dates: Sequence[KeyDate], first: date, last: date, settings: Settings
) -> list[Window]:
    """The days each key date may be due between ``first`` and ``last``: from the day it
    falls (Feb 29 on Feb 28 in other years) for ``key_date_days`` days more; it never
    lapses (DOMAIN.md, "Key dates")."""
    span = settings.key_date_days + 1
    windows: list[Window] = []
    for key_date in key_dates:
        for year in range(first.year - 1, last.year + 1):
            on = on_year(key_date, year)
            if on is not None and on + timedelta(days=span) > first and on <= last:
                windows.append((on, on + timedelta(days=span)))
    return windows
