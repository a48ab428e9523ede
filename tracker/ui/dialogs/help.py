"""``?``: every key binding of the screen you were on, and the ones that work everywhere,
each with its id (what ``[app] keymap`` in ``config.toml`` remaps)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tracker.ui.dialogs.base import Dialog, title

DIALOG_TIPS = ("In a text field, ? is a character you type: F1 lists the keys there.",)
REMAP_TIP = (
    "To change a key, give its id (on the right) another in config.toml: "
    '[app] keymap = { "today.snooze" = "z" }'
)


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    description: str
    section: str
    ids: str = ""
    """The binding ids (space-separated) that remap these keys."""


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("question_mark,q", "cancel", "Close", id="help.close")]

    def __init__(self, where: str, keys: Sequence[KeyHelp], tips: Sequence[str] = ()) -> None:
        super().__init__()
        self.where = where
        self.keys = list(keys)
        self.tips = list(tips)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide help"):
            yield title("Keys", self.where)
            with VerticalScroll(classes="dialog-body"):
                sections: dict[str, list[KeyHelp]] = {}
                for key in self.keys:
                    sections.setdefault(key.section, []).append(key)
                for section, rows in sections.items():
                    table = Table.grid(padding=(0, 2), expand=True)
                    table.add_column(style="bold", min_width=12, no_wrap=True)
                    table.add_column(ratio=1)
                    table.add_column(style="dim", no_wrap=True)
                    for row in rows:
                        table.add_row(Text(row.keys), Text(row.description), Text(row.ids))
                    yield Static(Text(section, style="bold underline"), classes="help-section")
                    yield Static(table)
                for tip in (*self.tips, REMAP_TIP):
                    yield Static(Text(tip, style="italic"), classes="help-tip")
            yield Static(Text("↑ ↓ scroll · escape, q, ? or F1 closes this"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


def toggle_keys(app: App[Any]) -> None:
    """Show the keys of the screen or dialog on top of ``app``; if they are on top
    already, close them."""
    from tracker.ui.screens.base import MainScreen

    screen = app.screen
    if isinstance(screen, HelpScreen):
        screen.dismiss(None)
    elif isinstance(screen, MainScreen):
        app.push_screen(HelpScreen(screen.WHERE, screen.help_keys(), screen.TIPS))
    elif isinstance(screen, Dialog):
        app.push_screen(HelpScreen(screen.help_where, screen.help_keys(), DIALOG_TIPS))
