"""Android "SMS Backup & Restore" XML → text touches, read streaming with flat memory.

The file is fed to expat in chunks; no tree is built, so a backup of several gigabytes
costs no more memory than a small one. Surrogate-pair character references written by
the app's "store emojis" option (``&#55357;&#56832;``), which XML forbids, are turned
into the real character before the parser sees them (FORMATS.md, "Android").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from hashlib import sha1
from pathlib import Path
from typing import Any
from xml.parsers import expat

from tracker.importers.common import check_year, digest, fail
from tracker.importers.xml_stream import feed as _feed
from tracker.importers.xml_stream import recover_surrogates, recovered_chunks
from tracker.models import Channel, Direction
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, Person, touch_row

MMS_BOXES = {"1": Direction.IN, "2": Direction.OUT}
_SMS_DIRECTIONS = {"1": Direction.IN.value, "2": Direction.OUT.value}
_UNSEEN: Any = object()
__all__ = ["import_android", "recover_surrogates", "recovered_chunks"]
SKIPPED_TYPES = {
    "3": "draft",
    "4": "outbox (not sent)",
    "5": "failed",
    "6": "queued (not sent)",
}


def _value(attrs: dict[str, str], key: str) -> str:
    value = attrs.get(key, "")
    return "" if value == "null" else value


class _Backup:
    """Expat handlers: each finished ``<sms>`` or ``<mms>`` becomes touch rows."""

    def __init__(self, session: ImportSession, name: str, parser: Any):
        self.session = session
        self.summary = session.summary
        self.name = name
        self.parser = parser
        self.depth = 0
        self.root_seen = False
        self.mms: dict[str, str] | None = None
        self.mms_line = 0
        self.parts: list[str] = []
        self.ready: list[TouchRow] = []
        self.create = session.options.create_contacts
        self.by_phone: dict[str, int | None] = {}
        self.phones: dict[str, str | None] = {}
        """E.164 by the address as written (a backup repeats a few numbers)."""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if tag != "smses":
                fail(self.name, self.parser.CurrentLineNumber, f"not an SMS backup (<{tag}>)")
            self.root_seen = True
        elif self.depth == 2 and tag == "sms":
            self.summary.records += 1
            self.sms(attrs)
        elif self.depth == 2 and tag == "mms":
            self.summary.records += 1
            self.mms, self.mms_line, self.parts = attrs, self.parser.CurrentLineNumber, []
        elif self.mms is not None and tag == "part":
            text = _value(attrs, "text")
            if attrs.get("ct") == "text/plain" and attrs.get("seq") != "-1" and text:
                self.parts.append(text)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.depth == 1 and tag == "mms" and self.mms is not None:
            self.finish_mms(self.mms)
            self.mms = None

    def when(self, attrs: dict[str, str], line: int) -> datetime:
        raw = _value(attrs, "date")
        try:
            moment = datetime.fromtimestamp(int(raw) // 1000, UTC)
        except (ValueError, OverflowError, OSError):
            fail(self.name, line, f"unreadable date {raw!r} (epoch milliseconds expected)")
        check_year(moment, self.name, line, raw)
        return moment

    def sms(self, attrs: dict[str, str]) -> None:
        """One ``<sms>``: the hot path of a large backup (numbers and contacts cached)."""
        kind = attrs.get("type", "")
        direction = _SMS_DIRECTIONS.get(kind)
        if direction is None:
            kind = "" if kind == "null" else kind
            self.summary.skipped[SKIPPED_TYPES.get(kind, f"message type {kind or '?'}")] += 1
            return
        at = self.when(attrs, self.parser.CurrentLineNumber)
        address = attrs.get("address", "")
        phone = self.phones.get(address, _UNSEEN)
        if phone is _UNSEEN:
            phone = self.phones[address] = self.session.phone("" if address == "null" else address)
        if phone is None:
            self.summary.skipped["invalid or short-code number"] += 1
            return
        contact_id = self.by_phone.get(phone, _UNSEEN)
        if contact_id is _UNSEEN or contact_id is None:
            contact_id = self.contact(phone, _value(attrs, "contact_name"))
            if contact_id is None:
                return
        body = attrs.get("body", "")
        if body == "null":
            body = ""
        date = attrs["date"]
        source = f"sms:{phone}:{date}:{kind}:{sha1(body.encode()).hexdigest()[:16]}"
        self.ready.append(touch_row(contact_id, "sms", direction, at, source, body))
        if direction == "in" and self.session.is_stop(body):
            self.session.note_stop(contact_id, at)

    def finish_mms(self, attrs: dict[str, str]) -> None:
        box = _value(attrs, "msg_box")
        direction = MMS_BOXES.get(box)
        if direction is None:
            self.summary.skipped[SKIPPED_TYPES.get(box, f"message box {box or '?'}")] += 1
            return
        at = self.when(attrs, self.mms_line)
        text = "\n".join(self.parts)
        numbers = [n for n in _value(attrs, "address").split("~") if n.strip()]
        phones: list[str] = []
        for number in numbers:
            phone = self.session.phone(number)
            if phone is None:
                self.summary.skipped["invalid or short-code number"] += 1
            elif phone not in phones:
                phones.append(phone)
        names = [n.strip() for n in _value(attrs, "contact_name").split(",")]
        is_group = len(phones) > 1
        for position, phone in enumerate(phones):
            name = names[position] if len(names) == len(phones) == len(numbers) else ""
            contact_id = self.contact(phone, name)
            if contact_id is None:
                continue
            source = f"mms:{phone}:{_value(attrs, 'date')}:{box}:{digest(text)}"
            self.ready.append(
                touch_row(contact_id, Channel.SMS, direction, at, source, text, is_group=is_group)
            )
            if not is_group and direction is Direction.IN and self.session.is_stop(text):
                self.session.note_stop(contact_id, at)

    def contact(self, phone: str, name: str) -> int | None:
        """The contact with this number (made with ``--create-contacts``); resolved once
        per number, since a backup repeats the same few numbers thousands of times."""
        if phone in self.by_phone:
            found = self.by_phone[phone]
            if found is None:
                self.summary.skipped["number matching no contact"] += 1
            return found
        if name in ("(Unknown)", "null"):
            name = ""
        found = self.session.resolve(
            Person(name=name or phone, phone=phone),
            create=self.create,
            skip_as="number matching no contact",
            counterpart=True,
        )
        self.by_phone[phone] = found
        return found


def import_android(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Stream the backup at ``path`` into touches (inside the caller's transaction)."""
    name = str(path)
    total = path.stat().st_size
    parser = expat.ParserCreate()
    backup = _Backup(session, name, parser)
    parser.StartElementHandler = backup.start
    parser.EndElementHandler = backup.end

    def rows() -> Iterator[TouchRow]:
        with path.open("rb") as handle:
            for chunk, read in recovered_chunks(handle):
                _feed(parser, chunk, False, name)
                yield from backup.ready
                backup.ready.clear()
                if progress:
                    progress(read, total)
        _feed(parser, b"", True, name)
        yield from backup.ready
        backup.ready.clear()

    session.add_touches(rows())
    if not backup.root_seen:
        fail(name, 1, "no XML root element: not an SMS backup")
