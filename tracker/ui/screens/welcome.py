"""The first run: an empty database. Add a first contact, import what you already have,
or explore the demo (a separate file, so sample people never mix with real ones)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from tracker.text import safe
from tracker.ui.screens.base import MainScreen, keys
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.status_bar import StatusBar


class WelcomeScreen(MainScreen):
    WHERE = "Welcome"
    BINDINGS = keys(
        "welcome",
        [
            ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
            ("a", "add", "Add first contact", "Add your first contact", "add"),
            ("i", "app.import", "Import", "Import a LinkedIn export, texts or contacts", "import"),
            ("d", "demo", "Explore demo", "Explore a demo in a separate file", "demo"),
            ("q", "app.quit", "Quit", "Quit", "quit"),
        ],
    )

    def compose(self) -> ComposeResult:
        app = self.outreach
        yield StatusBar("Welcome")
        with Center(id="welcome-center"), Vertical(id="welcome"):
            yield Static(Text("Welcome to Outreach Tracker", style="bold"), id="welcome-title")
            yield Static(
                Text(
                    "Your contacts, every touch with them, and a short review each "
                    "morning of who to thank, nudge, follow up or leave alone.\n\n"
                    "Everything stays on this computer, in "
                    f"{safe(str(app.home.db_path))}."
                ),
                classes="welcome-text",
            )
            with Horizontal(id="welcome-buttons"):
                yield Button("Add your first contact (a)", variant="primary", id="add")
                yield Button("Import (i)", id="import")
                yield Button("Explore a demo (d)", id="demo")
            yield Static(
                Text(
                    "The demo opens 40 made-up people with a realistic history in a "
                    f"separate file ({safe(str(app.demo_path))}), marked DEMO on every "
                    "screen, so it never mixes with your own data.\n\n"
                    "tab moves between the buttons, enter presses one, ? lists every key, "
                    "q quits."
                ),
                classes="welcome-text muted",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#add", Button).focus()

    def action_add(self) -> None:
        from tracker.ui.dialogs.contact_form import ContactForm

        app = self.outreach

        def added(contact: Any) -> None:
            if contact is not None:
                app.open_database(contact.id)

        app.push_screen(ContactForm(None, app.settings.default_region, app.now), added)

    def action_demo(self) -> None:
        self.query_one("#demo", Button).disabled = True
        self.outreach.explore_demo()

    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        self.action_add()

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        self.outreach.action_import()

    @on(Button.Pressed, "#demo")
    def _demo(self) -> None:
        self.action_demo()
