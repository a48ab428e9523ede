"""Set a contact's next follow-up date and the one-line reason for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tracker.errors import DateError
from tracker.timeutil import parse_date
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.form import FormDialog
from tracker.ui.widgets.field import Field


@dataclass(frozen=True)
class FollowUp:
    due: date
    reason: str


class FollowUpForm(FormDialog[FollowUp]):
    """Returns a ``FollowUp`` (the caller saves it), or ``None`` when cancelled."""

    HINT = "tab: next field · enter: save"

    def __init__(self, who: str, today: date, due: date | None = None, reason: str = "") -> None:
        super().__init__()
        self.who = who
        self.today = today
        self.due = due
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield title("Follow up", self.who)
            yield Field(
                "On",
                Input(self.due.isoformat() if self.due else "+3d", compact=True, id="due"),
                hint="YYYY-MM-DD, tomorrow, friday, next mon, +3d, +1w, in 2 weeks",
                id="due-field",
            )
            yield Field(
                "Reason",
                Input(
                    self.reason,
                    placeholder="e.g. send the ROI worksheet",
                    compact=True,
                    id="reason",
                ),
                id="reason-field",
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    def collect(self) -> FollowUp | None:
        try:
            due = parse_date(self.query_one("#due", Input).value, UTC, today=self.today)
        except DateError as exc:
            self.set_error("due-field", exc.for_field("On"))
            return None
        if due < self.today:
            self.set_error("due-field", "pick today or a later day")
            return None
        self.set_error("due-field", None)
        return FollowUp(due, self.query_one("#reason", Input).value.strip())
