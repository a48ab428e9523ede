"""Helpers for importer tests: the hand-written fixture files and a one-call import."""

from __future__ import annotations

import hashlib
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


def table_dump(tracker: Tracker) -> list[str]:
    return list(tracker.store.conn.iterdump())
