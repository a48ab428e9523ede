"""What every dialog shares: a framed box in the middle, a title, escape to close."""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.ui.styles import need_screen_styles

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A modal screen whose result is ``None`` when it is closed with escape."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="dialog.cancel")]

    def __init__(self) -> None:
        super().__init__()
        need_screen_styles(self.app)

    def action_cancel(self) -> None:
        self.dismiss(None)


def title(text: str, subtitle: str = "") -> Static:
    """The dialog's heading (``subtitle`` may hold user text: shown literally)."""
    heading = Text(text, style="bold")
    if subtitle:
        heading.append("  ")
        heading.append(subtitle, style="italic")
    return Static(heading, classes="dialog-title")
