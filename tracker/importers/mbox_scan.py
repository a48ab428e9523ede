"""Finding the messages of an mbox as bytes: where each starts, its header block and the
first bytes of its body, without building a message object or reading the whole file.

Messages are separated by ``From `` lines (FORMATS.md, "Email"): ``From 1787...@xxx Fri
Jan 19 19:12:34 +0000 2024`` in Gmail Takeout, ``From - Fri Jan 19 19:12:34 2024`` in
Thunderbird. A body line that merely starts with ``From `` is escaped as ``>From `` by
careful writers; for the others, a separator must also carry a time and a year, as every
writer's does. The file is read in chunks; a message's body past its first
``BODY_HEAD`` bytes is skipped over, never held, so memory stays flat whatever the
attachments weigh.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tracker.importers.common import Progress, fail, line_of

CHUNK = 1 << 22
HEADER_LIMIT = 1 << 20
"""A header block longer than this is damage: what follows is not read as headers."""
BODY_HEAD = 1 << 16
"""Enough of a body to find its first text line (the text part comes before attachments)."""
FROM_LINE = re.compile(
    rb"From [^\r\n]*?(?:\d:\d\d[^\r\n]*?(?:19|20|21)\d\d|(?:19|20|21)\d\d-\d\d-\d\d[T ]\d\d:\d\d)"
)
"""A separator: ``From ``, then a time and a year (asctime), or an ISO date and time."""
_SEPARATOR = b"\nFrom "
_BLANK_LINE = re.compile(rb"\n\r?\n")
_LEADING = b"\xef\xbb\xbf\r\n\t "


@dataclass(frozen=True)
class RawMessage:
    """One message as found: where it starts and its bytes that matter."""

    line: int
    """The line of its ``From `` separator (1-based)."""
    header: bytes
    """The header block, up to (not including) the blank line that ends it."""
    body_head: bytes
    """The first ``BODY_HEAD`` bytes of the body (all of it when shorter)."""


def looks_like_mbox(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an mbox: a ``From `` separator line first."""
    return FROM_LINE.match(head.lstrip(_LEADING)) is not None


def split_header(data: bytes, start: int, end: int) -> tuple[bytes, int]:
    """The header block of the message bytes ``data[start:end]`` and where its body
    starts (``end`` when there is none)."""
    if data.startswith((b"\n", b"\r\n"), start):
        return b"", data.index(b"\n", start) + 1
    blank = _BLANK_LINE.search(data, start, min(end, start + HEADER_LIMIT))
    if blank is None:
        return data[start : min(end, start + HEADER_LIMIT)], end
    return data[start : blank.start() + 1], blank.end()


class _Buffer:
    """The part of the file being looked at: ``data``, with the line number of
    ``data[counted]`` kept as ``line`` so each byte's newlines are counted once."""

    def __init__(self, handle: BinaryIO, chunk: int):
        self.handle = handle
        self.chunk = chunk
        self.data = b""
        self.read = 0
        self.eof = False
        self.counted = 0
        self.line = 1

    def more(self) -> None:
        block = self.handle.read(self.chunk)
        if not block:
            self.eof = True
            return
        self.read += len(block)
        self.data = self.data + block if self.data else block

    def count_to(self, index: int) -> int:
        """The line number of ``data[index]`` (``index`` never goes backwards)."""
        self.line += self.data.count(b"\n", self.counted, index)
        self.counted = index
        return self.line

    def drop(self, upto: int) -> int:
        """Forget ``data[:upto]`` (after counting its lines); returns ``upto``, the shift
        every index into ``data`` takes."""
        self.count_to(upto)
        self.data = self.data[upto:]
        self.counted = 0
        return upto

    def next_separator(self, start: int) -> tuple[int, int]:
        """``(index of the next separator line at or after start, -1 if none yet; where to
        search again after reading more)``."""
        data = self.data
        at = start
        while True:
            candidate = data.find(_SEPARATOR, at)
            if candidate < 0:
                return -1, max(start, len(data) - len(_SEPARATOR))
            line_end = data.find(b"\n", candidate + 1)
            if line_end < 0:
                if not self.eof:
                    return -1, candidate
                line_end = len(data)
            if FROM_LINE.match(data, candidate + 1, line_end):
                return candidate + 1, candidate + 1
            at = candidate + 1


def scan_mbox(
    handle: BinaryIO,
    name: str,
    total: int = 0,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> Iterator[RawMessage]:
    """Each message of the mbox read from ``handle``, in file order. A file that does not
    start with a ``From `` separator is refused (``UsageError``); ``progress(bytes read,
    total)`` follows each chunk."""
    buffer = _Buffer(handle, chunk)
    while not buffer.eof and len(buffer.data) < 1024:
        buffer.more()
    data = buffer.data
    position = len(data) - len(data.lstrip(_LEADING))
    if not data.strip():
        fail(name, None, "an empty file: not an mbox")
    if not FROM_LINE.match(data, position):
        fail(name, line_of(data, position), "not an mbox (it does not start with a 'From ' line)")

    def report() -> None:
        if progress:
            progress(buffer.read, max(total, buffer.read))

    report()
    while True:
        line = buffer.count_to(position)
        resume = position
        while True:
            separator, resume = buffer.next_separator(resume)
            short = len(buffer.data) - position < HEADER_LIMIT + BODY_HEAD
            if separator >= 0 or buffer.eof or not short:
                break
            # Not all of what matters is here yet: read on, keeping this message only.
            resume -= buffer.drop(position)
            position = 0
            buffer.more()
            report()
        data = buffer.data
        end = separator if separator >= 0 else len(data)
        header_start = data.find(b"\n", position, end)
        header_start = end if header_start < 0 else header_start + 1
        header, body_start = split_header(data, header_start, end)
        yield RawMessage(line, header, data[body_start : min(end, body_start + BODY_HEAD)])
        while separator < 0 and not buffer.eof:
            # A long body: skip it without keeping it.
            resume -= buffer.drop(resume)
            buffer.more()
            report()
            separator, resume = buffer.next_separator(resume)
        if separator < 0:
            report()
            return
        position = separator
