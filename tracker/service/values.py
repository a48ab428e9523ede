"""What users type, turned into stored values: enum choices and a contact's fields.

Shared by every door in (the CLI's options, the app's forms, the importers' columns), so
a value means the same thing wherever it was typed; a bad one is a ``UsageError`` that
names the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.errors import UsageError
from tracker.identity import (
    normalize_email,
    normalize_linkedin,
    normalize_phone,
    primary_first,
    split_label,
    split_name,
)
from tracker.models import (
    DEFAULT_LABELS,
    IDENTIFIER_LISTS,
    Channel,
    Kind,
    Label,
    Moment,
    Relationship,
    Segment,
)

MAX_CADENCE_DAYS = 36_500
"""A keep-in-touch cadence longer than a century is a typing mistake."""


def choice(enum: Any, value: str, what: str) -> str:
    """``value`` as one of ``enum``'s values (case, spaces and dashes forgiven), or a
    ``UsageError`` that lists the choices."""
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return str(enum(cleaned).value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise UsageError(f"unknown {what} {value!r} (choose from {allowed})") from None


def parse_channel(value: str) -> Channel:
    return Channel(choice(Channel, value, "channel"))


def parse_kind(value: str) -> Kind:
    return Kind(choice(Kind, value, "kind"))


def parse_moment(value: str) -> Moment:
    return Moment(choice(Moment, value, "moment"))


LIST_FIELDS = {key: kind for kind, key in IDENTIFIER_LISTS.items()}
"""The fields that hold several labelled values, and the kind of each."""


def validate_identifiers(
    items: Iterable[str | tuple[str, str]], kind: str, region: str
) -> list[tuple[str, str]]:
    """Phones (or emails) as typed (``"work:+13125550188"``, a bare value, or a
    ``(label, value)`` pair) as ``(value, label)`` pairs, the primary first (the first
    mobile, else the first); empty entries are skipped. ``UsageError`` names a bad one."""
    allowed = [label.value for label in Label if not (kind == "email" and label is Label.MOBILE)]
    labels = ", ".join(allowed)
    found: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, tuple):
            label, text = item[0].strip().casefold() or None, item[1].strip()
        else:
            label, text = split_label(item)
            head, sep, rest = text.partition(":")
            if label is None and sep and head.isalpha() and rest and head.lower() != "mailto":
                label = head.casefold()
        if label is not None and label not in allowed:
            what = "an email" if kind == "email" else "a phone"
            raise UsageError(f"unknown label {label!r} for {what} (choose from {labels})")
        if not text:
            continue
        value = normalize_phone(text, region) if kind == "phone" else normalize_email(text)
        found.append((value, label or DEFAULT_LABELS[kind]))
    return primary_first(found)


def validate_contact_fields(raw: Mapping[str, Any], region: str) -> dict[str, Any]:
    """Turn what a user typed into stored values; ``UsageError`` names the bad field.

    Keys absent from ``raw`` are left out; an empty string clears a field. ``phones`` and
    ``emails`` are lists (see ``validate_identifiers``; an empty one clears them all).
    """
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key in LIST_FIELDS:
            items = [value] if isinstance(value, str) else value
            fields[key] = validate_identifiers(items, LIST_FIELDS[key], region)
            continue
        text = value.strip() if isinstance(value, str) else value
        if text == "" and key != "name":
            fields[key] = None
            continue
        if key == "name":
            if not text:
                raise UsageError("a contact needs a name")
            fields["name"] = " ".join(text.split())
        elif key == "phone":
            fields["phone"] = normalize_phone(text, region)
        elif key == "email":
            fields["email"] = normalize_email(text)
        elif key == "linkedin_url":
            fields["linkedin_url"] = normalize_linkedin(text)
        elif key == "segment":
            fields["segment"] = choice(Segment, text, "segment")
        elif key == "relationship":
            fields["relationship"] = choice(Relationship, text, "relationship")
        elif key == "keep_in_touch_days":
            try:
                days = int(text)
            except (TypeError, ValueError):
                raise UsageError(f"keep-in-touch must be a number of days, not {value!r}") from None
            if not 1 <= days <= MAX_CADENCE_DAYS:
                raise UsageError(f"keep-in-touch must be 1 to {MAX_CADENCE_DAYS} days")
            fields["keep_in_touch_days"] = days
        elif key in ("first_name", "last_name", "company", "title", "notes"):
            fields[key] = text
        else:
            raise UsageError(f"unknown contact field {key!r}")
    if "name" in fields and "first_name" not in raw and "last_name" not in raw:
        first, last = split_name(fields["name"])
        fields.setdefault("first_name", first)
        fields.setdefault("last_name", last)
    return fields
