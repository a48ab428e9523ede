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

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tracker.config import Settings
from tracker.key_dates import month_days_back
from tracker.models import Contact, ContactState
from tracker.store.base import StoreBase
from tracker.store.entries import ENTRY_SELECT, PACKED_SELECT, entry_from_row, read_packed
from tracker.store.summaries import SUMMARY_TOUCHES
from tracker.store.touches import TouchesMixin
from tracker.timeutil import STORED_FORMAT, Clock, from_stored, start_of_day, to_stored

REVIEW_CACHE_MB = 32
"""The smallest page cache a connection keeps once it has read a review."""


def _age_cut(clock: Clock, days: int) -> str:
    """A stored time every ``since`` aged ``days`` or more is before: the start of the
    local day after the last qualifying one, plus a day of slack (daylight saving)."""
    return to_stored(start_of_day(clock.today - timedelta(days=days - 2), clock.tz))


def _epoch(moment: datetime | None) -> int | None:
    """The whole second of ``moment`` (stored times have no fraction), for SQL to turn
    into stored text (cheaper there than ``to_stored`` is here)."""
    return None if moment is None else int(moment.timestamp())


def _messages_sql(channel: bool, direction: bool, timed: bool) -> str:
    """The statement of ``ReviewMixin.review_messages`` for one channel and direction
    (parameters: ``keys``, the JSON list of ``[contact_id, at]`` or ``[contact_id]``;
    ``channel`` and ``direction``): each touch found through ``touches_contact_at``."""
    clauses = ["contact_id = json_extract(j.value, '$[0]')", "is_group = 0"]
    clauses += ["channel = :channel"] * channel + ["direction = :direction"] * direction
    stored = f"strftime('{STORED_FORMAT}', json_extract(j.value, '$[1]'), 'unixepoch')"
    clauses += [f"at = {stored}"] * timed
    return (
        f"SELECT j.key, (SELECT text FROM touches WHERE {' AND '.join(clauses)}"
        " ORDER BY at DESC, id DESC LIMIT 1) FROM json_each(:keys) j"
    )


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
            # Sequences: a step due, a look due (a wait timing out, a pause ending), an
            # enrollment flagged since it was worked out, or one that changed after as-of.
            (
                "sequence_step",
                "SELECT contact_id FROM enrollments WHERE next_due_on <= ?",
                (clock.today.isoformat(),),
            ),
            (
                "sequence_check",
                "SELECT contact_id FROM enrollments WHERE next_check_on <= ?",
                (clock.today.isoformat(),),
            ),
            ("sequence_flagged", "SELECT contact_id FROM enrollments WHERE dirty = 1", ()),
            (
                "sequence_changed_after_as_of",
                "SELECT contact_id FROM enrollments WHERE changed_at > ?",
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
        self._review_cache()
        self.refresh_stale()
        return self._entries(clock, settings)

    def _review_cache(self) -> None:
        """A page cache of at least ``REVIEW_CACHE_MB`` for this connection, kept: the
        candidates lie all over a big database (a page each, at 100,000 contacts), and
        with SQLite's default 2 MB a warm review read most of them again from the file,
        a third of its time. The cache fills only as pages are read."""
        size = int(self.scalar("PRAGMA cache_size") or 0)
        kib = -size if size < 0 else size * int(self.scalar("PRAGMA page_size") or 4096) // 1024
        if kib < REVIEW_CACHE_MB * 1024:
            self.execute(f"PRAGMA cache_size = -{REVIEW_CACHE_MB * 1024}")

    def entries_sql(self, clock: Clock, settings: Settings) -> tuple[str, list[Any]]:
        """The statement that reads the review's entry rows (``PACKED_SELECT`` of every
        candidate, by contact id) and its parameters: what a review reads from SQLite,
        for its query plan and the benchmarks' floor."""
        candidates, params = self._candidates_sql(clock, settings)
        return f"{PACKED_SELECT} WHERE c.id IN ({candidates}) ORDER BY c.id", params

    def _entries(self, clock: Clock, settings: Settings) -> list[tuple[Contact, ContactState]]:
        sql, params = self.entries_sql(clock, settings)
        entries, unreadable = read_packed(self.execute(sql, params))
        if unreadable:  # rare: read those again, one column per field, and keep the order
            marks = ", ".join("?" * len(unreadable))
            sql = f"{ENTRY_SELECT} WHERE c.id IN ({marks})"
            entries += [entry_from_row(row) for row in self.execute(sql, unreadable)]
            entries.sort(key=lambda entry: entry[0].id)
        return entries

    def review_messages(
        self, wanted: Sequence[tuple[int, str | None, str | None, datetime | None]]
    ) -> list[str]:
        """For each (contact id, channel, direction, at), what ``touch_text`` gives for it
        (the text of the contact's own touch on that channel in that direction at that
        moment, the latest such when ``at`` is ``None``; ``None`` matches any), read in one
        statement for each channel and direction rather than one query per item."""
        texts = [""] * len(wanted)
        groups: dict[tuple[str | None, str | None, bool], list[int]] = {}
        for index, (_, channel, direction, at) in enumerate(wanted):
            groups.setdefault((channel, direction, at is not None), []).append(index)
        for (channel, direction, timed), indexes in groups.items():
            if timed:
                keys = json.dumps([[wanted[i][0], _epoch(wanted[i][3])] for i in indexes])
            else:
                keys = json.dumps([[wanted[i][0]] for i in indexes])
            params = {"keys": keys, "channel": channel, "direction": direction}
            sql = _messages_sql(channel is not None, direction is not None, timed)
            for key, text in self.execute(sql, params):
                if text:
                    texts[indexes[key]] = str(text)
        return texts

    def replay_history(
        self, since: datetime
    ) -> tuple[list[tuple[Contact, ContactState]], list[tuple[Any, ...]]]:
        """What a replay of the review over past days reads (``tracker.whatif``): every
        contact with its stored summary, by id, and the touch rows (``SUMMARY_TOUCHES``,
        by contact, time and id) of the contacts with anything recorded at or after
        ``since``; the others' stored summaries hold from ``since`` on."""
        self.refresh_stale()
        entries = [entry_from_row(row) for row in self.execute(f"{ENTRY_SELECT} ORDER BY c.id")]
        rows = self.execute(
            f"{SUMMARY_TOUCHES} WHERE contact_id IN"
            " (SELECT contact_id FROM contact_state WHERE last_event_at >= ?)"
            " ORDER BY contact_id, at, id",
            (to_stored(since),),
        ).fetchall()
        return entries, rows

    def first_touch_at(self) -> datetime | None:
        """When the oldest touch happened (``None`` with no touches)."""
        return from_stored(self.scalar("SELECT min(at) FROM touches"))

    def review_query_plans(self, clock: Clock, settings: Settings) -> dict[str, list[str]]:
        """``EXPLAIN QUERY PLAN`` of every query the review runs, by name: the candidate
        queries one by one, the whole entries statement, and the as-of history read."""
        plans: dict[str, list[str]] = {}
        for name, sql, values in self._candidate_queries(clock, settings):
            plans[name] = self._plan(sql, values)
        plans["entries"] = self._plan(*self.entries_sql(clock, settings))
        plans["history_as_of"] = self._plan(
            "SELECT * FROM touches WHERE contact_id = ? ORDER BY at ASC, id ASC", (1,)
        )
        plans["messages"] = self._plan(
            _messages_sql(True, True, True), {"keys": "[]", "channel": "email", "direction": "out"}
        )
        plans["snoozes"] = self._plan(
            "SELECT contact_id, kind, until FROM snoozes WHERE until > ?", ("",)
        )
        plans["stale"] = self._plan("SELECT contact_id FROM contact_state WHERE stale = 1", ())
        return plans

    def _plan(self, sql: str, params: Any) -> list[str]:
        return [row[3] for row in self.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
