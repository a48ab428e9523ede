"""Damaged pages under the running app: the file is sound when the app opens it, then
garbage lands over its pages. Every read and write the screens make through the app's data
layer either works or fails with the store's one-line ``StoreError`` (which every screen
shows), never a raw SQLite exception from a worker thread; the garbage is never written
over."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.reliability import dbcheck, faults
from tests.reliability.figures import Figures
from tests.reliability.generate import seed_database
from tracker.config import Settings
from tracker.errors import StoreError
from tracker.models import Kind
from tracker.service import Tracker
from tracker.service.edits import UndoStep
from tracker.service.session import Session

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 120 contacts and their touches (some 40 pages)."""
    path = tmp_path_factory.mktemp("history") / "history.db"
    seed_database(path)
    return path


def snooze(tracker: Tracker) -> UndoStep:
    return tracker.snooze_item(7, Kind.NO_REPLY, NOW.date())


def screen_calls(data: Session) -> list[tuple[str, Callable[[], Any]]]:
    """What Today, Contacts, a contact's page and their keys ask of the data layer."""
    return [
        ("today", data.snapshot),
        ("contacts count", data.count_contacts),
        ("contacts page", lambda: data.contacts_page("", "name", False, 0, 50)),
        ("contacts sorted", lambda: data.contacts_page("", "last_touch", True, 40, 50)),
        ("search", lambda: data.search("an")),
        ("contact page", lambda: data.contact_detail(60)),
        ("snooze", lambda: data.write("snooze", snooze)),
        ("undo", data.undo),
    ]


def test_damage_under_the_open_app(
    tmp_path: Path, history: Path, figures: Figures, seed: int
) -> None:
    rng = random.Random(seed)
    area = figures.area("storage faults")
    refused = 0
    for attempt in range(6):
        db = faults.copy_private(history, tmp_path / f"app-{attempt}.db")
        dbcheck.remove_sidecars(db)
        data = Session(db, Settings(timezone="America/Chicago"), lambda: NOW)
        try:
            assert data.count_contacts() > 0  # opened while the file was sound
            count = faults.pages(db)
            first = rng.randrange(2, count - 1)
            last = min(count - 1, first + rng.randrange(0, 4))
            garbage = faults.damage(db, first, last, rng, zeros=attempt % 2 == 1)
            for name, call in screen_calls(data):
                try:
                    call()
                except StoreError as exc:
                    refused += 1
                    message = str(exc)
                    assert "\n" not in message and str(db) in message, (name, message)
                except sqlite3.Error as exc:  # pragma: no cover - the failure this guards
                    raise AssertionError(
                        f"{name}: raw SQLite error reached the app: {exc}"
                    ) from exc
            assert faults.region(db, first, last) == garbage, "the damaged pages were written over"
        finally:
            data.close()
        area.add(cases=len(screen_calls(data)), faults=1)
    assert refused > 0, "no damage was ever met: the pages chosen held nothing read"
    area.count("damaged under the open app", 6)
