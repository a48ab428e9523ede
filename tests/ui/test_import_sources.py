"""The Import screen with the new sources: a folder's files listed as the CLI lists them,
an import that needs who you are asking in the screen's words (its You field, not
``--me``), and a scheduled meeting shown on Today's top line and on the contact."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Static

from tests.ui.conftest import NOW, SIZE, opened, settle, until
from tests.ui.test_import_screen import open_import, shown
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.imports import ImportScreen
from tracker.ui.widgets.path_input import PathInput
from tracker.ui.widgets.status_bar import StatusBar

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


async def test_a_folder_lists_its_files_and_imports_each(make_app, settings):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, FIXTURES / "downloads")
        found = shown(screen.query_one("#detected", Static))
        assert "Found: a folder of 3 exports" in found
        assert "report.csv: not recognised: not a text file (binary data: a PDF document)" in found
        assert "Someone else/: a folder: not read" in found
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#summary").display, "the summary")
        summary = shown(screen.query_one("#summary", Static))
        assert "→ added 7 contacts" in summary
        assert "WhatsApp chat (Dana Fictional) → added 5 touches" in summary
        assert "(“Create contacts” adds them)" in summary and "--create" not in summary


async def test_an_mbox_asks_for_your_address_in_the_you_field(make_app, settings, tmp_path):
    tracker = Tracker.open(tmp_path / "outreach.db", settings)
    tracker.add_contact({"name": "Dana Fictional", "email": "dana@example.com"})
    tracker.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        app.action_import()
        await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        await settle(pilot)
        screen.query_one("#path", PathInput).value = str(FIXTURES / "mail/takeout.mbox")
        await until(pilot, lambda: screen.found is not None, "detection")
        assert screen.query_one("#me-field").display
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#import-error").display, "the error")
        error = shown(screen.query_one("#import-error", Static)).strip()
        assert error == (
            "this mbox needs your email address: type it in the You field and import again"
        )
        screen.query_one("#me", Input).value = "sam@example.com"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#summary").display, "the summary")
        summary = shown(screen.query_one("#summary", Static))
        assert "(2 added, " in summary and "touches: 2 added" in summary
        assert "remembered in [me] (config.toml): emails sam@example.com" in summary


async def test_a_scheduled_meeting_on_today_and_on_the_contact(make_app, tmp_path, settings):
    tracker = Tracker.open(tmp_path / "outreach.db", settings)
    dana = tracker.add_contact({"name": "Dana Fictional"})
    tracker.log(dana, Channel.MEETING, Direction.OUT, NOW + timedelta(days=1, hours=1), "Demo")
    tracker.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        bar = app.screen.query_one(StatusBar)
        assert "next meeting: Dana Fictional, tomorrow 10:30" in shown(bar)
        app.open_contact(dana.id)
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "the contact")
        await settle(pilot)
        profile = shown(app.screen.query_one("#profile-text", Static))
        assert "Next meeting  tomorrow 10:30" in profile
        assert "next meeting" not in shown(app.screen.query_one(StatusBar))
