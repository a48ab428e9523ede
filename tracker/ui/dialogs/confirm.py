"""A yes/no question. ``y`` or enter on Yes confirms; ``n`` or escape says no. And the
question a dialog asks before escape throws away what was typed into it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from tracker.ui.dialogs.base import Dialog, title


class ConfirmDialog(Dialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, heading: str, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.heading = heading
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield title(self.heading)
            yield Static(Text(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", compact=True, id="yes")
                yield Button(f"{self.no} (n)", compact=True, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def ask_to_discard(screen: Screen[Any], discard: Callable[[], object]) -> None:
    """Ask before a dialog with text typed into it closes; ``discard`` closes it."""

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    question = "What you typed here is not saved. Close it and lose it?"
    dialog = ConfirmDialog("Discard what you typed?", question, "Discard", "Keep editing")
    screen.app.push_screen(dialog, answered)
