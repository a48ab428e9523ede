"""Each contact's key dates (``key_dates``): a birthday and other dates that come round
every year, one per label, stored by the day they fall (``MM-DD``) so the review finds
the few that fall near a day through an index; and the follow-up dates a calendar of
the days ahead shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracker.key_dates import month_day
from tracker.models import KeyDate
from tracker.store.base import StoreBase
from tracker.timeutil import stamp

_COLUMNS = "contact_id, label, month_day, year"
KeyDateRow = tuple[int, str, str, int | None]
"""A stored key date: contact id, label, ``MM-DD`` and year (``None``: not known)."""


def _key_date(label: str, stored_month_day: str, year: int | None) -> KeyDate:
    month, day = stored_month_day.split("-")
    return KeyDate(label, int(month), int(day), year)


def key_date_row(contact_id: int, key_date: KeyDate) -> KeyDateRow:
    return (contact_id, key_date.label, month_day(key_date), key_date.year)


class KeyDatesMixin(StoreBase):
    """Key dates: read by contact or by the day they fall, written by label."""

    def key_dates_of(self, contact_id: int) -> list[KeyDate]:
        """The contact's key dates, by label."""
        return self.key_dates_for([contact_id]).get(contact_id, [])

    def key_dates_for(self, contact_ids: Sequence[int]) -> dict[int, list[KeyDate]]:
        """The key dates of each of ``contact_ids`` that has any, by label."""
        found: dict[int, list[KeyDate]] = {}
        for start in range(0, len(contact_ids), 500):
            chunk = list(contact_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            self._collect(
                found,
                f"SELECT {_COLUMNS} FROM key_dates WHERE contact_id IN ({marks})"
                " ORDER BY contact_id, label",
                chunk,
            )
        return found

    def key_dates_on(self, month_days: Sequence[str]) -> dict[int, list[KeyDate]]:
        """Every key date stored as falling on one of ``month_days`` (``MM-DD``), by
        contact: what the review reads (through ``key_dates_month_day``)."""
        if not month_days:
            return {}
        found: dict[int, list[KeyDate]] = {}
        marks = ", ".join("?" * len(month_days))
        self._collect(
            found,
            f"SELECT {_COLUMNS} FROM key_dates WHERE month_day IN ({marks})"
            " ORDER BY contact_id, label",
            list(month_days),
        )
        return found

    def all_key_dates(self) -> dict[int, list[KeyDate]]:
        """Every key date, by contact (for a calendar of the year ahead)."""
        found: dict[int, list[KeyDate]] = {}
        self._collect(found, f"SELECT {_COLUMNS} FROM key_dates ORDER BY contact_id, label", ())
        return found

    def key_date_labels(self) -> set[tuple[int, str]]:
        """``(contact id, label)`` of every key date (an import fills only missing ones)."""
        return {(row[0], row[1]) for row in self.execute("SELECT contact_id, label FROM key_dates")}

    def _collect(self, found: dict[int, list[KeyDate]], sql: str, params: Any) -> None:
        for contact_id, label, stored, year in self.execute(sql, params):
            found.setdefault(contact_id, []).append(_key_date(label, stored, year))

    def set_key_dates(self, contact_id: int, changes: Mapping[str, KeyDate | None]) -> None:
        """Set (or, for ``None``, remove) the contact's key date of each label given."""
        with self.write():
            for label, key_date in changes.items():
                if key_date is None:
                    self.execute(
                        "DELETE FROM key_dates WHERE contact_id = ? AND label = ?",
                        (contact_id, label),
                    )
                else:
                    self.execute(
                        f"INSERT OR REPLACE INTO key_dates ({_COLUMNS}) VALUES (?, ?, ?, ?)",
                        key_date_row(contact_id, key_date),
                    )
            if changes:
                self.execute(
                    "UPDATE contacts SET updated_at = ? WHERE id = ?", (stamp(), contact_id)
                )

    def insert_key_dates(self, rows: Iterable[KeyDateRow]) -> None:
        """Add key dates (an import's), keeping any label a contact has already."""
        with self.write():
            self.conn.executemany(
                f"INSERT OR IGNORE INTO key_dates ({_COLUMNS}) VALUES (?, ?, ?, ?)", list(rows)
            )

    def follow_up_ids_until(self, last_day: str) -> list[int]:
        """The contacts with a follow-up date on or before ``last_day`` (ISO), by date."""
        return [
            row[0]
            for row in self.execute(
                "SELECT contact_id FROM follow_ups WHERE due_on <= ? ORDER BY due_on, contact_id",
                (last_day,),
            )
        ]
