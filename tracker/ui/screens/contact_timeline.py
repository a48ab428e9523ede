"""The contact screen's timeline, drawn: its columns (the channel's no wider than its
longest label), the rows (``TouchList``: the contact's touches, already in memory, newest
first), each touch's cells, and the full text of the touch selected, shown under it.

Kept apart from ``ContactScreen`` so the screen holds its wiring and this what a touch
looks like in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo

from rich.text import Text

from tracker.models import Channel, Touch
from tracker.ui.widgets.paged_table import Column
from tracker.ui.widgets.profile import safe_block
from tracker.words import CHANNEL_LABELS, arrow, one_line, short_when, words

TIMELINE = (
    Column("at", "When", 12, priority=9),
    Column("channel", "Channel", 16, priority=7),
    Column("direction", "", 2, priority=8),
    Column("text", "Text", 12, weight=1, priority=6),
)
"""The text takes the room left: a call's or an invitation's status leads it."""


class TouchList:
    """The timeline's rows, already in memory (newest first)."""

    def __init__(self) -> None:
        self.rows: tuple[Touch, ...] = ()

    def count(self, query: Hashable) -> int:
        return len(self.rows)

    def page(self, query: Hashable, offset: int, limit: int) -> Sequence[Touch]:
        return self.rows[offset : offset + limit]

    def position(self, query: Hashable, key: Hashable) -> int | None:
        return next((i for i, touch in enumerate(self.rows) if touch.id == key), None)


def touch_cells(
    touch: Touch, tz: tzinfo, today: date, now: Callable[[], datetime]
) -> list[str | Text]:
    """The timeline's row for ``touch``: a meeting still ahead reads "scheduled"."""
    text = one_line(touch.text, 400)
    if touch.is_invitation:
        text = text if touch.has_note else "(no note)"
    ahead = touch.channel is Channel.MEETING and touch.at > now()
    status = "scheduled" if ahead else words(touch.status)
    return [
        short_when(touch.at, tz, today),
        channel_label(touch),
        arrow(touch.direction),
        Text.assemble((status, "italic"), " · ", text) if status else text,
    ]


def touch_text(touch: object) -> Text:
    """The whole text of the touch selected (empty when it has none, or none is)."""
    text = Text()
    if isinstance(touch, Touch) and touch.text:
        text.append(f"{CHANNEL_LABELS[touch.channel]} {arrow(touch.direction)} ", style="bold")
        text.append(safe_block(touch.text))
    return text


def channel_label(touch: Touch) -> str:
    return CHANNEL_LABELS[touch.channel] + (" (group)" if touch.is_group else "")


def timeline_columns(touches: Sequence[Touch]) -> tuple[Column, ...]:
    """The timeline's columns, the channel's no wider than its longest label, so the
    text has the room."""
    widest = max((len(channel_label(touch)) for touch in touches), default=0)
    return tuple(
        replace(column, min_width=max(widest, len(column.label)))
        if column.key == "channel"
        else column
        for column in TIMELINE
    )
