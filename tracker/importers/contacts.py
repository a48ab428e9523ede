"""Contacts files (vCard or CSV) → contacts, matched and enriched, never duplicated; in
any encoding and CSV dialect ``reading`` knows (UTF-16, repaired UTF-8 lines, ``;``)."""

from __future__ import annotations

from datetime import UTC, tzinfo
from pathlib import Path

from tracker.importers.common import NOTHING_NEW
from tracker.importers.contacts_csv import mapper
from tracker.importers.contacts_vcard import card_person, parse_vcards
from tracker.importers.reading import decode_text, read_csv
from tracker.service.import_report import ProgressCallback
from tracker.service.imports import ImportSession, Person


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def read_people(
    path: Path, column_map: tuple[tuple[str, str], ...] = (), tz: tzinfo = UTC
) -> tuple[str, list[Person], tuple[int, ...]]:
    """What the file at ``path`` is (its layout), every person in it (times without an
    offset read in ``tz``), and the lines read as Windows-1252 in a UTF-8 file."""
    name = str(path)
    decoded = decode_text(path.read_bytes(), name)
    text = decoded.text
    if looks_like_vcard(text):
        people = [card_person(card) for card in parse_vcards(text, name)]
        return "vCard contacts", people, decoded.repaired_lines
    table = read_csv(text, name, lambda keys: True, "a header row", allow_preamble=False)
    label, person = mapper(table, column_map, tz)
    if table.delimiter != ",":
        label += f" ({_DELIMITERS.get(table.delimiter, table.delimiter)}-separated)"
    return label, [person(record) for record in table.records], decoded.repaired_lines


_DELIMITERS = {";": "semicolon", "\t": "tab"}


def import_contacts(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Each person is a contact created or filled in (added), one already known with
    nothing new (skipped as such), or skipped with the reason ``resolve`` gives."""
    label, people, repaired = read_people(path, session.options.column_map, session.tz)
    summary = session.summary
    summary.format = label
    summary.records = len(people)
    summary.note_repaired(str(path), repaired)
    for done, person in enumerate(people, start=1):
        before = session.changes()
        if session.resolve(person) is not None:
            if session.changes() != before:
                summary.added += 1
            else:
                summary.skipped[NOTHING_NEW] += 1
        if progress and (done % 500 == 0 or done == len(people)):
            progress(done, len(people))
