"""The command palette: the app's own commands, and the contact search (by name, company,
phone, email, title or tag) that adds one hit per matching contact; choosing it opens the
contact. Imported when the palette first opens, not at start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen

from tracker.identity import format_phone
from tracker.words import one_line

if TYPE_CHECKING:
    from tracker.ui.app import OutreachApp

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


def app_commands(app: OutreachApp, screen: Screen[Any]) -> Iterator[SystemCommand]:
    """The app's own commands in the palette, for ``screen``."""
    from tracker.ui.screens.base import MainScreen

    if isinstance(screen, MainScreen) and app.queue is not None:
        yield SystemCommand("Today", "The review queue", app.action_today)
        yield SystemCommand("Contacts", "Every contact, sorted and filtered", app.action_contacts)
        yield SystemCommand(
            "Insights", "Acceptance, replies, pipeline, ritual", app.action_insights
        )
        yield SystemCommand("New contact", "Add a contact", app.action_new_contact)
        for what, label in (
            ("contacts", "contacts"),
            ("touches", "touches"),
            ("queue", "today's queue"),
        ):
            yield SystemCommand(
                f"Export {label}",
                f"Write {label} to a CSV file",
                lambda w=what: app.action_export(w),
            )
        yield SystemCommand("Close today's review", "Record the review", app.action_close_review)
        yield SystemCommand("Undo", "Take back the last change", app.action_undo)
    if isinstance(screen, MainScreen):
        yield SystemCommand(
            "Import",
            "A LinkedIn export, text history (SMS backup, iMessage) or a contacts file",
            app.action_import,
        )
    if app.data.demo:
        yield SystemCommand("Leave the demo", "Back to your own data", app.leave_demo)
    yield SystemCommand("Dark / light", "Switch between dark and light", app.action_toggle_theme)
    yield SystemCommand("Keys", "Every key on this screen", app.action_help)
