"""Contacts files (vCard or CSV) → contacts, matched and enriched, never duplicated."""

from __future__ import annotations

from datetime import UTC, tzinfo
from pathlib import Path

from tracker.importers.contacts_csv import mapper
from tracker.importers.contacts_vcard import card_person, parse_vcards
from tracker.importers.reading import decode, read_csv
from tracker.service.import_report import ProgressCallback
from tracker.service.imports import ImportSession, Person


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def read_people(
    path: Path, column_map: tuple[tuple[str, str], ...] = (), tz: tzinfo = UTC
) -> tuple[str, list[Person]]:
    """What the file at ``path`` is (its layout) and every person in it (times without
    an offset read in ``tz``)."""
    name = str(path)
    text = decode(path.read_bytes(), name)
    if looks_like_vcard(text):
        return "vCard contacts", [card_person(card) for card in parse_vcards(text, name)]
    table = read_csv(text, name, lambda keys: True, "a header row", allow_preamble=False)
    label, person = mapper(table, column_map, tz)
    return label, [person(record) for record in table.records]


def import_contacts(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    label, people = read_people(path, session.options.column_map, session.tz)
    session.summary.format = label
    session.summary.records = len(people)
    for done, person in enumerate(people, start=1):
        session.resolve(person)
        if progress and (done % 500 == 0 or done == len(people)):
            progress(done, len(people))
