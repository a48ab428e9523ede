"""The app's full screens, each imported only when it is first opened (the app's start
imports just the one it opens on). No Textual here: the CLI reads ``SCREENS``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.ui.screens.base import MainScreen

SCREENS = ("today", "contacts", "insights", "import")
"""The screens the app can open on (``outreach app --screen``)."""


def screen_class(name: str) -> type[MainScreen]:
    """The main screen called ``name``: today, contacts, insights or import."""
    if name == "contacts":
        from tracker.ui.screens.contacts import ContactsScreen

        return ContactsScreen
    if name == "insights":
        from tracker.ui.screens.insights import InsightsScreen

        return InsightsScreen
    if name == "import":
        from tracker.ui.screens.imports import ImportScreen

        return ImportScreen
    if name == "today":
        from tracker.ui.screens.today import TodayScreen

        return TodayScreen
    raise ValueError(f"no screen {name!r}")
