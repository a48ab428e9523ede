"""Streaming the XML that "SMS Backup & Restore" writes (texts and call logs) through
expat in chunks, with flat memory whatever the file's size.

Surrogate-pair character references written by the app's "store emojis" option
(``&#55357;&#56832;``), which XML forbids, are turned into the real character before the
parser sees them (FORMATS.md, "Android").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.parsers import expat

from tracker.importers.common import fail

CHUNK = 1 << 18
_SURROGATE_REF = re.compile(rb"&#(?:(5[5-7]\d{3})|[xX]([dD][89a-fA-F][0-9a-fA-F]{2}));")
_SURROGATE_BEFORE = re.compile(_SURROGATE_REF.pattern + rb"$")
_DECIMAL_PAIR = re.compile(rb"&#(5[5-6]\d{3});&#(5[6-7]\d{3});")
"""The usual spelling of an emoji, decoded by ``_pair`` in one regular-expression pass."""
_TAIL = 32  # longer than any pair of surrogate references


def _ref_value(match: re.Match[bytes]) -> int:
    decimal, hexa = match.group(1), match.group(2)
    return int(decimal) if decimal else int(hexa, 16)


def _pair(match: re.Match[bytes]) -> bytes:
    """A decimal high-low surrogate pair as the reference to its character; any other
    two references unchanged (the general pass below decides about them)."""
    high, low = int(match.group(1)), int(match.group(2))
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        return b"&#%d;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return match.group(0)


def recover_surrogates(data: bytes) -> bytes:
    """Replace each pair of surrogate references by a reference to the real character,
    and a lone surrogate by U+FFFD."""
    if b"&#" not in data:
        return data
    # A high surrogate directly followed by a low one is always a pair, whatever comes
    # before or after, so the common case can go first and the rest as before.
    data = _DECIMAL_PAIR.sub(_pair, data)
    matches = [m for m in _SURROGATE_REF.finditer(data) if 0xD800 <= _ref_value(m) <= 0xDFFF]
    if not matches:
        return data
    out: list[bytes] = []
    position = 0
    index = 0
    while index < len(matches):
        match = matches[index]
        high = _ref_value(match)
        out.append(data[position : match.start()])
        following = matches[index + 1] if index + 1 < len(matches) else None
        if (
            high <= 0xDBFF
            and following is not None
            and following.start() == match.end()
            and _ref_value(following) >= 0xDC00
        ):
            low = _ref_value(following)
            code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            out.append(b"&#%d;" % code)
            position = following.end()
            index += 2
        else:
            out.append(b"&#65533;")
            position = match.end()
            index += 1
    out.append(data[position:])
    return b"".join(out)


def recovered_chunks(handle: BinaryIO, size: int = CHUNK) -> Iterator[tuple[bytes, int]]:
    """The file's bytes, surrogates recovered, in chunks with how many bytes were read.

    A chunk never ends inside a reference pair: the tail from the first ``&`` in its last
    bytes is held back and joined to the next chunk."""
    carry = b""
    read = 0
    while True:
        block = handle.read(size)
        read += len(block)
        if not block:
            if carry:
                yield recover_surrogates(carry), read
            return
        data = carry + block
        cut = data.find(b"&", max(0, len(data) - _TAIL))
        if cut < 0:
            carry, ready = b"", data
        else:
            # The cut may fall between the two halves of a pair: keep them together.
            before = _SURROGATE_BEFORE.search(data, max(0, cut - 12), cut)
            if before is not None and 0xD800 <= _ref_value(before) <= 0xDBFF:
                cut = before.start()
            carry, ready = data[cut:], data[:cut]
        yield recover_surrogates(ready), read


def root_element(head: bytes) -> str | None:
    """The name of the first element in ``head`` (after the XML declaration, comments
    and processing instructions), or None."""
    position = 0
    size = len(head)
    while position < size:
        start = head.find(b"<", position)
        if start < 0 or start + 1 >= size:
            return None
        marker = head[start + 1 : start + 2]
        if marker in (b"?", b"!"):
            closing = b"-->" if head.startswith(b"<!--", start) else b">"
            end = head.find(closing, start)
            if end < 0:
                return None
            position = end + len(closing)
            continue
        name = head[start + 1 : start + 64].split(None, 1)[0].split(b">", 1)[0].rstrip(b"/")
        return name.decode("ascii", "replace")
    return None


def feed(parser: Any, data: bytes, final: bool, name: str) -> None:
    """Give expat the next bytes; broken XML is fatal, naming the file and line."""
    try:
        parser.Parse(data, final)
    except expat.ExpatError as exc:
        problem = expat.ErrorString(exc.code) if exc.code else str(exc)
        fail(name, exc.lineno, f"broken XML ({problem}, column {exc.offset + 1})")
    except (LookupError, ValueError) as exc:  # the declaration names an encoding expat lacks
        fail(name, parser.CurrentLineNumber, f"broken XML ({exc})")
