"""The explicit second step before logging a message the coach blocks: it says why, and
"Don't log" is what enter (or escape, or ``n``) does; only ``y`` or the other button logs."""

from __future__ import annotations

from textual.widgets import Button

from tracker.text import safe
from tracker.ui.dialogs.confirm import ConfirmDialog


class OverrideDialog(ConfirmDialog):
    """Returns ``True`` only when the user chose to log the blocked message anyway. For an
    invitation, the reasons may be LinkedIn's (already connected, one pending, a recent
    withdrawal): the question is whether to record it anyway."""

    def __init__(self, reasons: str, invitation: bool = False) -> None:
        if invitation:
            heading, question = "This invitation is refused", "Record it anyway?"
        else:
            heading, question = "The coach blocks this message", "Log it as sent anyway?"
        super().__init__(
            heading,
            f"{safe(reasons)}\n\n{question}",
            yes="Record it anyway" if invitation else "Log it anyway",
            no="Don't record" if invitation else "Don't log",
        )

    def on_mount(self) -> None:
        # After ConfirmDialog's own mount handler, which focuses "yes".
        self.call_after_refresh(self.query_one("#no", Button).focus)
