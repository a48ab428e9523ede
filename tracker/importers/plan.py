"""What an ``outreach import PATH`` will read: one file, or a folder's own files (one level
deep, never its sub-folders), each told by its contents (``sniff``), grouped into the
units that import as one transaction each.

In a folder, the files of one export go together: LinkedIn's ``Connections.csv``,
``Invitations.csv`` and ``messages.csv``; imessage-exporter's chat ``.txt`` files; the
``.eml`` files of a mailbox. Every other file is a unit of its own; a file no importer
reads is listed with why ("not a text file") and nothing is read from it. With a kind
(``outreach import sms PATH``) only files of that kind are imported; a file of another
kind is refused with what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.errors import UsageError
from tracker.importers.common import fail
from tracker.importers.linkedin_files import FILES
from tracker.importers.sniff import Detected, NotRecognised, sniff_file

KINDS = ("linkedin", "sms", "contacts", "calls", "email", "calendar", "whatsapp")
MAX_FOLDER_ENTRIES = 20_000
"""A folder holding more than this is not an export: refused before it is read."""
_WHAT_KIND = {
    "linkedin": "LinkedIn",
    "sms": "texts",
    "contacts": "contacts",
    "calls": "call log",
    "email": "email",
    "calendar": "calendar",
    "whatsapp": "WhatsApp",
}
_KIND_FILES = {
    "linkedin": "LinkedIn files",
    "sms": "text message files",
    "contacts": "contacts files",
    "calls": "call logs",
    "email": "mail files",
    "calendar": "calendar files",
    "whatsapp": "WhatsApp chats",
}
_LISTED = 3
"""Entries a refused folder names before "and N more"."""
_GROUPS = {
    "imessage": Detected("sms", "imessage", "imessage-exporter text (folder)"),
    "eml": Detected("email", "eml", ".eml files (folder)"),
}
"""Formats whose files in one folder import together, and what the group is called."""
_FIRST = {"contacts": 0, "linkedin": 1}
"""Kinds a folder imports before the others (they bring people; the rest, touches)."""


@dataclass(frozen=True)
class Unit:
    """What imports in one transaction: a file, a zip, or files of one folder."""

    path: Path
    detected: Detected
    files: tuple[Path, ...] = ()
    """The folder's files it reads (a group); empty when it reads ``path`` itself."""

    @property
    def label(self) -> str:
        return self.detected.label


@dataclass(frozen=True)
class Entry:
    """One file (or sub-folder) of a folder, as the listing shows it."""

    path: Path
    what: str
    """What it is (its label), or why nothing is read from it."""
    unit: int | None = None
    """The unit it imports with (an index into ``Plan.units``); None: not imported."""


@dataclass(frozen=True)
class Plan:
    path: Path
    units: tuple[Unit, ...]
    entries: tuple[Entry, ...] = ()
    """A folder's listing, one entry per file or sub-folder (empty for a file)."""

    @property
    def is_folder(self) -> bool:
        return bool(self.entries) or self.path.is_dir()

    @property
    def detected(self) -> Detected:
        """The one unit's, or for a folder of several, what the folder is."""
        if len(self.units) == 1:
            return self.units[0].detected
        return Detected("", "folder", f"a folder of {len(self.units)} exports")


def plan_import(path: Path | str, kind: str | None = None) -> Plan:
    """The plan for ``path``; with ``kind``, only files of that kind (``UsageError`` when
    there is none, naming what there is instead)."""
    path = Path(path).expanduser()
    try:
        if path.is_dir():
            return _plan_folder(path, kind)
        if not path.exists():
            fail(str(path), None, "no such file or folder")
        return Plan(path, (Unit(path, _file_kind(path, kind)),))
    except OSError as exc:
        fail(str(path), None, f"cannot read ({exc.strerror or exc})")


FALLBACK = {
    "linkedin": Detected("linkedin", "linkedin", "LinkedIn export"),
    "contacts": Detected("contacts", "csv", "contacts CSV"),
    "calls": Detected("calls", "android-calls", "Android call log (SMS Backup & Restore)"),
    "email": Detected("email", "mbox", "mbox (email)"),
    "calendar": Detected("calendar", "ics", "iCalendar (.ics)"),
    "whatsapp": Detected("whatsapp", "whatsapp", "WhatsApp chat"),
}
"""What a file of no known shape is read as when the user names its kind: that
importer then says exactly what is wrong with it (``--map`` may read a CSV)."""


def _file_kind(path: Path, kind: str | None) -> Detected:
    try:
        detected = sniff_file(path)
    except NotRecognised as exc:
        if kind == "sms":
            _refuse_for_texts(path, "not recognised: " + exc.why)
        if kind in FALLBACK and not exc.why.startswith("not a text file"):
            return FALLBACK[kind]
        raise
    if kind is not None and detected.kind != kind:
        if kind == "sms":
            _refuse_for_texts(path, detected.label)
        fail(
            str(path),
            None,
            f"this is a {detected.label}, not {_article(kind)} {kind} file: use `outreach import "
            f"{detected.kind}` (or `outreach import PATH`, which tells by itself)",
        )
    return detected


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _refuse_for_texts(path: Path, what: str) -> None:
    fail(
        str(path),
        None,
        f"unsupported format for texts ({what}): import an Android SMS Backup & Restore "
        "XML file or imessage-exporter .txt output",
    )


def _plan_folder(folder: Path, kind: str | None) -> Plan:
    if (folder / "mbox").is_file():
        detected = Detected("email", "mbox", "Apple Mail export (folder)")
        if kind is not None and kind != "email":
            fail(str(folder), None, f"this is an {detected.label}, not a {kind} export")
        return Plan(folder, (Unit(folder, detected),))
    children = []
    for count, child in enumerate(sorted(folder.iterdir()), start=1):
        if count > MAX_FOLDER_ENTRIES:
            fail(
                str(folder),
                None,
                f"more than {MAX_FOLDER_ENTRIES:,} files in this folder: choose the export "
                "itself (its zip, its folder or one file)",
            )
        if not child.name.startswith("."):
            children.append(child)
    found: list[tuple[Path, Detected | str]] = []
    for child in children:
        if child.is_dir():
            found.append((child, "a folder: not read (only this folder's own files are)"))
            continue
        try:
            found.append((child, sniff_file(child)))
        except NotRecognised as exc:
            found.append((child, f"not recognised: {exc.why}"))
        except UsageError as exc:
            found.append((child, f"refused: {str(exc).removeprefix(f'{child}: ')}"))
        except OSError as exc:
            found.append((child, f"refused: cannot read ({exc.strerror or exc})"))
    return _grouped(folder, found, kind)


def _listed(entries: list[Entry]) -> str:
    """What a folder holds instead, for its refusal: ``read one level deep: notes.txt:
    not recognised (…)``."""
    if not entries:
        return "read one level deep: it is empty"
    shown = "; ".join(f"{e.path.name}: {e.what}" for e in entries[:_LISTED])
    if len(entries) > _LISTED:
        shown += f"; and {len(entries) - _LISTED:,} more"
    return f"read one level deep: {shown}"


def _grouped(folder: Path, found: list[tuple[Path, Detected | str]], kind: str | None) -> Plan:
    units: list[Unit] = []
    entries: list[Entry] = []
    groups: dict[str, int] = {}
    canonical = {name.casefold() for name in FILES}
    for child, what in found:
        if isinstance(what, str):
            entries.append(Entry(child, what))
            continue
        if kind is not None and what.kind != kind:
            entries.append(Entry(child, f"{what.label}: left out (not {_WHAT_KIND[kind]})"))
            continue
        group = what.format if what.format in _GROUPS else ""
        if what.format == "linkedin" and child.name.casefold() in canonical:
            group = "linkedin"
        if not group:
            units.append(Unit(child, what))
            entries.append(Entry(child, what.label, len(units) - 1))
            continue
        if group not in groups:
            groups[group] = len(units)
            detected = _GROUPS.get(group) or Detected(
                "linkedin", "linkedin", "LinkedIn export (folder)"
            )
            units.append(Unit(folder, detected))
        index = groups[group]
        unit = units[index]
        units[index] = Unit(unit.path, unit.detected, (*unit.files, child))
        entries.append(Entry(child, what.label, index))
    if not units:
        if kind is not None:
            fail(str(folder), None, f"no {_KIND_FILES[kind]} in this folder ({_listed(entries)})")
        unread = sum(1 for e in entries if e.what.startswith("not recognised"))
        fail(
            str(folder),
            None,
            f"unsupported format: nothing here the importers read ({len(entries)} entries, "
            f"{unread} not recognised; sub-folders are not read)",
        )
    # People first (contacts files, LinkedIn), then what becomes their touches, so a
    # call or a message in the same folder finds the contact its file brings.
    order = sorted(range(len(units)), key=lambda i: (_FIRST.get(units[i].detected.kind, 2), i))
    place = {old: new for new, old in enumerate(order)}
    entries = [Entry(e.path, e.what, None if e.unit is None else place[e.unit]) for e in entries]
    return Plan(folder, tuple(units[i] for i in order), tuple(entries))
