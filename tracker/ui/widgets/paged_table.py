"""A table that draws only the rows on screen and loads them a page at a time.

Rows come from a ``PageSource`` (SQLite for the contacts list, a list in memory for a
timeline) through thread workers, so 30,000 rows open as fast as 30 and the event loop
never waits on the disk. A row not loaded yet shows as "…" until its page arrives. When
the data changes, the rows on screen stay until fresh ones come, and the cursor stays on
the same row (by its ``key``) wherever it moved to, if it is still there.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.ui.widgets.lines import cell, ink, text_strip
from tracker.ui.widgets.table_columns import Column, PageSource, fit_columns, in_layout

__all__ = ["PAGE_SIZE", "Column", "PageSource", "PagedTable"]

Row = TypeVar("Row")
PAGE_SIZE = 200
PAGES_KEPT = 40


class PagedTable(ScrollView, Generic[Row], can_focus=True):
    """A read-only table with a header line, a row cursor and lazily loaded rows."""

    COMPONENT_CLASSES = {"table--header", "table--cursor", "table--muted", "table--sorted"}
    DEFAULT_CSS = """
    PagedTable { background: $surface; overflow-x: hidden; scrollbar-gutter: stable; }
    PagedTable > .table--header { color: $text-muted; text-style: bold; background: $panel; }
    PagedTable > .table--sorted { color: $accent; text-style: bold; background: $panel; }
    PagedTable > .table--cursor { background: $boost; }
    PagedTable:focus > .table--cursor { background: $accent 25%; }
    PagedTable > .table--muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, id="table.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="table.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("home", "jump(0)", "First row", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last row", show=False, id="table.last"),
        Binding("enter", "choose", "Open", show=False, id="table.open"),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class TableMessage(Message):
        def __init__(self, table: PagedTable[Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class Chosen(TableMessage):
        """Enter, or a second click, on a row."""

        def __init__(self, table: PagedTable[Any], row: Any) -> None:
            super().__init__(table)
            self.row = row

    class Highlighted(TableMessage):
        """The cursor moved (``row`` is ``None`` while its page loads)."""

        def __init__(self, table: PagedTable[Any], row: Any) -> None:
            super().__init__(table)
            self.row = row

    class HeaderClicked(TableMessage):
        def __init__(self, table: PagedTable[Any], key: str) -> None:
            super().__init__(table)
            self.key = key

    class Counted(TableMessage):
        def __init__(self, table: PagedTable[Any], total: int) -> None:
            super().__init__(table)
            self.total = total

    class _PageLoaded(Message):
        def __init__(self, generation: int, page: int, rows: Sequence[Any]) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    class _CountLoaded(Message):
        def __init__(
            self, generation: int, total: int, key: Hashable | None, position: int | None
        ) -> None:
            super().__init__()
            self.generation, self.total, self.position = generation, total, position
            self.key = key

    def __init__(
        self,
        columns: Sequence[Column],
        source: PageSource[Row],
        cells: Callable[[Row], Sequence[str | Text]],
        query: Hashable = None,
        *,
        key: Callable[[Row], Hashable] | None = None,
        newest_first: bool = False,
        empty: str = "Nothing here.",
        id: str | None = None,
    ) -> None:
        """``key``: a row's identity, which keeps the cursor on it across reloads;
        ``newest_first``: a feed, whose cursor on the first row stays on the first row
        (on what came in last) as new rows arrive."""
        super().__init__(id=id)
        self.key = key
        self.newest_first = newest_first
        self.columns = tuple(columns)
        self.source = source
        self.cells = cells
        self.source_query = query
        self.empty = empty
        self.sort_key: str | None = None
        self.descending = False
        self.total: int | None = None
        self._generation = 0
        self._pages: OrderedDict[int, tuple[int, Sequence[Row]]] = OrderedDict()
        self._asked: set[tuple[int, int]] = set()
        self._placed: Hashable | None = None
        """The key of the row the cursor was put on (by a reload that found it, or
        ``go_to``), until the cursor moves: what the next reload follows, even before
        the fresh page under the cursor has come (the rows shown meanwhile are the
        older ones, and the one at the cursor's index may be its neighbour)."""
        self._placing = False

    # -- loading -------------------------------------------------------------------
    def on_mount(self) -> None:
        self.reload(reset=True)

    def set_query(self, query: Hashable) -> None:
        """Show rows for another filter or sort: back to the first row."""
        self.source_query = query
        self.reload(reset=True)

    def reload(self, reset: bool = False) -> None:
        """Fetch again (the data changed). Rows already shown stay until fresh ones come,
        and the cursor follows its row (unless ``reset``: back to the first row)."""
        keep = None
        follows = not (self.newest_first and self.cursor == 0)
        if reset:
            self._placed = None
        elif self.key is not None and follows:
            if self._placed is not None:
                keep = self._placed
            elif self.total:
                row = self._loaded(self.cursor)
                keep = self.key(row) if row is not None else None
        self._generation += 1
        self._asked.clear()
        if reset:
            self._pages.clear()
            self.total = None
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self._count(self._generation, self.source_query, keep)
        self.row_at(self.cursor)  # the cursor's page loads beside the count, not after it
        self.refresh()

    def go_to(self, key: Hashable) -> None:
        """Put the cursor on the row whose ``key`` is ``key``, wherever the filter and
        sort place it (it stays where it is if there is no such row)."""
        self._placed = key
        self.reload()

    @work(thread=True, group="table-count")
    def _count(self, generation: int, query: Hashable, keep: Hashable | None) -> None:
        total = self.source.count(query)
        position = self.source.position(query, keep) if keep is not None else None
        self.post_message(self._CountLoaded(generation, total, keep, position))

    @work(thread=True, group="table-page")
    def _load(self, generation: int, query: Hashable, page: int) -> None:
        rows = self.source.page(query, page * PAGE_SIZE, PAGE_SIZE)
        self.post_message(self._PageLoaded(generation, page, rows))

    @on(_CountLoaded)
    def _count_loaded(self, message: _CountLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.total = message.total
        self.virtual_size = Size(self.scrollable_content_region.width, message.total + 1)
        position = message.position
        found = position is not None and position < message.total
        self._placing = True  # the cursor follows its row: not a move of the user's
        try:
            if position is not None and found:
                self.cursor = position
            elif self.cursor >= message.total:
                self.cursor = max(message.total - 1, 0)
        finally:
            self._placing = False
        self._placed = message.key if found else None
        self.post_message(self.Counted(self, message.total))
        self.refresh()

    @on(_PageLoaded)
    def _page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages[message.page] = (message.generation, message.rows)
        self._pages.move_to_end(message.page)
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        self.refresh()
        if message.page == self.cursor // PAGE_SIZE:
            self.post_message(self.Highlighted(self, self.current))

    def _loaded(self, index: int) -> Row | None:
        """The row at ``index`` if its page is here (asking for nothing)."""
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index - (index // PAGE_SIZE) * PAGE_SIZE
        return page[1][offset] if offset < len(page[1]) else None

    def row_at(self, index: int) -> Row | None:
        """The row at ``index`` if its page is here (asking for the page if not)."""
        page_no = index // PAGE_SIZE
        page = self._pages.get(page_no)
        fresh = page is not None and page[0] == self._generation
        if not fresh and (self._generation, page_no) not in self._asked:
            self._asked.add((self._generation, page_no))
            self._load(self._generation, self.source_query, page_no)
        if page is None:
            return None
        rows = page[1]
        offset = index - page_no * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    @property
    def current(self) -> Row | None:
        if not self.total:
            return None
        return self.row_at(self.cursor)

    # -- movement ------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if not self._placing:
            self._placed = None  # moved away from the row it was put on
        self.refresh_lines(old + 1)
        self.refresh_lines(new + 1)
        self._show_row(new)
        self.post_message(self.Highlighted(self, self.current))

    def _show_row(self, index: int) -> None:
        # Line 0 is the header, which never scrolls: row ``index`` is drawn on line
        # ``index + 1 - scroll_y``, which must fall between 1 and the last line.
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index + 1 >= top + height:
            self.scroll_to(y=index + 2 - height, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, where: int) -> None:
        if self.total:
            self.cursor = self.total - 1 if where < 0 else 0

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(self, row))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            key = self._column_at(offset.x)
            if key:
                self.post_message(self.HeaderClicked(self, key))
            return
        index = offset.y - 1 + int(self.scroll_offset.y)
        if self.total is None or index >= self.total:
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_choose()
        else:
            self.cursor = index

    # -- drawing -------------------------------------------------------------------
    def layout_columns(self, width: int) -> list[tuple[Column, int]]:
        """Columns that fit ``width`` (lowest priority dropped first) and their widths."""
        return fit_columns(self.columns, width)

    def _column_at(self, x: int) -> str | None:
        position = 0
        for column, width in self.layout_columns(self.scrollable_content_region.width):
            if position <= x < position + width + 1:
                return column.key
            position += width + 1
        return None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        layout = self.layout_columns(width)
        console = self.app.console
        if y == 0:
            return text_strip(console, self._header(layout), width, base)
        index = y - 1 + int(self.scroll_offset.y)
        if self.total is None:
            muted = ink(self.get_component_rich_style("table--muted"))
            label = Text(" Loading…" if y == 1 else "", style=muted)
            return text_strip(console, label, width, base)
        if self.total == 0:
            text = Text(
                f" {self.empty}" if y == 1 else "",
                style=ink(self.get_component_rich_style("table--muted")),
            )
            return text_strip(console, text, width, base)
        if index >= self.total:
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("table--cursor")
        style = style if index == self.cursor else base
        row = self.row_at(index)
        if row is None:
            muted = ink(self.get_component_rich_style("table--muted"))
            return text_strip(console, Text(" …", style=muted), width, style)
        values = in_layout(self.columns, self.cells(row), layout)
        line = Text()
        for (column, col_width), value in zip(layout, values, strict=True):
            line.append_text(cell(value, col_width, right=column.right))
            line.append(" ")
        return text_strip(console, line, width, style)

    def _header(self, layout: list[tuple[Column, int]]) -> Text:
        header = Text()
        for column, col_width in layout:
            sorted_here = column.key == self.sort_key
            cls = "table--sorted" if sorted_here else "table--header"
            style = self.get_component_rich_style(cls)
            if sorted_here:
                # The arrow always shows, even when the label has to be cut.
                arrow = " ▼" if self.descending else " ▲"
                label = cell(column.label, col_width - 2, style) + Text(arrow, style=style)
                header.append_text(label)
            else:
                header.append_text(cell(column.label, col_width, style, column.right))
            header.append(" ", style=self.get_component_rich_style("table--header"))
        return header

    def on_resize(self) -> None:
        if self.total is not None:
            self.virtual_size = Size(self.scrollable_content_region.width, self.total + 1)
