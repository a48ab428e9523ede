"""The app's styles come in two files: ``tracker.tcss`` (``OutreachApp.CSS_PATH``: Today,
Contacts, the footer, where dialogs sit) is read at start, ``screens.tcss`` (every other
screen and the dialogs) when the first of those opens, so the start parses only what the
first paint uses. Textual keeps both once read (a theme change parses them again)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

SCREENS_CSS = Path(__file__).with_name("screens.tcss")


def need_screen_styles(app: App[object]) -> None:
    """Read ``screens.tcss`` into ``app``'s stylesheet unless it is there. Called as a
    screen that uses it is made, so its widgets are styled with it when they mount."""
    if not app.stylesheet.has_source(str(SCREENS_CSS)):
        app.stylesheet.read(SCREENS_CSS)
