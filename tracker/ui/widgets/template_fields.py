"""The compose panel's row of inputs for the template fields the tracker cannot fill
(the event, who introduced you, a company the contact has none for...): one input per
field, shown only while the template uses that field and nothing else fills it."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from tracker.coach.suggestions import FILLABLE_FIELDS
from tracker.words import words

PLACEHOLDERS = {
    "event": "e.g. SaaStr Europa",
    "mutual": "who introduced you",
    "topic": "what you share or discussed",
    "next_step": "e.g. a call on Tuesday",
    "company": "their company",
    "title": "their job title",
    "first_name": "their first name",
    "last_name": "their last name",
    "name": "their name",
    "call_day": "e.g. yesterday",
    "meeting_day": "e.g. on Tuesday",
    "occasion": "e.g. your work anniversary",
}


class TemplateFields(Horizontal):
    """Inputs ``#field-NAME`` (each in ``#extra-NAME``) for ``FILLABLE_FIELDS``."""

    def compose(self) -> ComposeResult:
        for name in FILLABLE_FIELDS:
            with Horizontal(classes="extra", id=f"extra-{name}"):
                yield Label(words(name))
                yield Input(placeholder=PLACEHOLDERS[name], compact=True, id=f"field-{name}")

    def show(self, wanted: Iterable[str]) -> None:
        """Show the inputs for ``wanted`` fields only (the row hides when none)."""
        shown = set(wanted)
        for name in FILLABLE_FIELDS:
            self.query_one(f"#extra-{name}").display = name in shown
        self.display = bool(shown)

    def typed(self) -> dict[str, str]:
        """What the user typed, field by field (empty inputs left out)."""
        values = {}
        for name in FILLABLE_FIELDS:
            value = self.query_one(f"#field-{name}", Input).value.strip()
            if value:
                values[name] = value
        return values
