"""Opening the app on a chosen screen (``outreach app --screen``): the screen comes up
first with its own rows, today's queue follows, and leaving it goes to Today."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import click.testing
import pytest

from tests.ui.conftest import SIZE, opened, settle, until
from tests.ui.test_contacts import many_contacts
from tracker.cli import app_launch, cli
from tracker.service.session import Session
from tracker.ui.app import OutreachApp
from tracker.ui.collector import StartPause
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.screens.imports import ImportScreen
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.screens.welcome import WelcomeScreen
from tracker.ui.styles import SCREENS_CSS
from tracker.ui.widgets.paged_table import PAGE_SIZE, PagedTable


async def test_opens_on_contacts_with_its_first_page_then_the_queue(make_app, tmp_path: Path):
    db = tmp_path / "many.db"
    many_contacts(db, 3_000)
    app = make_app(db, start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert len(app.screen_stack) == 2  # nothing built underneath it
        table = app.screen.query_one("#contacts", PagedTable)
        await until(pilot, lambda: table.current is not None)
        assert table.total == 3_000
        assert list(table._pages) == [0]  # one page read from SQLite, not the table
        assert len(table._pages[0][1]) == PAGE_SIZE
        await until(pilot, lambda: app.queue is not None, "the queue after the rows")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert len(app.screen_stack) == 2
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert len(app.screen_stack) == 2


async def test_opens_on_insights_and_leaves_to_today(make_app, demo_db):
    app = make_app(demo_db, start="insights")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, InsightsScreen)
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("q")  # back to Insights, under it
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen) and app.queue)
        assert len(app.screen_stack) == 2
        assert app.screen.query_one("#queue").entries


async def test_opens_on_import_and_leaves_to_today(make_app, demo_db):
    app = make_app(demo_db, start="import")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        assert len(app.screen_stack) == 2


@pytest.mark.parametrize("start", ["contacts", "import"])
async def test_an_empty_database_opens_on_the_welcome_screen(make_app, start: str):
    app = make_app(start=start)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        if start == "import":  # importing is how an empty database fills up
            await until(pilot, lambda: isinstance(app.screen, ImportScreen))
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2


def test_an_unknown_screen_is_refused(tmp_path: Path, settings):
    with pytest.raises(ValueError, match="no screen 'nowhere'"):
        OutreachApp(tmp_path / "x.db", settings, start="nowhere")


def test_cli_opens_the_app_on_the_chosen_screen(tmp_path: Path, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(OutreachApp, "run", lambda self: started.append(self.start))
    monkeypatch.setattr(app_launch, "has_terminal", lambda: True)  # CliRunner has none
    runner = click.testing.CliRunner()
    db = str(tmp_path / "outreach.db")
    result = runner.invoke(cli, ["--db", db, "app", "--screen", "contacts"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", db, "app"])
    assert result.exit_code == 0, result.output
    assert started == ["contacts", "today"]
    result = runner.invoke(cli, ["--db", db, "app", "--screen", "nowhere"])
    assert result.exit_code == 2
    assert "'nowhere' is not one of 'today', 'contacts', 'insights', 'import'" in result.output


def test_the_read_ahead_is_taken_once_and_dropped_by_a_write(demo_db: Path, settings, clock):
    data = Session(demo_db, settings, clock)
    try:
        data.read_ahead("", "name", False, 5)
        fresh = data.run(lambda t: t.store.list_contacts(limit=5))
        assert data.contacts_page("", "name", False, 0, 5) == fresh
        assert list(data._early) == [("count", "")]  # the page was taken
        assert data.count_contacts() == len(data.run(lambda t: t.store.list_contacts(limit=999)))
        assert data._early == {}
        data.read_ahead("", "name", False, 5)
        data.write("", lambda t: None)
        assert data._early == {}
    finally:
        data.close()


LOADED_LATER = (
    "tracker.search",
    "tracker.search_words",
    "tracker.service.search_reader",
    "tracker.whatif",
    "tracker.whatif_report",
    "tracker.tradeoffs",
    "tracker.review_days",
    "tracker.duplicates",
    "tracker.segments",
    "tracker.links",
    "tracker.coach.findings",
    "tracker.coach.suggestions",
    "tracker.coach.templates",
    "tracker.sequences.funnel",
    "tracker.sequences.loading",
    "tracker.config_write",
    "tracker.demo",
    "tracker.export",
    "tracker.insights",
    "tracker.importers",
)
"""Rules and screens' parts the first paint of Today or Contacts does without: each
loads when first used, so the app's start does not pay for importing it."""


def test_the_start_imports_only_what_the_first_paint_needs(tmp_path: Path):
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "import tracker.ui.app\n"
        "from tracker.config import Settings\n"
        "from tracker.service.session import Session\n"
        "from tracker.ui.screens import screen_class\n"
        "screen_class('today'), screen_class('contacts')\n"
        "data = Session(Path(sys.argv[1]), Settings(), lambda: datetime.now(UTC))\n"
        "data.is_empty(), data.theme(), data.snapshot(), data.read_ahead('', 'name', False, 50)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "start.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = result.stdout.split()
    assert "tracker.ui.screens.today" in loaded  # the check sees what it should
    early = [name for name in loaded if name.startswith(LOADED_LATER)]
    assert early == []


def test_the_collector_is_paused_from_pause_to_resume_then_frozen_until_the_end():
    pause = StartPause()
    assert gc.isenabled()
    pause.pause()
    try:
        pause.pause()  # the app's own pause after the launcher's: still this one
        assert not gc.isenabled()
        pause.resume()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what the start made is walked no more
    finally:
        pause.end()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_collector_stopped_by_someone_else_is_left_to_them():
    gc.disable()
    try:
        pause = StartPause()
        pause.pause()
        pause.resume()
        assert not gc.isenabled()
        pause.end()
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


async def test_the_app_collects_again_once_its_first_screen_has_painted(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await until(pilot, gc.isenabled, "the collector back on")
        assert app.screen.query_one("#queue").entries
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # the closed app can be collected


def test_the_launcher_pauses_the_collector_through_the_imports_until_the_app_ends(
    tmp_path: Path, monkeypatch
):
    collecting: list[bool] = []
    monkeypatch.setattr(OutreachApp, "run", lambda self: collecting.append(gc.isenabled()))
    monkeypatch.setattr(app_launch, "has_terminal", lambda: True)
    result = click.testing.CliRunner().invoke(cli, ["--db", str(tmp_path / "o.db"), "app"])
    assert result.exit_code == 0, result.output
    assert collecting == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("start", ["today", "contacts"])
async def test_today_and_contacts_open_on_the_styles_read_at_start(make_app, demo_db, start):
    app = make_app(demo_db, start=start)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert app.screen.__class__.__name__.lower().startswith(start)
        assert not app.stylesheet.has_source(str(SCREENS_CSS))  # the other screens' rules
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        assert app.stylesheet.has_source(str(SCREENS_CSS))
