"""What the review reads from the store, closed daily reviews, and small app settings.

The queue is computed from ``contact_state`` rows, found through one indexed query per
kind, so its cost follows the number of candidates rather than the size of the history.
Contacts with anything recorded after the "as of" moment are summarised again from their
touches up to that moment, so a review of a past day is exact too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tracker.config import Settings
from tracker.models import Contact, ContactState, ReviewItem
from tracker.review import Clock, build_queue
from tracker.state import summarize
from tracker.store.base import StoreBase, stamp
from tracker.store.contacts import CONTACT_SELECT, contact_from_row
from tracker.store.touches import TouchesMixin, state_from_row
from tracker.timeutil import to_stored


def _cut(clock: Clock, days: int) -> str:
    """A loose upper bound on ``since`` for an age of ``days`` or more (a day of slack
    covers time zones and daylight saving; the exact test happens in Python)."""
    return to_stored(clock.as_of - timedelta(days=max(days - 2, 0)))


class ReviewMixin(TouchesMixin, StoreBase):
    """The review's reads, and the record of closed reviews."""

    def candidate_ids(self, clock: Clock, settings: Settings) -> set[int]:
        """Contacts that may have an item as of ``clock`` (a superset; never misses one)."""
        as_of = to_stored(clock.as_of)
        today = clock.today.isoformat()
        thank_from = to_stored(clock.as_of - timedelta(days=settings.thank_window_days + 1))
        queries: list[tuple[str, tuple[Any, ...]]] = [
            (
                "SELECT contact_id FROM contact_state WHERE invite_status = 'pending'"
                " AND invite_sent_at <= ?",
                (_cut(clock, settings.stale_invite_days),),
            ),
            (
                "SELECT contact_id FROM contact_state WHERE invite_status = 'withdrawn'"
                " AND invite_status_at <= ?",
                (_cut(clock, settings.resend_invite_days),),
            ),
            (
                "SELECT contact_id FROM contact_state WHERE thank_since IS NOT NULL"
                " AND thank_since >= ?",
                (thank_from,),
            ),
            ("SELECT contact_id FROM contact_state WHERE call_since IS NOT NULL", ()),
            (
                "SELECT contact_id FROM contact_state WHERE no_reply_since IS NOT NULL"
                " AND no_reply_since <= ?",
                (_cut(clock, settings.no_reply_days),),
            ),
            (
                "SELECT contact_id FROM contact_state WHERE text_run > 0 AND text_run_last <= ?",
                (_cut(clock, settings.unanswered_text_days),),
            ),
            ("SELECT contact_id FROM follow_ups WHERE due_on <= ?", (today,)),
            ("SELECT id FROM contacts WHERE keep_in_touch_days IS NOT NULL", ()),
            ("SELECT contact_id FROM contact_state WHERE last_event_at > ?", (as_of,)),
        ]
        found: set[int] = set()
        for sql, params in queries:
            found.update(row[0] for row in self.execute(sql, params))
        return found

    def review_entries(
        self, clock: Clock, settings: Settings
    ) -> list[tuple[Contact, ContactState]]:
        """(contact, state as of ``clock``) for every candidate contact."""
        self.refresh_stale()
        ids = sorted(self.candidate_ids(clock, settings))
        entries: list[tuple[Contact, ContactState]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.rows(
                "SELECT s.* FROM contact_state s WHERE s.contact_id IN (" + marks + ")", chunk
            )
            states = {r["contact_id"]: state_from_row(r) for r in rows}
            for row in self.rows(CONTACT_SELECT + f" WHERE c.id IN ({marks})", chunk):
                contact = contact_from_row(row)
                state = states.get(contact.id) or ContactState(contact_id=contact.id)
                if state.last_event_at is not None and state.last_event_at > clock.as_of:
                    state = summarize(contact.id, self.touches_for(contact.id), clock.as_of)
                entries.append((contact, state))
        return entries

    def review(self, clock: Clock, settings: Settings) -> list[ReviewItem]:
        """Today's queue (or any day's) in review order."""
        entries = self.review_entries(clock, settings)
        return build_queue(entries, clock, settings, self.active_snoozes(clock.today))

    # -- closed reviews -------------------------------------------------------------
    def close_review(self, day: date, items_done: int, items_left: int) -> None:
        with self.write():
            self.execute(
                "INSERT INTO reviews (day, closed_at, items_done, items_left) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(day) DO UPDATE SET closed_at = excluded.closed_at,"
                " items_done = excluded.items_done, items_left = excluded.items_left",
                (day.isoformat(), stamp(), items_done, items_left),
            )

    def closed_reviews(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM reviews ORDER BY day")

    def is_closed(self, day: date) -> bool:
        return self.scalar("SELECT 1 FROM reviews WHERE day = ?", (day.isoformat(),)) is not None

    def streak(self, today: date) -> int:
        """Days in a row, ending today (or yesterday if today is still open), closed."""
        days = {date.fromisoformat(r["day"]) for r in self.rows("SELECT day FROM reviews")}
        cursor = today if today in days else today - timedelta(days=1)
        count = 0
        while cursor in days:
            count += 1
            cursor -= timedelta(days=1)
        return count

    # -- app settings (state the app remembers, not the user's config) -------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
