"""WhatsApp "Export chat" (``WhatsApp Chat with NAME.txt``, or the ``.zip`` the app
shares, holding ``_chat.txt`` or that ``.txt``) → ``ChatMessage``s (FORMATS.md,
"WhatsApp").

Android and iOS layouts, 12- and 24-hour clocks, day-first and month-first dates (decided
for the whole file from all its dates, ``whatsapp_lines.DateOrder``), messages over
several lines, system lines (encryption notices, members added, subjects changed) and
media or deletion notices told apart. Times have no zone: they are the phone's local
time, placed in the ``tz`` given. The chat's name comes from the file's name; a chat is a
group when more than two people wrote in it or a system line speaks of a group.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tracker.importers.common import Progress, Skipped, Source, fail, source_name
from tracker.importers.reading import decode_text, gather_members
from tracker.importers.whatsapp_lines import (
    GROUP_EVENT,
    DateOrder,
    LineKind,
    Stamp,
    classify,
    clean,
    split_stamp,
)
from tracker.timeutil import EARLIEST_YEAR, LATEST_YEAR

__all__ = ["ChatMessage", "LineKind", "chat_name_of", "looks_like_whatsapp", "read_whatsapp"]

CHAT_TEXT = "_chat.txt"
_CHAT_FILE = re.compile(
    r"^(?:WhatsApp[- ]Chat (?:with|mit|met|med|con|com|avec|z|-)|Chat de WhatsApp con|"
    r"Conversa do WhatsApp com|Discussion WhatsApp avec|Chat WhatsApp con)\s+(?P<name>.+?)"
    r"(?: \(\d+\))?$",
    re.IGNORECASE,
)
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class ChatMessage:
    """One message (or system line) of a chat."""

    line: int
    at: datetime
    """UTC."""
    sender: str
    """As the phone shows them: a contact name, a number (``+1 312-555-0142``) or the
    rep's own name; ``""`` for a system line."""
    text: str
    """Its lines joined by ``\\n``; ``""`` for media with no caption."""
    kind: LineKind
    chat_name: str
    is_group: bool

    @property
    def is_system(self) -> bool:
        """A system line or a deletion notice: nobody's touch."""
        return self.kind in (LineKind.SYSTEM, LineKind.DELETED)


def looks_like_whatsapp(text: str) -> bool:
    """Whether ``text`` starts like a WhatsApp export (a stamped first line)."""
    for line in text.splitlines()[:5]:
        if line.strip():
            return split_stamp(line) is not None
    return False


def chat_name_of(file_name: str) -> str:
    """The chat's name from its export's file name (``WhatsApp Chat with Dana.txt`` →
    ``Dana``); the bare name when it does not follow WhatsApp's pattern."""
    stem = Path(file_name).stem
    match = _CHAT_FILE.match(stem.strip())
    return match["name"].strip() if match else stem.strip()


def read_whatsapp(
    source: Source,
    tz: tzinfo,
    day_first: bool | None = None,
    chat_name: str | None = None,
    progress: Progress | None = None,
    name: str | None = None,
    repaired: Callable[[str, tuple[int, ...]], None] | None = None,
) -> Iterator[ChatMessage | Skipped]:
    """The messages of the chat export at ``source`` (a ``.txt``, a ``.zip``, or a
    stream), in file order. ``day_first`` settles dates that could be either way (all
    fields 12 or less); ``chat_name`` overrides the name taken from the file's name.
    ``repaired`` is told the lines of a UTF-8 file read as Windows-1252 (and the file's
    name). A file that does not start with a stamped line is refused."""
    label, data, file_name = _chat_bytes(source, name)
    decoded = decode_text(data, label)
    del data
    if repaired is not None and decoded.repaired_lines:
        repaired(label, decoded.repaired_lines)
    content = decoded.text
    del decoded
    chat = chat_name or chat_name_of(file_name)
    lines = content.splitlines()
    del content
    entries = list(_entries(lines, label))
    total = len(lines)
    del lines
    order = DateOrder()
    senders: set[str] = set()
    group = False
    for _, stamp, sender, text, kind in entries:
        order.add(stamp)
        if kind is LineKind.SYSTEM:
            group = group or GROUP_EVENT.search(text) is not None
        elif sender:
            senders.add(sender)
    group = group or len(senders) > 2
    for done, (line, stamp, sender, text, kind) in enumerate(entries, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(line, total)
        at = _moment(stamp, order.day_first(stamp.layout, day_first), tz)
        if at is None:
            yield Skipped(line, "unreadable date")
            continue
        # Media keeps only its caption, the lines after the media line.
        body = clean(text.partition("\n")[2] if kind is LineKind.MEDIA else text)
        yield ChatMessage(line, at, sender, body, kind, chat, group)
    if progress:
        progress(total, total)


def _entries(lines: list[str], label: str) -> Iterator[tuple[int, Stamp, str, str, LineKind]]:
    """``(line, stamp, sender, text, kind)`` per message, continuation lines joined."""
    current: tuple[int, Stamp, str, str, LineKind] | None = None
    for index, raw in enumerate(lines):
        found = split_stamp(raw)
        if found is None:
            if current is None:
                if raw.strip():
                    fail(label, index + 1, "not a WhatsApp chat export (no date and time here)")
                continue
            current = (*current[:3], f"{current[3]}\n{raw}", current[4])
            continue
        if current is not None:
            yield current
        stamp, rest = found
        sender, first, kind = classify(rest)
        current = (index + 1, stamp, sender, first, kind)
    if current is None:
        fail(label, None, "an empty chat: no WhatsApp messages")
    yield current


def _moment(stamp: Stamp, day_first: bool, tz: tzinfo) -> datetime | None:
    if stamp.a > 31:
        year, month, day = stamp.a, stamp.b, stamp.c
    else:
        year = stamp.c + 2000 if stamp.c < 100 else stamp.c
        day, month = (stamp.a, stamp.b) if day_first else (stamp.b, stamp.a)
        if month > 12 >= day:
            day, month = month, day  # this line is in the other order (a locale change)
    hour = stamp.hour
    if stamp.pm is not None:
        if not 0 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if stamp.pm else 0)
    try:
        naive = datetime(year, month, day, hour, stamp.minute, stamp.second)
    except ValueError:
        return None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    return naive.replace(tzinfo=tz).astimezone(UTC)


def _chat_bytes(source: Source, name: str | None) -> tuple[str, bytes, str]:
    """``(display name, bytes, file name the chat is named from)``."""
    label = source_name(source, name)
    if not isinstance(source, Path | str):
        return label, source.read(), Path(label).name
    path = Path(source).expanduser()
    if not zipfile.is_zipfile(path):
        return label, path.read_bytes(), path.name
    members = gather_members(path, lambda member: member.lower().endswith(".txt"), "chat .txt")
    chosen = next((m for m in members if Path(m[0]).name == CHAT_TEXT), None)
    if chosen is None:
        named = [m for m in members if _CHAT_FILE.match(Path(m[0]).stem)]
        if len(named) != 1 and len(members) != 1:
            fail(label, None, "no _chat.txt or 'WhatsApp Chat with NAME.txt' in this zip")
        chosen = named[0] if named else members[0]
    member_name, data = chosen
    file_name = path.name if Path(member_name).name == CHAT_TEXT else Path(member_name).name
    return member_name, data, file_name
