"""Add or edit a contact. Each field is checked on its own (a bad phone number shows under
the phone field); a phone, email or LinkedIn URL another contact has is refused on save.
Key dates are two fields: the birthday, and the other dates as ``label=date`` pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, TextArea

from tracker.errors import UsageError
from tracker.key_dates import changes_from_form, form_text
from tracker.models import Contact, KeyDate, Relationship, Segment
from tracker.service import Tracker, validate_contact_fields
from tracker.service.edits import UndoStep
from tracker.text import safe
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.form import FormDialog, Job
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.field import Field
from tracker.words import one_line, words

TEXT_FIELDS = (
    ("name", "Name *", "Full name, e.g. Dana Whitfield"),
    ("company", "Company", ""),
    ("title", "Title", ""),
    ("phone", "Phone", "e.g. (312) 555-0142 or +44 20 7946 0958"),
    ("email", "Email", ""),
    ("linkedin_url", "LinkedIn profile", "linkedin.com/in/…"),
    ("keep_in_touch_days", "Keep in touch every … days", "empty: no cadence"),
    ("tags", "Tags", "comma separated, e.g. saas, chicago"),
)
DATE_FIELDS = (
    ("birthday", "Birthday", "1988-05-12, or --05-12 without the year"),
    ("key_dates", "Other dates", "renewal=2027-03-01, work anniversary=2019-06-03"),
)
ERROR_FIELDS = {"phone": "phone", "email": "email", "LinkedIn URL": "linkedin_url"}
KeyDateChanges = dict[str, KeyDate | None]


def _initial(contact: Contact | None, key: str) -> str:
    """What a field shows at first: the stored value made safe to display (a field left
    as it was is not saved again, so the stored value stays exactly as it was)."""
    if contact is None:
        return ""
    if key == "tags":
        return safe(", ".join(contact.tags))
    if key == "keep_in_touch_days":
        return str(contact.keep_in_touch_days or "")
    return safe(str(getattr(contact, key) or ""))


def split_tags(text: str) -> list[str]:
    """The tags typed in one field, comma separated."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


class ContactForm(FormDialog[tuple[dict[str, Any], list[str] | None, KeyDateChanges]]):
    """Returns the saved ``Contact`` (new or edited), or ``None`` when cancelled.
    ``key_dates``: the contact's, to show and change."""

    def __init__(
        self,
        contact: Contact | None,
        region: str,
        now: Any,
        key_dates: Sequence[KeyDate] = (),
    ) -> None:
        super().__init__()
        self.contact = contact
        self.phone_region = region
        self.now = now
        self.key_dates = tuple(key_dates)
        self.date_text = dict(zip(("birthday", "key_dates"), form_text(key_dates), strict=True))
        self.saved: dict[str, Contact] = {}

    def compose(self) -> ComposeResult:
        contact = self.contact
        heading = "Edit contact" if contact else "New contact"
        with Vertical(classes="dialog wide"):
            yield title(heading, one_line(contact.name) if contact else "")
            with VerticalScroll(classes="dialog-body"):
                for key, label, placeholder in TEXT_FIELDS[:3]:
                    yield self._input(key, label, placeholder)
                with Horizontal(classes="field-row"):
                    for key, label, placeholder in TEXT_FIELDS[3:5]:
                        yield self._input(key, label, placeholder)
                yield self._input(*TEXT_FIELDS[5])
                with Horizontal(classes="field-row"):
                    segment = contact.segment.value if contact and contact.segment else None
                    yield Field(
                        "Segment",
                        Choice(
                            [("not set", None)] + [(words(s.value), s.value) for s in Segment],
                            segment,
                            id="segment",
                        ),
                        id="segment-field",
                    )
                    relation = (
                        contact.relationship.value if contact and contact.relationship else None
                    )
                    yield Field(
                        "Relationship",
                        Choice(
                            [("not set", None)] + [(words(r.value), r.value) for r in Relationship],
                            relation,
                            id="relationship",
                        ),
                        id="relationship-field",
                    )
                with Horizontal(classes="field-row"):
                    for key, label, placeholder in TEXT_FIELDS[6:]:
                        yield self._input(key, label, placeholder)
                with Horizontal(classes="field-row"):
                    for key, label, placeholder in DATE_FIELDS:
                        yield Field(
                            label,
                            Input(
                                self.date_text[key], placeholder=placeholder, compact=True, id=key
                            ),
                            id=f"{key}-field",
                        )
                yield Field(
                    "Notes",
                    TextArea(
                        contact.notes if contact else "", compact=True, id="notes", classes="notes"
                    ),
                    id="notes-field",
                )
            yield from self.buttons()

    def _input(self, key: str, label: str, placeholder: str) -> Field:
        return Field(
            label,
            Input(_initial(self.contact, key), placeholder=placeholder, compact=True, id=key),
            id=f"{key}-field",
        )

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _key_date_changes(self) -> KeyDateChanges | None:
        """The key dates typed, as changes (``None`` and the error shown if one is bad)."""
        typed = {key: self.query_one(f"#{key}", Input).value for key, _, _ in DATE_FIELDS}
        changed = {k: v if v != self.date_text[k] else None for k, v in typed.items()}
        changes: KeyDateChanges = {}
        for key, _, _ in DATE_FIELDS:
            self.set_error(f"{key}-field", None)
            try:
                if key == "birthday":
                    changes.update(changes_from_form(changed[key], None, self.key_dates))
                else:
                    changes.update(changes_from_form(None, changed[key], self.key_dates))
            except UsageError as exc:
                self.set_error(f"{key}-field", str(exc))
                return None
        return changes

    def collect(self) -> tuple[dict[str, Any], list[str] | None, KeyDateChanges] | None:
        raw: dict[str, Any] = {}
        ok = True
        editing = self.contact is not None
        for key, _, _ in TEXT_FIELDS:
            value = self.query_one(f"#{key}", Input).value
            if key == "tags" or (editing and value == _initial(self.contact, key)):
                self.set_error(f"{key}-field", None)
                continue
            try:
                if key == "name" and not value.strip():
                    raise UsageError("a contact needs a name")
                validate_contact_fields({key: value}, self.phone_region)
            except UsageError as exc:
                self.set_error(f"{key}-field", str(exc))
                ok = False
                continue
            self.set_error(f"{key}-field", None)
            raw[key] = value
        for key in ("segment", "relationship"):
            raw[key] = self.query_one(f"#{key}", Choice).value or ""
        notes = self.query_one("#notes", TextArea).text
        if not (editing and notes == _initial(self.contact, "notes")):
            raw["notes"] = notes
        tags_text = self.query_one("#tags", Input).value
        tags = None
        if not (editing and tags_text == _initial(self.contact, "tags")):
            tags = split_tags(tags_text)
        key_dates = self._key_date_changes()
        return (raw, tags, key_dates) if ok and key_dates is not None else None

    def job(
        self, values: tuple[dict[str, Any], list[str] | None, KeyDateChanges]
    ) -> tuple[str, Job]:
        raw, tags, key_dates = values
        if self.contact is None:
            now = self.now()

            def add(tracker: Tracker) -> UndoStep:
                contact, step = tracker.create_contact(raw, tags or [], now, key_dates)
                self.saved["contact"] = contact
                return step

            return f"Added {raw['name'].strip()}.", add
        contact_id = self.contact.id

        def edit(tracker: Tracker) -> UndoStep:
            step = tracker.change_contact(contact_id, raw, tags, key_dates)
            self.saved["contact"] = tracker.contact(contact_id)
            return step

        return f"Saved {raw.get('name', self.contact.name).strip()}.", edit

    def field_for(self, error: str) -> str:
        for prefix, key in ERROR_FIELDS.items():
            if error.startswith(prefix):
                return f"{key}-field"
        return ""

    def result(self) -> Contact | None:
        return self.saved.get("contact")
