"""What the app's writes return to be taken back (``UndoStep``), and the stored values
an undo puts back: a touch's columns, a contact's fields and identifiers, a follow-up.

Kept apart from the writes themselves (``edits``, ``batch``, ``merge``, ``sequences``)
because every one of them returns an ``UndoStep``, and ``touch_values`` is also how a
touch is written in the first place (``touch_log``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from tracker.models import (
    CONTACT_FIELDS,
    IDENTIFIER_KINDS,
    TOUCH_COLUMNS,
    Contact,
    Identifier,
    Touch,
)
from tracker.timeutil import start_of_day, to_stored

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker


@dataclass(frozen=True)
class UndoStep:
    """What a write did (``label``) and how to take it back (``revert``)."""

    label: str
    revert: Callable[[Tracker], None]


def _stored(value: Any) -> Any:
    """A field's value as its column holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return to_stored(value)
    return value


def touch_values(touch: Touch) -> dict[str, Any]:
    """A touch as its stored column values (``TOUCH_COLUMNS``), to write or put back."""
    values = {column: _stored(getattr(touch, column)) for column in TOUCH_COLUMNS}
    values["text"] = touch.text or None
    values["template"] = touch.template or None
    return values


def identifier_sets(identifiers: Sequence[Identifier]) -> dict[str, list[tuple[str, str]]]:
    """A contact's identifiers as ``(value, label)`` lists by kind (the primary first), as
    ``Store.update_contact`` takes them to put them back."""
    return {
        kind: [(i.value, i.label) for i in identifiers if i.kind == kind]
        for kind in IDENTIFIER_KINDS
    }


def contact_values(contact: Contact) -> dict[str, Any]:
    """A contact's editable fields (``CONTACT_FIELDS``) as stored, to put them back."""
    return {name: _stored(getattr(contact, name)) for name in CONTACT_FIELDS}


def reinsert(tracker: Tracker, values: dict[str, Any]) -> None:
    tracker.store.insert_touch(values)


def follow_up_restorer(contact: Contact) -> Callable[[Tracker], None]:
    """Puts the contact's follow-up date back as it is now (or clears it)."""

    def revert(tracker: Tracker) -> None:
        if contact.follow_up_on is None:
            tracker.store.clear_follow_up(contact.id)
        else:
            tracker.store.set_follow_up(
                contact.id,
                contact.follow_up_on,
                contact.follow_up_reason,
                contact.follow_up_set_at or start_of_day(contact.follow_up_on, tracker.tz),
            )

    return revert
