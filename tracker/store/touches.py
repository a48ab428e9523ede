"""Touches, invitation status, SMS consent, follow-up dates and snoozes in the store.

Every write here also refreshes the contact's summary row (``contact_state``) in the
same transaction, so the review always reads a summary that matches the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from tracker.errors import NotFoundError
from tracker.models import TOUCH_COLUMNS, Channel, ContactState, Direction, Kind, Moment, Touch
from tracker.store.replies import FACT_COLUMNS, FACTS_BATCH, RepliesMixin
from tracker.store.summaries import (
    STATE_TIMES,
    SUMMARY_TOUCHES,
    state_values,
    upsert_state_sql,
)
from tracker.timeutil import from_stored, stamp, to_stored


def touch_from_row(row: dict[str, Any]) -> Touch:
    at = from_stored(row["at"])
    assert at is not None
    return Touch(
        id=row["id"],
        contact_id=row["contact_id"],
        channel=Channel(row["channel"]),
        direction=Direction(row["direction"]),
        at=at,
        text=row["text"] or "",
        status=row["status"],
        status_at=from_stored(row["status_at"]),
        has_note=None if row["has_note"] is None else bool(row["has_note"]),
        moment=Moment(row["moment"]) if row["moment"] else None,
        is_group=bool(row["is_group"]),
        source=row["source"],
        template=row.get("template"),
    )


def state_from_row(row: dict[str, Any]) -> ContactState:
    values: dict[str, Any] = {}
    for key in ContactState.__dataclass_fields__:
        value = row.get(key)
        if key in STATE_TIMES:
            value = from_stored(value)
        elif key in ("invite_has_note", "last_message_out") and value is not None:
            value = bool(value)
        elif key in ("text_run",):
            value = value or 0
        elif key in ("last_text_out", "last_message"):
            value = value or ""
        values[key] = value
    values["contact_id"] = row["contact_id"]
    return ContactState(**values)


class TouchesMixin(RepliesMixin):
    """Reading and writing touches, and the per-contact state they feed."""

    # -- touches -------------------------------------------------------------------
    def insert_touch(self, fields: dict[str, Any]) -> int:
        """Insert one touch (validated by the caller) and refresh its contact's state."""
        row: dict[str, Any] = {k: fields.get(k) for k in TOUCH_COLUMNS}
        row["is_group"] = int(bool(row["is_group"]))
        if row["has_note"] is not None:
            row["has_note"] = int(bool(row["has_note"]))
        row["created_at"] = stamp()
        with self.write():
            cursor = self.execute(
                f"INSERT INTO touches ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            self.refresh_state([int(row["contact_id"])])
        return int(cursor.lastrowid or 0)

    def update_touch(self, touch_id: int, changes: dict[str, Any]) -> None:
        unknown = set(changes) - set(TOUCH_COLUMNS)
        if unknown:
            raise ValueError(f"unknown touch fields: {sorted(unknown)}")
        with self.write():
            before = self.get_touch(touch_id)
            if changes:
                assignments = ", ".join(f"{k} = ?" for k in changes)
                self.execute(
                    f"UPDATE touches SET {assignments} WHERE id = ?",
                    (*changes.values(), touch_id),
                )
            self.refresh_state({before.contact_id, changes.get("contact_id", before.contact_id)})

    def delete_touch(self, touch_id: int) -> Touch:
        with self.write():
            touch = self.get_touch(touch_id)
            self.execute("DELETE FROM touches WHERE id = ?", (touch_id,))
            self.refresh_state([touch.contact_id])
        return touch

    def get_touch(self, touch_id: int) -> Touch:
        row = self.one("SELECT * FROM touches WHERE id = ?", (touch_id,))
        if row is None:
            raise NotFoundError(f"no touch with id {touch_id}")
        return touch_from_row(row)

    def touches_for(self, contact_id: int, newest_first: bool = False) -> list[Touch]:
        order = "DESC" if newest_first else "ASC"
        rows = self.rows(
            f"SELECT * FROM touches WHERE contact_id = ? ORDER BY at {order}, id {order}",
            (contact_id,),
        )
        return [touch_from_row(r) for r in rows]

    def touch_text(
        self, contact_id: int, channel: str | None, direction: str | None, at: datetime | None
    ) -> str:
        """The text of the contact's own (not group) touch on ``channel`` in ``direction``
        (``None``: any) at the moment ``at``, or its latest such touch when ``at`` is
        ``None``; of several at one instant, the last logged. Empty when there is none."""
        clauses = ["contact_id = ?", "is_group = 0"]
        params: list[Any] = [contact_id]
        for column, value in (("channel", channel), ("direction", direction)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if at is not None:
            clauses.append("at = ?")
            params.append(to_stored(at))
        found = self.scalar(
            f"SELECT text FROM touches WHERE {' AND '.join(clauses)} ORDER BY at DESC, id DESC"
            " LIMIT 1",
            params,
        )
        return str(found or "")

    def touch_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM touches") or 0)

    def has_source(self, source: str) -> bool:
        return self.scalar("SELECT 1 FROM touches WHERE source = ?", (source,)) is not None

    # -- invitation status, consent, follow-ups, snoozes --------------------------
    def set_touch_status(self, touch_id: int, status: str, status_at: datetime) -> None:
        with self.write():
            touch = self.get_touch(touch_id)
            self.execute(
                "UPDATE touches SET status = ?, status_at = ? WHERE id = ?",
                (status, to_stored(status_at), touch_id),
            )
            self.refresh_state([touch.contact_id])

    def set_consent(
        self,
        contact_id: int,
        opt_in_at: datetime | None = None,
        opt_out_at: datetime | None = None,
    ) -> None:
        """Record an opt-in or opt-out moment (``None`` leaves that side alone)."""
        with self.write():
            if opt_in_at is not None:
                self.execute(
                    "UPDATE contacts SET sms_opt_in_at = ?, updated_at = ? WHERE id = ?",
                    (to_stored(opt_in_at), stamp(), contact_id),
                )
            if opt_out_at is not None:
                self.execute(
                    "UPDATE contacts SET sms_opt_out_at = ?, updated_at = ? WHERE id = ?",
                    (to_stored(opt_out_at), stamp(), contact_id),
                )

    def set_follow_up(self, contact_id: int, due_on: date, reason: str, set_at: datetime) -> None:
        with self.write():
            self.execute(
                "INSERT INTO follow_ups (contact_id, due_on, reason, set_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(contact_id) DO UPDATE SET due_on = excluded.due_on,"
                " reason = excluded.reason, set_at = excluded.set_at",
                (contact_id, due_on.isoformat(), reason or None, to_stored(set_at)),
            )

    def clear_follow_up(self, contact_id: int) -> bool:
        with self.write():
            cursor = self.execute("DELETE FROM follow_ups WHERE contact_id = ?", (contact_id,))
        return cursor.rowcount > 0

    def snooze(self, contact_id: int, kind: Kind, until: date) -> None:
        with self.write():
            self.execute(
                "INSERT INTO snoozes (contact_id, kind, until, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(contact_id, kind) DO UPDATE SET until = excluded.until,"
                " created_at = excluded.created_at",
                (contact_id, kind.value, until.isoformat(), stamp()),
            )

    def unsnooze(self, contact_id: int, kind: Kind) -> None:
        with self.write():
            self.execute(
                "DELETE FROM snoozes WHERE contact_id = ? AND kind = ?", (contact_id, kind.value)
            )

    def active_snoozes(self, today: date) -> dict[tuple[int, Kind], date]:
        rows = self.rows(
            "SELECT contact_id, kind, until FROM snoozes WHERE until > ?", (today.isoformat(),)
        )
        return {(r["contact_id"], Kind(r["kind"])): date.fromisoformat(r["until"]) for r in rows}

    # -- per-contact state -------------------------------------------------------
    def refresh_state(self, contact_ids: Iterable[int]) -> None:
        """Recompute the summary of each contact, and the facts of its messages, from its
        whole history.

        Histories are read 500 contacts at a time as plain tuples and folded as they come
        (``self.fold``: the service's ``HistoryFold``; ``self.messages``: its
        ``ReplyFold``): only the rows the summary reads become ``Touch`` objects, and
        however long a history, memory stays flat."""
        ids = sorted(set(contact_ids))
        with self.write():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                folds = {i: self.fold(i) for i in chunk}
                facts: list[Any] = []  # flat (``add_message_facts``)
                messages = {i: self.messages(i, facts) for i in chunk}
                self.clear_message_facts(chunk)
                cursor = self.execute(
                    f"{SUMMARY_TOUCHES} WHERE contact_id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY contact_id, at, id",
                    chunk,
                )
                for row in cursor:
                    folds[row[1]].add(row)
                    messages[row[1]].add(row)
                    if len(facts) >= FACTS_BATCH * len(FACT_COLUMNS):
                        self.add_message_facts(facts)
                        facts.clear()
                self.write_states(fold.summary() for fold in folds.values())
                for message in messages.values():
                    message.finish()
                self.add_message_facts(facts)

    def write_states(self, states: Iterable[ContactState], empty: Iterable[int] = ()) -> None:
        """Store these summaries as current (inserting or replacing each contact's row),
        and the empty-history summary for the contacts ``empty``."""
        values = [state_values(s) for s in states]
        blank = state_values(self.fold(0).summary())[1:]
        values.extend((contact_id, *blank) for contact_id in empty)
        with self.write():
            self.conn.executemany(upsert_state_sql(), values)

    def mark_stale(self, contact_ids: Sequence[int]) -> None:
        """Flag summaries to recompute later (bulk imports do this, then refresh once)."""
        with self.write():
            self.conn.executemany(
                "UPDATE contact_state SET stale = 1 WHERE contact_id = ?",
                [(i,) for i in contact_ids],
            )

    def refresh_stale(self) -> int:
        """Recompute every flagged summary; returns how many."""
        ids = [
            r["contact_id"]
            for r in self.rows("SELECT contact_id FROM contact_state WHERE stale = 1")
        ]
        if ids:
            self.refresh_state(ids)
        return len(ids)

    def state_of(self, contact_id: int) -> ContactState:
        row = self.one("SELECT * FROM contact_state WHERE contact_id = ?", (contact_id,))
        if row is None:
            return ContactState(contact_id=contact_id)
        return state_from_row(row)
