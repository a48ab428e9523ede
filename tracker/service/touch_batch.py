"""A batch of touch rows as it travels to SQLite: the values of the columns in which the
rows differ, row after row in one flat list, bound to ``INSERT ... VALUES`` statements of
a few hundred rows each (``Store.insert_touch_rows``); the values every row shares are
bound once per statement.

Binding a value costs SQLite next to nothing, where reading it back out of a JSON text
(the way batches went before) cost about as much as inserting the row; and a file's texts
share their channel and their empty status, note and template, so a batch of them binds
five values a row, not twelve.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any


@dataclass(frozen=True)
class Payload:
    """What ``Store.insert_touch_rows`` takes for one batch."""

    values: list[Any]
    """The ``varying`` columns of each row, row after row."""
    varying: tuple[int, ...]
    """The positions in ``TOUCH_COLUMNS`` of the columns each row carries in ``values``."""
    shared: dict[int, Any]
    """The value of each other column (by position in ``TOUCH_COLUMNS``): every row's."""
    size: int
    """How many rows."""


def payload(batch: list[tuple[Any, ...]]) -> Payload:
    """``batch`` (rows in ``TOUCH_COLUMNS`` order) as a ``Payload``."""
    size = len(batch)
    shared: dict[int, Any] = {}
    varying: list[int] = []
    for index, column in enumerate(zip(*batch, strict=True)):
        if column.count(column[0]) == size:
            shared[index] = column[0]
        else:
            varying.append(index)
    if len(varying) > 1:
        values = list(chain.from_iterable(map(itemgetter(*varying), batch)))
    elif varying:
        values = list(map(itemgetter(varying[0]), batch))
    else:
        values = []
    return Payload(values, tuple(varying), shared, size)
