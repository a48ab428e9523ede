"""SQL that builds a whole CSV line per row (``printf`` over each column's cell), the
fast path of ``ExportRows.write_csv_lines``.

Kept apart from the export definitions (``export_queries``) and from the Python that
streams the lines (``export``) because this is the delicate part: each cell must come
out exactly as ``csv.writer`` (after ``tracker.export.neutralise``) would write it.

- Text a user or an import can set (``TEXT``) is quoted in SQL the way ``csv.writer``
  quotes it and, unless raw, neutralised the way ``tracker.export.neutralise`` does.
- Codes and times the store itself writes (``CODE``) and integers go into the line as
  they are.
- Where SQL cannot be sure to match ``csv.writer`` (a real, a blob or text in an integer
  column; a blob or a NUL in text; a sign followed by non-ASCII text, since Python's
  ``\\d`` accepts other scripts' digits) it writes a SUB character (``\\x1a``)
  instead, and Python formats that row the reference way. The output is the same.
"""

from __future__ import annotations

from dataclasses import replace

from tracker.store.export_queries import CODE, EXPORTS, INT, KEY, TEXT, ExportQuery

SUB = "\x1a"
"""What SQL writes into a line it leaves to Python."""
SUB_BYTE = SUB.encode()


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


def line_expr(query: ExportQuery, raw: bool) -> str:
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
    line = line_expr(query, raw)
    if as_bytes:
        line = f"CAST({line} AS BLOB)"
    return f"{query.select(line)} ORDER BY {query.order}"


_WITH_CONTACT = "touches t JOIN contacts c ON c.id = t.contact_id"
CELLS = "temp.export_contact_cells"


def cells_once(query: ExportQuery, raw: bool) -> tuple[list[str], ExportQuery]:
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
        f"CREATE TABLE {CELLS} (id INTEGER PRIMARY KEY, {', '.join(names)})",
        f"INSERT INTO {CELLS} SELECT c.id, {', '.join(cells)} FROM contacts c",
    ]
    source = f"touches t JOIN {CELLS} named ON named.id = t.contact_id"
    return fill, replace(query, columns=tuple(columns), source=source)


def lines_script(what: str, raw: bool = False) -> str:
    """The SQL the fast path runs for a whole export ``what``, as one script for the
    ``sqlite3`` shell (any table it fills first, then a SELECT of every line in order):
    what the benchmarks time to tell SQL's share of an export from Python's."""
    query = EXPORTS[what]
    fill, paged = cells_once(query, raw)
    lines = f"{paged.select(line_expr(paged, raw))} ORDER BY {paged.order}"
    return "".join(f"{statement};\n" for statement in fill) + lines + ";"


def page_select(query: ExportQuery, raw: bool, as_bytes: bool, after: bool) -> str:
    """SELECT (the lines of the next page joined, its last key, its number of rows) of
    ``query`` in key order; parameters: ``query.params``, the key the page starts after
    (with ``after``), the page's size. The aggregate takes the rows of its subquery in
    the subquery's order, which the tests compare with the reference."""
    key = query.key
    inner = query.select(
        f"{line_expr(query, raw)} AS line, {key} AS k", f"{key} > ?" if after else ""
    )
    joined = "CAST(group_concat(line, '') AS BLOB)" if as_bytes else "group_concat(line, '')"
    return f"SELECT {joined}, max(k), count(*) FROM ({inner} ORDER BY {key} LIMIT ?)"
