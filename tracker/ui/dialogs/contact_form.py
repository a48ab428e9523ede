"""Add or edit a contact. Each field is checked on its own (a bad phone number shows under
the phones, naming which); a phone, email or LinkedIn URL another contact has is refused on
save. The first name is the one drafts greet them by: it follows the name as it is typed
until it is changed by hand. Phones and emails are lists, one line each, the primary first.
Key dates are two fields: the birthday, and the other dates as ``label=date`` pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, TextArea

from tracker.errors import UsageError
from tracker.identity import format_phone, split_name
from tracker.key_dates import changes_from_form, form_text
from tracker.models import Contact, Identifier, KeyDate, Relationship, Segment
from tracker.service import Tracker, validate_contact_fields
from tracker.service.edits import UndoStep
from tracker.service.values import validate_identifiers
from tracker.text import safe
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.form import FormDialog, Job
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.field import Field
from tracker.ui.widgets.identifiers import IdentifierList
from tracker.words import one_line, words

TEXT_FIELDS = {
    "name": ("Name *", "Full name, e.g. Dana Whitfield"),
    "first_name": ("First name", "drafts say “Hi …,”"),
    "company": ("Company", ""),
    "title": ("Title", ""),
    "linkedin_url": ("LinkedIn profile", "linkedin.com/in/…"),
    "keep_in_touch_days": ("Keep in touch every … days", "empty: no cadence"),
    "tags": ("Tags", "comma separated, e.g. saas, chicago"),
}
LISTS = {
    "phone": ("Phones", "e.g. (312) 555-0142 or +44 20 7946 0958"),
    "email": ("Emails", "e.g. dana@example.com"),
}
LIST_HINT = "The first is the primary (texts and drafts use it); empty a line to remove it."
DATE_FIELDS = {
    "birthday": ("Birthday", "1988-05-12, or --05-12 without the year"),
    "key_dates": ("Other dates", "renewal=2027-03-01, work anniversary=2019-06-03"),
}
ERROR_FIELDS = {"phone": "phones", "email": "emails", "LinkedIn URL": "linkedin_url"}
KeyDateChanges = dict[str, KeyDate | None]
FormValues = tuple[dict[str, Any], list[str] | None, KeyDateChanges]
"""What the form collects: the fields, the tags (``None``: unchanged), the key dates."""


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


def _shown(identifier: Identifier) -> tuple[str, str]:
    """A stored phone or email as its line shows it: (label, value)."""
    value = format_phone(identifier.value) if identifier.kind == "phone" else identifier.value
    return identifier.label, safe(value)


def split_tags(text: str) -> list[str]:
    """The tags typed in one field, comma separated."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


class ContactForm(FormDialog[FormValues]):
    """Returns the saved ``Contact`` (new or edited), or ``None`` when cancelled.
    ``identifiers`` are the edited contact's phones and emails (the primary first);
    ``key_dates`` its key dates, to show and change."""

    def __init__(
        self,
        contact: Contact | None,
        region: str,
        now: Any,
        identifiers: Sequence[Identifier] = (),
        key_dates: Sequence[KeyDate] = (),
    ) -> None:
        super().__init__()
        self.contact = contact
        self.phone_region = region
        self.now = now
        self.key_dates = tuple(key_dates)
        self.date_text = dict(zip(DATE_FIELDS, form_text(key_dates), strict=True))
        self.saved: dict[str, Contact] = {}
        self.initial_lists = {
            kind: [_shown(i) for i in identifiers if i.kind == kind] for kind in LISTS
        }
        self._first_from_name = split_name(contact.name)[0] if contact else ""
        """The first name the name field gives: the first name field follows the name
        while it holds this (or nothing)."""

    def compose(self) -> ComposeResult:
        contact = self.contact
        heading = "Edit contact" if contact else "New contact"
        with Vertical(classes="dialog wide contact-form"):
            yield title(heading, one_line(contact.name) if contact else "")
            with VerticalScroll(classes="dialog-body"):
                with Horizontal(classes="field-row"):
                    yield self._input("name", classes="wide-field")
                    yield self._input("first_name")
                with Horizontal(classes="field-row"):
                    yield self._input("company")
                    yield self._input("title")
                for kind, (label, placeholder) in LISTS.items():
                    items = self.initial_lists[kind]
                    yield Field(
                        label,
                        IdentifierList(kind, items, placeholder, id=f"{kind}s"),
                        hint=LIST_HINT if kind == "phone" else "",
                        id=f"{kind}s-field",
                    )
                yield self._input("linkedin_url")
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
                    yield self._input("keep_in_touch_days")
                    yield self._input("tags")
                with Horizontal(classes="field-row"):
                    for key, (label, placeholder) in DATE_FIELDS.items():
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

    def _input(self, key: str, classes: str = "") -> Field:
        label, placeholder = TEXT_FIELDS[key]
        field = Field(
            label,
            Input(_initial(self.contact, key), placeholder=placeholder, compact=True, id=key),
            id=f"{key}-field",
        )
        if classes:
            field.add_class(classes)
        return field

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        first = self.query_one("#first_name", Input)
        if first.value.strip() in ("", self._first_from_name):
            self._first_from_name = split_name(event.value)[0]
            first.value = self._first_from_name

    # -- saving ----------------------------------------------------------------------
    def _key_date_changes(self) -> KeyDateChanges | None:
        """The key dates typed, as changes (``None`` and the error shown if one is bad)."""
        typed = {key: self.query_one(f"#{key}", Input).value for key in DATE_FIELDS}
        changed = {k: v if v != self.date_text[k] else None for k, v in typed.items()}
        changes: KeyDateChanges = {}
        for key in DATE_FIELDS:
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

    def collect(self) -> FormValues | None:
        raw: dict[str, Any] = {}
        ok = True
        editing = self.contact is not None
        for key in TEXT_FIELDS:
            value = self.query_one(f"#{key}", Input).value
            unchanged = value == _initial(self.contact, key)
            blank_first = key == "first_name" and not value.strip() and not editing
            if key == "tags" or (editing and unchanged) or blank_first:
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
        if "name" in raw and self.contact is not None:
            # A first name set by hand (left as it was) stays when the name changes.
            raw.setdefault("first_name", self.contact.first_name)
        if "name" in raw and "first_name" in raw:
            raw["last_name"] = split_name(raw["name"])[1]  # as splitting the name gives it
        for kind in LISTS:
            ok = self._collect_list(kind, raw) and ok
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

    def _collect_list(self, kind: str, raw: dict[str, Any]) -> bool:
        """Check every line of the phones (or emails), marking the bad ones; put the list
        in ``raw`` when it changed (the first line is the primary, whatever its label)."""
        lines = self.query_one(f"#{kind}s", IdentifierList)
        errors = []
        for position, (line, label, value) in enumerate(lines.entries(), 1):
            try:
                validate_identifiers([(label, value)], kind, self.phone_region)
            except UsageError as exc:
                errors.append(f"{kind} {position}: {exc}")
                line.set_class(True, "-invalid")
                continue
            line.set_class(False, "-invalid")
        for line in lines.lines:
            if not line.value.strip():
                line.set_class(False, "-invalid")
        self.set_error(f"{kind}s-field", "; ".join(errors) or None)
        values = lines.values()
        if errors or values == self.initial_lists[kind]:
            return not errors
        raw[f"{kind}s"] = values
        if values:
            raw[kind] = values[0][1]  # the first line leads, even before a mobile
        return True

    def job(self, values: FormValues) -> tuple[str, Job]:
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
