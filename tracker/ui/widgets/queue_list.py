"""The review queue: items grouped by kind, three lines each, drawn a line at a time.

Only the lines on screen are rendered, so a queue of thousands of items moves and updates
as fast as one of ten. What each line says is ``queue_rows`` (the layout and the text of
an item or a group's title); this module holds the widget: the cursor, the mouse, and the
drawing, with the cursor and the marks shown over the text, each line cached.

Items can be marked to act on together (``queue_marks``, a base of the list): one at a
time, a range that follows the cursor (``toggle_range``), or a whole group. Marks are entry
keys, so they survive a new snapshot; the list says so with ``MarksChanged``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.service.day import QueueEntry
from tracker.ui.widgets.lines import ink, text_strip
from tracker.ui.widgets.queue_marks import QueueMarks
from tracker.ui.widgets.queue_rows import (
    ITEM_HEIGHT,
    QueueLine,
    group_text,
    headline,
    item_text,
    layout,
)


class QueueList(QueueMarks, ScrollView, can_focus=True):
    """A keyboard- and mouse-driven list of queue entries."""

    COMPONENT_CLASSES = {
        "queue--group",
        "queue--warning",
        "queue--cursor",
        "queue--muted",
        "queue--stale",
        "queue--overdue",
        "queue--marker",
        "queue--marked",
    }
    DEFAULT_CSS = """
    QueueList { background: $surface; scrollbar-gutter: stable; }
    QueueList > .queue--group { color: $accent; text-style: bold; }
    QueueList > .queue--warning { color: $warning; text-style: bold; }
    QueueList > .queue--cursor { background: $boost; }
    QueueList:focus > .queue--cursor { background: $accent 18%; }
    QueueList > .queue--muted { color: $text-muted; }
    QueueList > .queue--stale { color: $warning; }
    QueueList > .queue--overdue { color: $error; text-style: bold; }
    QueueList > .queue--marker { color: $accent; }
    QueueList > .queue--marked { background: $accent 10%; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Next item", show=False, id="queue.down"),
        Binding("up,k", "cursor_up", "Previous item", show=False, id="queue.up"),
        Binding("home", "first", "First item", show=False, id="queue.first"),
        Binding("end", "last", "Last item", show=False, id="queue.last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="queue.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="queue.page_up"),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        """The cursor moved to another entry (or the list became empty)."""

        def __init__(self, entry: QueueEntry | None) -> None:
            super().__init__()
            self.entry = entry

    class Chosen(Message):
        """An entry was clicked a second time: open it."""

        def __init__(self, entry: QueueEntry) -> None:
            super().__init__()
            self.entry = entry

    class MarksChanged(Message):
        """Entries were marked or unmarked, or a range started or ended."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: tuple[QueueEntry, ...] = ()
        self.grouped = True
        self._lines: list[QueueLine] = []
        self._item_top: list[int] = []
        self._styles: dict[str, Style] = {}
        self._strips: dict[tuple[int, bool, bool, int], Strip] = {}
        self._init_marks()

    # -- content -------------------------------------------------------------------
    def set_entries(
        self, entries: Sequence[QueueEntry], keep: str | None = None, grouped: bool = True
    ) -> None:
        """Show ``entries``; the cursor stays on ``keep`` (an entry key) or its place.
        ``grouped``: under a title per kind; else in the given order under one title."""
        previous = self.cursor
        if tuple(entries) == self.entries and grouped == self.grouped:
            return  # the same list: nothing to lay out or draw again
        self.entries = tuple(entries)
        self.grouped = grouped
        self._layout()
        if keep is not None:
            for index, entry in enumerate(self.entries):
                if entry.key == keep:
                    previous = index
                    break
        target = min(previous, len(self.entries) - 1) if self.entries else 0
        if target == self.cursor:
            self.post_message(self.Highlighted(self.current))
        self.cursor = target
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    @property
    def current(self) -> QueueEntry | None:
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor]
        return None

    def _layout(self) -> None:
        self._lines, self._item_top = layout(self.entries, self.grouped)
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines))

    # -- movement ------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            if 0 <= index < len(self._item_top):
                self.refresh_lines(self._item_top[index], ITEM_HEIGHT)
        self._scroll_to_cursor()
        if self._anchor is not None:
            self._extend_range()
        self.post_message(self.Highlighted(self.current))

    def _scroll_to_cursor(self) -> None:
        if not self._item_top or not (0 <= self.cursor < len(self._item_top)):
            return
        top = self._item_top[self.cursor]
        is_first_of_group = top >= 1 and self._lines[top - 1].kind == "group"
        start = top - 1 if is_first_of_group else top
        height = ITEM_HEIGHT + (top - start)
        self.scroll_to_region(
            Region(0, start, self.scrollable_content_region.width, height),
            animate=False,
            force=True,
            immediate=True,
        )

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.entries) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(len(self.entries) - 1, 0)

    def action_page(self, direction: int) -> None:
        step = max(self.scrollable_content_region.height // (ITEM_HEIGHT + 1), 1)
        self.cursor = max(0, min(len(self.entries) - 1, self.cursor + direction * step))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line_no = offset.y + int(self.scroll_offset.y)
        if not (0 <= line_no < len(self._lines)):
            return
        line = self._lines[line_no]
        if line.kind != "item":
            return
        if line.entry == self.cursor or event.chain > 1:
            self.cursor = line.entry
            self.post_message(self.Chosen(self.entries[line.entry]))
        else:
            self.cursor = line.entry

    # -- marks (kept by ``QueueMarks``) --------------------------------------------
    def _marks_changed(self) -> None:
        self._strips.clear()
        self.refresh()
        self.post_message(self.MarksChanged())

    # -- drawing -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line_no = y + int(self.scroll_offset.y)
        if not (0 <= line_no < len(self._lines)):
            return Strip.blank(width, self._style("base"))
        line = self._lines[line_no]
        selected = line.kind == "item" and line.entry == self.cursor
        marked = bool(self.marked) and line.kind == "item"
        marked = marked and self.entries[line.entry].key in self.marked
        key = (line_no, selected, marked, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(line, selected, marked, width)
            if len(self._strips) > 2_000:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def _draw(self, line: QueueLine, selected: bool, marked: bool, width: int) -> Strip:
        base = self._style("base")
        if line.kind == "gap":
            return Strip.blank(width, base)
        if line.kind == "group":
            return text_strip(self.app.console, group_text(line, self._ink), width, base)
        entry = self.entries[line.entry]
        style = base + self._style("queue--marked") if marked else base
        style = style + self._style("queue--cursor") if selected else style
        gutter = ("▌" if selected else " ") + ("●" if marked and line.row == 0 else " ")
        text = Text(gutter, style=self._ink("queue--marker") if selected or marked else "")
        text.append_text(item_text(entry, line.row, width - 2, self.grouped, self._ink))
        return text_strip(self.app.console, text, width, style)

    def notify_style_update(self) -> None:
        # A theme change: every cached style and line is stale.
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        if name not in self._styles:
            self._styles[name] = (
                self.rich_style if name == "base" else self.get_component_rich_style(name)
            )
        return self._styles[name]

    def _ink(self, name: str) -> Style:
        return ink(self._style(name))

    def _headline(self, entry: QueueEntry, width: int) -> Text:
        """An item's first line, as the list draws it."""
        return headline(entry, width, self.grouped, self._ink)
