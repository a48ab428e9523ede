"""The shape of every form: fields with errors under them, save with ctrl+s or enter.

Nothing is written until every field is valid, and escape asks before it throws away
anything typed. The write itself runs in a worker; if the
store refuses it (a phone number another contact has), the message appears under the
field it is about and the form stays open with everything typed still there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Static, TextArea

from tracker.errors import TrackerError
from tracker.service import Tracker
from tracker.service.edits import UndoStep
from tracker.ui.dialogs.base import Dialog
from tracker.ui.dialogs.confirm import ask_to_discard
from tracker.ui.widgets.field import Field

Values = TypeVar("Values")
Job = Callable[[Tracker], UndoStep | None]


class FormDialog(Dialog[Any], Generic[Values]):
    """Subclasses compose fields, ``collect`` validated values, and say how to save."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]

    class _Saved(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    class _Refused(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    HINT = "tab: next field · ← →: choose"

    def __init__(self) -> None:
        super().__init__()
        self._typed_at_open: dict[str, str] = {}

    @on(events.Mount)
    def _remember_what_was_there(self) -> None:
        self._typed_at_open = self._typed()

    def _typed(self) -> dict[str, str]:
        """What each text box holds now, by its id."""
        held: dict[str, str] = {}
        for box in self.query("Input, TextArea"):
            if box.id is not None and isinstance(box, (Input, TextArea)):
                held[box.id] = box.value if isinstance(box, Input) else box.text
        return held

    def typed_into(self) -> bool:
        """Whether anything was typed since the form opened (a box changed)."""
        now = self._typed()
        return any(now[key] != self._typed_at_open.get(key, "") for key in now)

    def action_cancel(self) -> None:
        """Escape: close, asking first when something was typed (it would be lost)."""
        if self.typed_into():
            ask_to_discard(self, lambda: self.dismiss(None))
        else:
            self.dismiss(None)

    def buttons(self, save: str = "Save") -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Static(self.HINT, classes="dialog-hint")
            yield Button(f"{save} (ctrl+s)", variant="primary", compact=True, id="save")
            yield Button("Cancel (esc)", compact=True, id="cancel")

    # -- what subclasses provide ---------------------------------------------------
    def collect(self) -> Values | None:
        """Validate every field, showing errors; the values, or ``None`` if any failed."""
        raise NotImplementedError

    def job(self, values: Values) -> tuple[str, Job] | None:
        """(label, write) to run, or ``None`` to close with ``values`` as the result."""
        return None

    def field_for(self, error: str) -> str:
        """The id of the field a store error is about."""
        return ""

    # -- flow ----------------------------------------------------------------------
    def set_error(self, field_id: str, message: str | None) -> None:
        self.query_one(f"#{field_id}", Field).set_error(message)

    def action_save(self) -> None:
        values = self.collect()
        if values is None:
            invalid = self.query(".-invalid")
            if invalid:
                first = invalid.first()
                first.scroll_visible()
                # In a field of several lines (phones), the bad line; else the field.
                focusable = first.query(".-invalid > Input")
                if not focusable:
                    focusable = first.query("Input, TextArea, Choice")
                if focusable:
                    focusable.first().focus()
            return
        job = self.job(values)
        if job is None:
            self.dismiss(values)
            return
        self.query_one("#save", Button).disabled = True
        self._write(*job)

    @work(thread=True, exclusive=True, group="form-save")
    def _write(self, label: str, job: Job) -> None:
        try:
            done = self.app.data.write(label, job)  # type: ignore[attr-defined]
        except TrackerError as exc:
            self.post_message(self._Refused(str(exc)))
            return
        self.post_message(self._Saved(done))

    @on(_Saved)
    def _saved(self, message: _Saved) -> None:
        self.app.after_write(message.label)  # type: ignore[attr-defined]
        self.dismiss(self.result())

    @on(_Refused)
    def _refused(self, message: _Refused) -> None:
        self.query_one("#save", Button).disabled = False
        field_id = self.field_for(message.error)
        if field_id:
            self.set_error(field_id, message.error)
            self.query_one(f"#{field_id}", Field).scroll_visible()
        else:
            self.app.notify(message.error, title="Not saved", severity="error", markup=False)

    def result(self) -> Any:
        """What the dialog returns after a successful save."""
        return True

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
