"""A labelled form field with its error shown right under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from tracker.text import safe


class Field(Vertical):
    """``label`` above ``control``; ``set_error`` shows a message below (or clears it)."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > Label { color: $text-muted; padding: 0 1; }
    Field > .field--error { color: $error; padding: 0 1; display: none; height: auto; }
    Field > .field--hint { color: $text-muted; padding: 0 1; height: auto; }
    Field.-invalid > .field--error { display: block; }
    Field.-invalid > .field--hint { display: none; }
    """

    def __init__(self, label: str, control: Widget, hint: str = "", id: str | None = None):
        super().__init__(id=id)
        self.label = label
        self.control = control
        self.hint = hint
        self.error = ""

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield self.control
        if self.hint:
            yield Static(Text(self.hint), classes="field--hint")
        yield Static("", classes="field--error")

    def set_error(self, message: str | None) -> None:
        self.error = message or ""
        self.set_class(bool(message), "-invalid")
        self.query_one(".field--error", Static).update(Text(safe(message or "")))
