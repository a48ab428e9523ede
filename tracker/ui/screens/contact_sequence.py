"""The contact screen's part for sequences: ``s`` enrolls the contact (a picker of the
sequences), ``S`` ends their running sequence (asks first). The plan itself is drawn in
the profile (``tracker.insights.sequences.plan_text``).

``ContactScreen`` is built on this part.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from textual import work

from tracker.errors import TrackerError
from tracker.sequences.definitions import SequenceDef
from tracker.service.reads import ContactDetail
from tracker.ui.screens.base import MainScreen
from tracker.words import one_line


class SequenceActions(MainScreen):
    """Enroll and unenroll, for the contact the screen shows."""

    contact_id: int
    detail: ContactDetail | None

    def _in_sequence(self) -> bool:
        detail = self.detail
        return bool(detail and detail.plans and detail.plans[0].live)

    def enroll_key(self) -> str:
        """The key that enrolls (after any remapping)."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == "contact.enroll":
                    return self.app.get_key_display(binding)
        return "s"

    def action_enroll(self) -> None:
        if self.detail is not None and not self._in_sequence():
            self._read_sequences()

    @work(thread=True, exclusive=True, group="sequences")
    def _read_sequences(self) -> None:
        try:
            found = self.outreach.data.run(lambda t: list(t.sequence_definitions().values()))
        except TrackerError as exc:
            self.app.call_from_thread(self.outreach.say, str(exc), "error")
            return
        self.app.call_from_thread(self._pick, found)

    def _pick(self, sequences: Sequence[SequenceDef]) -> None:
        from tracker.ui.dialogs.enroll import SequencePicker, enroll_job

        if self.detail is None:
            return
        contact_id, name = self.contact_id, self.detail.contact.name

        def chosen(value: Hashable | None) -> None:
            if isinstance(value, str):
                now = self.outreach.now()
                self.outreach.write(
                    f"Enrolled {name} in {value}. (u undoes)", enroll_job(contact_id, value, now)
                )

        self.app.push_screen(SequencePicker(one_line(name), sequences), chosen)

    def action_unenroll(self) -> None:
        from tracker.ui.dialogs.confirm import ConfirmDialog
        from tracker.ui.dialogs.enroll import unenroll_job

        detail = self.detail
        if detail is None or not self._in_sequence():
            return
        contact_id, name = self.contact_id, detail.contact.name
        sequence = detail.plans[0].sequence
        question = f"{one_line(name)} leaves {sequence}: its steps stop coming up on Today."

        def answered(yes: bool | None) -> None:
            if yes:
                now = self.outreach.now()
                self.outreach.write(
                    f"{name} left {sequence}. (u undoes)", unenroll_job(contact_id, now)
                )

        self.app.push_screen(
            ConfirmDialog("End the sequence?", question, "End it", "Keep"), answered
        )
