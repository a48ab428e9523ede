"""CSV export: UTF-8, a header row, one row per record, formulas neutralised.

A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading ``'``, unless it is a plain number such as an
E.164 phone or a negative amount; ``raw=True`` writes every value as stored.

Rows that can format themselves (the store's exports, which build each line in SQL) are
asked to, with ``_write_row`` to fall back on for any row they cannot: the output is the
same either way, only faster.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet should see it: never a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def write_csv(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False
) -> int:
    """Write ``header`` and ``rows`` to ``out``; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    fast = getattr(rows, "write_csv_lines", None)
    if fast is not None:
        return int(fast(out, raw, lambda sink, row: _write_row(sink, row, raw)))
    count = 0
    if raw:
        for row in rows:
            writer.writerow(row)
            count += 1
    else:
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count


def _write_row(out: TextIO, row: Sequence[Any], raw: bool) -> None:
    """One row exactly as ``write_csv`` writes it."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(row if raw else [neutralise(v) for v in row])


REVIEW_COLUMNS = (
    "kind",
    "contact_id",
    "contact",
    "company",
    "since",
    "age_days",
    "reason",
    "action",
    "last_message",
)
