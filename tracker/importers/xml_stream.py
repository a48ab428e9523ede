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
_TAIL = 32  # longer than any pair of surrogate references


def _ref_value(match: re.Match[bytes]) -> int:
    decimal, hexa = match.group(1), match.group(2)
    return int(decimal) if decimal else int(hexa, 16)


def recover_surrogates(data: bytes) -> bytes:
    """Replace each pair of surrogate references by a reference to the real character,
    and a lone surrogate by U+FFFD.

    Only the references are looked at (found with ``bytes.find``, which skims the text
    between them far faster than a regular expression scanning every byte)."""
    out: list[bytes] = []
    position = 0
    start = data.find(b"&#")
    while start >= 0:
        match = _SURROGATE_REF.match(data, start)
        value = _ref_value(match) if match is not None else 0
        if match is None or not 0xD800 <= value <= 0xDFFF:
            start = data.find(b"&#", start + 2)
            continue
        out.append(data[position:start])
        following = _SURROGATE_REF.match(data, match.end())
        low = _ref_value(following) if following is not None else 0
        if value <= 0xDBFF and following is not None and 0xDC00 <= low <= 0xDFFF:
            out.append(b"&#%d;" % (0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)))
            position = following.end()
        else:
            out.append(b"&#65533;")
            position = match.end()
        start = data.find(b"&#", position)
    if not out:
        return data
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
