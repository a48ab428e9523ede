"""What every file reader shares: errors that name the file and line, stable keys that
make a re-import add nothing, and the shape of a record a reader passes over (``Skipped``).

The readers of calls, mail, calendars and chats are pure generators: they take a path (or
a binary stream) and the few values they need (a time zone, an as-of time), and yield
their records and ``Skipped`` items, calling ``progress(done, total)`` as they go. They
never read the clock and never touch the database: the importer decides what each record
becomes and counts each ``Skipped`` under its reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, NoReturn

from tracker.errors import UsageError
from tracker.timeutil import EARLIEST_YEAR, LATEST_YEAR


def fail(name: str, line: int | None, problem: str) -> NoReturn:
    """Stop the import with ``NAME:LINE: problem`` (exit 2, nothing written)."""
    where = f"{name}:{line}" if line else name
    raise UsageError(f"{where}: {problem}")


def check_year(moment: date, name: str, line: int | None, raw: str) -> None:
    """A date a file can really hold: any year from 1900 to 2199 (``timeutil``), so a text
    from 1969 or an invitation a wrong clock dated 2099 is kept as written, but the year
    999 or 3026 is damage, refused like an unreadable date (fatal, nothing written)."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        fail(name, line, f"date {raw!r} is out of range (years {EARLIEST_YEAR} to {LATEST_YEAR})")


def digest(*parts: object) -> str:
    """A short stable hash of ``parts``, for touch sources."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


Progress = Callable[[int, int], None]
"""``progress(done, total)``, in the reader's own units (bytes of a file, files of a folder,
events of a calendar); it may raise to stop the reading."""

Source = Path | str | BinaryIO
"""What a reader reads: a path, or an open binary stream (named by its ``name`` when it
has one)."""


NOTHING_NEW = "record with nothing new"
"""Why a record that matched a contact and changed nothing is skipped (in words counted:
``5 records with nothing new``)."""


@dataclass(frozen=True)
class Skipped:
    """A record that was read but is not handed on, and why: the importer counts it under
    ``reason``, so every record read is added, skipped with a reason, or refused."""

    line: int | None
    reason: str


def source_name(source: Source, name: str | None = None) -> str:
    """How errors name ``source``: ``name`` if given, the path, else the stream's name."""
    if name:
        return name
    if isinstance(source, Path | str):
        return str(source)
    return str(getattr(source, "name", "") or "<stream>")


@contextmanager
def opened(source: Source) -> Iterator[tuple[BinaryIO, int]]:
    """``source`` as a binary stream and its size in bytes (0 when it cannot tell); a path
    is opened and closed here, a stream is the caller's to close."""
    if isinstance(source, Path | str):
        path = Path(source).expanduser()
        with path.open("rb") as handle:
            yield handle, path.stat().st_size
        return
    try:
        here = source.tell()
        total = source.seek(0, 2) - here
        source.seek(here)
    except (OSError, AttributeError, ValueError):
        total = 0
    yield source, max(total, 0)
