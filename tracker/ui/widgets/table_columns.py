"""What a ``PagedTable`` is made of, apart from the widget: where its rows come from
(``PageSource``), its columns, and how they share a width (the narrowest terminal drops
the least important first)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from rich.text import Text

Row = TypeVar("Row", covariant=True)


class PageSource(Protocol[Row]):
    """Where a table's rows come from. Every method runs in a worker thread."""

    def count(self, query: Hashable) -> int: ...

    def page(self, query: Hashable, offset: int, limit: int) -> Sequence[Row]: ...

    def position(self, query: Hashable, key: Hashable) -> int | None:
        """Where the row with ``key`` is now (``None``: not there)."""
        ...


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    min_width: int
    weight: int = 0
    priority: int = 0
    right: bool = False


def fit_columns(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` (lowest priority dropped first) and their widths:
    each its least, the spare shared by weight, the last taking what rounding left."""
    shown = list(columns)
    while len(shown) > 1 and sum(c.min_width + 1 for c in shown) > width:
        shown.remove(min(shown, key=lambda c: c.priority))
    spare = width - sum(c.min_width + 1 for c in shown)
    weights = sum(c.weight for c in shown) or 1
    widths = [c.min_width + spare * c.weight // weights for c in shown]
    if shown:
        widths[-1] += width - sum(widths) - len(shown)
    return list(zip(shown, widths, strict=True))


def in_layout(
    columns: Sequence[Column], values: Sequence[str | Text], layout: list[tuple[Column, int]]
) -> list[Any]:
    """A row's ``values`` (one per column of ``columns``) for the columns ``layout`` shows."""
    keys = [c.key for c in columns]
    return [values[keys.index(column.key)] for column, _ in layout]
