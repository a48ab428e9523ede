"""The command palette's contact search: by name, company, phone, email, title or tag.

The app's own commands come from ``OutreachApp.get_system_commands``; this provider adds
one hit per matching contact, and choosing it opens the contact.
"""

from __future__ import annotations

import asyncio
from functools import partial

from rich.style import Style
from rich.text import Text
from textual.command import Hit, Hits, Provider
from textual.markup import escape

from tracker.identity import format_phone
from tracker.ui.format import one_line

LIMIT = 12


class ContactsProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        data = getattr(app, "data", None)
        if data is None or len(query.strip()) < 2:
            return
        rows = await asyncio.to_thread(data.find_contacts, query, LIMIT)
        matcher = self.matcher(query)
        for row in rows:
            name = one_line(row.name)
            score = matcher.match(name)
            display = Text(name)
            if score:
                _, offsets = matcher.fuzzy_search.match(query, name)
                for offset in offsets:
                    display.stylize(Style(reverse=True), offset, offset + 1)
            details = [
                one_line(row.company),
                format_phone(row.phone) if row.phone else "",
                one_line(row.email),
                ", ".join(one_line(t) for t in row.tags),
            ]
            yield Hit(
                max(score, 0.5),
                display,
                partial(app.open_contact, row.id),  # type: ignore[attr-defined]
                text=name,
                help=escape("Contact · " + " · ".join(d for d in details if d)),
            )
