"""The review queue: items grouped by kind, three lines each, drawn a line at a time.

Only the lines on screen are rendered, so a queue of thousands of items moves and updates
as fast as one of ten. Sorted by priority instead, the list is one group, and each item
names its kind and its score. Each item shows the contact, company and age, the one-line reason,
and a preview of the last message; stale invitations stand out (more so when overdue),
``step_back`` items read as a warning, and lapsed items (shown on request) say "older".

Items can be marked to act on together: one at a time, a range that follows the cursor
(``start_range``), or a whole group. Marks are entry keys, so they survive a new
snapshot; the list says so with ``MarksChanged``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.models import Kind
from tracker.review import explain
from tracker.service.day import QueueEntry
from tracker.timeutil import days_in_words
from tracker.ui.widgets.lines import ink, text_strip
from tracker.words import KIND_TITLES, item_title, one_line

ITEM_HEIGHT = 3


class _Line(NamedTuple):  # three per item: a tuple is quick to make
    kind: str  # "gap", "group" or "item"
    group: Kind | None = None
    size: int = 0  # a group's items
    entry: int = -1  # an item's place in ``entries``
    row: int = 0


class QueueList(ScrollView, can_focus=True):
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
        self._lines: list[_Line] = []
        self._item_top: list[int] = []
        self._styles: dict[str, Style] = {}
        self._strips: dict[tuple[int, bool, bool, int], Strip] = {}
        self.marked: set[str] = set()
        """The keys of the entries marked."""
        self._anchor: str | None = None
        """While a range is being marked: the key of the entry it started on."""
        self._before_range: set[str] = set()

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
        lines: list[_Line] = []
        tops: list[int] = []
        group: Kind | None = None
        counts: dict[Kind, int] = {}
        for entry in self.entries:
            counts[entry.item.kind] = counts.get(entry.item.kind, 0) + 1
        if not self.grouped and self.entries:
            lines.append(_Line("group", None, len(self.entries)))
        for index, entry in enumerate(self.entries):
            kind = entry.item.kind
            if self.grouped and kind is not group:
                if lines:
                    lines.append(_Line("gap"))
                lines.append(_Line("group", kind, counts[kind]))
                group = kind
            tops.append(len(lines))
            lines.extend(_Line("item", kind, entry=index, row=row) for row in range(ITEM_HEIGHT))
        self._lines = lines
        self._item_top = tops
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))

    # -- movement ------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            if 0 <= index < len(self._item_top):
                self.refresh_lines(self._item_top[index], ITEM_HEIGHT)
        self._scroll_to_cursor()
        if self._anchor is not None:
            self._extend_range()
        self.post_message(self.Highlighted(self.current))

    # -- marks ---------------------------------------------------------------------
    @property
    def ranging(self) -> bool:
        """Whether a range is being marked (it follows the cursor)."""
        return self._anchor is not None

    def marked_entries(self) -> list[QueueEntry]:
        """The entries shown that are marked, in list order."""
        return [entry for entry in self.entries if entry.key in self.marked]

    def toggle_mark(self) -> None:
        """Mark the entry under the cursor, or unmark it."""
        entry = self.current
        if entry is None:
            return
        self._anchor = None
        self.marked.symmetric_difference_update({entry.key})
        self._marks_changed()

    def toggle_range(self) -> None:
        """Start marking a range at the cursor (it follows the cursor), or end it."""
        entry = self.current
        if self._anchor is not None or entry is None:
            self._anchor = None
        else:
            self._anchor = entry.key
            self._before_range = set(self.marked)
            self._extend_range(notify=False)
        self._marks_changed()

    def _extend_range(self, notify: bool = True) -> None:
        start = next((i for i, e in enumerate(self.entries) if e.key == self._anchor), None)
        if start is None or self.current is None:
            self._anchor = None
        else:
            low, high = sorted((start, self.cursor))
            span = {entry.key for entry in self.entries[low : high + 1]}
            self.marked = self._before_range | span
        if notify:
            self._marks_changed()

    def toggle_group(self) -> None:
        """Mark every entry of the cursor's group (every entry when not grouped); when
        they are all marked already, unmark them."""
        entry = self.current
        if entry is None:
            return
        self._anchor = None
        kind = entry.item.kind
        group = {e.key for e in self.entries if not self.grouped or e.item.kind is kind}
        if group <= self.marked:
            self.marked -= group
        else:
            self.marked |= group
        self._marks_changed()

    def clear_marks(self) -> bool:
        """Unmark everything (and end a range); whether anything was marked."""
        had = bool(self.marked) or self._anchor is not None
        self.marked = set()
        self._anchor = None
        if had:
            self._marks_changed()
        return had

    def keep_marks(self, keys: set[str]) -> None:
        """Forget the marks of entries that are no longer in the queue at all."""
        if not self.marked <= keys:
            self.marked &= keys
            self._marks_changed()

    def _marks_changed(self) -> None:
        self._strips.clear()
        self.refresh()
        self.post_message(self.MarksChanged())

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

    def _draw(self, line: _Line, selected: bool, marked: bool, width: int) -> Strip:
        base = self._style("base")
        if line.kind == "gap":
            return Strip.blank(width, base)
        if line.kind == "group":
            return text_strip(self.app.console, self._group_text(line), width, base)
        entry = self.entries[line.entry]
        style = base + self._style("queue--marked") if marked else base
        style = style + self._style("queue--cursor") if selected else style
        gutter = ("▌" if selected else " ") + ("●" if marked and line.row == 0 else " ")
        text = Text(gutter, style=self._ink("queue--marker") if selected or marked else "")
        text.append_text(self._item_text(entry, line.row, width - 2))
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

    def _group_text(self, line: _Line) -> Text:
        if line.group is None:
            text = Text(" BY PRIORITY, HIGHEST FIRST", style=self._ink("queue--group"))
            text.append(f"  {line.size}", style=self._ink("queue--muted"))
            return text
        warn = line.group is Kind.STEP_BACK
        style = self._ink("queue--warning" if warn else "queue--group")
        title = ("⚠ " if warn else "") + KIND_TITLES[line.group].upper()
        text = Text(f" {title}", style=style)
        text.append(f"  {line.size}", style=self._ink("queue--muted"))
        return text

    def _item_text(self, entry: QueueEntry, row: int, width: int) -> Text:
        item = entry.item
        muted = self._ink("queue--muted")
        if row == 0:
            return self._headline(entry, width)
        if row == 1:
            style = self._ink("queue--warning") if item.kind is Kind.STEP_BACK else Style()
            text = Text("  ", style=style)
            if not self.grouped:
                text.append(f"{item_title(item)}: ", style=Style(bold=True))
            text.append(one_line(explain(item)))
            return text
        if not entry.preview:
            return Text("  no messages yet", style=muted + Style(italic=True))
        who = "you" if entry.preview_out else "them"
        arrow = "→" if entry.preview_out else "←"
        text = Text(f"  {arrow} {who}: ", style=muted)
        text.append(f"“{one_line(entry.preview, 300)}”", style=muted + Style(italic=True))
        return text

    def _headline(self, entry: QueueEntry, width: int) -> Text:
        item = entry.item
        age = Text(days_in_words(item.age_days))
        if item.kind is Kind.STALE_INVITE:
            overdue = bool(item.details.get("overdue"))
            cls = "queue--overdue" if overdue else "queue--stale"
            age = Text(
                f"{age.plain} pending" + (" · OVERDUE" if overdue else ""),
                style=self._ink(cls),
            )
        elif item.kind in (Kind.FOLLOW_UP_DUE, Kind.SEQUENCE_STEP):
            age = Text("due today" if item.age_days == 0 else f"{age.plain} overdue")
        elif item.kind is Kind.KEY_DATE:
            when = {0: "today", 1: "yesterday"}.get(item.age_days, f"{age.plain} ago")
            age = Text(f"{one_line(str(item.details.get('label', '')), 20)} {when}")
        if item.lapsed:
            age = Text("older · ", style=self._ink("queue--muted") + Style(italic=True)) + age
        if not self.grouped:
            age = Text(f"priority {item.priority.score} · ", style=self._ink("queue--marker")) + age
        name = Text(one_line(item.contact), style=Style(bold=True))
        if item.company:
            name.append(f" · {one_line(item.company)}", style=self._ink("queue--muted"))
        room = max(width - age.cell_len - 2, 8)
        name.truncate(room, overflow="ellipsis", pad=True)
        return name + Text("  ") + age
