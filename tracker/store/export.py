"""The rows behind each CSV export, streamed from SQL in pages (never all in memory).

Iterating the rows gives the stored values, for any consumer. Writing them as CSV has a
fast path (``ExportRows.write_csv_lines``, used by ``tracker.export.write_csv``): one
``printf`` per row builds the whole line in SQL (``export_lines``), and Python joins and
writes pages; a line SQL marked with SUB (``\\x1a``) is written the reference way.

What each export reads is in ``export_queries``; this module holds the streaming and the
store's methods, and names the parts the benchmarks and other modules take from here.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any, BinaryIO, TextIO, cast

from tracker.store.base import StoreBase
from tracker.store.export_lines import (
    CELLS,
    SUB,
    SUB_BYTE,
    cells_once,
    line_expr,
    line_sql,
    lines_script,
    page_select,
)
from tracker.store.export_queries import (
    CODE,
    EXPORT_QUERIES,
    EXPORTS,
    INT,
    KEY,
    TEXT,
    ExportQuery,
    filtered,
)

__all__ = [
    "CODE",
    "EXPORTS",
    "EXPORT_MMAP_BYTES",
    "EXPORT_QUERIES",
    "INT",
    "KEY",
    "SUB",
    "SUB_BYTE",
    "TEXT",
    "ExportMixin",
    "ExportQuery",
    "ExportRows",
    "filtered",
    "line_sql",
    "lines_script",
]

EXPORT_MMAP_BYTES = 1 << 30


def _utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The byte stream under ``out`` when text written there goes down as UTF-8 with no
    newline translation (standard output, a file of ours), so lines may be written to it
    as bytes; else ``None``."""
    buffer = getattr(out, "buffer", None)
    encoding = str(getattr(out, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8" or os.linesep != "\n":
        return None
    return cast(BinaryIO, buffer)


class ExportRows:
    """The rows of one export: an iterator of stored values, which can also write itself
    as CSV lines built in SQL (``write_csv_lines``)."""

    def __init__(self, store: StoreBase, query: ExportQuery, page: int) -> None:
        self._store = store
        self._query = query
        self._page = page
        self._rows: Iterator[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if self._rows is None:
            self._rows = self._stream()
        return next(self._rows)

    def _stream(self) -> Iterator[Any]:
        cursor = self._store.conn.cursor()
        cursor.execute(self._query.sql, self._query.params)
        while batch := cursor.fetchmany(self._page):
            yield from batch

    def write_csv_lines(self, out: TextIO, raw: bool, slow: Callable[[TextIO, Any], None]) -> int:
        """Write every row as a CSV line to ``out``; returns the number of rows.

        ``slow(out, values)`` writes one row of stored values the reference way, for the
        lines SQL marked.
        """
        if self._rows is not None:
            raise RuntimeError("the rows are already being iterated")
        conn = self._store.conn
        binary = _utf8_buffer(out)
        if binary is not None:
            out.flush()  # what the text layer holds (the header) goes first
        # Reading the whole file: map it rather than copy it page by page (~15% here).
        row = conn.execute("PRAGMA mmap_size").fetchone()  # none for a database in memory
        mapped = row[0] if row else 0
        conn.execute(f"PRAGMA mmap_size = {EXPORT_MMAP_BYTES}")
        try:
            if self._query.order == self._query.key:
                count = self._write_pages(out, binary, raw, slow)
            else:
                count = self._write_rows(out, binary, raw, slow)
        finally:
            conn.execute(f"PRAGMA mmap_size = {int(mapped)}")
        return count

    def _write_rows(
        self, out: TextIO, binary: BinaryIO | None, raw: bool, slow: Callable[[TextIO, Any], None]
    ) -> int:
        """Every line fetched as its own row (an export in an order other than its key)."""
        first = itemgetter(0)
        cursor = self._store.conn.cursor()
        cursor.execute(line_sql(self._query, raw, binary is not None), self._query.params)
        count = 0
        while batch := cursor.fetchmany(self._page):
            if binary is not None:
                data = b"".join(map(first, batch))
                if SUB_BYTE in data:
                    lines = (line.decode("utf-8") for line in map(first, batch))
                    data = "".join(self._checked(line, slow) for line in lines).encode()
                binary.write(data)
            else:
                text = "".join(map(first, batch))
                if SUB in text:
                    text = "".join(self._checked(line, slow) for line in map(first, batch))
                out.write(text)
            count += len(batch)
        return count

    def _write_pages(
        self, out: TextIO, binary: BinaryIO | None, raw: bool, slow: Callable[[TextIO, Any], None]
    ) -> int:
        """Every line, a page at a time: SQL joins each page's lines into one value, so
        Python takes one value a page instead of one a row (handing a value over costs
        more than SQL's joining it); the pages follow the key. A page SQL marked for
        Python is read again row by row."""
        query, conn = self._query, self._store.conn
        fill, paged = cells_once(query, raw)
        page_sql = [page_select(paged, raw, binary is not None, after) for after in (False, True)]
        snapshot = not conn.in_transaction  # every page from the same state of the file
        if snapshot:
            conn.execute("BEGIN")
        try:
            if fill:
                conn.execute(f"DROP TABLE IF EXISTS {CELLS}")
                for statement in fill:
                    conn.execute(statement)
            return self._pages(out, binary, raw, slow, page_sql)
        finally:
            if fill:
                conn.execute(f"DROP TABLE IF EXISTS {CELLS}")
            if snapshot:
                conn.execute("COMMIT")

    def _pages(
        self,
        out: TextIO,
        binary: BinaryIO | None,
        raw: bool,
        slow: Callable[[TextIO, Any], None],
        page_sql: list[str],
    ) -> int:
        query, conn = self._query, self._store.conn
        last: int | None = None
        count = 0
        while True:
            params = (*query.params, *(() if last is None else (last,)), self._page)
            joined, page_last, rows = conn.execute(page_sql[last is not None], params).fetchone()
            if not rows:
                return count
            marked = SUB_BYTE in joined if binary is not None else SUB in joined
            if marked:  # read again row by row, each line as the plain query makes it
                bounds = (last, page_last) if last is not None else (page_last,)
                within = f"{query.key} > ? AND " * (last is not None) + f"{query.key} <= ?"
                sql = f"{query.select(line_expr(query, raw), within)} ORDER BY {query.order}"
                lines = conn.execute(sql, (*query.params, *bounds))
                text = "".join(self._checked(line, slow) for (line,) in lines)
                joined = text.encode() if binary is not None else text
            if binary is not None:
                binary.write(joined)
            else:
                out.write(joined)
            count += rows
            last = page_last

    def _checked(self, line: str, slow: Callable[[TextIO, Any], None]) -> str:
        if SUB not in line:
            return line
        key = int(line[: line.index(",")])
        keyed = self._query.select(self._query.values_sql, f"{self._query.key} = ?")
        values = self._store.conn.execute(keyed, (*self._query.params, key)).fetchone()
        buffer = io.StringIO(newline="")
        slow(buffer, values)
        return buffer.getvalue()


class ExportMixin(StoreBase):
    """Streams export rows page by page."""

    def export_rows(
        self,
        what: str,
        page: int = 5_000,
        tag: str = "",
        segment: str = "",
        since: str = "",
    ) -> tuple[tuple[str, ...], ExportRows]:
        """The rows of export ``what``, only of contacts with ``tag`` and in ``segment``
        when given, and from ``since`` (a stored time) on: touches and invitations at or
        after it, contacts added or touched since."""
        query = filtered(EXPORTS[what], what, tag, segment, since)
        return query.header, ExportRows(self, query, page)

    def export_query_plan(self, what: str) -> list[str]:
        """``EXPLAIN QUERY PLAN`` of the statement that writes an export's CSV lines."""
        sql = line_sql(EXPORTS[what], raw=False)
        return [row[3] for row in self.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
