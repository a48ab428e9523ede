"""CSV export from the app: contacts, touches or today's queue, written atomically.

The file is written beside its target and renamed into place once complete
(``tracker.export.atomic_text_file``), so a failed export never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from pathlib import Path

from tracker.export import REVIEW_COLUMNS, atomic_text_file, review_rows, write_csv
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


def export_csv(
    db_path: Path, what: str, target: Path, items: Sequence[ReviewItem], tz: tzinfo
) -> int:
    """Write ``what`` to ``target``; returns the number of rows written.

    Contacts and touches are read through a connection of their own, so a long export
    does not hold up the app's other reads.
    """
    with atomic_text_file(target) as handle:
        if what == "queue":
            return write_csv(handle, REVIEW_COLUMNS, review_rows(items, tz))
        store = Store(db_path)
        try:
            header, rows = store.export_rows(what)
            return write_csv(handle, header, rows)
        finally:
            store.close()
