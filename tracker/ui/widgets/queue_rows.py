"""How the review queue reads, line by line: the list laid out as lines (a title per
group, a gap between groups, ``ITEM_HEIGHT`` lines per item) and the text of each line.

An item shows the contact, company and age, the one-line reason, and a preview of the
last message; stale invitations stand out (more so when overdue), ``step_back`` items read
as a warning, and lapsed items (shown on request) say "older". Sorted by priority instead,
the list is one group, and each item names its kind and its score.

Kept apart from ``QueueList``, which draws these lines (only those on screen) with its
cursor and marks: ``ink`` gives the colour of one of its component classes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.style import Style
from rich.text import Text

from tracker.models import Kind
from tracker.review import explain
from tracker.service.day import QueueEntry
from tracker.timeutil import days_in_words
from tracker.words import KIND_TITLES, item_title, one_line

ITEM_HEIGHT = 3

Ink = Callable[[str], Style]
"""A component class's colour (``"queue--muted"``, …), as a style to write in."""


class QueueLine(NamedTuple):  # three per item: a tuple is quick to make
    kind: str  # "gap", "group" or "item"
    group: Kind | None = None
    size: int = 0  # a group's items
    entry: int = -1  # an item's place in ``entries``
    row: int = 0


def layout(entries: Sequence[QueueEntry], grouped: bool) -> tuple[list[QueueLine], list[int]]:
    """The lines of ``entries`` and the first line of each item. ``grouped``: under a
    title per kind; else in the given order under one title."""
    lines: list[QueueLine] = []
    tops: list[int] = []
    group: Kind | None = None
    counts: dict[Kind, int] = {}
    for entry in entries:
        counts[entry.item.kind] = counts.get(entry.item.kind, 0) + 1
    if not grouped and entries:
        lines.append(QueueLine("group", None, len(entries)))
    for index, entry in enumerate(entries):
        kind = entry.item.kind
        if grouped and kind is not group:
            if lines:
                lines.append(QueueLine("gap"))
            lines.append(QueueLine("group", kind, counts[kind]))
            group = kind
        tops.append(len(lines))
        lines.extend(QueueLine("item", kind, entry=index, row=row) for row in range(ITEM_HEIGHT))
    return lines, tops


def group_text(line: QueueLine, ink: Ink) -> Text:
    """A group's title and its count (one title when sorted by priority)."""
    if line.group is None:
        text = Text(" BY PRIORITY, HIGHEST FIRST", style=ink("queue--group"))
        text.append(f"  {line.size:,}", style=ink("queue--muted"))
        return text
    warn = line.group is Kind.STEP_BACK
    style = ink("queue--warning" if warn else "queue--group")
    title = ("⚠ " if warn else "") + KIND_TITLES[line.group].upper()
    text = Text(f" {title}", style=style)
    text.append(f"  {line.size:,}", style=ink("queue--muted"))
    return text


def item_text(entry: QueueEntry, row: int, width: int, grouped: bool, ink: Ink) -> Text:
    """Line ``row`` (0 to 2) of an item: the headline, the reason, the last message."""
    item = entry.item
    muted = ink("queue--muted")
    if row == 0:
        return headline(entry, width, grouped, ink)
    if row == 1:
        style = ink("queue--warning") if item.kind is Kind.STEP_BACK else Style()
        text = Text("  ", style=style)
        if not grouped:
            text.append(f"{item_title(item)}: ", style=Style(bold=True))
        text.append(one_line(explain(item)))
        return text
    if not entry.preview:
        return Text("  no messages yet", style=muted + Style(italic=True))
    who = "you" if entry.preview_out else "them"
    arrow = "→" if entry.preview_out else "←"
    text = Text(f"  {arrow} {who}: ", style=muted)
    text.append(f"“{one_line(entry.preview, 300)}”", style=muted + Style(italic=True))
    return text


def headline(entry: QueueEntry, width: int, grouped: bool, ink: Ink) -> Text:
    """The contact and company, cut to leave room for the age (or what stands for it)."""
    item = entry.item
    age = Text(days_in_words(item.age_days))
    if item.kind is Kind.STALE_INVITE:
        overdue = bool(item.details.get("overdue"))
        cls = "queue--overdue" if overdue else "queue--stale"
        age = Text(
            f"{age.plain} pending" + (" · OVERDUE" if overdue else ""),
            style=ink(cls),
        )
    elif item.kind in (Kind.FOLLOW_UP_DUE, Kind.SEQUENCE_STEP):
        age = Text("due today" if item.age_days == 0 else f"{age.plain} overdue")
    elif item.kind is Kind.KEY_DATE:
        when = {0: "today", 1: "yesterday"}.get(item.age_days, f"{age.plain} ago")
        age = Text(f"{one_line(str(item.details.get('label', '')), 20)} {when}")
    if item.lapsed:
        age = Text("older · ", style=ink("queue--muted") + Style(italic=True)) + age
    if not grouped:
        age = Text(f"priority {item.priority.score} · ", style=ink("queue--marker")) + age
    name = Text(one_line(item.contact), style=Style(bold=True))
    if item.company:
        name.append(f" · {one_line(item.company)}", style=ink("queue--muted"))
    room = max(width - age.cell_len - 2, 8)
    name.truncate(room, overflow="ellipsis", pad=True)
    return name + Text("  ") + age
