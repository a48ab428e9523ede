"""imessage-exporter text output → text touches: one file per chat, named after its
handle, its handles joined by ``, ``, or its display name (FORMATS.md, "iPhone").

Each message is a date line (``May 17, 2022  5:29:42 PM``, maybe followed by
``(Read by ...)``), the sender (``Me`` or a handle) and the body up to the next date line.
Times have no zone: they are the user's local time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tracker.errors import UsageError
from tracker.identity import looks_like_phone, normalize_email
from tracker.importers.common import check_year, digest, fail
from tracker.importers.reading import decode
from tracker.models import Channel, Direction
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, Person, touch_row
from tracker.timeutil import start_of_day

DATE_LINE = re.compile(
    r"^\s*(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}), (?P<year>\d{4}) +"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2}) (?P<half>[AP]M)(?: \(.*\))?\s*$"
)
ME = "Me"
REACTIONS = "Reactions:"
REPLY_NOTE = "This message responded to an earlier message."


@dataclass(frozen=True)
class ChatMessage:
    line: int
    at: datetime
    sender: str
    body: str


def looks_like_imessage(text: str) -> bool:
    """Whether ``text`` starts like an imessage-exporter chat."""
    for line in text.splitlines()[:5]:
        if line.strip():
            return DATE_LINE.match(line) is not None
    return False


def parse_chat(text: str, name: str, tz: tzinfo) -> list[ChatMessage]:
    """The messages of one chat file; a file that does not start with a date line is
    refused as an unsupported format."""
    lines = text.splitlines()
    messages: list[ChatMessage] = []
    position = 0
    while position < len(lines) and not lines[position].strip():
        position += 1
    if position < len(lines) and not DATE_LINE.match(lines[position]):
        fail(name, position + 1, "unsupported format: not imessage-exporter text output")
    while position < len(lines):
        match = DATE_LINE.match(lines[position])
        if match is None:
            position += 1
            continue
        start = position
        sender = lines[position + 1].strip() if position + 1 < len(lines) else ""
        position += 2
        body: list[str] = []
        while position < len(lines) and not DATE_LINE.match(lines[position]):
            body.append(lines[position])
            position += 1
        text_lines: list[str] = []
        for raw in body:
            if raw.strip() == REACTIONS:
                break  # the reactions block runs to the end of the message
            if raw.strip() != REPLY_NOTE:
                text_lines.append(raw.strip())
        while text_lines and not text_lines[-1]:
            text_lines.pop()
        messages.append(
            ChatMessage(
                start + 1, _moment(match, tz, name, start + 1), sender, "\n".join(text_lines)
            )
        )
    return messages


def _moment(match: re.Match[str], tz: tzinfo, name: str, line: int) -> datetime:
    raw = (
        f"{match['month']} {match['day']} {match['year']} "
        f"{match['hour']}:{match['minute']}:{match['second']} {match['half']}"
    )
    try:
        naive = datetime.strptime(raw, "%b %d %Y %I:%M:%S %p")
    except ValueError:
        fail(name, line, f"unreadable date {raw!r}")
    check_year(naive, name, line, raw)
    local = start_of_day(naive.date(), tz).astimezone(tz)
    moment = local.replace(hour=naive.hour, minute=naive.minute, second=naive.second)
    return moment.astimezone(UTC)


def _handles(stem: str) -> list[str]:
    """Handles in a chat file's name (none when it is a display name)."""
    parts = [p.strip() for p in stem.split(", ")]
    if all(looks_like_phone(p) or "@" in p for p in parts):
        return parts
    return []


def chat_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        if not files:
            fail(str(path), None, "no imessage-exporter .txt files in this folder")
        return files
    return [path]


class _Chats:
    def __init__(self, session: ImportSession):
        self.session = session
        self.create = session.options.create_contacts

    def contact(self, handle: str) -> int | str:
        """The contact id for ``handle``, or why there is none."""
        if "@" in handle:
            try:
                person = Person(name=handle, email=normalize_email(handle))
            except UsageError:
                return "invalid handle"
        else:
            phone = self.session.phone(handle)
            if phone is None:
                return "invalid or short-code number"
            person = Person(name=phone, phone=phone)
        found = self.session.resolve(person, create=self.create, counterpart=True)
        return "handle matching no contact" if found is None else found

    def rows(self, file: Path, messages: list[ChatMessage]) -> Iterator[TouchRow]:
        handles = set(_handles(file.stem)) | {m.sender for m in messages if m.sender != ME}
        handles.discard("")
        is_group = len(handles) > 1
        ids: dict[str, int | str] = {h: self.contact(h) for h in sorted(handles)}
        for message in messages:
            outbound = message.sender == ME
            if not outbound and not message.sender:
                self.session.summary.skipped["message without a sender"] += 1
                continue
            people = sorted(handles) if outbound else [message.sender]
            direction = Direction.OUT if outbound else Direction.IN
            for handle in people:
                contact_id = ids[handle]
                if isinstance(contact_id, str):
                    self.session.summary.skipped[contact_id] += 1
                    continue
                stamp = int(message.at.timestamp())
                source = f"imessage:{handle.casefold()}:{stamp}:{direction}:{digest(message.body)}"
                yield touch_row(
                    contact_id,
                    Channel.SMS,
                    direction,
                    message.at,
                    source,
                    message.body,
                    is_group=is_group,
                )
                if not outbound and not is_group and self.session.is_stop(message.body):
                    self.session.note_stop(contact_id, message.at)


def import_imessage(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    files = chat_files(path)
    chats = _Chats(session)
    for number, file in enumerate(files, start=1):
        messages = parse_chat(decode(file.read_bytes(), str(file)), str(file), session.tz)
        session.summary.records += len(messages)
        session.add_touches(chats.rows(file, messages))
        if progress:
            progress(number, len(files))
