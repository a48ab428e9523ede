"""The facts the insights count replies from (``message_replies``): one row per message
the rep sent, with its run and when it was answered, kept in step with every write.

Whatever changes a contact's touches refreshes that contact's summary from its whole
history (``TouchesMixin.refresh_state``); the same rows are folded into its facts there,
with the fold the service gives the store (``tracker.replies.ReplyFold``: the rule of
what answers a message lives there, never here). An import folds the facts of the
contacts it creates as their touches stream past (``insert_message_facts``). A deleted
touch takes its fact with it (``ON DELETE CASCADE``).

The reads count the facts of a period by channel, first message or follow-up, and local
hour of the week, in one pass over an index that holds every column they read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from tracker.local_time import Offsets
from tracker.store.base import StoreBase
from tracker.store.local_sql import hour_of_week

FACTS_BATCH = 5000
"""Facts are written this many at a time while a history is read (memory stays flat)."""
FACT_COLUMNS = ("touch_id", "contact_id", "channel", "sent", "run", "replied")
_INSERT = (
    f"INSERT OR REPLACE INTO message_replies ({', '.join(FACT_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(FACT_COLUMNS))})"
)
_INSERT_JSON = (
    f"INSERT OR REPLACE INTO message_replies ({', '.join(FACT_COLUMNS)})"
    f" SELECT {', '.join(f'value ->> {i}' for i in range(len(FACT_COLUMNS)))}"
    " FROM json_each(?)"
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

    def add_message_facts(self, facts: Iterable[tuple[Any, ...]]) -> None:
        """Store facts (one replaces a fact of the same touch)."""
        with self.write():
            self.conn.executemany(_INSERT, facts)

    def insert_message_facts(self, facts: Sequence[tuple[Any, ...]]) -> None:
        """Add (or replace) the facts of messages just written (an import's new
        contacts), in one statement."""
        if facts:
            self.insert_message_facts_json(json.dumps(facts, ensure_ascii=False))

    def insert_message_facts_json(self, facts: str) -> None:
        """``insert_message_facts`` for facts already encoded as a JSON array of arrays
        (an import encodes them on its reading thread)."""
        with self.write():
            self.execute(_INSERT_JSON, (facts,))

    def refresh_messages(self, contact_ids: Sequence[int] | None = None) -> int:
        """Fold the facts of these contacts (all, when ``None``) from their histories,
        500 contacts at a time; returns how many messages they hold."""
        if contact_ids is None:
            contact_ids = [r[0] for r in self.execute("SELECT id FROM contacts ORDER BY id")]
        count = 0
        with self.write():
            for start in range(0, len(contact_ids), 500):
                chunk = list(contact_ids[start : start + 500])
                folds = {i: self.messages(i) for i in chunk}
                self.clear_message_facts(chunk)
                cursor = self.execute(
                    f"{_HISTORY} WHERE contact_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY contact_id, at, id",
                    chunk,
                )
                facts: list[tuple[Any, ...]] = []
                for row in cursor:
                    fold = folds[row[1]]
                    fold.add(row)
                    facts += fold.take()
                    if len(facts) >= FACTS_BATCH:
                        self.add_message_facts(facts)
                        count += len(facts)
                        facts = []
                for fold in folds.values():
                    facts += fold.finish()
                self.add_message_facts(facts)
                count += len(facts)
        return count

    # -- reading -------------------------------------------------------------------
    def reply_groups(
        self, since: int | None, as_of: int, offsets: Offsets, tag: str = "", segment: str = ""
    ) -> list[tuple[str, bool, int, int, tuple[int, ...]]]:
        """The messages sent from ``since`` (epoch seconds; ``None``: all) to ``as_of``,
        counted by channel, first message or not, and local hour of the week (0: Monday
        00:00; ``offsets`` the zone's over the period): ``(channel, first, hour of week,
        sent, the seconds each one answered by ``as_of`` waited)``."""
        where, params = contact_filter(tag, segment, "f.contact_id")
        how = hour_of_week("f.sent", offsets)
        rows = self.execute(
            f"SELECT f.channel, f.run = 1, {how}, count(*),"
            " group_concat(CASE WHEN f.replied <= ? THEN f.replied - f.sent END)"
            " FROM message_replies f INDEXED BY message_replies_sent"
            f" WHERE f.sent >= ? AND f.sent <= ?{where} GROUP BY 1, 2, 3",
            [as_of, _floor(since), as_of, *params],
        )
        return [
            (channel, bool(first), int(hour), int(sent), _numbers(waits))
            for channel, first, hour, sent, waits in rows
        ]

    def step_back_contacts(
        self, since: int | None, as_of: int, run: int, tag: str = "", segment: str = ""
    ) -> int:
        """How many contacts were sent a text from ``since`` to ``as_of`` that was at
        least the ``run``-th in a row unanswered."""
        where, params = contact_filter(tag, segment, "f.contact_id")
        return int(
            self.scalar(
                "SELECT count(DISTINCT f.contact_id) FROM message_replies f"
                " INDEXED BY message_replies_sent WHERE f.sent >= ? AND f.sent <= ?"
                f" AND f.channel = 'sms' AND f.run >= ?{where}",
                [_floor(since), as_of, run, *params],
            )
            or 0
        )

    def first_message_sent(self) -> int | None:
        """Epoch seconds of the earliest message fact (``None``: there is none)."""
        found = self.scalar("SELECT min(sent) FROM message_replies")
        return None if found is None else int(found)


def _floor(since: int | None) -> int:
    return -(2**62) if since is None else since


def _numbers(text: str | None) -> tuple[int, ...]:
    return tuple(map(int, text.split(","))) if text else ()
