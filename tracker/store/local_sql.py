"""Local days and hours in SQL: a moment's local seconds from its epoch seconds and the
zone's offsets (``tracker.local_time``), and "on or after a local day" as a condition.

Every offset and bound is an integer the service computed, written into the statement as
a literal (never user text), so the zone's changes become a small ``CASE`` tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.local_time import DAY, WINDOW, DayCut, Offsets, stored_text

SHIFT = 10_000 * 7 * DAY
"""Added to local seconds so they stay positive back to 1778 (SQLite's ``/`` and ``%``
round toward zero): a whole number of weeks, so weekdays do not move."""
SHIFT_DAYS = SHIFT // DAY


def epoch_of(column: str) -> str:
    """SQL for the epoch seconds of a stored UTC text column."""
    return f"unixepoch({column})"


def span_value(seconds: str, spans: Sequence[tuple[int, int]], add: int = 0) -> str:
    """SQL for the value (plus ``add``) of the span ``seconds`` falls in: ``spans`` are
    ``(from, value)`` in order, as ``Offsets.spans`` (the first also holds before its
    start). A ``CASE`` tree, so a moment meets only a few comparisons; ``seconds`` (a
    column or a cheap expression) is read once per level."""

    def tree(low: int, high: int) -> str:
        if high - low == 1:
            return str(spans[low][1] + add)
        middle = (low + high) // 2
        return (
            f"CASE WHEN {seconds} < {spans[middle][0]} THEN {tree(low, middle)}"
            f" ELSE {tree(middle, high)} END"
        )

    return tree(0, len(spans))


def local_seconds(seconds: str, offsets: Offsets) -> str:
    """SQL for the local seconds (plus ``SHIFT``) of the epoch seconds ``seconds``."""
    return f"({seconds} + {span_value(seconds, offsets.spans, SHIFT)})"


def local_day_number(seconds: str, offsets: Offsets) -> str:
    """SQL for the local day of epoch ``seconds``, as days since 1970-01-01 (local)."""
    return f"({local_seconds(seconds, offsets)} / {DAY} - {SHIFT_DAYS})"


def hour_of_week(seconds: str, offsets: Offsets) -> str:
    """SQL for the local hour of the week of epoch ``seconds``: 0 is Monday 00:00-00:59
    (1970-01-01 was a Thursday, 72 hours after a Monday's start)."""
    return f"(({local_seconds(seconds, offsets)} / 3600 + 72) % 168)"


def on_or_after(column: str, cut: DayCut, text: bool = True) -> tuple[str, list[Any]]:
    """SQL (and its parameters) true where the moment in ``column`` (stored UTC text, or
    epoch seconds when not ``text``) falls on ``cut.day`` or later, local time."""
    instant = cut.instant
    if instant is not None:
        return f"{column} >= ?", [stored_text(instant) if text else instant]
    low, high = cut.naive - WINDOW, cut.naive + WINDOW
    bounds = [stored_text(high), stored_text(low)] if text else [high, low]
    seconds = epoch_of(column) if text else column
    local = local_seconds(seconds, cut.around)
    return (
        f"({column} >= ? OR ({column} >= ? AND {local} >= ?))",
        [*bounds, cut.naive + SHIFT],
    )
