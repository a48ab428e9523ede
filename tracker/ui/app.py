"""The Textual app (a first version: today's queue, read-only)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from tracker.config import Settings
from tracker.review import explain
from tracker.service import Tracker
from tracker.timeutil import days_in_words


class OutreachApp(App[None]):
    TITLE = "Outreach Tracker"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, db_path: Path, settings: Settings) -> None:
        super().__init__()
        self.db_path = db_path
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="queue", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        tracker = Tracker.open(self.db_path, self.settings)
        try:
            items = tracker.review()
        finally:
            tracker.close()
        table = self.query_one(DataTable)
        table.add_columns("Kind", "Contact", "Company", "Age", "Why and what to do")
        for item in items:
            table.add_row(
                item.kind.value,
                item.contact,
                item.company,
                days_in_words(item.age_days),
                explain(item),
            )
        summary = self.query_one("#summary", Static)
        summary.update(f"{len(items)} items due today" if items else "Nothing due today.")
