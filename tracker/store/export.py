"""The rows behind each CSV export, streamed from SQL in pages (never all in memory).

Each export is a list of columns (CSV name, SQL expression, kind) over a FROM clause.
Iterating the rows gives the stored values, for any consumer. Writing them as CSV has a
fast path (``ExportRows.write_csv_lines``, used by ``tracker.export.write_csv``): one
``printf`` per row builds the whole line in SQL, and Python joins and writes pages.

- Text a user or an import can set (``TEXT``) is quoted in SQL the way ``csv.writer``
  quotes it and, unless raw, neutralised the way ``tracker.export.neutralise`` does.
- Codes and times the store itself writes (``CODE``: channels, statuses, timestamps,
  all validated on the way in) and integers go into the line as they are.
- Where SQL cannot be sure to match ``csv.writer`` (a real, a blob or text in an integer
  column; a blob or a NUL in text; a sign followed by non-ASCII text, since Python's
  ``\\d`` accepts other scripts' digits) it writes a SUB character (``\\x1a``)
  instead, and Python formats that row the reference way. The output is the same.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any, BinaryIO, TextIO, cast

from tracker.store.base import StoreBase

KEY = "key"
"""An INTEGER PRIMARY KEY: always an integer; the first column of every export."""
INT = "int"
"""INTEGER affinity: an integer or NULL (anything else goes to Python)."""
CODE = "code"
"""TEXT the store writes itself, validated: a channel, status, segment, ISO time."""
TEXT = "text"
"""TEXT a user or an import sets: names, messages, notes, identifiers."""
EXPORT_MMAP_BYTES = 1 << 30
SUB = "\x1a"
"""What SQL writes into a line it leaves to Python."""
SUB_BYTE = SUB.encode()


@dataclass(frozen=True)
class ExportQuery:
    """What one export reads: its columns, where from, in what order, and the key that
    names one row (to re-read a row the fast path leaves to Python)."""

    columns: tuple[tuple[str, str, str], ...]
    source: str
    order: str
    key: str
    where: str = ""
    params: tuple[Any, ...] = ()
    """The values of the ``?`` in ``where``."""

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.columns)

    def select(self, what: str, extra_where: str = "") -> str:
        where = " AND ".join(f"({w})" for w in (self.where, extra_where) if w)
        return f"SELECT {what} FROM {self.source}" + (f" WHERE {where}" if where else "")

    @property
    def values_sql(self) -> str:
        return ", ".join(expr for _, expr, _ in self.columns)

    @property
    def sql(self) -> str:
        return f"{self.select(self.values_sql)} ORDER BY {self.order}"


_LABELLED = (
    "SELECT contact_id,"
    " group_concat(CASE kind WHEN 'phone' THEN label || ':' || value END, '; ') AS phones,"
    " group_concat(CASE kind WHEN 'email' THEN label || ':' || value END, '; ') AS emails"
    " FROM contact_identifiers INDEXED BY identifiers_contact GROUP BY contact_id"
)
# The index walks each contact's identifiers primary first, then in the order they were
# added: the order group_concat joins them in.
"""Each contact's phones and emails as ``label:value; label:value``, the primary first:
what ``--phone``/``--email`` take, and what the contacts import reads back."""

_KEY_DATES = (
    "SELECT contact_id, group_concat(label || ':' || CASE WHEN year IS NULL"
    " THEN '--' || month_day ELSE printf('%04d', year) || '-' || month_day END, '; ')"
    " AS key_dates FROM key_dates NOT INDEXED GROUP BY contact_id"
)
"""Each contact's key dates as ``birthday:1988-05-12; renewal:--03-01``, by label (the
table's own order): what ``add --date`` takes, and what the contacts import reads back."""

EXPORTS: dict[str, ExportQuery] = {
    "contacts": ExportQuery(
        columns=(
            ("id", "c.id", KEY),
            ("name", "c.name", TEXT),
            ("first_name", "c.first_name", TEXT),
            ("last_name", "c.last_name", TEXT),
            ("company", "c.company", TEXT),
            ("title", "c.title", TEXT),
            ("phone", "c.phone", TEXT),
            ("email", "c.email", TEXT),
            ("phones", "i.phones", TEXT),
            ("emails", "i.emails", TEXT),
            ("linkedin_url", "c.linkedin_url", TEXT),
            ("linkedin_connected_on", "c.linkedin_connected_on", CODE),
            ("segment", "c.segment", CODE),
            ("relationship", "c.relationship", CODE),
            ("tags", "g.tags", TEXT),
            ("notes", "c.notes", TEXT),
            ("keep_in_touch_days", "c.keep_in_touch_days", INT),
            ("sms_opt_in_at", "c.sms_opt_in_at", CODE),
            ("sms_opt_out_at", "c.sms_opt_out_at", CODE),
            ("follow_up_on", "f.due_on", CODE),
            ("follow_up_reason", "f.reason", TEXT),
            ("follow_up_set_at", "f.set_at", CODE),
            ("key_dates", "k.key_dates", TEXT),
            ("created_at", "c.created_at", CODE),
            ("updated_at", "c.updated_at", CODE),
        ),
        # Tags joined once per contact (a correlated subquery would run once for every
        # mention in the CSV line). NOT INDEXED walks the WITHOUT ROWID table in key
        # order, (contact_id, tag), so each group is concatenated in tag order.
        source=(
            "contacts c LEFT JOIN follow_ups f ON f.contact_id = c.id"
            " LEFT JOIN (SELECT contact_id, group_concat(tag, '; ') AS tags"
            " FROM tags NOT INDEXED GROUP BY contact_id) g ON g.contact_id = c.id"
            f" LEFT JOIN ({_LABELLED}) i ON i.contact_id = c.id"
            f" LEFT JOIN ({_KEY_DATES}) k ON k.contact_id = c.id"
        ),
        order="c.id",
        key="c.id",
    ),
    "touches": ExportQuery(
        columns=(
            ("id", "t.id", KEY),
            ("contact_id", "t.contact_id", INT),
            ("contact", "c.name", TEXT),
            ("channel", "t.channel", CODE),
            ("direction", "t.direction", CODE),
            ("at", "t.at", CODE),
            ("text", "t.text", TEXT),
            ("status", "t.status", CODE),
            ("status_at", "t.status_at", CODE),
            ("has_note", "t.has_note", INT),
            ("moment", "t.moment", CODE),
            ("is_group", "t.is_group", INT),
            ("source", "t.source", TEXT),
            ("template", "t.template", TEXT),
            ("created_at", "t.created_at", CODE),
        ),
        source="touches t JOIN contacts c ON c.id = t.contact_id",
        order="t.id",
        key="t.id",
    ),
    "invitations": ExportQuery(
        columns=(
            ("id", "t.id", KEY),
            ("contact_id", "t.contact_id", INT),
            ("contact", "c.name", TEXT),
            ("company", "c.company", TEXT),
            ("segment", "c.segment", CODE),
            ("linkedin_url", "c.linkedin_url", TEXT),
            ("sent_at", "t.at", CODE),
            ("has_note", "t.has_note", INT),
            ("note", "t.text", TEXT),
            ("moment", "t.moment", CODE),
            ("status", "t.status", CODE),
            ("status_at", "t.status_at", CODE),
        ),
        source="touches t JOIN contacts c ON c.id = t.contact_id",
        where="t.channel = 'linkedin_invite' AND t.direction = 'out'",
        order="t.at, t.id",
        key="t.id",
    ),
}


def filtered(query: ExportQuery, what: str, tag: str, segment: str, since: str) -> ExportQuery:
    """``query`` narrowed to contacts with ``tag``, in ``segment``, and to what happened
    from ``since`` (stored time) on; unchanged when none is given."""
    contact = "c.id" if what == "contacts" else "t.contact_id"
    clauses, params = [query.where] if query.where else [], list(query.params)
    if tag:
        clauses.append(f"{contact} IN (SELECT contact_id FROM tags WHERE tag = ?)")
        params.append(tag)
    if segment:
        clauses.append("c.segment = ?")
        params.append(segment)
    if since and what == "contacts":
        clauses.append(
            "(c.created_at >= ? OR c.id IN (SELECT contact_id FROM touches WHERE at >= ?))"
        )
        params += [since, since]
    elif since:
        clauses.append("t.at >= ?")
        params.append(since)
    if len(params) == len(query.params):
        return query
    where = " AND ".join(f"({clause})" for clause in clauses)
    return replace(query, where=where, params=tuple(params))


EXPORT_QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    what: (query.header, query.sql) for what, query in EXPORTS.items()
}
"""(header, SQL) of each export, as the plain query reads it."""


# -- CSV lines in SQL ------------------------------------------------------------------
def _plain_number(v: str) -> str:
    """SQL for ``^[+-]?\\d+(\\.\\d+)?$`` on ASCII text that starts with a sign (``$``
    also matches before one final newline, as in Python)."""
    rest = f"(CASE WHEN substr({v}, -1) = char(10) THEN substr({v}, 2, length({v}) - 2)"
    rest += f" ELSE substr({v}, 2) END)"
    return (
        f"({rest} <> '' AND {rest} NOT GLOB '*[^0-9.]*' AND {rest} NOT GLOB '.*'"
        f" AND {rest} NOT GLOB '*.' AND {rest} NOT GLOB '*.*.*')"
    )


def _text_cell(v: str, raw: bool) -> str:
    """SQL for one user-set text value as ``csv.writer`` writes it (after ``neutralise``
    unless raw), or SUB where only Python can tell.

    Every formula start sorts before ``'A'``, so one comparison skips the formula checks
    for text starting with a letter. The usual text is told in two passes: ``json_quote``
    lengthens text holding a ``"``, a backslash or any control character (line breaks,
    tab, NUL), so text it leaves two bytes longer, once it starts with a letter (or
    always, raw), needs only the comma test; the rest takes the full tests (four
    ``instr`` calls for quoting).
    """
    sign = f"{v} < 'A' AND substr({v}, 1, 1) IN ('+', '-')"
    if raw:
        neutral = v
        python_only = f"{v} >= X'' OR instr({v}, char(0))"
    else:
        neutral = (
            f"(CASE WHEN {v} < 'A' AND substr({v}, 1, 1) IN ('=', '@', char(9), char(13))"
            f" THEN '''' || {v} WHEN {sign} AND NOT {_plain_number(v)} THEN '''' || {v}"
            f" ELSE {v} END)"
        )
        python_only = (
            f"{v} >= X'' OR instr({v}, char(0))"
            f" OR ({sign} AND length(CAST({v} AS BLOB)) <> length({v}))"
        )
    quote = f"instr({v}, ',') OR instr({v}, '\"') OR instr({v}, char(10)) OR instr({v}, char(13))"
    clean = f"length(CAST(json_quote({v}) AS BLOB)) = length(CAST({v} AS BLOB)) + 2"
    usual = clean if raw else f"{v} >= 'A' AND {clean}"
    return (
        f"(CASE WHEN {v} IS NULL THEN '' WHEN {v} >= X'' THEN char(26)"
        f" WHEN {usual} THEN (CASE WHEN instr({v}, ',') THEN '\"' || {v} || '\"' ELSE {v} END)"
        f" WHEN {python_only} THEN char(26)"
        f" WHEN {quote} THEN '\"' || replace({neutral}, '\"', '\"\"') || '\"'"
        f" ELSE {neutral} END)"
    )


def _cell(expr: str, kind: str, raw: bool) -> str:
    if kind == INT:
        return f"(CASE WHEN CAST({expr} AS INTEGER) IS NOT {expr} THEN char(26) ELSE {expr} END)"
    if kind == TEXT:
        return _text_cell(expr, raw)
    return expr


def _line(query: ExportQuery, raw: bool) -> str:
    """SQL for one row's whole CSV line, CRLF included."""
    if len(query.columns) < 2 or query.columns[0][2] != KEY:
        raise ValueError("the fast path needs the row key first, and two columns or more")
    fmt = "'" + ",".join("%s" for _ in query.columns) + "' || char(13, 10)"
    cells = ", ".join(_cell(expr, kind, raw) for _, expr, kind in query.columns)
    return f"printf({fmt}, {cells})"


def line_sql(query: ExportQuery, raw: bool, as_bytes: bool = False) -> str:
    """SELECT the whole CSV line (CRLF included) of every row of ``query``, in order; as
    its UTF-8 bytes with ``as_bytes`` (a blob reaches Python as ``bytes``, neither
    decoded nor encoded again on the way out)."""
    line = _line(query, raw)
    if as_bytes:
        line = f"CAST({line} AS BLOB)"
    return f"{query.select(line)} ORDER BY {query.order}"


_WITH_CONTACT = "touches t JOIN contacts c ON c.id = t.contact_id"
_CELLS = "temp.export_contact_cells"


def _cells_once(query: ExportQuery, raw: bool) -> tuple[list[str], ExportQuery]:
    """(the statements that put each contact's cells in a temporary table, the query that
    reads them there) for a whole export of touches: a contact has dozens or hundreds of
    touches, and formatting a cell is much of a line's cost. ``("", query)`` for another
    export, or a filtered one (a filter may name the contact's columns, and a few rows
    would not pay for formatting every contact)."""
    if query.source != _WITH_CONTACT or query.where:
        return [], query
    names, cells, columns = [], [], []
    for index, (name, expr, kind) in enumerate(query.columns):
        if expr.startswith("c."):
            names.append(f"cell{index}")
            cells.append(_cell(expr, kind, raw))
            columns.append((name, f"named.cell{index}", CODE))  # formatted already
        else:
            columns.append((name, expr, kind))
    fill = [
        f"CREATE TABLE {_CELLS} (id INTEGER PRIMARY KEY, {', '.join(names)})",
        f"INSERT INTO {_CELLS} SELECT c.id, {', '.join(cells)} FROM contacts c",
    ]
    source = f"touches t JOIN {_CELLS} named ON named.id = t.contact_id"
    return fill, replace(query, columns=tuple(columns), source=source)


def lines_script(what: str, raw: bool = False) -> str:
    """The SQL the fast path runs for a whole export ``what``, as one script for the
    ``sqlite3`` shell (any table it fills first, then a SELECT of every line in order):
    what the benchmarks time to tell SQL's share of an export from Python's."""
    query = EXPORTS[what]
    fill, paged = _cells_once(query, raw)
    lines = f"{paged.select(_line(paged, raw))} ORDER BY {paged.order}"
    return "".join(f"{statement};\n" for statement in fill) + lines + ";"


def _page_sql(query: ExportQuery, raw: bool, as_bytes: bool, after: bool) -> str:
    """SELECT (the lines of the next page joined, its last key, its number of rows) of
    ``query`` in key order; parameters: ``query.params``, the key the page starts after
    (with ``after``), the page's size. The aggregate takes the rows of its subquery in
    the subquery's order, which the tests compare with the reference."""
    key = query.key
    inner = query.select(f"{_line(query, raw)} AS line, {key} AS k", f"{key} > ?" if after else "")
    joined = "CAST(group_concat(line, '') AS BLOB)" if as_bytes else "group_concat(line, '')"
    return f"SELECT {joined}, max(k), count(*) FROM ({inner} ORDER BY {key} LIMIT ?)"


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
        fill, paged = _cells_once(query, raw)
        page_sql = [_page_sql(paged, raw, binary is not None, after) for after in (False, True)]
        snapshot = not conn.in_transaction  # every page from the same state of the file
        if snapshot:
            conn.execute("BEGIN")
        try:
            if fill:
                conn.execute(f"DROP TABLE IF EXISTS {_CELLS}")
                for statement in fill:
                    conn.execute(statement)
            return self._pages(out, binary, raw, slow, page_sql)
        finally:
            if fill:
                conn.execute(f"DROP TABLE IF EXISTS {_CELLS}")
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
                sql = f"{query.select(_line(query, raw), within)} ORDER BY {query.order}"
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
