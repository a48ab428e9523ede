"""The line at the top of every main screen: where you are, DEMO when it is the demo,
on Today the next scheduled meeting, today's progress through the review (done / total),
how many older (lapsed) items it leaves out, whether sequences are paused (and until
when), the streak, and a LinkedIn account health warning when one stands
(``⚠ 84/100 invitations this week``)."""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from textual.widgets import Static

from tracker.service.day import QueueSnapshot
from tracker.words import long_date, meeting_when, one_line, plural


class StatusBar(Static):
    """Reads the app's ``queue`` and ``demo`` and redraws when either changes."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where
        self.lapsed_shown = False
        """Whether the screen shows the older items (then they are not "hidden")."""

    def on_mount(self) -> None:
        self.watch(self.app, "queue", self._redraw)  # draws it now, once
        self.watch(self.app, "demo", self._redraw, init=False)

    def set_where(self, where: str) -> None:
        self.where = where
        self._redraw()

    def set_lapsed_shown(self, shown: bool) -> None:
        if shown != self.lapsed_shown:
            self.lapsed_shown = shown
            self._redraw()

    def _redraw(self, *_: object) -> None:
        app = self.app
        snapshot: QueueSnapshot | None = getattr(app, "queue", None)
        width = max(self.size.width - 2, 0)
        narrow = width < 100
        left = Text()
        left.append("Outreach", style="bold")
        left.append(f" › {self.where}")
        if getattr(app, "demo", False):
            left.append("  ")
            left.append(" DEMO ", style="bold reverse")
            if not narrow:
                left.append(" sample data, not yours", style="italic")
        meeting = snapshot.next_meeting if snapshot is not None else None
        if snapshot is not None and meeting is not None and self.where == "Today":
            when = meeting_when(meeting.at, getattr(app, "tz", UTC), snapshot.today)
            left.append("  next meeting: ", style="dim")
            left.append(f"{one_line(meeting.name, 30)}, {when}", style="bold")
        parts: list[tuple[str, Text]] = []  # (what, its text), in the order shown
        if snapshot is not None:
            day = long_date(snapshot.today)
            parts.append(("day", Text(day[: -len(" 2026")] if narrow else day)))
            done = f"{snapshot.done:,}/{snapshot.total:,} done"
            parts.append(("done", Text(done, style="bold")))
            if snapshot.lapsed:
                state = "shown" if self.lapsed_shown else "hidden"
                older = f"{snapshot.lapsed_count:,} older {state}"
                parts.append(("older", Text(older, style="italic")))
            if snapshot.sequence_pause:
                parts.append(("pause", Text(snapshot.sequence_pause, style="italic")))
            if snapshot.closed:
                parts.append(("closed", Text("closed ✓")))
            streak = snapshot.streak
            parts.append(("streak", Text(f"streak {streak if narrow else plural(streak, 'day')}")))
            if snapshot.health:
                more = f" +{len(snapshot.health) - 1}" if len(snapshot.health) > 1 else ""
                parts.append(("health", Text(f"⚠ {snapshot.health[0]}{more}", "bold yellow")))
        # Too little room: the streak, then the date, make way before the screen's name is
        # cut short (the progress, the hidden items and a warning stay).
        for dropped in ("streak", "day"):
            if width - left.cell_len - sum(t.cell_len + 2 for _, t in parts) >= 0:
                break
            parts = [(what, text) for what, text in parts if what != dropped]
        right = Text("  ").join(text for _, text in parts)
        gap = width - left.cell_len - right.cell_len
        if gap < 2:
            left.truncate(max(width - right.cell_len - 2, 0), overflow="ellipsis")
            gap = max(width - left.cell_len - right.cell_len, 1)
        self.update(left + Text(" " * gap) + right)

    def on_resize(self) -> None:
        self._redraw()
