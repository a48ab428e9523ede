"""Reading LinkedIn's "Get a copy of your data" export: which CSVs are there (in a zip, a
folder or given one by one), their headers, and their dates (FORMATS.md, "LinkedIn")."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from tracker.importers.common import check_year, fail
from tracker.importers.reading import (
    CsvRecord,
    CsvTable,
    decode_text,
    gather,
    is_zip,
    read_csv,
    sniff_layout,
)
from tracker.timeutil import start_of_day

FILES = ("Connections.csv", "Invitations.csv", "messages.csv")
_CONNECTED_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
_SENT_FORMATS = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y, %H:%M", "%Y-%m-%d %H:%M")
_MESSAGE_FORMATS = ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M UTC")


def _is_connections(keys: Sequence[str]) -> bool:
    return "connected on" in keys and ("first name" in keys or "url" in keys)


def _is_invitations(keys: Sequence[str]) -> bool:
    return "direction" in keys and "sent at" in keys


def _is_messages(keys: Sequence[str]) -> bool:
    return "conversation id" in keys and "date" in keys and "content" in keys


HEADERS = {
    "Connections.csv": (_is_connections, "First Name, Last Name, URL, ..., Connected On"),
    "Invitations.csv": (_is_invitations, "From, To, Sent At, Message, Direction, ..."),
    "messages.csv": (_is_messages, "CONVERSATION ID, ..., DATE, ..., CONTENT"),
}


@dataclass
class LinkedInExport:
    """The tables found, by canonical file name."""

    tables: dict[str, CsvTable]
    repaired: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Lines of each file read as Windows-1252 in an otherwise UTF-8 file."""

    @property
    def records(self) -> int:
        return sum(len(t.records) for t in self.tables.values())


def read_export(path: Path) -> LinkedInExport:
    """Find and parse the export's CSVs; a file with the wrong header is fatal."""
    if path.is_dir() or (path.is_file() and is_zip(path)):
        found = gather(path, FILES, "a LinkedIn export")
        export = LinkedInExport({})
        for canonical, (name, data) in found.items():
            test, expected = HEADERS[canonical]
            decoded = decode_text(data, name)
            export.repaired[name] = decoded.repaired_lines
            export.tables[canonical] = read_csv(decoded.text, name, test, expected)
        return export
    decoded = decode_text(path.read_bytes(), str(path))
    layout = sniff_layout(decoded.text, {name: test for name, (test, _) in HEADERS.items()})
    if layout is None:
        fail(
            str(path),
            1,
            "not a LinkedIn Connections.csv, Invitations.csv or messages.csv (no known header)",
        )
    test, expected = HEADERS[layout]
    table = read_csv(decoded.text, str(path), test, expected)
    return LinkedInExport({layout: table}, {str(path): decoded.repaired_lines})


_PROFILE_ID = ("acoaa", "acwaa")
"""How LinkedIn's opaque member ids begin (``ACoAAB…`` in a URL, lower-cased here)."""


def slug_words(url: str) -> str:
    """A name a person can read from a profile URL's slug: its words without the
    numbers LinkedIn appends (``dana-fictional-0a1b2c`` is "Dana Fictional"); ``""``
    when it has none (an opaque member id such as ``ACoAABcdEfg``)."""
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    if not slug or slug.casefold().startswith(_PROFILE_ID):
        return ""
    words = [w for w in re.split(r"[-_]+", slug) if w.isalpha()]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def nameless(url: str, what: str, day: date) -> str:
    """The name of someone the export does not name: the slug's words, else
    "LinkedIn member (connected 8 Feb 2026)" (``what`` says how they were met)."""
    return slug_words(url) or f"LinkedIn member ({what} {day.day} {day:%b %Y})"


@lru_cache(maxsize=8192)
def _day(raw: str) -> date | None:
    for fmt in _CONNECTED_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def connected_on(record: CsvRecord, name: str, tz: tzinfo) -> datetime:
    """``Connected On`` as 00:00 local on that day (fatal when missing or unreadable)."""
    raw = record.get("connected on")
    found = _day(raw)
    if found is None:
        fail(name, record.line, f"unreadable Connected On date {raw!r}")
    check_year(found, name, record.line, raw)
    try:
        return _start_of_day(found, tz)
    except TypeError:  # a zone that cannot be hashed (the system's own, say)
        return start_of_day(found, tz)


@lru_cache(maxsize=8192)
def _start_of_day(day: date, tz: tzinfo) -> datetime:
    return start_of_day(day, tz)


def sent_at(record: CsvRecord, name: str, tz: tzinfo) -> datetime:
    """``Sent At`` (the user's local time, no zone in the file) in UTC."""
    raw = " ".join(record.get("sent at").split())
    for fmt in _SENT_FORMATS:
        try:
            naive = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        check_year(naive, name, record.line, raw)
        local = start_of_day(naive.date(), tz).astimezone(tz)
        moment = local.replace(hour=naive.hour, minute=naive.minute)
        return moment.replace(fold=0).astimezone(UTC)
    fail(name, record.line, f"unreadable Sent At date {raw!r}")


def message_date(record: CsvRecord, name: str) -> datetime:
    raw = record.get("date")
    moment = _message_moment(raw)
    if moment is None:
        fail(name, record.line, f"unreadable DATE {raw!r}")
    check_year(moment, name, record.line, raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _message_moment(raw: str) -> datetime | None:
    if len(raw) == 23 and raw.endswith(" UTC"):
        try:
            return datetime.fromisoformat(raw[:19]).replace(tzinfo=UTC)
        except ValueError:
            pass
    for fmt in _MESSAGE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(raw.replace(" UTC", "+00:00"))
    except ValueError:
        return None


class _Text(HTMLParser):
    BREAKS = frozenset({"br", "p", "div", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def plain_text(content: str) -> str:
    """Message text without HTML markup (LinkedIn keeps some messages as HTML)."""
    if not _TAG.search(content):
        return html.unescape(content).strip() if "&" in content else content.strip()
    parser = _Text()
    parser.feed(content)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line).strip()
