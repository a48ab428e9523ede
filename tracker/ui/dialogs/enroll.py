"""Enrolling a contact: a picker of the sequences (each with its steps' channels), and
the writes the contact screen runs for enroll and unenroll (each undone by ``u``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.errors import BlockedError
from tracker.sequences.definitions import SequenceDef
from tracker.service.edits import UndoStep
from tracker.ui.dialogs.choice import ChoiceDialog

if TYPE_CHECKING:
    from tracker.service import Tracker

SHORT = {
    "linkedin_invite": "invite",
    "linkedin_message": "message",
    "sms": "text",
    "call": "call",
    "email": "email",
    "whatsapp": "WhatsApp",
    "other": "other",
}


class SequencePicker(ChoiceDialog):
    """The sequences to enroll ``who`` in; the result is the chosen one's name."""

    def __init__(self, who: str, sequences: Sequence[SequenceDef]) -> None:
        width = max((len(s.name) for s in sequences), default=0) + 2
        options: list[tuple[str, Hashable]] = [
            (f"{s.name.ljust(width)}{_steps(s)}", s.name) for s in sequences
        ]
        super().__init__("Enroll in a sequence", options, subtitle=who)


def _steps(sequence: SequenceDef) -> str:
    channels = ", ".join(SHORT.get(step.channel, step.channel) for step in sequence.steps)
    count = len(sequence.steps)
    return f"{count} step{'s' * (count != 1)}: {channels}"


def enroll_job(
    contact_id: int, sequence: str, now: datetime
) -> Callable[[Tracker], UndoStep | None]:
    """Enroll the contact from today; a refusal (already in one) is the error shown."""

    def job(tracker: Tracker) -> UndoStep | None:
        batch = tracker.enroll([contact_id], sequence, None, now)
        if batch.skipped:
            raise BlockedError(batch.skipped[0].reason)
        return batch.undo

    return job


def unenroll_job(contact_id: int, now: datetime) -> Callable[[Tracker], UndoStep | None]:
    """End the contact's running sequence (``exited``)."""

    def job(tracker: Tracker) -> UndoStep | None:
        batch = tracker.unenroll([contact_id], "ended from the app", now)
        if batch.skipped:
            raise BlockedError(batch.skipped[0].reason)
        return batch.undo

    return job
