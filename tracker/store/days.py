"""The record of closed daily reviews, and the streak they make."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tracker.store.base import StoreBase
from tracker.timeutil import stamp


class DaysMixin(StoreBase):
    """Closed reviews, by local day."""

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
        """Days in a row, ending today (or yesterday if today does not count yet), whose
        review was closed with at least one item dealt with: closing a review with
        nothing done does not make a day of the streak."""
        rows = self.rows("SELECT day FROM reviews WHERE items_done > 0")
        days = {date.fromisoformat(r["day"]) for r in rows}
        cursor = today if today in days else today - timedelta(days=1)
        count = 0
        while cursor in days:
            count += 1
            cursor -= timedelta(days=1)
        return count
