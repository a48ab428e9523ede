"""Contacts CSV → people: our own contacts export, Google Contacts, Outlook, HubSpot and
Close layouts recognised by their headers, and any other CSV with a header mapped with
``--map COLUMN=FIELD`` (FORMATS.md, "Contacts")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, tzinfo

from tracker.errors import UsageError
from tracker.export import FORMULA_STARTS
from tracker.identity import label_of, split_label
from tracker.importers.common import fail
from tracker.importers.reading import CsvRecord, CsvTable, header_key
from tracker.models import CONTACT_MAP_FIELDS, IDENTIFIER_LISTS
from tracker.service.imports import Person
from tracker.timeutil import parse_when

LIST_TARGETS = tuple(IDENTIFIER_LISTS.values())
"""Targets holding several labelled values: ``mobile:+13125550142; work:+13125550188``
(our own contacts export writes them so)."""
MAP_FIELDS = CONTACT_MAP_FIELDS
"""What ``--map`` can point a column at: every field a contacts file carries."""
_PERSON_FIELDS = frozenset(spec.name for spec in fields(Person))
ALIASES = {
    **{name: name for name in MAP_FIELDS},
    **{name.replace("_", " "): name for name in MAP_FIELDS},
    "name": "name",
    "full name": "name",
    "display name": "name",
    "first name": "first_name",
    "first_name": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "last_name": "last_name",
    "family name": "last_name",
    "surname": "last_name",
    "company": "company",
    "organization": "company",
    "organisation": "company",
    "title": "title",
    "job title": "title",
    "position": "title",
    "phone": "phone",
    "mobile": "phone",
    "mobile phone": "phone",
    "phone number": "phone",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "linkedin": "linkedin_url",
    "linkedin url": "linkedin_url",
    "linkedin_url": "linkedin_url",
    "notes": "notes",
    "tags": "tags",
    "phones": "phones",
    "emails": "emails",
    "birthday": "key_dates",
    "date of birth": "key_dates",
}
_NUMBERED = re.compile(r"^(e-mail|phone|website) (\d+) - (value|label|type)$")
_MULTI = " ::: "


@dataclass(frozen=True)
class Layout:
    label: str
    detect: Callable[[Sequence[str]], bool]
    person: Callable[[CsvRecord, CsvTable], Person]


SYSTEM_GROUPS = frozenset({"mycontacts", "starred", "starredinandroid", "othercontacts"})
"""Google's own groups, which every (or every starred) contact is in: ``* myContacts``,
``* starred`` (Google Contacts' "Labels"), ``My Contacts``, ``Starred in Android`` (its
older "Group Membership"), ``myContacts`` in its vCards. Not tags a person chose."""


def is_system_group(label: str) -> bool:
    """Whether ``label`` is one of Google's system groups (any case or spacing, with or
    without the ``*`` Google puts before them)."""
    return "".join(label.lstrip("*").split()).casefold() in SYSTEM_GROUPS


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(_MULTI) if v.strip()]


def _notes(base: str, sites: list[str]) -> str:
    lines = [base.strip()]
    if sites:
        lines.append("Websites: " + ", ".join(sites))
    return "\n".join(line for line in lines if line)


def _labelled(pairs: list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
    """``(value, label words)`` as ``(value, label)``; a cell may hold several values."""
    return [(v, label_of([words], kind)) for value, words in pairs for v in _split(value)]


def _labelled_cell(value: str) -> list[tuple[str, str]]:
    """``mobile:+13125550142; work:+13125550188`` as ``(value, label)`` pairs."""
    pairs = [split_label(part) for part in value.split(";") if part.strip()]
    return [(text, label or "") for label, text in pairs]


def _linkedin_and_sites(values: list[str]) -> tuple[str, list[str]]:
    linkedin = next((v for v in values if "linkedin.com/in/" in v.lower()), "")
    return linkedin, [v for v in values if v and v != linkedin]


def _time(value: str, tz: tzinfo) -> datetime | None:
    """A time cell (ISO 8601; naive means ``tz``), ``None`` when it is not one."""
    try:
        return parse_when(value, tz) if value else None
    except UsageError:
        return None


def _set(person: Person, target: str, value: str, tz: tzinfo) -> None:
    """Put one cell in the ``Person`` field ``target`` names (tags split, times read)."""
    if target == "tags":
        person.tags = tuple(t.strip() for t in re.split(r"[;,]", value) if t.strip())
    elif target in LIST_TARGETS:
        getattr(person, target).extend(_labelled_cell(value))
    elif target == "created_at":
        person.created_at = _time(value, tz)
    elif target in _PERSON_FIELDS:
        setattr(person, target, value)


# -- our own export ----------------------------------------------------------------------
def _outreach_detect(keys: Sequence[str]) -> bool:
    return {"name", "keep_in_touch_days", "sms_opt_out_at"} <= set(keys)


def _formula_free(value: str) -> str:
    """A cell as it was before the export kept a spreadsheet from running it as a formula
    (``tracker.export.neutralise`` put a ``'`` before it)."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _outreach(record: CsvRecord, table: CsvTable) -> Person:
    """Every field by its header; tags as the export joins them (``; ``)."""
    person = Person()
    for key in MAP_FIELDS:
        value = _formula_free(record.get(key))
        if key == "tags":
            person.tags = tuple(t.strip() for t in value.split(";") if t.strip())
        elif value:
            _set(person, key, value, UTC)  # the export writes UTC times ("...Z")
    return person


# -- Google Contacts ---------------------------------------------------------------------
def _google_detect(keys: Sequence[str]) -> bool:
    return any(_NUMBERED.match(k) and k.endswith("value") for k in keys)


def _google(record: CsvRecord, table: CsvTable) -> Person:
    numbered: dict[str, dict[str, tuple[str, str]]] = {"e-mail": {}, "phone": {}, "website": {}}
    for key in table.header:
        match = _NUMBERED.match(key)
        if match and match.group(3) == "value":
            kind, n = match.group(1), match.group(2)
            label = record.get(f"{kind} {n} - label", f"{kind} {n} - type")
            numbered[kind][n] = (label.casefold(), record.get(key))
    phones = _labelled([(v, label) for label, v in numbered["phone"].values()], "phone")
    emails = _labelled([(v, label) for label, v in numbered["e-mail"].values()], "email")
    sites = [s for _, value in numbered["website"].values() for s in _split(value)]
    linkedin, sites = _linkedin_and_sites(sites)
    labels = record.get("labels", "group membership")
    tags = [t.strip().lstrip("*").strip() for t in labels.split(_MULTI)]
    tags = [t for t in tags if t and not is_system_group(t)]
    return Person(
        name=record.get("name"),
        first_name=record.get("first name", "given name"),
        last_name=record.get("last name", "family name"),
        company=record.get("organization name", "organization 1 - name"),
        title=record.get("organization title", "organization 1 - title"),
        phones=phones,
        emails=emails,
        linkedin_url=linkedin,
        notes=_notes(record.get("notes"), sites),
        tags=tuple(tags),
        key_dates=record.get("birthday"),
    )


# -- Outlook -----------------------------------------------------------------------------
_OUTLOOK_PHONES = (
    "mobile phone",
    "business phone",
    "home phone",
    "primary phone",
    "company main phone",
    "other phone",
    "business phone 2",
    "home phone 2",
    "car phone",
)
"""Outlook's phone columns; each column's name says the number's label."""
_OUTLOOK_EMAILS = ("e-mail address", "e-mail 2 address", "e-mail 3 address")


def _outlook_detect(keys: Sequence[str]) -> bool:
    return "e-mail address" in keys or ("mobile phone" in keys and "job title" in keys)


def _outlook(record: CsvRecord, table: CsvTable) -> Person:
    phones = _labelled([(record.get(k), k) for k in _OUTLOOK_PHONES], "phone")
    emails = _labelled([(record.get(k), "") for k in _OUTLOOK_EMAILS], "email")
    linkedin, sites = _linkedin_and_sites([record.get("web page"), record.get("personal web page")])
    categories = re.split(r"[;,]", record.get("categories"))
    return Person(
        first_name=" ".join(x for x in (record.get("first name"), record.get("middle name")) if x),
        last_name=record.get("last name"),
        company=record.get("company"),
        title=record.get("job title"),
        phones=phones,
        emails=emails,
        linkedin_url=linkedin,
        notes=_notes(record.get("notes"), sites),
        tags=tuple(c.strip() for c in categories if c.strip()),
        key_dates=_outlook_birthday(record.get("birthday")),
    )


def _outlook_birthday(value: str) -> str:
    """Outlook writes ``0/0/00`` for "no birthday"."""
    return "" if value.strip() in ("0/0/00", "0/0/0000") else value


# -- HubSpot -----------------------------------------------------------------------------
def _hubspot_detect(keys: Sequence[str]) -> bool:
    return ("record id" in keys or "contact id" in keys) and "email" in keys


def _hubspot(record: CsvRecord, table: CsvTable) -> Person:
    phones = [(record.get("mobile phone number"), "mobile"), (record.get("phone number"), "work")]
    return Person(
        first_name=record.get("first name"),
        last_name=record.get("last name"),
        company=record.get("company name", "associated company"),
        title=record.get("job title"),
        phones=[(value, label) for value, label in phones if value],
        email=record.get("email"),
        linkedin_url=record.get("linkedin url", "linkedin bio"),
    )


# -- Close -------------------------------------------------------------------------------
def _close_detect(keys: Sequence[str]) -> bool:
    return any(k.startswith("primary_contact_") for k in keys)


def _close(record: CsvRecord, table: CsvTable) -> Person:
    linkedin, sites = _linkedin_and_sites([record.get("primary_contact_primary_url")])
    custom = [
        f"{label.split('.', 1)[1]}: {record.values[key].strip()}"
        for key, label in zip(table.header, table.labels, strict=True)
        if key.startswith("custom.") and record.values.get(key, "").strip()
    ]
    base = "\n".join([record.get("primary_contact_note", "description"), *custom])
    return Person(
        name=record.get("primary_contact_name"),
        first_name=record.get("primary_contact_first_name"),
        last_name=record.get("primary_contact_last_name"),
        company=record.get("display_name", "lead_name"),
        title=record.get("primary_contact_title"),
        phone=record.get("primary_contact_primary_phone"),
        email=record.get("primary_contact_primary_email"),
        linkedin_url=linkedin,
        notes=_notes(base, sites),
    )


LAYOUTS = (
    Layout("Outreach contacts export", _outreach_detect, _outreach),
    Layout("Close leads CSV", _close_detect, _close),
    Layout("HubSpot contacts CSV", _hubspot_detect, _hubspot),
    Layout("Google Contacts CSV", _google_detect, _google),
    Layout("Outlook contacts CSV", _outlook_detect, _outlook),
)


def detect_layout(keys: Sequence[str]) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.detect(keys)), None)


def parse_map(pairs: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``COLUMN=FIELD`` options as pairs; an unknown field is an error."""
    parsed = []
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        target = target.strip().lower().replace("-", "_")
        if not sep or not column.strip():
            fail("--map", None, f"{pair!r}: use COLUMN=FIELD")
        if target not in MAP_FIELDS:
            fail("--map", None, f"unknown field {target!r} (choose from {', '.join(MAP_FIELDS)})")
        parsed.append((column.strip(), target))
    return tuple(parsed)


def mapper(
    table: CsvTable, column_map: Sequence[tuple[str, str]], tz: tzinfo = UTC
) -> tuple[str, Callable[[CsvRecord], Person]]:
    """How to read each record of ``table``: its detected layout, overridden by
    ``column_map``; a CSV with neither a known layout nor usable columns is refused.
    Times without an offset are read in ``tz``."""
    for column, _ in column_map:
        if header_key(column) not in table.header:
            fail(table.name, table.header_line, f"--map: no column {column!r} in the header")
    layout = detect_layout(table.header)
    mapped = {header_key(c): f for c, f in column_map}
    if layout is None:
        mapped = {**{k: ALIASES[k] for k in table.header if k in ALIASES}, **mapped}
        useful = {"name", "first_name", "last_name", "phone", "email", "linkedin_url"}
        useful |= set(LIST_TARGETS)
        if not useful & set(mapped.values()):
            fail(
                table.name,
                table.header_line,
                "unknown contacts layout (no name, phone or email column); "
                "map columns with --map COLUMN=FIELD",
            )
    label = layout.label if layout else "contacts CSV (mapped columns)"

    def person(record: CsvRecord) -> Person:
        found = layout.person(record, table) if layout else Person()
        for key, target in mapped.items():
            value = record.values.get(key, "").strip()
            if target == "tags" or value or layout is None:
                _set(found, target, value, tz)
        return found

    return label, person
