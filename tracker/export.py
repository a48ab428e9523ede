"""CSV export: UTF-8, a header row, one row per record, formulas neutralised.

A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading ``'``, unless it is a plain number such as an
E.164 phone or a negative amount; ``raw=True`` writes every value as stored.
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
