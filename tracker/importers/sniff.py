"""What one file is, from its contents rather than its name: a LinkedIn export (zip or
CSV), an Android SMS backup or call log, imessage-exporter text, a vCard or a contacts
CSV, an mbox or an ``.eml`` message, an iCalendar file (or a zip of them), a WhatsApp
chat export (``.txt`` or ``.zip``). A file that is none of them is ``NotRecognised``, with
why: a PDF renamed ``.csv`` is "not a text file", never a contacts CSV.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import UsageError
from tracker.importers.calendar_ics import looks_like_ics
from tracker.importers.calls import looks_like_call_log
from tracker.importers.common import fail, line_of
from tracker.importers.contacts import looks_like_vcard
from tracker.importers.contacts_csv import ALIASES, detect_layout
from tracker.importers.imessage import looks_like_imessage
from tracker.importers.linkedin_files import FILES, HEADERS
from tracker.importers.mail import looks_like_eml
from tracker.importers.mbox_scan import looks_like_mbox
from tracker.importers.reading import (
    MAX_PREAMBLE_RECORDS,
    decode,
    header_key,
    is_zip,
    sniff_delimiter,
    sniff_layout,
)
from tracker.importers.whatsapp import CHAT_TEXT, chat_name_of, looks_like_whatsapp
from tracker.importers.xml_stream import root_element

HEAD_BYTES = 64 * 1024
XML_STARTS = (b"<?xml", b"<smses", b"<calls")
BINARY_STARTS = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"SQLite format 3": "an SQLite database",
    b"{\\rtf": "an RTF document",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"OggS": "an audio file",
    b"ID3": "an audio file",
    b"RIFF": "a media file",
}
"""Starts of files that are not text, whatever their name says, and what they are."""
CSV_SUFFIXES = (".csv", ".tsv")


@dataclass(frozen=True)
class Detected:
    kind: str
    """The command that imports it: ``linkedin``, ``sms``, ``contacts``, ``calls``,
    ``email``, ``calendar`` or ``whatsapp``."""
    format: str
    """``linkedin``, ``android``, ``imessage``, ``vcard``, ``csv``, ``android-calls``,
    ``mbox``, ``eml``, ``ics`` or ``whatsapp``."""
    label: str
    """What the user is told it is."""


class NotRecognised(UsageError):
    """A file none of the importers reads; ``why`` says what it is instead."""

    def __init__(self, path: Path, why: str) -> None:
        self.path, self.why = path, why
        super().__init__(f"{path}: unsupported format: {why}")


def head_text(path: Path, head: bytes | None = None) -> str:
    """The start of a text file, decoded as the importers decode it."""
    if head is None:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    # The head may end inside a multi-byte character: drop a few bytes and retry.
    for trim in range(4):
        try:
            return decode(head[: len(head) - trim] if trim else head, str(path))
        except UsageError:
            if trim == 3 or len(head) < HEAD_BYTES:
                raise
    return ""


def binary_kind(head: bytes) -> str | None:
    """Why ``head`` starts a file that is not text ("binary data: a PDF document"; a NUL
    byte outside UTF-16 is binary too), or None for text."""
    for start, what in BINARY_STARTS.items():
        if head.startswith(start):
            return f"binary data: {what}"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    nul = head.find(b"\x00")
    if nul >= 0:
        return f"binary data: a NUL byte on line {line_of(head, nul)}"
    return None


def sniff_file(path: Path) -> Detected:
    """What the file (or zip) at ``path`` is; ``NotRecognised`` when no importer reads it,
    ``UsageError`` for one that cannot be read at all."""
    if not path.is_file():
        fail(str(path), None, "no such file or folder")
    if path.stat().st_size == 0:
        raise NotRecognised(path, "an empty file")
    if is_zip(path):
        return sniff_zip(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[:4096].decode("utf-16", "ignore").lstrip("\ufeff \t\r\n")
        if text.startswith(tuple(s.decode() for s in XML_STARTS)):
            fail(str(path), 1, "UTF-16 XML: save the file as UTF-8 and import it again")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(XML_STARTS):
        root = root_element(start[:4096])
        if root == "smses":
            return Detected("sms", "android", "Android SMS Backup & Restore XML")
        if looks_like_call_log(start[:4096]):
            return Detected("calls", "android-calls", "Android call log (SMS Backup & Restore)")
        raise NotRecognised(path, "an XML file that is not an SMS backup or a call log")
    binary = binary_kind(head)
    if binary is not None:
        raise NotRecognised(path, f"not a text file ({binary})")
    if looks_like_mbox(head):
        return Detected("email", "mbox", "mbox (email)")
    if looks_like_ics(head):
        return Detected("calendar", "ics", "iCalendar (.ics)")
    if looks_like_eml(head):
        return Detected("email", "eml", "email message (.eml)")
    return _sniff_text(path, head_text(path, head))


def _sniff_text(path: Path, text: str) -> Detected:
    if looks_like_vcard(text):
        return Detected("contacts", "vcard", "vCard contacts")
    if looks_like_imessage(text):
        return Detected("sms", "imessage", "imessage-exporter text")
    if looks_like_whatsapp(text):
        return Detected("whatsapp", "whatsapp", f"WhatsApp chat ({chat_name_of(path.name)})")
    if sniff_layout(text, {name: test for name, (test, _) in HEADERS.items()}):
        return Detected("linkedin", "linkedin", "LinkedIn export (CSV)")
    if _looks_like_contacts(text, path.suffix.lower() in CSV_SUFFIXES):
        return Detected("contacts", "csv", "contacts CSV")
    raise NotRecognised(path, "a text file in none of the formats read here")


def _looks_like_contacts(text: str, csv_named: bool) -> bool:
    """A header row (after a preamble, maybe) of a known contacts layout, or with a
    name, phone or email column; in a file named ``.csv``, any row of two columns or more
    (``--map`` reads it)."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        for position, row in enumerate(reader):
            keys = [header_key(cell) for cell in row]
            if len(keys) >= 2 and all(len(key) <= 80 for key in keys):
                if detect_layout(keys) is not None or any(k in ALIASES for k in keys):
                    return True
                if csv_named:
                    return True
            if position >= MAX_PREAMBLE_RECORDS:
                break
    except csv.Error:
        return False
    return False


def sniff_zip(path: Path) -> Detected:
    """A zip: a LinkedIn export, a WhatsApp chat or a calendar export (Google's zip of
    ``.ics`` files), told by the names of the files in it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename.rsplit("/", 1)[-1] for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        fail(str(path), None, f"not a readable zip file ({exc})")
    folded = {n.casefold() for n in names if not n.startswith(".")}
    if folded & {f.casefold() for f in FILES}:
        return Detected("linkedin", "linkedin", "LinkedIn export (zip)")
    chats = [n for n in names if n == CHAT_TEXT or chat_name_of(n) != Path(n).stem]
    if any(n.lower().endswith(".txt") for n in chats):
        return Detected("whatsapp", "whatsapp", f"WhatsApp chat ({chat_name_of(path.name)}, zip)")
    if any(n.endswith(".ics") for n in folded):
        return Detected("calendar", "ics", "calendar export (zip of .ics files)")
    raise NotRecognised(path, "a zip holding none of the exports read here")
