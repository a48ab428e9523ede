"""Which importer a path needs, from its contents rather than its name: a LinkedIn
export (zip, folder or CSV), an Android SMS backup or call log, imessage-exporter text, a
vCard or a contacts CSV. Anything else is refused as an unsupported format."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import UsageError
from tracker.importers.common import fail
from tracker.importers.contacts import looks_like_vcard
from tracker.importers.imessage import looks_like_imessage
from tracker.importers.linkedin_files import FILES, HEADERS
from tracker.importers.reading import decode, is_zip, sniff_layout
from tracker.importers.xml_stream import root_element

KINDS = ("linkedin", "sms", "contacts", "calls")
HEAD_BYTES = 64 * 1024
XML_HEAD_BYTES = 4096
XML_STARTS = (b"<?xml", b"<smses", b"<calls")


@dataclass(frozen=True)
class Detected:
    kind: str
    """``linkedin``, ``sms``, ``contacts`` or ``calls``: the command that imports it."""
    format: str
    """``linkedin``, ``android``, ``imessage``, ``vcard``, ``csv`` or ``android-calls``."""
    label: str
    """What the user is told it is."""


def _head_text(path: Path) -> str:
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


def _detect(path: Path) -> Detected:
    if path.is_dir():
        names = {p.name.casefold() for p in path.rglob("*") if p.is_file()}
        if names & {f.casefold() for f in FILES}:
            return Detected("linkedin", "linkedin", "LinkedIn export (folder)")
        if any(n.endswith(".txt") for n in names):
            return Detected("sms", "imessage", "imessage-exporter text (folder)")
        fail(str(path), None, "unsupported format: no LinkedIn CSVs or chat .txt files here")
    if not path.is_file():
        fail(str(path), None, "no such file or folder")
    if is_zip(path):
        return Detected("linkedin", "linkedin", "LinkedIn export (zip)")
    with path.open("rb") as handle:
        head = handle.read(XML_HEAD_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "ignore").lstrip("\ufeff \t\r\n")
        if text.startswith(tuple(s.decode() for s in XML_STARTS)):
            fail(str(path), 1, "UTF-16 XML: save the file as UTF-8 and import it again")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(XML_STARTS):
        root = root_element(start)
        if root == "smses":
            return Detected("sms", "android", "Android SMS Backup & Restore XML")
        if root == "calls":
            return Detected("calls", "android-calls", "Android call log (SMS Backup & Restore)")
        fail(
            str(path),
            1,
            "unsupported format: an XML file that is not an SMS backup or a call log",
        )
    text = _head_text(path)
    if looks_like_vcard(text):
        return Detected("contacts", "vcard", "vCard contacts")
    if looks_like_imessage(text):
        return Detected("sms", "imessage", "imessage-exporter text")
    if sniff_layout(text, {name: test for name, (test, _) in HEADERS.items()}):
        return Detected("linkedin", "linkedin", "LinkedIn export (CSV)")
    return Detected("contacts", "csv", "contacts CSV")


def detect_format(path: Path | str, kind: str | None = None) -> Detected:
    """What ``path`` holds; with ``kind``, refuse a file of another kind (exit 2)."""
    path = Path(path).expanduser()
    try:
        detected = _detect(path)
    except OSError as exc:
        fail(str(path), None, f"cannot read ({exc.strerror or exc})")
    if kind is not None and detected.kind != kind:
        if kind == "sms":
            fail(
                str(path),
                None,
                f"unsupported format for texts ({detected.label}): import an Android "
                "SMS Backup & Restore XML file or imessage-exporter .txt output",
            )
        fail(
            str(path),
            None,
            f"this is a {detected.label}, not a {kind} file: use `outreach import {detected.kind}`",
        )
    return detected
