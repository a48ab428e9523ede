"""CSV export from the app: contacts, touches or today's queue, written atomically.

The file is written beside its target and renamed into place once complete, so a failed
export never leaves half a file under the chosen name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from tracker.errors import UsageError
from tracker.export import REVIEW_COLUMNS, write_csv
from tracker.models import ReviewItem
from tracker.store import Store

WHAT = {
    "contacts": "Contacts",
    "touches": "Touches",
    "queue": "Today's queue",
}


def default_path(what: str, today: date, folder: Path | None = None) -> Path:
    """``outreach-contacts-2026-11-23.csv`` in ``folder`` (the working folder by default)."""
    return (folder or Path.cwd()) / f"outreach-{what}-{today.isoformat()}.csv"


def queue_rows(items: Iterable[ReviewItem], tz: tzinfo) -> Iterable[Sequence[Any]]:
    for item in items:
        record = {
            "kind": item.kind.value,
            "contact_id": item.contact_id,
            "contact": item.contact,
            "company": item.company,
            "since": item.since.astimezone(tz).isoformat(),
            "age_days": item.age_days,
            "reason": item.reason,
            "action": item.action,
            "last_message": item.last_message,
        }
        yield [record[column] for column in REVIEW_COLUMNS]


def export_csv(
    db_path: Path, what: str, target: Path, items: Sequence[ReviewItem], tz: tzinfo
) -> int:
    """Write ``what`` to ``target``; returns the number of rows written.

    Contacts and touches are read through a connection of their own, so a long export
    does not hold up the app's other reads.
    """
    target = target.expanduser()
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name")
    if not target.parent.exists():
        raise UsageError(f"{target.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if what == "queue":
                count = write_csv(handle, REVIEW_COLUMNS, queue_rows(items, tz))
            else:
                store = Store(db_path)
                try:
                    header, rows = store.export_rows(what)
                    count = write_csv(handle, header, rows)
                finally:
                    store.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"could not write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count
