"""Terminal charts as Rich text: horizontal bars (with an optional mark, such as a study's
figure or a weekly budget) and sparklines. Plain functions, so a table cell or a line of
prose can hold a chart, and the same numbers always draw the same picture."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
TRACK = "·"
MARK = "┃"


def bar(
    value: float | None,
    top: float,
    width: int,
    *,
    mark: float | None = None,
    style: str = "",
    mark_style: str = "bold",
) -> Text:
    """``value`` out of ``top`` as a bar ``width`` cells wide, in eighths of a cell.

    ``mark`` draws a thin line at that value (over the bar or on its track). ``None``
    values draw an empty track.
    """
    width = max(width, 1)
    eighths = 0
    if value is not None and top > 0:
        eighths = round(min(max(value / top, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    cells = [FULL] * full
    if part and full < width:
        cells.append(EIGHTHS[part])
    filled = len(cells)
    cells.extend(TRACK * (width - filled))
    mark_at: int | None = None
    if mark is not None and top > 0:
        mark_at = min(int(min(max(mark / top, 0.0), 1.0) * width), width - 1)
    text = Text()
    for index, cell in enumerate(cells):
        if index == mark_at:
            text.append(MARK, style=mark_style)
        elif index < filled:
            text.append(cell, style=style)
        else:
            text.append(cell, style="dim")
    return text


def sparkline(values: Sequence[float], style: str = "") -> Text:
    """One character per value, from ▁ (zero, or nothing) to █ (the largest)."""
    top = max(values, default=0)
    if top <= 0:
        return Text(SPARKS[0] * len(values), style="dim")
    last = len(SPARKS) - 1
    return Text(
        "".join(
            SPARKS[min(last, max(1, round(v * last / top)))] if v > 0 else SPARKS[0] for v in values
        ),
        style=style,
    )


def percent(rate: float | None) -> str:
    """``0.625`` -> ``62%`` (``-`` for no rate)."""
    return "-" if rate is None else f"{rate * 100:.0f}%"
