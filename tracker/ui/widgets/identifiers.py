"""A contact's phones (or emails) in a form: one line each, the primary first.

Each line is the label (← → change it), the number or address, and a button that makes
it the primary (the primary's says so and cannot be pressed). ``+ Add`` opens a new line;
a line left empty is dropped on save, which is how one is removed. Everything is reached
with tab, so the list works by keyboard alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from tracker.models import DEFAULT_LABELS, Label
from tracker.ui.widgets.choice import Choice


def labels_for(kind: str) -> list[str]:
    """The labels a phone (or an email: never ``mobile``) may have, in order."""
    return [label.value for label in Label if not (kind == "email" and label is Label.MOBILE)]


class IdentifierLine(Horizontal):
    """One number or address: its label, its value, and the make-primary button."""

    DEFAULT_CSS = """
    IdentifierLine { height: 1; margin-bottom: 0; }
    IdentifierLine > Choice { width: 12; margin-right: 1; }
    IdentifierLine > Input { width: 1fr; }
    IdentifierLine > Button { width: 16; min-width: 16; margin-left: 1; }
    IdentifierLine.-invalid > Input.-textual-compact { background: $error 25%; }
    """

    def __init__(self, kind: str, label: str, value: str, placeholder: str) -> None:
        super().__init__(classes="identifier-line")
        self.kind = kind
        self.choice = Choice([(name, name) for name in labels_for(kind)], label)
        self.input = Input(value, placeholder=placeholder, compact=True)
        self.button = Button("make primary", compact=True)

    def compose(self) -> ComposeResult:
        yield self.choice
        yield self.input
        yield self.button

    @property
    def label(self) -> str:
        return self.choice.value or DEFAULT_LABELS[self.kind]

    @property
    def value(self) -> str:
        return self.input.value

    def mark(self, primary: bool) -> None:
        """Show whether this line is the primary."""
        self.button.label = "★ primary" if primary else "make primary"
        self.button.disabled = primary


class IdentifierList(Vertical):
    """The phones (``kind`` "phone") or emails of a contact; ``items`` are (label, value)
    pairs, the primary first."""

    DEFAULT_CSS = """
    IdentifierList { height: auto; }
    IdentifierList > .identifier-add { margin: 0 0 0 13; width: auto; }
    """

    def __init__(
        self,
        kind: str,
        items: Sequence[tuple[str, str]],
        placeholder: str = "",
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.placeholder = placeholder
        self.items = list(items)

    def compose(self) -> ComposeResult:
        for label, value in self.items or [(DEFAULT_LABELS[self.kind], "")]:
            yield IdentifierLine(self.kind, label, value, self.placeholder)
        yield Button(f"+ Add {self.kind}", compact=True, classes="identifier-add")

    def on_mount(self) -> None:
        self._mark()

    @property
    def lines(self) -> list[IdentifierLine]:
        return list(self.query_children(IdentifierLine))

    def entries(self) -> list[tuple[IdentifierLine, str, str]]:
        """(line, label, value) of every line with a value, the primary first."""
        return [(line, line.label, line.value) for line in self.lines if line.value.strip()]

    def values(self) -> list[tuple[str, str]]:
        """(label, value) of every line with a value, the primary first."""
        return [(label, value.strip()) for _, label, value in self.entries()]

    def add_line(self, value: str = "") -> IdentifierLine:
        """A new line at the end (its label the first one no line has yet), focused."""
        used = {line.label for line in self.lines}
        free = [name for name in labels_for(self.kind) if name not in used]
        label = free[0] if free else Label.OTHER.value
        line = IdentifierLine(self.kind, label, value, self.placeholder)
        self.mount(line, before=self.query_one(".identifier-add"))
        self.call_after_refresh(self._added, line)
        return line

    def _added(self, line: IdentifierLine) -> None:
        self._mark()
        line.input.focus()

    def make_primary(self, line: IdentifierLine) -> None:
        """Move ``line`` to the top: it becomes the primary."""
        self.move_child(line, before=0)
        self._mark()
        line.input.focus()

    def _mark(self) -> None:
        for position, line in enumerate(self.lines):
            line.mark(position == 0)

    @on(Button.Pressed, ".identifier-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_line()

    @on(Button.Pressed, "IdentifierLine Button")
    def _primary(self, event: Button.Pressed) -> None:
        event.stop()
        line = event.button.parent
        if isinstance(line, IdentifierLine):
            self.make_primary(line)
