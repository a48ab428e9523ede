"""The day's review as a short Markdown digest (``outreach review --format markdown``),
for a cron job to mail: a heading with the day and the count, then one section per kind
in the queue's order, one line per item. Pure: items and the day in, text out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from itertools import groupby

from tracker.models import ReviewItem
from tracker.timeutil import days_in_words
from tracker.words import KIND_TITLES, long_date, one_line, plural

_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
"""What Markdown reads as formatting, a link or HTML inside a line of text."""


def escaped(text: str, limit: int | None = None) -> str:
    """User text on one line with Markdown's special characters escaped, so a name like
    ``*Dana*`` or ``[x](y)`` shows as typed and never as formatting or a link."""
    return _SPECIAL.sub(r"\\\1", one_line(text, limit))


def markdown_digest(items: Sequence[ReviewItem], today: date, hidden: int = 0) -> str:
    """``# Outreach review: Mon 23 Nov 2026``, how many are due, then each kind's items
    (``hidden``: how many older items the queue leaves out, said when there are any)."""
    lines = [f"# Outreach review: {long_date(today)}", ""]
    if not items:
        lines.append("Nothing due. The review is clear.")
    else:
        lines.append(f"{plural(len(items), 'item')} due.")
    if hidden:
        lines.append(f"{plural(hidden, 'older item')} hidden (`outreach review --all`).")
    in_kind_order = sorted(items, key=lambda item: item.kind.rank)  # stable: priority kept
    for kind, group in groupby(in_kind_order, key=lambda item: item.kind):
        found = list(group)
        lines += ["", f"## {KIND_TITLES[kind]} ({len(found)})", ""]
        for item in found:
            who = f"**{escaped(item.contact, 80)}**"
            if item.company:
                who += f" ({escaped(item.company, 60)})"
            age = days_in_words(item.age_days)
            action = escaped(item.action)
            action = action[:1].upper() + action[1:]
            lines.append(f"- {who}, {age}: {escaped(item.reason)}. *{action.rstrip('.')}.*")
    return "\n".join(lines) + "\n"
