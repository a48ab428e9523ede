"""What every file reader shares: errors that name the file and line, and stable keys
that make a re-import add nothing."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import NoReturn

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
