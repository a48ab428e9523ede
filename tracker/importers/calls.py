"""Android call log ("SMS Backup & Restore" ``calls-*.xml``) → ``CallRecord``s, read
streaming with expat like the SMS backup (FORMATS.md, "Android call log").

Each ``<call>`` carries ``number``, ``duration`` (seconds), ``date`` (epoch milliseconds),
``type`` and ``contact_name``. Direction and status follow DOMAIN.md ("Calls"): outgoing
with a duration is connected, without one ``no_answer``; incoming with a duration is
connected; missed and rejected calls are inbound ``no_answer`` (they reached out);
voicemail is inbound ``voicemail``. Blocked calls, and calls from a hidden number, are
passed over as ``Skipped`` with their reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.parsers import expat

from tracker.importers.common import (
    Progress,
    Skipped,
    Source,
    check_year,
    fail,
    opened,
    source_name,
)
from tracker.importers.xml_stream import feed, recovered_chunks, root_element
from tracker.models import CallStatus, Direction

ROOT = "calls"
INCOMING, OUTGOING, MISSED, VOICEMAIL, REJECTED, BLOCKED, ANSWERED_ELSEWHERE = (
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
)
HIDDEN_NUMBERS = {"", "null", "-1", "-2", "-3", "unknown", "private", "anonymous"}
"""What the log holds instead of a number the network withheld."""
VISIBLE = {"", "null", "1"}
"""``presentation`` values for a number that was shown (1 allowed; 2 restricted, 3
unknown, 4 payphone)."""


@dataclass(frozen=True)
class CallRecord:
    """One call of the log, in or out."""

    line: int
    number: str
    """As the phone wrote it (not normalised: ``+13125550142`` or ``3125550142``)."""
    name: str
    """The phone's contact name, ``""`` when it had none (``(Unknown)``, ``null``)."""
    at: datetime
    """When the call started (UTC)."""
    direction: Direction
    status: CallStatus
    duration: int
    """Seconds; 0 for a call that never connected."""
    call_type: str
    """The log's ``type`` (1 incoming ... 7 answered on another device)."""

    @property
    def key(self) -> str:
        """Stable across re-imports of the same log (or a later, longer one)."""
        return f"call:{self.number}:{int(self.at.timestamp())}:{self.call_type}"


def looks_like_call_log(head: bytes) -> bool:
    """Whether the first bytes of a file are a call log's (its root is ``<calls>``)."""
    return root_element(head) == ROOT


def classify(call_type: str, duration: int) -> tuple[Direction, CallStatus] | str:
    """Direction and status for a ``type`` and ``duration``, or why the call is skipped."""
    if call_type == OUTGOING:
        return Direction.OUT, CallStatus.CONNECTED if duration > 0 else CallStatus.NO_ANSWER
    if call_type == INCOMING:
        return Direction.IN, CallStatus.CONNECTED if duration > 0 else CallStatus.NO_ANSWER
    if call_type == ANSWERED_ELSEWHERE:
        # Answered on another device: it connected, though this phone logs no duration.
        return Direction.IN, CallStatus.CONNECTED
    if call_type in (MISSED, REJECTED):
        return Direction.IN, CallStatus.NO_ANSWER
    if call_type == VOICEMAIL:
        return Direction.IN, CallStatus.VOICEMAIL
    if call_type == BLOCKED:
        return "blocked call"
    return f"call of type {call_type or '?'}"


def _value(attrs: dict[str, str], key: str) -> str:
    value = attrs.get(key, "")
    return "" if value == "null" else value


class _Log:
    """Expat handlers: each ``<call>`` becomes a record (or a ``Skipped``) in ``ready``."""

    def __init__(self, name: str, parser: Any):
        self.name = name
        self.parser = parser
        self.depth = 0
        self.root_seen = False
        self.ready: list[CallRecord | Skipped] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if tag != ROOT:
                fail(self.name, self.parser.CurrentLineNumber, f"not a call log (<{tag}>)")
            self.root_seen = True
        elif self.depth == 2 and tag == "call":
            self.ready.append(self.call(attrs, self.parser.CurrentLineNumber))

    def end(self, tag: str) -> None:
        self.depth -= 1

    def call(self, attrs: dict[str, str], line: int) -> CallRecord | Skipped:
        call_type = _value(attrs, "type")
        raw_duration = _value(attrs, "duration") or "0"
        try:
            duration = max(int(raw_duration), 0)
        except ValueError:
            fail(self.name, line, f"unreadable duration {raw_duration!r} (seconds expected)")
        decided = classify(call_type, duration)
        if isinstance(decided, str):
            return Skipped(line, decided)
        number = _value(attrs, "number").strip()
        if number.casefold() in HIDDEN_NUMBERS or _value(attrs, "presentation") not in VISIBLE:
            return Skipped(line, "hidden number")
        raw = _value(attrs, "date")
        try:
            at = datetime.fromtimestamp(int(raw) // 1000, UTC)
        except (ValueError, OverflowError, OSError):
            fail(self.name, line, f"unreadable date {raw!r} (epoch milliseconds expected)")
        check_year(at, self.name, line, raw)
        name = _value(attrs, "contact_name").strip()
        if name == "(Unknown)":
            name = ""
        direction, status = decided
        return CallRecord(line, number, name, at, direction, status, duration, call_type)


def read_calls(
    source: Source, progress: Progress | None = None, name: str | None = None
) -> Iterator[CallRecord | Skipped]:
    """Every ``<call>`` of the log at ``source``, in file order, streamed: a record, or a
    ``Skipped`` (blocked, hidden number, an unknown type). Broken XML, another root
    element or an unreadable date is fatal (``UsageError`` naming the line).
    ``progress(bytes read, file size)`` follows each chunk."""
    name = source_name(source, name)
    parser = expat.ParserCreate()
    log = _Log(name, parser)
    parser.StartElementHandler = log.start
    parser.EndElementHandler = log.end
    with opened(source) as (handle, total):
        for chunk, read in recovered_chunks(handle):
            feed(parser, chunk, False, name)
            yield from log.ready
            log.ready.clear()
            if progress:
                progress(read, max(total, read))
    feed(parser, b"", True, name)
    yield from log.ready
    log.ready.clear()
    if not log.root_seen:
        fail(name, 1, "no XML root element: not a call log")
