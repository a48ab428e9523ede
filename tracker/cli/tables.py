"""Tables for the CLI that fit the terminal they are printed on.

On a terminal, the columns are sized to its width: when the rows are wider, the columns
meant to wrap (a review item's reason) give up room first, then the widest of the others,
and a value too long for its column wraps onto more lines within its cell; nothing is cut.
Piped or redirected (no terminal), every value is printed whole on one line, so a script
or a file gets what is stored.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from typing import Literal

from tracker.text import safe, width

GAP = "  "
MIN_COLUMN = 8
"""Cells a column keeps however narrow the terminal (its title's, when wider)."""
WRAP_SHARE = 0.4
"""Of the room on a line, what the columns that wrap keep between them at least."""


def terminal_width() -> int | None:
    """The columns of the terminal standard output goes to; ``None`` when it goes to a
    pipe or a file (then values are never wrapped)."""
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((100, 24)).columns


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    wrap: Sequence[int] = (-1,),
    limit: int | Literal["terminal"] | None = "terminal",
) -> str:
    """Aligned columns under ``headers``. ``limit`` is the line width (the terminal's by
    default; ``None``: no limit, values whole). The columns in ``wrap`` (indexes; the
    last by default) shrink first when the rows are wider than that."""
    cells = [[safe(str(c), single_line=True) for c in row] for row in rows]
    count = len(headers)
    natural = [width(h) for h in headers]
    for row in cells:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], width(cell))
    line_width = terminal_width() if limit == "terminal" else limit
    widths = natural
    if line_width is not None:
        wrapping = sorted({i % count for i in wrap})
        widths = _fit(headers, natural, wrapping, line_width - len(GAP) * (count - 1))
    lines = [_line([h for h in headers], widths)]
    for row in cells:
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for depth in range(max(len(parts) for parts in wrapped)):
            lines.append(_line([p[depth] if depth < len(p) else "" for p in wrapped], widths))
    return "\n".join(lines)


def _fit(headers: Sequence[str], natural: list[int], wrapping: list[int], room: int) -> list[int]:
    """Column widths whose sum is at most ``room`` if the columns' floors allow it."""
    widths = list(natural)
    floors = [min(n, max(width(h), MIN_COLUMN)) for h, n in zip(headers, natural, strict=True)]
    if wrapping:
        share = int(room * WRAP_SHARE / len(wrapping))
        for index in wrapping:
            floors[index] = min(natural[index], max(floors[index], share))
    excess = sum(widths) - room
    for index in sorted(wrapping, key=lambda i: -widths[i]):
        cut = min(max(excess, 0), widths[index] - floors[index])
        widths[index] -= cut
        excess -= cut
    while excess > 0:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not shrinkable:
            break  # narrower than every column's floor: the lines run long
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
        excess -= 1
    return widths


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()


def _wrap(text: str, cells: int) -> list[str]:
    """``text`` in lines of at most ``cells`` terminal cells, broken between words (a
    word longer than a line is broken where it must be)."""
    if width(text) <= cells:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while width(word) > cells:
            if current:
                lines.append(current)
                current = ""
            head = _head(word, cells)
            lines.append(head)
            word = word[len(head) :]
        joined = f"{current} {word}" if current else word
        if width(joined) <= cells:
            current = joined
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _head(word: str, cells: int) -> str:
    """The longest start of ``word`` that takes at most ``cells`` cells (one character at
    least, so wrapping always moves on)."""
    used = 0
    for index, ch in enumerate(word):
        used += width(ch)
        if used > cells:
            return word[: max(index, 1)]
    return word
