"""What the review reads from the store: the candidates due and their summaries.

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
from tracker.key_dates import month_days_back
from tracker.models import (
    AS_OF_STATE_FIELDS,
    CONTACT_TEXT_FIELDS,
    STORED_STATE_FIELDS,
    Contact,
    ContactState,
    Relationship,
    Segment,
    dataclass_builder,
)
from tracker.store.base import StoreBase
from tracker.store.contacts import TAG_SEP
from tracker.store.summaries import STATE_TIMES, SUMMARY_TOUCHES
from tracker.store.touches import TouchesMixin
from tracker.timeutil import Clock, from_stored, start_of_day, to_stored

_SEGMENTS = {s.value: s for s in Segment}
_RELATIONSHIPS = {r.value: r for r in Relationship}
# Contact columns read as they are (text made "" by SQL), then its times; the summary's
# columns likewise, its times last, so each group becomes a dict in one ``zip``.
_CONTACT_PLAIN: tuple[str, ...] = ("id", "name", "keep_in_touch_days", "follow_up_on")
_CONTACT_PLAIN += ("follow_up_reason", "linkedin_connected_on")
_CONTACT_TEXT = CONTACT_TEXT_FIELDS
_CONTACT_TIMES: tuple[str, ...] = ("sms_opt_in_at", "sms_opt_out_at", "follow_up_set_at")
_CONTACT_TIMES += ("created_at", "updated_at")
_STATE_TIMES = STATE_TIMES
_STATE_PLAIN = tuple(k for k in STORED_STATE_FIELDS if k != "contact_id" and k not in _STATE_TIMES)
_STATE_TEXT = ("last_text_out", "last_message")
_STATE_FLAGS = ("invite_has_note", "last_message_out")
_CONTACT_ENUMS = ("segment", "relationship", "tags", "state_id")


def _state_column(key: str) -> str:
    if key in _STATE_TEXT:
        return f"coalesce(s.{key}, '')"
    return "coalesce(s.text_run, 0)" if key == "text_run" else f"s.{key}"


_CONTACT_SQL = {
    "id": "c.id",
    "name": "c.name",
    "keep_in_touch_days": "c.keep_in_touch_days",
    "follow_up_on": "f.due_on",
    "follow_up_reason": "coalesce(f.reason, '')",
    "follow_up_set_at": "f.set_at",
    "linkedin_connected_on": "c.linkedin_connected_on",
    "tags": f"(SELECT group_concat(tag, '{TAG_SEP}') FROM"
    " (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag))",
    "state_id": "s.contact_id",
}
ENTRY_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (key, _CONTACT_SQL.get(key) or f"coalesce(c.{key}, '')")
    for key in (*_CONTACT_PLAIN, *_CONTACT_TEXT)
) + tuple((key, _CONTACT_SQL.get(key) or f"c.{key}") for key in (*_CONTACT_TIMES, *_CONTACT_ENUMS))
ENTRY_COLUMNS += tuple((f"state.{k}", _state_column(k)) for k in (*_STATE_PLAIN, *_STATE_TIMES))
"""Every column an entry row holds: (name, SQL), in row order."""
_NAMES = [name for name, _ in ENTRY_COLUMNS]


def _span(group: tuple[str, ...], prefix: str = "") -> slice:
    """Where the columns named ``group`` sit in an entry row (found by name)."""
    start = _NAMES.index(prefix + group[0])
    assert _NAMES[start : start + len(group)] == [prefix + k for k in group]
    return slice(start, start + len(group))


_PLAIN, _TEXT, _TIMES = _span(_CONTACT_PLAIN), _span(_CONTACT_TEXT), _span(_CONTACT_TIMES)
_ENUMS = _span(_CONTACT_ENUMS)
_STATE_VALUES, _STATE_MOMENTS = _span(_STATE_PLAIN, "state."), _span(_STATE_TIMES, "state.")

ENTRY_SELECT = (
    f"SELECT {', '.join(sql for _, sql in ENTRY_COLUMNS)} FROM contacts c"
    " LEFT JOIN follow_ups f ON f.contact_id = c.id"
    " LEFT JOIN contact_state s ON s.contact_id = c.id"
)


_AS_OF_ONLY = dict.fromkeys(AS_OF_STATE_FIELDS)
"""A stored summary's values for the fields only an as-of summary has: none."""
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
    contact = dict(zip(_CONTACT_PLAIN, row[_PLAIN], strict=True))
    contact.update(zip(_CONTACT_TEXT, row[_TEXT], strict=True))
    for key, text in zip(_CONTACT_TIMES, row[_TIMES], strict=True):
        contact[key] = _time(text) if text else None
    segment, relationship, tags, state_id = row[_ENUMS]
    contact["segment"] = _SEGMENTS[segment] if segment else None
    contact["relationship"] = _RELATIONSHIPS[relationship] if relationship else None
    contact["tags"] = tuple(tags.split(TAG_SEP)) if tags else ()
    if contact["follow_up_on"]:
        contact["follow_up_on"] = date.fromisoformat(contact["follow_up_on"])
    if contact["linkedin_connected_on"]:
        contact["linkedin_connected_on"] = date.fromisoformat(contact["linkedin_connected_on"])
    cid = contact["id"]
    if state_id is None:
        return _make_contact(contact), ContactState(contact_id=cid)
    state = dict(zip(_STATE_PLAIN, row[_STATE_VALUES], strict=True))
    state["contact_id"] = cid
    for key in _STATE_FLAGS:
        if state[key] is not None:
            state[key] = bool(state[key])
    for key, text in zip(_STATE_TIMES, row[_STATE_MOMENTS], strict=True):
        state[key] = _time(text) if text else None
    state.update(_AS_OF_ONLY)
    return _make_contact(contact), _make_state(state)


def _age_cut(clock: Clock, days: int) -> str:
    """A stored time every ``since`` aged ``days`` or more is before: the start of the
    local day after the last qualifying one, plus a day of slack (daylight saving)."""
    return to_stored(start_of_day(clock.today - timedelta(days=days - 2), clock.tz))


class ReviewMixin(TouchesMixin, StoreBase):
    """The review's reads."""

    def _candidate_queries(
        self, clock: Clock, settings: Settings
    ) -> list[tuple[str, str, tuple[Any, ...]]]:
        """(name, SQL selecting contact ids, parameters) for each way to be due."""
        day_start = to_stored(start_of_day(clock.today, clock.tz))
        thank_from = to_stored(
            start_of_day(clock.today - timedelta(days=settings.thank_window_days), clock.tz)
        )
        month_days = month_days_back(clock.today, settings.key_date_days)
        marks = ", ".join("?" * len(month_days))
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
                # A birthday or other key date fell in the last few days (by ``MM-DD``).
                "key_date",
                f"SELECT contact_id FROM key_dates WHERE month_day IN ({marks})",
                tuple(month_days),
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

    def replay_history(
        self, since: datetime
    ) -> tuple[list[tuple[Contact, ContactState]], list[tuple[Any, ...]]]:
        """What a replay of the review over past days reads (``tracker.whatif``): every
        contact with its stored summary, by id, and the touch rows (``SUMMARY_TOUCHES``,
        by contact, time and id) of the contacts with anything recorded at or after
        ``since``; the others' stored summaries hold from ``since`` on."""
        self.refresh_stale()
        entries = [_entry(row) for row in self.execute(f"{ENTRY_SELECT} ORDER BY c.id")]
        rows = self.execute(
            f"{SUMMARY_TOUCHES} WHERE contact_id IN"
            " (SELECT contact_id FROM contact_state WHERE last_event_at >= ?)"
            " ORDER BY contact_id, at, id",
            (to_stored(since),),
        ).fetchall()
        return entries, rows

    def first_touch_at(self) -> datetime | None:
        """When the oldest touch happened (``None`` with no touches)."""
        return _time(self.scalar("SELECT min(at) FROM touches"))

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
