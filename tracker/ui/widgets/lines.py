"""Turning one line of Rich ``Text`` into a Textual ``Strip`` of an exact width.

The queue and the tables draw only the lines on screen (Textual's line API), so a list of
any length costs the same to show.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_strip(console: Console, text: Text, width: int, style: Style | None = None) -> Strip:
    """``text`` on one line, cut with an ellipsis or padded to ``width`` cells."""
    if width <= 0:
        return Strip.blank(0)
    line = text.copy()
    line.no_wrap = True
    line.overflow = "ellipsis"
    line.end = ""
    line.truncate(width, overflow="ellipsis", pad=True)
    segments = list(line.render(console))
    if style is not None:
        segments = list(Segment.apply_style(segments, style))
    return Strip(segments, width).crop_extend(0, width, style)


def ink(style: Style) -> Style:
    """Only the foreground of ``style``: component styles carry the widget's background,
    which would paint over a highlighted row."""
    return Style(
        color=style.color,
        bold=style.bold,
        italic=style.italic,
        underline=style.underline,
        dim=style.dim,
    )


def cell(text: str | Text, width: int, style: Style | str = "", right: bool = False) -> Text:
    """One table cell: ``text`` cut or padded to exactly ``width`` cells."""
    value = text.copy() if isinstance(text, Text) else Text(text, style=style)
    value.no_wrap = True
    value.overflow = "ellipsis"
    value.truncate(width, overflow="ellipsis")
    gap = width - value.cell_len
    if gap > 0:
        if right:
            value = Text(" " * gap) + value
        else:
            value.pad_right(gap)
    return value
