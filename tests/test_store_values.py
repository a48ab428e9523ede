"""Rows bound to ``INSERT ... SELECT ... FROM (VALUES ...)`` statements of a few sizes:
every row goes in once, and a batch is padded by a few rows at most (SQLite steps over a
padded row at nearly a real row's cost)."""

from __future__ import annotations

import sqlite3

import pytest

from tracker.store.values import SIZES, run_values, statements, values_from


@pytest.mark.parametrize("largest", [SIZES[0], 2730, 166, 8, 1])
def test_statements_cover_the_rows_with_little_padding(largest: int) -> None:
    allowed = {min(largest, SIZES[0]), *(s for s in SIZES if s < largest)}
    for rows in [*range(1, 60), 199, 200, 201, 3300, 4999, 5000, 5001, 12345]:
        found = list(statements(rows, largest))
        assert sum(taken for taken, _ in found) == rows
        assert all(size in allowed and 0 < taken <= size for taken, size in found)
        assert all(taken == size for taken, size in found[:-1])
        taken, size = found[-1]
        assert size - taken < min(allowed)
    assert list(statements(3300, SIZES[0])) == [
        (1000, 1000),
        (1000, 1000),
        (1000, 1000),
        (200, 200),
        (40, 40),
        (40, 40),
        (8, 8),
        (8, 8),
        (4, 8),
    ]


def test_run_values_writes_each_row_once() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c INTEGER)")

    def sql(rows: int) -> str:
        return f"INSERT INTO t SELECT column1, column2, ? {values_from(2, rows)}"

    for count in (1, 7, 9, 3300):
        conn.execute("DELETE FROM t")
        values = [v for i in range(count) for v in (i, f"row {i}")]
        assert run_values(conn, sql, (5,), values, 2, count) == count
        assert conn.execute("SELECT count(*), sum(a), min(c), max(c) FROM t").fetchone() == (
            count,
            count * (count - 1) // 2,
            5,
            5,
        )
