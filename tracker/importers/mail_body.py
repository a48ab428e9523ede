"""The first line of an email's text, found cheaply: the message's text/plain body, or the
first text/plain part of a multipart one, decoded (quoted-printable or base64, its
charset) from the first bytes of the body only. Attachments and HTML are never decoded.

Also the small header helpers the mail reader needs: RFC 2047 encoded words and
``Content-Type`` parameters.
"""

from __future__ import annotations

import binascii
import codecs
import re
from email.errors import HeaderParseError
from email.header import decode_header, make_header

MAX_FIRST_LINE = 200
MAX_DEPTH = 4
"""Multiparts nested deeper than this are not searched for text."""
TEXT_BYTES = 16 * 1024
"""How much of a text part is decoded to find its first line."""
_PARAM = re.compile(r';\s*([\w.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')
_PART_HEADER = re.compile(
    rb"^(content-type|content-transfer-encoding|content-disposition)[ \t]*:(.*(?:\n[ \t].*)*)",
    re.IGNORECASE | re.MULTILINE,
)
_BLANK_LINE = re.compile(rb"\n\r?\n")
_ESCAPED_FROM = re.compile(r"^>(>*From )")
_FLOWED_BREAK = re.compile(r"(?<=[^ ]) \r?\n(?!-- )")
_SPACES = re.compile(r"\s+")
STOP_LINES = ("-- ", "--", "-----Original Message-----", "________________________________")
"""A signature or a forwarded or quoted message starts here: no text of the sender's own
comes after it."""


def decode_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded words (``=?UTF-8?Q?Jos=C3=A9?=``) decoded; as
    written when they cannot be (an unknown charset, a broken word)."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value


def content_type(value: str) -> tuple[str, dict[str, str]]:
    """The MIME type of a ``Content-Type`` value (lower case; ``text/plain`` when empty)
    and its parameters (names lower case, quotes removed)."""
    mime = value.split(";", 1)[0].strip().lower() or "text/plain"
    params: dict[str, str] = {}
    for match in _PARAM.finditer(value):
        raw = match.group(2)
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        params.setdefault(match.group(1).lower(), raw)
    return mime, params


def first_line(content_type_value: str, encoding: str, body: bytes) -> str:
    """The first line of the sender's own text in ``body`` (the first bytes of a body whose
    headers said ``content_type_value`` and ``encoding``): its first non-empty line that
    is not quoted (``>``) nor an ``... wrote:`` attribution, whitespace collapsed, at most
    ``MAX_FIRST_LINE`` characters; ``""`` when the message has no text/plain part near
    its start."""
    text = _first_text(content_type_value, encoding, body, 0)
    return _pick_line(text) if text else ""


def _first_text(type_value: str, encoding: str, body: bytes, depth: int) -> str | None:
    mime, params = content_type(type_value)
    if mime == "text/plain":
        text = _decode_part(body[:TEXT_BYTES], encoding, params.get("charset", ""))
        if params.get("format", "").lower() == "flowed":
            text = _FLOWED_BREAK.sub(" ", text)  # a line ending in a space goes on
        return text
    boundary = params.get("boundary")
    if not mime.startswith("multipart/") or not boundary or depth >= MAX_DEPTH:
        return None
    default_type = "message/rfc822" if mime == "multipart/digest" else "text/plain"
    for part in _parts(body, boundary.encode("latin-1", "replace")):
        block, part_body = _split(part)
        headers = _part_headers(block)
        if headers.get("content-disposition", "").lower().startswith("attachment"):
            continue
        found = _first_text(
            headers.get("content-type", default_type),
            headers.get("content-transfer-encoding", ""),
            part_body,
            depth + 1,
        )
        if found is not None:
            return found
    return None


def _parts(body: bytes, boundary: bytes) -> list[bytes]:
    """The parts between ``--boundary`` lines (the preamble and epilogue left out); the
    last may be cut short where ``body`` ends."""
    delimiter = b"--" + boundary
    parts: list[bytes] = []
    position = body.find(delimiter)
    if position < 0 or (position > 0 and body[position - 1 : position] != b"\n"):
        position = body.find(b"\n" + delimiter)
        if position < 0:
            return parts
        position += 1
    while True:
        after = position + len(delimiter)
        if body.startswith(b"--", after):
            return parts
        start = body.find(b"\n", after)
        if start < 0:
            return parts
        start += 1
        following = body.find(b"\n" + delimiter, start)
        if following < 0:
            parts.append(body[start:])
            return parts
        parts.append(body[start:following])
        position = following + 1


def _split(part: bytes) -> tuple[bytes, bytes]:
    """A part's header block and its body."""
    if part.startswith((b"\n", b"\r\n")):
        return b"", part[part.index(b"\n") + 1 :]
    end = _BLANK_LINE.search(part)
    if end is None:
        return part, b""
    return part[: end.start() + 1], part[end.end() :]


def _part_headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for match in _PART_HEADER.finditer(block):
        value = match.group(2).replace(b"\r", b"").replace(b"\n", b"")
        headers.setdefault(match.group(1).lower().decode(), value.decode("latin-1").strip())
    return headers


def _decode_part(data: bytes, encoding: str, charset: str) -> str:
    encoding = encoding.strip().lower()
    try:
        if encoding == "base64":
            compact = b"".join(data.split())
            compact = compact[: len(compact) - len(compact) % 4]
            data = binascii.a2b_base64(compact)
        elif encoding == "quoted-printable":
            data = binascii.a2b_qp(data)
    except (binascii.Error, ValueError):
        return ""
    try:
        codec = codecs.lookup(charset.strip() or "utf-8").name
    except LookupError:
        codec = "utf-8"
    if codec == "ascii":
        codec = "utf-8"  # mislabelled 8-bit text is far likelier than real ASCII
    return data.decode(codec, "replace")


def _pick_line(text: str) -> str:
    for raw in text.splitlines():
        if raw.rstrip() in STOP_LINES or raw.startswith("-----Original Message"):
            return ""
        line = _ESCAPED_FROM.sub(r"\1", raw).strip()
        if not line or line.startswith(">") or line.endswith("wrote:"):
            continue
        line = _SPACES.sub(" ", line)
        if len(line) > MAX_FIRST_LINE:
            line = line[: MAX_FIRST_LINE - 1].rstrip() + "…"
        return line
    return ""
