"""Export contacts, touches or today's queue to a CSV file, and say where it went. The
file offered is one no file has yet (``…-2.csv`` after an earlier export that day); a
file typed in that exists is replaced only once the user says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RadioButton, RadioSet

from tracker.errors import TrackerError
from tracker.export import EXPORT_TITLES, default_path, free_path
from tracker.text import safe
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.form import FormDialog
from tracker.ui.widgets.field import Field
from tracker.words import plural


class ExportDialog(FormDialog[tuple[str, Path]]):
    """Writes the file itself; returns a sentence saying what went where."""

    BINDINGS = [Binding("ctrl+s", "save", "Export", tooltip="Export to the file", id="export.run")]
    HINT = "↑ ↓ and space: what · tab: the file"

    class _Exported(Message):
        def __init__(self, sentence: str) -> None:
            super().__init__()
            self.sentence = sentence

    def __init__(self, today: date, what: str = "contacts", folder: Path | None = None):
        super().__init__()
        self.today = today
        self.what = what
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield title("Export to CSV")
            with RadioSet(id="what"):
                for key, label in EXPORT_TITLES.items():
                    yield RadioButton(label, value=key == self.what, name=key)
            yield Field(
                "File",
                Input(str(self._default(self.what)), compact=True, id="path"),
                hint="UTF-8 with a header row; cells that look like formulas are neutralised",
                id="path-field",
            )
            yield from self.buttons("Export")

    def on_mount(self) -> None:
        self.query_one("#what", RadioSet).focus()

    @on(RadioSet.Changed, "#what")
    def _what_changed(self, event: RadioSet.Changed) -> None:
        old = self.what
        self.what = event.pressed.name or "contacts"
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value).expanduser()
        if path == self._default(old):
            path_input.value = str(self._default(self.what))

    def _default(self, what: str) -> Path:
        """Where ``what`` goes unless the user says: today's name, or ``…-2.csv`` and on
        when an earlier export has it."""
        return free_path(default_path(what, self.today, self.folder))

    def collect(self) -> tuple[str, Path] | None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.set_error("path-field", "give a file name")
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            self.set_error("path-field", "that is a folder; give a file name")
            return None
        if not path.parent.is_dir():
            self.set_error("path-field", f"no such folder: {path.parent}")
            return None
        self.set_error("path-field", None)
        return self.what, path

    def action_save(self) -> None:
        values = self.collect()
        if values is None:
            return
        what, path = values
        if not path.exists():
            self._export(what, path)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._export(what, path)

        question = f"{safe(str(path))} already exists. Replace it with this export?"
        dialog = ConfirmDialog("Replace the file?", question, "Replace", "Keep it")
        self.app.push_screen(dialog, answered)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, what: str, path: Path) -> None:
        app = self.app
        session = app.data  # type: ignore[attr-defined]
        queue = app.queue  # type: ignore[attr-defined]
        items = [entry.item for entry in queue.entries] if queue else []
        try:
            count = session.export_csv(what, path, items)
        except (TrackerError, OSError) as exc:
            self.post_message(self._Refused(str(exc)))
            return
        noun = {"contacts": "contact", "touches": "touch", "queue": "queue item"}[what]
        sentence = f"Exported {plural(count, noun)} to {safe(str(path))}"
        self.post_message(self._Exported(sentence))

    @on(_Exported)
    def _exported(self, message: _Exported) -> None:
        self.dismiss(message.sentence)

    def field_for(self, error: str) -> str:
        return "path-field"
