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

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from tracker.config import Settings
from tracker.models import (
    CONTACT_TEXT_FIELDS,
    Contact,
    ContactState,
    Relationship,
    Segment,
    dataclass_builder,
)
from tracker.store.base import StoreBase
from tracker.store.contacts import TAG_SEP
from tracker.store.summaries import STATE_TIMES
from tracker.store.touches import TouchesMixin
from tracker.timeutil import Clock, from_stored, stamp, start_of_day, to_stored

_SEGMENTS = {s.value: s for s in Segment}
_RELATIONSHIPS = {r.value: r for r in Relationship}
# Contact columns read as they are (text made "" by SQL), then its times; the summary's
# columns likewise, its times last, so each group becomes a dict in one ``zip``.
_CONTACT_PLAIN = ("id", "name", "keep_in_touch_days", "follow_up_on", "follow_up_reason")
_CONTACT_TEXT = CONTACT_TEXT_FIELDS
_CONTACT_TIMES: tuple[str, ...] = ("sms_opt_in_at", "sms_opt_out_at", "follow_up_set_at")
_CONTACT_TIMES += ("created_at", "updated_at")
_STATE_TIMES = STATE_TIMES
_STATE_PLAIN = tuple(
    k for k in ContactState.__dataclass_fields__ if k != "contact_id" and k not in _STATE_TIMES
)
_STATE_TEXT = ("last_text_out", "last_message")
_STATE_FLAGS = ("invite_has_note", "last_message_out")
_N_PLAIN, _N_TEXT, _N_TIMES = len(_CONTACT_PLAIN), len(_CONTACT_TEXT), len(_CONTACT_TIMES)
_AT_TEXT = _N_PLAIN
_AT_TIMES = _AT_TEXT + _N_TEXT
_AT_ENUMS = _AT_TIMES + _N_TIMES  # segment, relationship, tags, state's contact_id
_AT_STATE = _AT_ENUMS + 4
_AT_STATE_TIMES = _AT_STATE + len(_STATE_PLAIN)


def _state_column(key: str) -> str:
    if key in _STATE_TEXT:
        return f"coalesce(s.{key}, '')"
    return "coalesce(s.text_run, 0)" if key == "text_run" else f"s.{key}"


ENTRY_SELECT = (
    "SELECT c.id, c.name, c.keep_in_touch_days, f.due_on, coalesce(f.reason, ''), "
    + ", ".join(f"coalesce(c.{k}, '')" for k in _CONTACT_TEXT)
    + ", c.sms_opt_in_at, c.sms_opt_out_at, f.set_at, c.created_at, c.updated_at,"
    " c.segment, c.relationship,"
    f" (SELECT group_concat(tag, '{TAG_SEP}') FROM"
    " (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag)),"
    " s.contact_id, "
    + ", ".join(_state_column(k) for k in (*_STATE_PLAIN, *_STATE_TIMES))
    + " FROM contacts c"
    " LEFT JOIN follow_ups f ON f.contact_id = c.id"
    " LEFT JOIN contact_state s ON s.contact_id = c.id"
)


_make_contact = dataclass_builder(Contact)
_make_state = dataclass_builder(ContactState)
_fromiso = datetime.fromisoformat


def _time(text: str | None) -> datetime | None:
    """``from_stored``, with a fast path for the store's own ``...THH:MM:SSZ`` text."""
    if not text:
        return None
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        return _fromiso(text)
    return from_stored(text)


def _entry(row: tuple[Any, ...]) -> tuple[Contact, ContactState]:
    """A row of ``ENTRY_SELECT`` as the contact and its summary; the same objects as
    ``contact_from_row`` and ``state_from_row`` build, parsed with less overhead."""
    contact = dict(zip(_CONTACT_PLAIN, row, strict=False))
    contact.update(zip(_CONTACT_TEXT, row[_AT_TEXT:_AT_TIMES], strict=True))
    for key, text in zip(_CONTACT_TIMES, row[_AT_TIMES:_AT_ENUMS], strict=True):
        contact[key] = _time(text) if text else None
    segment, relationship, tags, state_id = row[_AT_ENUMS:_AT_STATE]
    contact["segment"] = _SEGMENTS[segment] if segment else None
    contact["relationship"] = _RELATIONSHIPS[relationship] if relationship else None
    contact["tags"] = tuple(tags.split(TAG_SEP)) if tags else ()
    if contact["follow_up_on"]:
        contact["follow_up_on"] = date.fromisoformat(contact["follow_up_on"])
    cid = contact["id"]
    if state_id is None:
        return _make_contact(contact), ContactState(contact_id=cid)
    state = dict(zip(_STATE_PLAIN, row[_AT_STATE:_AT_STATE_TIMES], strict=True))
    state["contact_id"] = cid
    for key in _STATE_FLAGS:
        if state[key] is not None:
            state[key] = bool(state[key])
    for key, text in zip(_STATE_TIMES, row[_AT_STATE_TIMES:], strict=True):
        state[key] = _time(text) if text else None
    return _make_contact(contact), _make_state(state)


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

    def review_entries(
        self, clock: Clock, settings: Settings
    ) -> list[tuple[Contact, ContactState]]:
        """(contact, stored summary) for every candidate contact, by contact id. A summary
        whose ``last_event_at`` is after ``clock.as_of`` covers more than the as-of moment:
        the service summarises that contact again."""
        self.refresh_stale()
        return list(self._entries(clock, settings))

    def _entries(self, clock: Clock, settings: Settings) -> Iterator[tuple[Contact, ContactState]]:
        candidates, params = self._candidates_sql(clock, settings)
        sql = f"{ENTRY_SELECT} WHERE c.id IN ({candidates}) ORDER BY c.id"
        for row in self.execute(sql, params).fetchall():
            yield _entry(row)

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
