"""What the review reads from the store, closed daily reviews, and small app settings.

The queue is computed from ``contact_state`` rows. One statement finds the candidates,
a union of one indexed query per kind over the summary (bounded by the kind's age
threshold, with a local day of slack; the exact test happens in Python), and loads each
candidate's contact, follow-up, tags and summary in the same pass, so the review's cost
follows the number of candidates rather than the size of the history. Contacts with
anything recorded after the "as of" moment are summarised again from their touches up to
that moment, so a review of a past day is exact too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import MISSING, fields
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from tracker.config import Settings
from tracker.models import Contact, ContactState, Relationship, ReviewItem, Segment
from tracker.review import Clock, build_queue
from tracker.state import summarize
from tracker.store.base import StoreBase, stamp
from tracker.store.contacts import TAG_SEP
from tracker.store.touches import STATE_TIMES, TouchesMixin
from tracker.timeutil import from_stored, start_of_day, to_stored

_SEGMENTS = {s.value: s for s in Segment}
_RELATIONSHIPS = {r.value: r for r in Relationship}
_STATE_FIELDS = tuple(k for k in ContactState.__dataclass_fields__ if k != "contact_id")
_STATE_TIMES = frozenset(STATE_TIMES)
ENTRY_SELECT = (
    "SELECT c.id, c.name, c.first_name, c.last_name, c.company, c.title, c.phone, c.email,"
    " c.linkedin_url, c.segment, c.relationship, c.notes, c.keep_in_touch_days,"
    " c.sms_opt_in_at, c.sms_opt_out_at, c.created_at, c.updated_at,"
    " f.due_on, f.reason, f.set_at,"
    f" (SELECT group_concat(tag, '{TAG_SEP}') FROM"
    " (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag)),"
    " s.contact_id, " + ", ".join(f"s.{k}" for k in _STATE_FIELDS) + " FROM contacts c"
    " LEFT JOIN follow_ups f ON f.contact_id = c.id"
    " LEFT JOIN contact_state s ON s.contact_id = c.id"
)


T = TypeVar("T")


def _maker(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    """A builder equal to ``cls(**values)`` for a frozen dataclass, minus the cost of its
    generated ``__init__`` (one ``object.__setattr__`` per field): the instance dict is
    filled directly, defaults first. Falls back to the constructor for a class where that
    would not be the same thing (slots, default factories, ``__post_init__``)."""
    specs = fields(cls)  # type: ignore[arg-type]
    defaults = {f.name: f.default for f in specs if f.default is not MISSING}
    plain = (
        "__slots__" not in cls.__dict__
        and not hasattr(cls, "__post_init__")
        and all(f.default_factory is MISSING and f.init for f in specs)
    )

    def make(values: dict[str, Any]) -> T:
        if not plain or len(values) + len(defaults) < len(specs):
            return cls(**values)
        instance = object.__new__(cls)
        state = instance.__dict__
        state.update(defaults)
        state.update(values)
        return instance

    return make


_make_contact = _maker(Contact)
_make_state = _maker(ContactState)


def _time(text: str | None) -> datetime | None:
    """``from_stored``, with a fast path for the store's own ``...THH:MM:SSZ`` text."""
    if not text:
        return None
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        return datetime.fromisoformat(text)
    return from_stored(text)


def _entry(row: tuple[Any, ...]) -> tuple[Contact, ContactState]:
    """A row of ``ENTRY_SELECT`` as the contact and its summary; the same objects as
    ``contact_from_row`` and ``state_from_row`` build, parsed with less overhead."""
    (cid, name, first, last, company, title, phone, email, url, segment, relationship) = row[:11]
    notes, cadence, opt_in, opt_out, created, updated, due, reason, set_at, tags = row[11:21]
    contact = _make_contact(
        {
            "id": cid,
            "name": name,
            "first_name": first or "",
            "last_name": last or "",
            "company": company or "",
            "title": title or "",
            "phone": phone or "",
            "email": email or "",
            "linkedin_url": url or "",
            "segment": _SEGMENTS[segment] if segment else None,
            "relationship": _RELATIONSHIPS[relationship] if relationship else None,
            "tags": tuple(tags.split(TAG_SEP)) if tags else (),
            "notes": notes or "",
            "keep_in_touch_days": cadence,
            "sms_opt_in_at": _time(opt_in),
            "sms_opt_out_at": _time(opt_out),
            "follow_up_on": date.fromisoformat(due) if due else None,
            "follow_up_reason": reason or "",
            "follow_up_set_at": _time(set_at),
            "created_at": _time(created),
            "updated_at": _time(updated),
        }
    )
    if row[21] is None:
        return contact, ContactState(contact_id=cid)
    values: dict[str, Any] = {"contact_id": cid}
    for key, value in zip(_STATE_FIELDS, row[22:], strict=True):
        if key in _STATE_TIMES:
            value = _time(value)
        elif key in ("invite_has_note", "last_message_out"):
            value = None if value is None else bool(value)
        elif key == "text_run":
            value = value or 0
        elif key in ("last_text_out", "last_message"):
            value = value or ""
        values[key] = value
    return contact, _make_state(values)


def _age_cut(clock: Clock, days: int) -> str:
    """A stored time every ``since`` aged ``days`` or more is before: the start of the
    local day after the last qualifying one, plus a day of slack (daylight saving)."""
    return to_stored(start_of_day(clock.today - timedelta(days=days - 2), clock.tz))


class ReviewMixin(TouchesMixin, StoreBase):
    """The review's reads, and the record of closed reviews."""

    def _candidate_queries(
        self, clock: Clock, settings: Settings
    ) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(name, SQL selecting contact ids, parameters) for each way to be due."""
        day_start = to_stored(start_of_day(clock.today, clock.tz))
        thank_from = to_stored(
            start_of_day(clock.today - timedelta(days=settings.thank_window_days), clock.tz)
        )
        return [
            (
                "stale_invite",
                "SELECT contact_id FROM contact_state WHERE invite_status = 'pending'"
                " AND invite_sent_at < ?",
                (_age_cut(clock, settings.stale_invite_days),),
            ),
            (
                "resend_invite",
                "SELECT contact_id FROM contact_state WHERE invite_status = 'withdrawn'"
                " AND invite_status_at < ?",
                (_age_cut(clock, settings.resend_invite_days),),
            ),
            (
                "thank_new_connection",
                "SELECT contact_id FROM contact_state WHERE thank_since IS NOT NULL"
                " AND thank_since >= ?",
                (thank_from,),
            ),
            (
                "after_call_text",
                "SELECT contact_id FROM contact_state WHERE call_since IS NOT NULL",
                (),
            ),
            (
                "no_reply",
                "SELECT contact_id FROM contact_state WHERE no_reply_since IS NOT NULL"
                " AND no_reply_since < ?",
                (_age_cut(clock, settings.no_reply_days),),
            ),
            (
                "unanswered_text",
                "SELECT contact_id FROM contact_state WHERE text_run > 0 AND text_run_last < ?",
                (_age_cut(clock, settings.unanswered_text_days),),
            ),
            (
                # Due, and no outbound touch since the (local) due date: a day of slack
                # for the zone, so the test below is only ever too loose.
                "follow_up_due",
                "SELECT f.contact_id FROM follow_ups f"
                " LEFT JOIN contact_state s ON s.contact_id = f.contact_id"
                " WHERE f.due_on <= ? AND (s.last_outbound_at IS NULL"
                " OR s.last_outbound_at < date(f.due_on, '+1 day'))",
                (clock.today.isoformat(),),
            ),
            (
                # Older than the cadence (julianday of the local day start, a day of slack).
                "keep_in_touch",
                "SELECT c.id FROM contacts c LEFT JOIN contact_state s ON s.contact_id = c.id"
                " WHERE c.keep_in_touch_days IS NOT NULL"
                " AND julianday(coalesce(s.last_touch_at, c.created_at))"
                " < julianday(?) - c.keep_in_touch_days + 1",
                (day_start,),
            ),
            (
                "changed_after_as_of",
                "SELECT contact_id FROM contact_state WHERE last_event_at > ?",
                (to_stored(clock.as_of),),
            ),
        ]

    def _candidates_sql(self, clock: Clock, settings: Settings) -> tuple[str, list[Any]]:
        queries = self._candidate_queries(clock, settings)
        sql = " UNION ".join(q for _, q, _ in queries)
        return sql, [p for _, _, params in queries for p in params]

    def candidate_ids(self, clock: Clock, settings: Settings) -> set[int]:
        """Contacts that may have an item as of ``clock`` (a superset; never misses one)."""
        sql, params = self._candidates_sql(clock, settings)
        return {row[0] for row in self.execute(sql, params)}

    def review_entries(
        self, clock: Clock, settings: Settings
    ) -> list[tuple[Contact, ContactState]]:
        """(contact, state as of ``clock``) for every candidate contact, by contact id."""
        self.refresh_stale()
        return list(self._entries(clock, settings))

    def _entries(self, clock: Clock, settings: Settings) -> Iterator[tuple[Contact, ContactState]]:
        candidates, params = self._candidates_sql(clock, settings)
        sql = f"{ENTRY_SELECT} WHERE c.id IN ({candidates}) ORDER BY c.id"
        for row in self.execute(sql, params).fetchall():
            contact, state = _entry(row)
            if state.last_event_at is not None and state.last_event_at > clock.as_of:
                state = summarize(contact.id, self.touches_for(contact.id), clock.as_of)
            yield contact, state

    def review_query_plans(self, clock: Clock, settings: Settings) -> dict[str, list[str]]:
        """``EXPLAIN QUERY PLAN`` of every query the review runs, by name: the candidate
        queries one by one, the whole entries statement, and the as-of history read."""
        plans: dict[str, list[str]] = {}
        for name, sql, values in self._candidate_queries(clock, settings):
            plans[name] = self._plan(sql, values)
        candidates, params = self._candidates_sql(clock, settings)
        entries = f"{ENTRY_SELECT} WHERE c.id IN ({candidates}) ORDER BY c.id"
        plans["entries"] = self._plan(entries, params)
        plans["history_as_of"] = self._plan(
            "SELECT * FROM touches WHERE contact_id = ? ORDER BY at ASC, id ASC", (1,)
        )
        plans["snoozes"] = self._plan(
            "SELECT contact_id, kind, until FROM snoozes WHERE until > ?", ("",)
        )
        plans["stale"] = self._plan("SELECT contact_id FROM contact_state WHERE stale = 1", ())
        return plans

    def _plan(self, sql: str, params: Any) -> list[str]:
        return [row[3] for row in self.execute(f"EXPLAIN QUERY PLAN {sql}", params)]

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
