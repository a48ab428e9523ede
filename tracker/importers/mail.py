"""Email → ``MailRecord``s: an mbox (Gmail Takeout, Thunderbird, an Apple Mail
``NAME.mbox/`` folder), one ``.eml`` file, or a folder of them (FORMATS.md, "Email").

Headers only: the header block is found in the raw bytes and just the headers that matter
are read from it (``From``, ``To``, ``Cc``, ``Date``, ``Subject``, ``Message-ID``, the list
and bulk markers, Gmail's labels), with no ``email.message`` object built; the body is
looked at only for its first text line (``mail_body``), attachments never decoded.

A record is flagged, not dropped, when it is not a person's mail (``bulk_reason``: a
mailing list, bulk or automatic mail, Gmail spam or trash), so the importer counts it;
Google Chat items, drafts and messages with no readable date or no sender are
``Skipped``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from tracker.importers.common import Progress, Skipped, Source, digest, fail, opened, source_name
from tracker.importers.mail_body import decode_words, first_line
from tracker.importers.mbox_scan import BODY_HEAD, HEADER_LIMIT, looks_like_mbox, scan_mbox
from tracker.importers.mbox_scan import split_header as _split_header
from tracker.timeutil import EARLIEST_YEAR, LATEST_YEAR

HEADERS = (
    "from",
    "to",
    "cc",
    "date",
    "subject",
    "message-id",
    "list-id",
    "list-unsubscribe",
    "precedence",
    "auto-submitted",
    "x-gmail-labels",
    "x-mozilla-draft-info",
    "content-type",
    "content-transfer-encoding",
)
_HEADER = re.compile(
    rb"\n(" + b"|".join(h.encode() for h in HEADERS) + rb")[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)",
    re.IGNORECASE,
)
"""A wanted header and its value, found after a newline (about three times faster than a
multi-line ``^``): the block is searched with a newline put before it."""
_FIRST_HEADER = re.compile(rb"[!-9;-~]+[ \t]*:")
_SPACES = re.compile(r"\s+")
BULK_PRECEDENCE = {"bulk", "list", "junk"}
MAX_FOLDER_FILES = 100_000
SNIFF_BYTES = 64 * 1024


class Address(NamedTuple):
    name: str
    email: str
    """Lower case."""


@dataclass(frozen=True)
class MailRecord:
    """One message: who wrote to whom, when, and what it said first."""

    line: int
    """Where it starts in its file (the ``From `` line of an mbox; 1 for a ``.eml``)."""
    at: datetime
    """Its ``Date`` (UTC)."""
    from_addr: str
    from_name: str
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    first_line: str
    """The first line of its own text (``""`` when it has no text/plain part up front)."""
    message_id: str
    """Without its angle brackets; ``""`` when it has none."""
    bulk_reason: str | None
    """Why it is not a person's mail (``mailing-list message``, ``bulk mail``,
    ``automatic message``, ``message in spam``, ``message in trash``), or None."""
    labels: tuple[str, ...] = ()
    """Gmail's labels (``X-Gmail-Labels``)."""

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    @property
    def recipient_count(self) -> int:
        """Addresses in To and Cc, for ``[import] max_recipients``."""
        return len(self.to) + len(self.cc)

    @property
    def key(self) -> str:
        """Stable across re-imports: the Message-ID, else a hash of what identifies it."""
        if self.message_id:
            return f"mail:{self.message_id}"
        return f"mail:{digest(self.at.isoformat(), self.from_addr, self.subject)}"


def looks_like_eml(head: bytes) -> bool:
    """Whether a file starting with ``head`` is one message: headers first, among them
    ``From`` or ``Date`` and ``Received``/``Message-ID``/``Subject`` within its head."""
    head = head.lstrip(b"\xef\xbb\xbf")
    if not _FIRST_HEADER.match(head):
        return False
    found = {m.group(1).lower() for m in _HEADER.finditer(b"\n" + head[:HEADER_LIMIT])}
    return b"from" in found and bool(found & {b"date", b"subject", b"message-id"})


def read_mail(
    source: Source, progress: Progress | None = None, name: str | None = None
) -> Iterator[MailRecord | Skipped]:
    """Every message at ``source``: an mbox file, a ``.eml`` file, an Apple Mail export
    folder (``NAME.mbox/mbox``) or a folder of ``.eml`` files (one level, not its
    sub-folders). A file that is neither, or a folder with none, is refused."""
    if isinstance(source, Path | str) and Path(source).is_dir():
        yield from _read_folder(Path(source), progress)
        return
    with opened(source) as (handle, total):
        start = handle.tell()
        head = handle.read(SNIFF_BYTES)
        handle.seek(start)
        label = source_name(source, name)
        if looks_like_mbox(head):
            yield from read_mbox(handle, progress, label, total)
        elif looks_like_eml(head):
            yield read_eml(handle, label)
            if progress:
                progress(total, total)
        else:
            fail(label, 1, "not an mbox or an email message (.eml)")


def read_mbox(
    source: Source,
    progress: Progress | None = None,
    name: str | None = None,
    total: int = 0,
) -> Iterator[MailRecord | Skipped]:
    """Each message of the mbox at ``source``, streamed (``progress(bytes read, size)``)."""
    label = source_name(source, name)
    with opened(source) as (handle, size):
        for raw in scan_mbox(handle, label, total or size, progress):
            yield mail_record(raw.header, raw.body_head, raw.line)


def read_eml(source: Source, name: str | None = None) -> MailRecord | Skipped:
    """The one message of a ``.eml`` file (only its head is read: headers and the start
    of the body). A file that does not start with headers is refused."""
    label = source_name(source, name)
    with opened(source) as (handle, _):
        data = handle.read(HEADER_LIMIT + BODY_HEAD)
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.startswith(b"From ") and not _FIRST_HEADER.match(data):
        data = data[data.find(b"\n") + 1 :]  # a separator line left by an mbox tool
    if not _FIRST_HEADER.match(data):
        fail(label, 1, "not an email message (it does not start with headers)")
    header, body_start = _split_header(data, 0, len(data))
    return mail_record(header, data[body_start : body_start + BODY_HEAD], 1)


def _read_folder(folder: Path, progress: Progress | None) -> Iterator[MailRecord | Skipped]:
    apple = folder / "mbox"
    if apple.is_file():
        yield from read_mbox(apple, progress)
        return
    files = sorted(
        child
        for child in folder.iterdir()
        if child.suffix.lower() == ".eml" and child.is_file() and not child.name.startswith(".")
    )
    if not files:
        fail(str(folder), None, "no .eml files (nor an Apple Mail mbox) in this folder")
    if len(files) > MAX_FOLDER_FILES:
        fail(str(folder), None, f"more than {MAX_FOLDER_FILES:,} .eml files: not one mailbox")
    for done, file in enumerate(files, start=1):
        yield read_eml(file)
        if progress:
            progress(done, len(files))


def mail_record(header: bytes, body_head: bytes, line: int) -> MailRecord | Skipped:
    """The record of one message from its header block and the first bytes of its body."""
    values = _header_values(header)
    labels = tuple(
        label.strip() for label in values.get("x-gmail-labels", "").split(",") if label.strip()
    )
    folded = {label.casefold() for label in labels}
    if "chat" in folded:
        return Skipped(line, "Google Chat item (not email)")
    if folded & {"draft", "drafts"} or "x-mozilla-draft-info" in values:
        return Skipped(line, "draft (never sent)")
    at = _date(values.get("date", ""))
    if at is None:
        return Skipped(line, "message with no readable Date")
    senders = _addresses(values.get("from", ""))
    if not senders:
        return Skipped(line, "message with no From address")
    sender = senders[0]
    bulk = _bulk_reason(values, folded)
    text = ""
    if bulk is None and body_head:
        text = first_line(
            values.get("content-type", ""), values.get("content-transfer-encoding", ""), body_head
        )
    return MailRecord(
        line=line,
        at=at,
        from_addr=sender.email,
        from_name=sender.name,
        to=_addresses(values.get("to", "")),
        cc=_addresses(values.get("cc", "")),
        subject=_SPACES.sub(" ", decode_words(values.get("subject", ""))).strip(),
        first_line=text,
        message_id=values.get("message-id", "").strip().strip("<>").strip(),
        bulk_reason=bulk,
        labels=labels,
    )


def _header_values(header: bytes) -> dict[str, str]:
    """The wanted headers, unfolded; To and Cc joined when repeated, others the first."""
    values: dict[str, str] = {}
    for match in _HEADER.finditer(b"\n" + header):
        key = match.group(1).lower().decode()
        raw = match.group(2)
        if b"\n" in raw:
            raw = raw.replace(b"\r\n", b"").replace(b"\n", b"")
        try:
            value = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            value = raw.decode("latin-1").strip()
        if key in values:
            if key in ("to", "cc") and value:
                values[key] = f"{values[key]}, {value}"
            continue
        values[key] = value
    return values


def _bulk_reason(values: dict[str, str], labels: set[str]) -> str | None:
    if "spam" in labels:
        return "message in spam"
    if "trash" in labels:
        return "message in trash"
    if values.get("list-id"):
        return "mailing-list message"
    if values.get("list-unsubscribe") or values.get("precedence", "").lower() in BULK_PRECEDENCE:
        return "bulk mail"
    auto = values.get("auto-submitted", "").split(";", 1)[0].strip().lower()
    if auto and auto != "no":
        return "automatic message"
    return None


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # "-0000": the zone is unknown; UTC it is
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return None
    return moment.astimezone(UTC)


@lru_cache(maxsize=8192)
def _addresses(value: str) -> tuple[Address, ...]:
    """The addresses of a header value (a mailbox repeats the same few thousands of
    them), names decoded, addresses lower case; entries with no ``@`` left out."""
    if not value:
        return ()
    found: list[Address] = []
    for name, address in getaddresses([value]):
        address = address.strip().lower()
        if "@" not in address:
            continue
        found.append(Address(_SPACES.sub(" ", decode_words(name)).strip(), address))
    return tuple(found)
