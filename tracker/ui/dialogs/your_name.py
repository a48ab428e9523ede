"""Ask for the user's own name, the first time a draft needs it (``{my_name}``): texts
name the sender with first and last name until the contact has replied. The compose panel
saves the answer to ``config.toml`` (``[coach] my_name``), as ``outreach settings set``
does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.form import FormDialog
from tracker.ui.widgets.field import Field

LONGEST = 80


class YourNameDialog(FormDialog[str]):
    """Returns the name typed (the caller saves it), or ``None`` for "not now"."""

    HINT = "enter: save · esc: not now"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield title("Your name")
            yield Static(
                "Texts say who you are, with first and last name, until they reply. "
                "Saved in config.toml as [coach] my_name.",
                classes="dialog-text",
            )
            yield Field(
                "Name",
                Input(placeholder="e.g. Sam Seller", compact=True, id="my-name"),
                hint="your first and last name, as you sign your messages",
                id="my-name-field",
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#my-name", Input).focus()

    def collect(self) -> str | None:
        name = " ".join(self.query_one("#my-name", Input).value.split())
        if not name:
            self.set_error("my-name-field", "write your name, or esc for not now")
            return None
        if len(name) > LONGEST or not all(ch.isprintable() for ch in name):
            self.set_error("my-name-field", f"a name of at most {LONGEST} printable characters")
            return None
        self.set_error("my-name-field", None)
        return name
