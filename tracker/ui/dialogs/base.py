"""What every dialog shares: a framed box in the middle, a title, escape to close, and
the list of its keys that ``?`` (or F1, even in a text field) shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.ui.styles import need_screen_styles

if TYPE_CHECKING:
    from tracker.ui.dialogs.help import KeyHelp

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A modal screen whose result is ``None`` when it is closed with escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="dialog.cancel"),
        # The app's own ``?`` does not reach a dialog (a modal screen): its own does.
        Binding("question_mark", "app.help", "Keys", tooltip="Every key here", id="dialog.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        need_screen_styles(self.app)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @property
    def help_where(self) -> str:
        """What the dialog is, as its title says (the heading of ``?``'s list)."""
        titles = self.query(".dialog-title").results(Static)
        heading = next(iter(titles), None)
        return str(heading.content).strip() if heading is not None else "This dialog"

    def help_keys(self) -> list[KeyHelp]:
        """The dialog's keys, the focused field's, then those that work everywhere."""
        from tracker.ui.screens.base import screen_keys

        return screen_keys(self, self.help_where, "In this field")


def title(text: str, subtitle: str = "") -> Static:
    """The dialog's heading (``subtitle`` may hold user text: shown literally)."""
    heading = Text(text, style="bold")
    if subtitle:
        heading.append("  ")
        heading.append(subtitle, style="italic")
    return Static(heading, classes="dialog-title")
