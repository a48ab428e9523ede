"""A one-line choice among a few values: ← and → (or space, or a click) change it, and a
letter jumps to the next option starting with it. Much lighter than a drop-down, so a form
with several of them opens at once."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

Option = tuple[str, str | None]


class Choice(Widget, can_focus=True):
    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; background: $boost; padding: 0 1; }
    Choice:focus { background: $accent 20%; }
    Choice:disabled { color: $text-muted; }
    """
    BINDINGS = [
        Binding("left", "step(-1)", "Previous option", show=False, id="choice.previous"),
        Binding("right,space", "step(1)", "Next option", show=False, id="choice.next"),
    ]

    value: reactive[str | None] = reactive(None, init=False)

    class Changed(Message):
        def __init__(self, choice: Choice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self, options: Sequence[Option], value: str | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.options: list[Option] = list(options)
        self.set_reactive(Choice.value, self._valid(value))

    def _valid(self, value: str | None) -> str | None:
        values = [v for _, v in self.options]
        if value in values:
            return value
        return values[0] if values else None

    def validate_value(self, value: str | None) -> str | None:
        return self._valid(value)

    def set_options(self, options: Sequence[Option], value: str | None = None) -> None:
        self.options = list(options)
        self.value = self._valid(value)
        self.refresh()

    @property
    def label(self) -> str:
        return next((label for label, v in self.options if v == self.value), "")

    def render(self) -> Text:
        text = Text("‹ ", style="dim")
        text.append(self.label)
        text.append(" ›", style="dim")
        return text

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, step: int) -> None:
        if not self.options:
            return
        values = [v for _, v in self.options]
        index = values.index(self.value) if self.value in values else 0
        self.value = values[(index + step) % len(values)]

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.action_step(-1 if event.x <= 2 else 1)

    def on_key(self, event: events.Key) -> None:
        letter = (event.character or "").lower()
        if not letter.isalpha() or not self.options:
            return
        labels = [label.lower() for label, _ in self.options]
        values = [v for _, v in self.options]
        start = values.index(self.value) + 1 if self.value in values else 0
        for offset in range(len(labels)):
            index = (start + offset) % len(labels)
            if labels[index].startswith(letter):
                self.value = values[index]
                event.stop()
                return
