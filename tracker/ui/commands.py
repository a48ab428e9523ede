"""The command palette: the app's own commands, and the search (``Tracker.search``) that
adds one hit per matching contact, best first, found by any word of its fields or of its
messages, with the matching snippet beneath; choosing one (enter takes the best) opens the
contact. Imported when the palette first opens, not at start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen

from tracker.timeutil import local_date
from tracker.ui.widgets.search_match import match_markup, snippet_text
from tracker.words import one_line

if TYPE_CHECKING:
    from tracker.ui.app import OutreachApp

LIMIT = 12
TOP_SCORE = 0.95
"""The palette score of the best match."""
MIN_CHARACTERS = 2
"""A query shorter than this searches nothing (one letter matches half the contacts)."""


class ContactsProvider(Provider):
    async def search(self, query: str) -> Hits:
        app = self.app
        data = getattr(app, "data", None)
        if data is None or len(query.strip()) < MIN_CHARACTERS:
            return
        results = await asyncio.to_thread(data.search, query, LIMIT, True)
        tz = app.tz  # type: ignore[attr-defined]
        today = local_date(app.now(), tz)  # type: ignore[attr-defined]
        count = len(results.hits)
        for position, hit in enumerate(results.hits):
            name = snippet_text(hit) if hit.field == "name" else one_line(hit.contact)
            where = [escape(one_line(hit.company))] if hit.company else []
            where.append(match_markup(hit, tz, today))
            yield Hit(
                # The palette lists by score: ours keep their order, below a command the
                # query names outright ("Today"), above one it only comes close to.
                TOP_SCORE - 0.45 * position / count,
                name,
                partial(app.open_contact, hit.contact_id),  # type: ignore[attr-defined]
                text=one_line(hit.contact),
                help=" · ".join(where),
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
