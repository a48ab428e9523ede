"""Helpers for importer tests: the hand-written fixture files and a one-call import."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from tracker.importers import ImportOptions, ImportSummary, run_import
from tracker.service import Tracker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def do_import(
    tracker: Tracker, path: Path, kind: str | None = None, **options: Any
) -> ImportSummary:
    return run_import(tracker, path, kind, ImportOptions(**options))


def db_fingerprint(path: Path) -> str:
    """A hash of the database file and its WAL, to prove nothing was written."""
    digest = hashlib.sha256()
    for candidate in (path, path.with_name(path.name + "-wal")):
        if candidate.exists():
            digest.update(candidate.read_bytes())
    return digest.hexdigest()


_INDEX_PAGES = re.compile(r'INSERT INTO "(contact|touch)_search_(data|idx)"')
"""Dump lines of the search indexes' b-tree pages: the same contents may be laid out
differently (after an undo, say), so they are compared by what they hold instead."""


def table_dump(tracker: Tracker) -> list[str]:
    """Every row of the database as SQL; the search indexes as what they hold (each
    term's every occurrence), not as the pages FTS5 happens to lay them out in."""
    conn = tracker.store.conn
    lines = [line for line in conn.iterdump() if not _INDEX_PAGES.match(line)]
    for index in ("contact_search", "touch_search"):
        terms = f"temp.{index}_terms"
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {terms} USING fts5vocab(main, {index}, instance)"
        )
        lines += [repr(row) for row in conn.execute(f"SELECT * FROM {terms} ORDER BY 1, 2, 3, 4")]
    return lines
