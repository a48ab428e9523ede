"""Fixtures for the app's tests: a frozen clock, the demo database, and a pilot helper
that waits until every worker has finished (no sleeps to guess at)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot

from tracker.config import Settings
from tracker.demo import build_demo
from tracker.service import Tracker
from tracker.service.day import QueueEntry
from tracker.ui.app import OutreachApp

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
SIZE = (100, 30)


@dataclass
class FrozenClock:
    """The app's clock in tests: stands still until told to move."""

    moment: datetime = NOW

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, days: int) -> None:
        self.moment += timedelta(days=days)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def demo_db(tmp_path: Path, settings: Settings) -> Path:
    """A database holding the demo people, as of ``NOW``."""
    path = tmp_path / "outreach.db"
    tracker = Tracker.open(path, settings)
    try:
        build_demo(tracker, NOW)
    finally:
        tracker.close()
    return path


@pytest.fixture
def make_app(tmp_path: Path, settings: Settings, clock: FrozenClock) -> Callable[..., OutreachApp]:
    def make(db: Path | None = None, **overrides: object) -> OutreachApp:
        chosen = overrides.pop("settings", settings)
        return OutreachApp(
            db or tmp_path / "outreach.db",
            chosen,  # type: ignore[arg-type]
            now=clock,
            demo_path=tmp_path / "demo.db",
            start=str(overrides.pop("start", "today")),
        )

    return make


async def settle(pilot: Pilot[None], rounds: int = 50) -> None:
    """Let every worker finish and every message they posted be handled."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return
    raise AssertionError("workers did not settle")


POLL = 0.02
"""Seconds ``until`` lets pass between two looks at its condition (for timers, such as
a debounce, that no worker stands for): a polling interval, not a wait to guess at."""


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str = "", rounds: int = 100
) -> None:
    """Wait (on workers, never on a fixed sleep) until ``condition`` holds, looking at
    most ``rounds`` times (more for what a timer brings, such as another program's
    write, seen within a second)."""
    for _ in range(rounds):
        if condition():
            return
        await settle(pilot)
        await pilot.pause(POLL)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def until_handled(
    pilot: Pilot[None], condition: Callable[[], bool], what: str = "", rounds: int = 100
) -> None:
    """Wait until ``condition`` holds, letting the app handle what was posted to it, but
    without waiting for workers: for a condition met while a worker is held on purpose."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {what or condition}")


async def searched(pilot: Pilot[None], text: str) -> None:
    """The command palette, with ``text`` typed into it, has finished searching for it:
    its input holds ``text``, no search is pending or running, and its list shows hits
    (not the "no matches" line)."""
    from textual.command import CommandInput, CommandList, CommandPalette

    app = pilot.app
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    group = CommandPalette._GATHER_COMMANDS_GROUP

    def listed() -> bool:
        hits = palette.query_one(CommandList)
        return (
            palette.query_one(CommandInput).value == text
            and not any(worker.group == group for worker in app.workers)
            and hits.option_count > 0
            and hits.get_option_at_index(0).id != CommandPalette._NO_MATCHES
        )

    await settle(pilot)  # the last keystroke's search has started (or already ended)
    await until(pilot, listed, f"the palette's hits for {text!r}")


async def opened(pilot: Pilot[None]) -> None:
    """The first screen is up and today's queue is loaded."""
    app = pilot.app
    await until(pilot, lambda: len(app.screen_stack) > 1, "the first screen")
    await settle(pilot)


def entries(app: OutreachApp) -> list[QueueEntry]:
    assert app.queue is not None
    return list(app.queue.entries)


async def select(pilot: Pilot[None], name: str, kind: str) -> QueueEntry:
    """Put the Today cursor on ``name``'s item of ``kind``."""
    from tracker.ui.widgets.queue_list import QueueList

    queue = pilot.app.screen.query_one(QueueList)
    for index, entry in enumerate(queue.entries):
        if entry.item.contact == name and entry.item.kind.value == kind:
            queue.cursor = index
            await pilot.pause()
            return entry
    raise AssertionError(f"no {kind} item for {name}")


def has_item(app: OutreachApp, name: str, kind: str) -> bool:
    return any(e.item.contact == name and e.item.kind.value == kind for e in entries(app))


def identifier_line(form: Any, kind: str, index: int = 0) -> Any:
    """The ``index``-th line of a contact form's phones (``kind`` "phone") or emails."""
    from tracker.ui.widgets.identifiers import IdentifierList

    return form.query_one(f"#{kind}s", IdentifierList).lines[index]
