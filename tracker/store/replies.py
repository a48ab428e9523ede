"""The facts the insights count replies from (``message_replies``): one row per message
the rep sent, with its run and when it was answered, kept in step with every write.

Whatever changes a contact's touches refreshes that contact's summary from its whole
history (``TouchesMixin.refresh_state``); the same rows are folded into its facts there,
with the fold the service gives the store (``tracker.replies.ReplyFold``: the rule of
what answers a message lives there, never here). An import folds the facts of the
contacts it creates as their touches stream past (``add_message_facts``). A deleted
touch takes its fact with it (``ON DELETE CASCADE``).

The reads count the facts of a period by channel, first message or follow-up, and local
hour of the week, in one pass over an index that holds every column they read.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tracker.ahead import Ahead
from tracker.local_time import Offsets
from tracker.store.base import StoreBase
from tracker.store.local_sql import hour_of_week, span_value
from tracker.store.values import run_values, values_from

T = TypeVar("T")

FACTS_BATCH = 5000
"""Facts are written this many at a time while a history is read (memory stays flat)."""
FACT_COLUMNS = ("touch_id", "contact_id", "channel", "sent", "run", "replied")
_PICKED = ("column1", "column2", "column3", "unixepoch(column4)", "column5", "unixepoch(column6)")
"""What each column stores of a fact as a fold gives it (``tracker.replies.FACT_WIDTH``
values, its times as stored): the times as epoch seconds."""


@functools.lru_cache(maxsize=8)
def _insert_values(rows: int) -> str:
    """The statement storing up to ``rows`` facts bound at once (``values``), each
    replacing a fact of the same touch."""
    picked = ", ".join(_PICKED)
    return (
        f"INSERT OR REPLACE INTO message_replies ({', '.join(FACT_COLUMNS)})"
        f" SELECT {picked} {values_from(len(FACT_COLUMNS), rows)}"
    )


_HISTORY = (
    "SELECT id, contact_id, channel, direction, at, NULL, NULL, NULL, NULL, NULL, is_group"
    " FROM touches"
)
"""The columns of ``SUMMARY_TOUCHES`` the facts read (the others left empty)."""


def contact_filter(tag: str, segment: str, column: str) -> tuple[str, list[Any]]:
    """SQL (`` AND ...``) keeping to contacts with ``tag`` and in ``segment`` (``other``
    takes in the contacts with none), ``column`` naming the contact's id."""
    clauses, params = [], []
    if tag:
        clauses.append(
            f"EXISTS (SELECT 1 FROM tags kept_tag WHERE kept_tag.contact_id = {column}"
            " AND kept_tag.tag = ?)"
        )
        params.append(tag)
    if segment:
        clauses.append(
            "(SELECT coalesce(kept.segment, 'other') FROM contacts kept"
            f" WHERE kept.id = {column}) = ?"
        )
        params.append(segment)
    return "".join(f" AND {c}" for c in clauses), params


class RepliesMixin(StoreBase):
    """Writing the reply facts and counting them."""

    # -- writing -------------------------------------------------------------------
    def clear_message_facts(self, contact_ids: Sequence[int]) -> None:
        """Forget the facts of these contacts' touches (before folding them again)."""
        with self.write():
            for start in range(0, len(contact_ids), 500):
                chunk = list(contact_ids[start : start + 500])
                self.execute(
                    "DELETE FROM message_replies WHERE touch_id IN (SELECT id FROM touches"
                    f" WHERE contact_id IN ({','.join('?' * len(chunk))}))",
                    chunk,
                )

    def add_message_facts(self, facts: Sequence[Any]) -> None:
        """Add (or replace) facts as a fold gives them (flat, ``len(FACT_COLUMNS)``
        values each, times as stored: ``tracker.replies.FACT_WIDTH``), bound to a
        statement or two (``values``: the interpreter lock is free while they run, and
        an import's parser goes on meanwhile)."""
        if not facts:
            return
        width = len(FACT_COLUMNS)
        with self.write():
            run_values(self.conn, _insert_values, (), facts, width, len(facts) // width)

    def refresh_messages(self, contact_ids: Sequence[int] | None = None) -> int:
        """Fold the facts of these contacts (all, when ``None``) from their histories,
        500 contacts at a time; returns how many messages they hold."""
        if contact_ids is None:
            contact_ids = [r[0] for r in self.execute("SELECT id FROM contacts ORDER BY id")]
        count = 0
        with self.write():
            for start in range(0, len(contact_ids), 500):
                chunk = list(contact_ids[start : start + 500])
                facts: list[Any] = []
                folds = {i: self.messages(i, facts) for i in chunk}
                self.clear_message_facts(chunk)
                cursor = self.execute(
                    f"{_HISTORY} WHERE contact_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY contact_id, at, id",
                    chunk,
                )
                for row in cursor:
                    folds[row[1]].add(row)
                    if len(facts) >= FACTS_BATCH * len(FACT_COLUMNS):
                        self.add_message_facts(facts)
                        count += len(facts)
                        facts.clear()
                for fold in folds.values():
                    fold.finish()
                self.add_message_facts(facts)
                count += len(facts)
        return count // len(FACT_COLUMNS)

    # -- reading -------------------------------------------------------------------
    def reply_cells(
        self,
        since: int | None,
        as_of: int,
        eras: Sequence[tuple[int, int]],
        step_back_run: int,
        tag: str = "",
        segment: str = "",
    ) -> ReplyCells:
        """The messages sent from ``since`` (epoch seconds; ``None``: all) to ``as_of``,
        counted by channel, first message or not, UTC quarter-hour of the week (0: Monday
        00:00 UTC) and era: ``eras`` are ``(from, era)`` as ``Offsets.spans`` (a message
        of era -1 is left out). One pass over ``message_replies_cells`` in its order,
        nothing sorted; see ``ReplyCells``."""
        return _reply_cells(self.conn, since, as_of, eras, step_back_run, tag, segment)

    def reply_cells_ahead(
        self,
        since: int | None,
        as_of: int,
        eras: Sequence[tuple[int, int]],
        step_back_run: int,
        tag: str,
        segment: str,
        shape: Callable[[ReplyCells], T],
    ) -> Ahead[T]:
        """``reply_cells`` started now on a connection of its own, in a thread: SQLite
        counts there (without the interpreter lock) while this connection serves the
        other reads; ``shape`` (no SQL in it) turns the count into what the caller wants,
        in that thread too. A database in memory, or one inside a transaction (whose
        writes another connection would not see), counts here at once."""
        args = (since, as_of, eras, step_back_run, tag, segment)
        if str(self.path) == ":memory:" or self.conn.in_transaction:
            return Ahead.known(shape(_reply_cells(self.conn, *args)))

        def count() -> T:
            with self.translating_errors():  # a SQLite failure as the one-line error
                conn = self.reader()
                try:
                    found = _reply_cells(conn, *args)
                finally:
                    conn.close()
            return shape(found)

        return Ahead.start(count, "reply-cells")

    def reply_hours(
        self,
        since: int | None,
        as_of: int,
        ranges: Sequence[tuple[int | None, int | None]],
        offsets: Offsets,
        step_back_run: int,
        tag: str = "",
        segment: str = "",
    ) -> list[tuple[str, bool, int, int, tuple[int, ...], tuple[int, ...]]]:
        """The messages sent from ``since`` to ``as_of`` within ``ranges`` (``[start,
        end)``, ``None`` open), counted by channel, first message or not, and local hour
        of the week (0: Monday 00:00-00:59; ``offsets`` the zone's over the period):
        each message's hour worked out and the counts sorted, for the offsets that split
        a quarter-hour (``reply_cells`` cannot count those). ``(channel, first, hour of
        week, how many, the seconds each answered one waited, the contacts stepped back
        from)``."""
        where, params = contact_filter(tag, segment, "f.contact_id")
        within, bounds = _ranges("f.sent", ranges)
        how = hour_of_week("f.sent", offsets)
        rows = self.execute(
            f"SELECT f.channel, f.run = 1, {how}, count(*),"
            " group_concat(CASE WHEN f.replied <= ? THEN f.replied - f.sent END),"
            " group_concat(CASE WHEN f.channel = 'sms' AND f.run >= ? THEN f.contact_id END)"
            " FROM message_replies f INDEXED BY message_replies_cells"
            f" WHERE f.sent >= ? AND f.sent <= ?{within}{where} GROUP BY 1, 2, 3",
            [as_of, step_back_run, _floor(since), as_of, *bounds, *params],
        )
        return [
            (channel, bool(first), int(key), int(sent), _numbers(waits), _numbers(runs))
            for channel, first, key, sent, waits, runs in rows
        ]


@dataclass(frozen=True)
class ReplyCells:
    """What ``reply_cells`` counted: ``eras`` (in order); per cell ``[channel, first,
    quarter, how many, how many of each era but the first]`` (the first era's being the
    rest); per era, per cell, the seconds each message of that era answered by the clock
    waited; and the contacts sent a text at least ``step_back_run``-th in a row
    unanswered."""

    eras: list[int]
    cells: list[list[Any]]
    waits: list[list[list[int]]]
    stepped_back: set[int]


def _reply_cells(
    conn: sqlite3.Connection,
    since: int | None,
    as_of: int,
    eras: Sequence[tuple[int, int]],
    step_back_run: int,
    tag: str,
    segment: str,
) -> ReplyCells:
    """``RepliesMixin.reply_cells`` on ``conn``."""
    where, params = contact_filter(tag, segment, "f.contact_id")
    kinds = sorted({era for _, era in eras if era >= 0})
    if not kinds:
        return ReplyCells(kinds, [], [], set())
    era = span_value("f.sent", eras) if len(eras) > 1 else str(eras[0][1])
    keep = f" AND {era} >= 0" if any(e < 0 for _, e in eras) else ""
    split = len(kinds) > 1
    counts = "".join(f", count(*) FILTER (WHERE {era} = {k})" for k in kinds[1:])
    waits = [
        f"group_concat(f.replied - f.sent) FILTER (WHERE f.replied <= ?"
        f"{f' AND {era} = {k}' if split else ''})"
        for k in kinds
    ]
    inner = (
        f"SELECT json_array(f.channel, f.run = 1, f.week_quarter, count(*){counts}) AS cell,"
        f" {', '.join(f'{w} AS w{i}' for i, w in enumerate(waits))},"
        " group_concat(f.contact_id) FILTER (WHERE f.channel = 'sms' AND f.run >= ?) AS runs"
        " FROM message_replies f INDEXED BY message_replies_cells"
        f" WHERE f.sent >= ? AND f.sent <= ?{keep}{where} GROUP BY f.channel, f.run = 1,"
        " f.week_quarter"
    )
    outer = ", ".join(f"group_concat(coalesce(w{i}, ''), '],[')" for i in range(len(waits)))
    row = conn.execute(
        f"SELECT '[' || group_concat(cell) || ']', {outer}, group_concat(runs) FROM ({inner})",
        [*[as_of] * len(waits), step_back_run, _floor(since), as_of, *params],
    ).fetchone()
    if row[0] is None:
        return ReplyCells(kinds, [], [[] for _ in kinds], set())
    return ReplyCells(
        kinds,
        json.loads(row[0]),
        [json.loads(f"[[{text}]]") for text in row[1 : 1 + len(waits)]],
        set(json.loads(f"[{row[-1]}]")) if row[-1] else set(),
    )


def _ranges(column: str, ranges: Sequence[tuple[int | None, int | None]]) -> tuple[str, list[int]]:
    """SQL (`` AND (...)``) keeping ``column`` within any of ``ranges``."""
    parts, params = [], []
    for start, end in ranges:
        bounds = []
        if start is not None:
            bounds.append(f"{column} >= ?")
            params.append(start)
        if end is not None:
            bounds.append(f"{column} < ?")
            params.append(end)
        parts.append(" AND ".join(bounds) or "1")
    if not parts:
        return " AND 0", []
    return f" AND (({') OR ('.join(parts)}))", params


def _floor(since: int | None) -> int:
    return -(2**62) if since is None else since


def _numbers(text: str | None) -> tuple[int, ...]:
    return tuple(map(int, text.split(","))) if text else ()
