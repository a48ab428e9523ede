"""Rows bound to ``INSERT ... SELECT ... FROM (VALUES ...)`` statements, thousands at a
time: what an import writes (its touches, the facts of its messages) goes to SQLite this
way, each statement run with the interpreter lock free.

Binding a value costs SQLite next to nothing, where reading it back out of a JSON text
cost about as much as inserting the row. Every parameter is a plain ``?``: SQLite looks
each numbered ``?NNN`` up among those before it, which makes a statement of thousands of
them take most of a second to prepare, where this one takes milliseconds. A batch of any
size goes in statements of a few sizes only (``SIZES``), so only a few statements are
ever prepared and kept (one of 5,000 rows holds about 2 MB): the largest that fit, then
smaller ones, the rest of the last one padding that ``LIMIT`` cuts off. Padding is kept
to a few rows: SQLite binds and steps over each padded row nearly at a real row's cost
(3,300 facts in a 5,000-row statement cost twice what they cost in statements of 1,000,
200 and 40).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

SIZES = (5000, 1000, 200, 40, 8)
"""The rows a statement is prepared for, largest first."""


def statements(rows: int, largest: int) -> Iterator[tuple[int, int]]:
    """``(rows, size)`` of each statement ``rows`` rows go in: each time the largest size
    (``largest``, at most ``SIZES[0]``, or a smaller one of ``SIZES``) the rows left fill,
    and the last few (fewer than the smallest size) in the smallest, padded."""
    largest = min(largest, SIZES[0])
    sizes = [largest, *(size for size in SIZES if size < largest)]
    while rows > 0:
        size = next((size for size in sizes if size <= rows), sizes[-1])
        taken = min(rows, size)
        yield taken, size
        rows -= taken


def values_from(width: int, rows: int) -> str:
    """``FROM (VALUES ...) LIMIT ?`` for ``rows`` rows of ``width`` parameters each
    (``column1``... name them in the ``SELECT``; ``width`` 0: rows of one ``NULL``)."""
    row = f"({', '.join('?' * width)})" if width else "(NULL)"
    return f"FROM (VALUES {', '.join([row] * rows)}) LIMIT ?"


def run_values(
    conn: sqlite3.Connection,
    sql_for: Any,
    head: Sequence[Any],
    values: Sequence[Any],
    width: int,
    rows: int,
) -> int:
    """Run ``sql_for(size)`` (a statement ending in ``values_from(width, size)``) over
    ``rows`` rows of ``width`` values each, flat in ``values``, each statement bound to
    ``head`` (the parameters before its ``VALUES``), its rows and its ``LIMIT``; returns
    how many rows the statements changed."""
    room = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(head) - 1
    largest = max(1, room // max(width, 1))
    changed = start = 0
    for taken, size in statements(rows, largest):
        cells = values[start * width : (start + taken) * width]
        padding = [None] * ((size - taken) * width)
        start += taken
        cursor = conn.execute(sql_for(size), [*head, *cells, *padding, taken])
        changed += max(cursor.rowcount, 0)
    return changed
