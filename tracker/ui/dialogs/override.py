"""The explicit second step before logging a message the coach blocks: it says why, and
"Don't log" is what enter (or escape, or ``n``) does; only ``y`` or the other button logs."""

from __future__ import annotations

from textual.widgets import Button

from tracker.text import safe
from tracker.ui.dialogs.confirm import ConfirmDialog


class OverrideDialog(ConfirmDialog):
    """Returns ``True`` only when the user chose to log the blocked message anyway."""

    def __init__(self, reasons: str) -> None:
        super().__init__(
            "The coach blocks this message",
            f"{safe(reasons)}\n\nLog it as sent anyway?",
            yes="Log it anyway",
            no="Don't log",
        )

    def on_mount(self) -> None:
        # After ConfirmDialog's own mount handler, which focuses "yes".
        self.call_after_refresh(self.query_one("#no", Button).focus)
