"""Pictures of the main screens, compared with the SVGs under ``__snapshots__``.

Fixed size, frozen clock, the demo database, relative paths (the welcome screen shows
them): the same code always draws the same picture. After a deliberate change of look,
run ``pytest tests/ui/test_snapshots.py --snapshot-update`` and review the new SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui.conftest import NOW, FrozenClock, opened, select, settle, until
from tracker.config import Settings
from tracker.demo import build_demo
from tracker.service import Tracker
from tracker.ui.app import OutreachApp
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen

SIZE = (100, 30)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def app_for(settings: Settings, demo: bool = True) -> OutreachApp:
    db = Path("outreach.db")
    if demo:
        tracker = Tracker.open(db, settings)
        build_demo(tracker, NOW)
        tracker.close()
    return OutreachApp(db, settings, now=FrozenClock(), demo_path=Path("demo.db"))


async def steady(pilot: Pilot[None]) -> None:
    """Workers done, and no blinking cursor to catch mid-blink."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await settle(pilot)


def test_welcome(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await steady(pilot)

    assert snap_compare(app_for(settings, demo=False), terminal_size=SIZE, run_before=run_before)


def test_today(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)


def test_today_marked_range(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await select(pilot, "Nora Quinn", "stale_invite")
        await pilot.press("v", "down", "down")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)


def test_today_wide(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await select(pilot, "Chris Palmer", "step_back")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=(160, 45), run_before=run_before)


def test_contacts(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await pilot.press("2")
        await until(pilot, lambda: isinstance(pilot.app.screen, ContactsScreen))
        await pilot.press("down", "down")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)


def test_contact(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await select(pilot, "Grace Okafor", "after_call_text")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ContactScreen))
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)


def test_log_form(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await select(pilot, "Jake Moreno", "unanswered_text")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Sounds good, hold the slot")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, here, settings):
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await pilot.press("question_mark")
        await steady(pilot)

    assert snap_compare(app_for(settings), terminal_size=SIZE, run_before=run_before)
