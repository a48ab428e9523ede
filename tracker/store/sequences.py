"""Enrollments in sequences: the rows kept per contact, where each stood when last worked
out (its progress, the day its next step is due, the day it next needs a look), and the
day each step is shown on (``enrollment_slots``, which ``max_per_day`` counts).

Rows go in and out as plain values: the rules that make them live in
``tracker.sequences`` and are run by the service. A contact has at most one enrollment
that is not frozen (its latest; a new one freezes the one before), enforced by a unique
index; triggers flag it (``dirty``) when the contact's touches or channels change.

A bulk load of touches (``bulkload``) sets the trigger flagging a touch added aside, and
flags the enrollments of the contacts its touches name a batch at a time instead (one
statement where the trigger ran one per touch), then puts the trigger back: the flags
come out the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.errors import NotFoundError
from tracker.store.base import StoreBase
from tracker.store.bulkload import DEFERRALS, Deferral

SlotRow = tuple[int, str, str, str, str]
"""(position, action, channel, due_on, slot_on) of one step of an enrollment."""
_CHUNK = 500
_TOUCH_ADDED = "enrollments_touch_added"


def _set_aside(conn: sqlite3.Connection) -> str | None:
    """As a bulk load begins: the trigger flagging a touch added dropped; its SQL (``None``
    when the file has none)."""
    found = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TOUCH_ADDED,)
    ).fetchone()
    if found is None:
        return None
    conn.execute(f"DROP TRIGGER {_TOUCH_ADDED}")
    return str(found[0])


def _flag_from(conn: sqlite3.Connection, first_id: int, trigger: str | None) -> None:
    """Flag the live enrollments of the contacts the touches from ``first_id`` on name,
    as the trigger would have, touch by touch."""
    if trigger is not None:
        conn.execute(
            "UPDATE enrollments SET dirty = 1 WHERE frozen = 0 AND dirty = 0"
            " AND contact_id IN (SELECT contact_id FROM touches WHERE id >= ?)",
            (first_id,),
        )


def _put_back(conn: sqlite3.Connection, trigger: str | None) -> None:
    if trigger is not None:
        conn.execute(trigger)


DEFERRALS.append(Deferral("enrollments flagged by touches", _set_aside, _flag_from, _put_back))


class SequencesMixin(StoreBase):
    """Enrollments, their progress, and the days their steps are shown on."""

    def add_enrollment(
        self,
        contact_id: int,
        sequence: str,
        definition: str,
        start_on: date,
        enrolled_at: str,
    ) -> int:
        """A new enrollment of the contact (``dirty``: to work out); the contact's earlier
        one is frozen (kept as history, never worked out again)."""
        with self.write():
            self.execute(
                "UPDATE enrollments SET frozen = 1, dirty = 0, next_due_on = NULL,"
                " next_check_on = NULL WHERE contact_id = ? AND frozen = 0",
                (contact_id,),
            )
            cursor = self.execute(
                "INSERT INTO enrollments (contact_id, sequence, definition, start_on,"
                " enrolled_at, changed_at, dirty) VALUES (?, ?, ?, ?, ?, ?, 1)",
                (contact_id, sequence, definition, start_on.isoformat(), enrolled_at, enrolled_at),
            )
        return int(cursor.lastrowid or 0)

    def remove_enrollment(self, enrollment_id: int) -> None:
        """Delete an enrollment (the undo of adding it); the contact's previous one, if
        any, is the latest again."""
        with self.write():
            row = self.one("SELECT contact_id FROM enrollments WHERE id = ?", (enrollment_id,))
            self.execute("DELETE FROM enrollments WHERE id = ?", (enrollment_id,))
            if row is not None:
                self.execute(
                    "UPDATE enrollments SET frozen = 0, dirty = 1 WHERE id = (SELECT max(id)"
                    " FROM enrollments WHERE contact_id = ?)",
                    (row["contact_id"],),
                )

    def enrollment(self, enrollment_id: int) -> dict[str, Any]:
        row = self.one("SELECT * FROM enrollments WHERE id = ?", (enrollment_id,))
        if row is None:
            raise NotFoundError(f"no enrollment with id {enrollment_id}")
        return row

    def enrollments_by_id(self, enrollment_ids: Sequence[int]) -> list[dict[str, Any]]:
        """These enrollments as stored now (one deleted meanwhile is left out), by id."""
        found: list[dict[str, Any]] = []
        ids = sorted(set(enrollment_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found += self.rows(
                f"SELECT * FROM enrollments WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                chunk,
            )
        return found

    def latest_enrollment(self, contact_id: int) -> dict[str, Any] | None:
        """The contact's latest enrollment (running or not), if any."""
        return self.one(
            "SELECT * FROM enrollments WHERE contact_id = ? AND frozen = 0", (contact_id,)
        )

    def enrollments_of(self, contact_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Every enrollment of these contacts, frozen ones too, oldest first."""
        found: list[dict[str, Any]] = []
        ids = sorted(set(contact_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found += self.rows(
                f"SELECT * FROM enrollments WHERE contact_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY id",
                chunk,
            )
        return found

    def enrollments_where(
        self, sequence: str | None = None, live: bool = False
    ) -> list[dict[str, Any]]:
        """Enrollments in enrollment order: of one sequence, or every one; with ``live``,
        only the latest of each contact that was still running when last worked out."""
        clauses, params = [], []
        if sequence is not None:
            clauses.append("sequence = ?")
            params.append(sequence)
        if live:
            clauses.append("frozen = 0 AND status IN ('active', 'paused')")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return self.rows(f"SELECT * FROM enrollments{where} ORDER BY id", params)

    def enrollments_to_work_out(self, today: date) -> list[dict[str, Any]]:
        """The latest enrollments flagged since they were worked out, or due a look by
        ``today`` (a step due, a wait timing out, a pause beginning or ending)."""
        return self.rows(
            "SELECT * FROM enrollments WHERE id IN ("
            "SELECT id FROM enrollments WHERE dirty = 1 UNION "
            "SELECT id FROM enrollments WHERE next_check_on <= ?) AND frozen = 0 ORDER BY id",
            (today.isoformat(),),
        )

    def flag_enrollments(self, live_only: bool = True) -> int:
        """Flag enrollments to work out again (the settings they were worked out with
        changed); returns how many."""
        where = "frozen = 0 AND dirty = 0" if live_only else "dirty = 0"
        with self.write():
            cursor = self.execute(f"UPDATE enrollments SET dirty = 1 WHERE {where}")
        return cursor.rowcount

    def set_enrollment(
        self, enrollment_id: int, events: str, definition: str | None = None
    ) -> None:
        """Store the rep's acts on an enrollment (and a new version of its sequence); it
        is flagged to work out again."""
        with self.write():
            if definition is not None:
                self.execute(
                    "UPDATE enrollments SET definition = ? WHERE id = ?",
                    (definition, enrollment_id),
                )
            self.execute(
                "UPDATE enrollments SET events = ?, dirty = 1 WHERE id = ?",
                (events, enrollment_id),
            )

    def save_progress(
        self,
        enrollment_id: int,
        values: dict[str, Any],
        slots: Iterable[SlotRow],
        clean: bool = True,
    ) -> None:
        """Store where an enrollment stands (``values``: status, progress, next_due_on,
        next_check_on, paused_until, changed_at, synced_at) and its steps' days; with
        ``clean``, the flag to work it out again is cleared."""
        columns: tuple[str, ...] = ("status", "progress", "next_due_on", "next_check_on")
        columns += ("paused_until", "changed_at", "synced_at")
        assignments = ", ".join(f"{c} = ?" for c in columns)
        with self.write():
            self.execute(
                f"UPDATE enrollments SET {assignments}{', dirty = 0' if clean else ''}"
                " WHERE id = ?",
                (*(values[c] for c in columns), enrollment_id),
            )
            self.execute("DELETE FROM enrollment_slots WHERE enrollment_id = ?", (enrollment_id,))
            self.conn.executemany(
                "INSERT OR REPLACE INTO enrollment_slots"
                " (enrollment_id, position, action, channel, due_on, slot_on)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(enrollment_id, *slot) for slot in slots],
            )

    def slots_of(self, enrollment_ids: Sequence[int]) -> dict[int, list[SlotRow]]:
        """The stored days of each enrollment's steps."""
        found: dict[int, list[SlotRow]] = {}
        ids = sorted(set(enrollment_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in self.execute(
                "SELECT enrollment_id, position, action, channel, due_on, slot_on"
                f" FROM enrollment_slots WHERE enrollment_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found.setdefault(row[0], []).append(tuple(row[1:]))  # type: ignore[arg-type]
        return found

    def slot_counts(
        self, channels: Sequence[str], since: date, leave_out: Sequence[int] = ()
    ) -> dict[tuple[str, date], int]:
        """How many steps of each channel are shown on each day from ``since``, the
        enrollments ``leave_out`` aside (they are being placed again)."""
        if not channels:
            return {}
        skip = set(leave_out)
        counts: dict[tuple[str, date], int] = {}
        for channel in channels:
            for enrollment_id, day in self.execute(
                "SELECT enrollment_id, slot_on FROM enrollment_slots"
                " WHERE channel = ? AND slot_on >= ?",
                (channel, since.isoformat()),
            ):
                if enrollment_id not in skip:
                    key = (channel, date.fromisoformat(day))
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def paused_enrollments(self) -> list[dict[str, Any]]:
        """The latest enrollments paused when last worked out: contact and until when."""
        return self.rows(
            "SELECT contact_id, paused_until FROM enrollments"
            " WHERE status = 'paused' AND frozen = 0 ORDER BY id"
        )

    def has_live_enrollments(self) -> bool:
        return (
            self.scalar(
                "SELECT 1 FROM enrollments WHERE frozen = 0 AND status IN"
                " ('active', 'paused') LIMIT 1"
            )
            is not None
        )

    def contact_names(self, contact_ids: Sequence[int]) -> dict[int, str]:
        """Each contact's name, by id (an unknown id is left out)."""
        found: dict[int, str] = {}
        ids = sorted(set(contact_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for contact_id, name in self.execute(
                f"SELECT id, name FROM contacts WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[contact_id] = name
        return found

    def touch_statuses(self, touch_ids: Sequence[int]) -> dict[int, str]:
        """The status of each touch (an invitation's), by id."""
        found: dict[int, str] = {}
        ids = sorted(set(touch_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for touch_id, status in self.execute(
                f"SELECT id, status FROM touches WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                if status:
                    found[touch_id] = status
        return found
