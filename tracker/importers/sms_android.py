"""Android "SMS Backup & Restore" XML → text touches, read streaming with flat memory.

The file is fed to expat in chunks; no tree is built, so a backup of several gigabytes
costs no more memory than a small one. Surrogate-pair character references written by
the app's "store emojis" option (``&#55357;&#56832;``), which XML forbids, are turned
into the real character before the parser sees them (FORMATS.md, "Android").

An ``<mms>`` to or from several numbers (``address`` joins the other parties with ``~``)
is a group message (DOMAIN.md, "Group messages"): an inbound one is one touch from its
sender, the ``<addr>`` of ``type="137"``; an outbound one is a touch for each recipient
who is a contact; all are marked group, and a STOP in a group opts nobody out. Each
``<sms>`` and ``<mms>`` read becomes touches or is skipped with its reason.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
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
from tracker.timeutil import to_stored

try:  # CPython's own SHA-1: no OpenSSL context to set up, a third cheaper on a text
    _sha1: Any = importlib.import_module("_sha1").sha1
except ImportError:  # pragma: no cover - a Python built without it
    _sha1 = hashlib.sha1
MMS_BOXES = {"1": Direction.IN, "2": Direction.OUT}
_HOURS_MINUTES = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))
_SECONDS = tuple(f"{s:02d}Z" for s in range(60))
_NO_STATUS = (None, None, None, None, 0)
"""A text's ``status``, ``status_at``, ``has_note``, ``moment`` and ``is_group``."""
_SMS_DIRECTIONS = {"1": Direction.IN.value, "2": Direction.OUT.value}
__all__ = ["import_android", "recover_surrogates", "recovered_chunks"]
SKIPPED_TYPES = {
    "3": "draft",
    "4": "outbox (not sent)",
    "5": "failed",
    "6": "queued (not sent)",
}
FROM = "137"
"""``<addr type>`` of the sender (the phone's owner, for an outbound message)."""
_LAYOUT_SIZE = 12
"""Attribute list entries up to ``body``'s value in the app's own layout."""
NO_CONTACT = "number matching no contact"
INVALID = "invalid or short-code number"


def _named(attrs: list[str]) -> dict[str, str]:
    """Expat's ordered attributes (``[name, value, ...]``) as a dictionary."""
    return dict(zip(attrs[::2], attrs[1::2], strict=True))


def _value(attrs: dict[str, str], key: str) -> str:
    value = attrs.get(key, "")
    return "" if value == "null" else value


class _Backup:
    """Expat handlers: each finished ``<sms>`` or ``<mms>`` becomes the touch rows of one
    record (``ready``), or is counted skipped with its reason."""

    def __init__(self, session: ImportSession, name: str, parser: Any):
        self.session = session
        self.summary = session.summary
        self.skipped = session.summary.skipped
        self.name = name
        self.parser = parser
        self.depth = 0
        self.root_seen = False
        self.mms: dict[str, str] | None = None
        self.mms_line = 0
        self.parts: list[str] = []
        self.senders: list[str] = []
        """The ``<addr type="137">`` of the ``<mms>`` being read."""
        self.ready: list[Sequence[TouchRow]] = []
        self.create = session.options.create_contacts
        self.by_phone: dict[str, int | None] = {}
        self.phones: dict[str, str | None] = {}
        """E.164 by the address as written (a backup repeats a few numbers)."""
        self.by_address: dict[str, tuple[int | None, str]] = {}
        """What each ``<sms>`` address as written stands for (``address``)."""
        self.days: dict[int, str] = {}
        """The stored text of each day a time falls on (``YYYY-MM-DDT``), by day number."""
        self.stop_words = session.stop_words
        self.texts = 0
        """``<sms>`` read (added to the summary's records at the end)."""

    def start(self, tag: str, attrs: list[str]) -> None:
        """Expat's start of an element; ``attrs`` as ``[name, value, name, value, ...]``
        (``ordered_attributes``: a list costs expat less to build than a dictionary)."""
        depth = self.depth = self.depth + 1
        if depth == 2 and tag == "sms":
            self.sms(attrs)
            return
        named = _named(attrs)
        if depth == 1:
            if tag != "smses":
                fail(self.name, self.parser.CurrentLineNumber, f"not an SMS backup (<{tag}>)")
            self.root_seen = True
        elif depth == 2 and tag == "mms":
            self.summary.records += 1
            self.mms, self.mms_line, self.parts, self.senders = (
                named,
                self.parser.CurrentLineNumber,
                [],
                [],
            )
        elif self.mms is not None and tag == "part":
            text = _value(named, "text")
            if named.get("ct") == "text/plain" and named.get("seq") != "-1" and text:
                self.parts.append(text)
        elif self.mms is not None and tag == "addr" and named.get("type") == FROM:
            self.senders.append(_value(named, "address"))

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

    def phone(self, address: str) -> str | None:
        """E.164 for an address as the backup writes it (cached), ``None`` if invalid."""
        if address not in self.phones:
            self.phones[address] = self.session.phone("" if address == "null" else address)
        return self.phones[address]

    def day(self, raw: str) -> tuple[str, int]:
        """The stored text of the day (``YYYY-MM-DDT``) an ``<sms>``'s ``date`` falls on,
        its year checked (worked out once per day), and the second of that day."""
        line = self.parser.CurrentLineNumber
        prefix = to_stored(self.when({"date": raw}, line))[:11]  # refuses a bad date
        day, second = divmod(int(raw) // 1000, 86400)
        self.days[day] = prefix
        return prefix, second

    def address(self, address: str, attrs: dict[str, str]) -> tuple[int | None, str]:
        """The contact an ``<sms>`` address is and the start of its touches' source
        (``sms:+1...:``); or ``None`` and why the message is skipped."""
        phone = self.phone(address)
        if phone is None:
            return None, INVALID
        contact_id = self.contact(phone, _value(attrs, "contact_name"))
        if contact_id is None:
            return None, NO_CONTACT
        return contact_id, f"sms:{phone}:"

    def sms(self, attrs: list[str]) -> None:
        """One ``<sms>``: the hot path of a large backup (what its address stands for is
        worked out once per spelling, the day of its time once per day). The app writes
        ``protocol``, ``address``, ``date``, ``type``, ``subject`` and ``body`` first, in
        that order: those are read by position; any other layout by name."""
        self.texts += 1
        if (
            len(attrs) >= _LAYOUT_SIZE
            and attrs[4] == "date"
            and attrs[6] == "type"
            and attrs[10] == "body"
            and attrs[2] == "address"
        ):
            address, date, kind, body = attrs[3], attrs[5], attrs[7], attrs[11]
        else:
            named = _named(attrs)
            address, date = named.get("address", ""), named.get("date", "")
            kind, body = named.get("type", ""), named.get("body", "")
        direction = _SMS_DIRECTIONS.get(kind)
        if direction is None:
            kind = "" if kind == "null" else kind
            self.skipped[SKIPPED_TYPES.get(kind, f"message type {kind or '?'}")] += 1
            return
        try:
            day, second = divmod(int(date) // 1000, 86400)
            prefix = self.days[day]
        except (ValueError, KeyError):
            prefix, second = self.day(date)
        at = prefix + _HOURS_MINUTES[second // 60] + _SECONDS[second % 60]
        found = self.by_address.get(address)
        if found is None:
            found = self.by_address[address] = self.address(address, _named(attrs))
        contact_id, prefix = found
        if contact_id is None:
            self.skipped[prefix] += 1
            return
        if body == "null":
            body = ""
        source = f"{prefix}{date}:{kind}:{_sha1(body.encode()).hexdigest()[:16]}"
        self.ready.append(
            ((contact_id, "sms", direction, at, body or None, *_NO_STATUS, source, None),)
        )
        if direction == "in" and body.strip().upper() in self.stop_words:
            moment = self.when({"date": date}, self.parser.CurrentLineNumber)
            self.session.note_stop(contact_id, moment)

    def finish_mms(self, attrs: dict[str, str]) -> None:
        box = _value(attrs, "msg_box")
        direction = MMS_BOXES.get(box)
        if direction is None:
            self.skipped[SKIPPED_TYPES.get(box, f"message box {box or '?'}")] += 1
            return
        at = self.when(attrs, self.mms_line)
        text = "\n".join(self.parts)
        numbers = [n for n in _value(attrs, "address").split("~") if n.strip()]
        names = [n.strip() for n in _value(attrs, "contact_name").split(",")]
        named = len(names) == len(numbers)
        others: dict[str, str] = {}
        """The other parties' numbers (E.164) with the names the phone gave them."""
        for position, number in enumerate(numbers):
            phone = self.phone(number)
            if phone is not None and phone not in others:
                others[phone] = names[position] if named else ""
        is_group = len(others) > 1 or len(numbers) > 1
        if direction is Direction.IN:
            people = self.sender(others, is_group)
            if isinstance(people, str):
                self.skipped[people] += 1
                return
        else:
            people = others
            if not people:
                self.skipped[INVALID] += 1
                return
        rows: list[TouchRow] = []
        for phone, name in people.items():
            contact_id = self.contact(phone, name)
            if contact_id is None:
                continue
            source = f"mms:{phone}:{_value(attrs, 'date')}:{box}:{digest(text)}"
            rows.append(
                touch_row(contact_id, Channel.SMS, direction, at, source, text, is_group=is_group)
            )
            if not is_group and direction is Direction.IN and self.session.is_stop(text):
                self.session.note_stop(contact_id, at)
        if rows:
            self.ready.append(rows)
        else:
            self.skipped[NO_CONTACT] += 1

    def sender(self, others: dict[str, str], is_group: bool) -> dict[str, str] | str:
        """Who sent an inbound ``<mms>``: its ``type="137"`` address (in a group, the
        other members sent nothing), or why it cannot be told."""
        for address in self.senders:
            phone = self.phone(address)
            if phone is not None:
                return {phone: others.get(phone, "")}
        if self.senders:
            return INVALID
        if is_group:
            return 'group message with no sender (no <addr type="137">)'
        return others if others else INVALID

    def contact(self, phone: str, name: str) -> int | None:
        """The contact with this number (made with ``--create-contacts``); resolved once
        per number, since a backup repeats the same few numbers thousands of times."""
        if phone in self.by_phone:
            return self.by_phone[phone]
        if name in ("(Unknown)", "null"):
            name = ""
        found = self.session.resolve(
            Person(name=name or phone, phone=phone), create=self.create, counterpart=True
        )
        self.by_phone[phone] = found
        return found


def import_android(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Stream the backup at ``path`` into touches (inside the caller's transaction)."""
    name = str(path)
    total = path.stat().st_size
    # Interning an element's 16 attribute names costs more than the dictionary saves.
    parser = expat.ParserCreate(intern=None)
    parser.ordered_attributes = True
    backup = _Backup(session, name, parser)
    parser.StartElementHandler = backup.start
    parser.EndElementHandler = backup.end

    def records() -> Iterator[Sequence[TouchRow]]:
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

    session.add_records(records())
    session.summary.records += backup.texts
    if not backup.root_seen:
        fail(name, 1, "no XML root element: not an SMS backup")
