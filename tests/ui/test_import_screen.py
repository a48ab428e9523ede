"""The Import screen: from the welcome screen to Today, errors as one line with nothing
written, dry runs, and the path field's completion."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, ProgressBar, Static

from tests.ui.conftest import SIZE, has_item, opened, settle, until, until_handled
from tracker import importers
from tracker.config import Settings
from tracker.service import Tracker
from tracker.ui.screens.imports import ImportScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.screens.welcome import WelcomeScreen
from tracker.ui.widgets.path_input import PathInput, complete

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPORT = FIXTURES / "linkedin" / "export"


def shown(static: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(static.content)
    return console.export_text()


def contact_count(db: Path, settings: Settings) -> int:
    tracker = Tracker.open(db, settings)
    try:
        return tracker.store.count_contacts()
    finally:
        tracker.close()


async def open_import(pilot: Pilot[None], path: Path) -> ImportScreen:
    """From the welcome screen, open Import and type ``path``; wait for detection."""
    app = pilot.app
    await opened(pilot)
    assert isinstance(app.screen, WelcomeScreen)
    await pilot.press("i")
    await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    screen.query_one("#path", PathInput).value = str(path)
    await until(
        pilot,
        lambda: screen.found is not None or screen.query_one("#path-field").has_class("-invalid"),
        "detection",
    )
    return screen


async def test_import_linkedin_export_from_welcome_lands_on_today(make_app, tmp_path, settings):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, EXPORT)
        assert "LinkedIn export (folder)" in shown(screen.query_one("#detected", Static))
        assert screen.query_one("#me-field").display  # LinkedIn only
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#summary").display, "the summary")
        summary = shown(screen.query_one("#summary", Static))
        assert "LinkedIn export (folder), 17 records read" in summary
        assert "contacts: 7 added, 0 updated" in summary
        assert "touches: 8 added" in summary
        assert not screen.query_one("#import-error").display
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")
        await settle(pilot)
        assert has_item(app, "Morgan Pending", "stale_invite")  # stale invitations never lapse
        # The February message has been due for months: an older (lapsed) item, hidden.
        assert not has_item(app, "Dana Fictional", "no_reply")
        assert app.queue is not None
        assert [(e.item.contact, e.item.kind.value) for e in app.queue.lapsed] == [
            ("Dana Fictional", "no_reply")
        ]
        said = [n.message for n in app._notifications]
        assert any("1 older item is hidden (due more than 30 days ago)" in m for m in said)
    assert contact_count(tmp_path / "outreach.db", settings) == 7


async def test_a_file_broken_in_its_middle_is_one_line_and_writes_nothing(
    make_app, tmp_path, settings
):
    good = (EXPORT / "Connections.csv").read_text(encoding="utf-8-sig")
    broken = tmp_path / "Connections.csv"
    broken.write_text(good + 'Zed,Broken,https://www.linkedin.com/in/zed,,"Unclosed\n')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, broken)
        assert screen.found is not None  # the head looks fine: the break is further in
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#import-error").display, "the error")
        error = shown(screen.query_one("#import-error", Static)).strip()
        assert "\n" not in error
        assert error.startswith(f"{broken}:") and "broken CSV" in error
        assert not screen.query_one("#summary").display
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "back to welcome")
    assert contact_count(tmp_path / "outreach.db", settings) == 0


async def test_an_unreadable_path_shows_its_error_under_the_field(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, tmp_path / "nowhere.zip")
        field = screen.query_one("#path-field")
        assert field.has_class("-invalid")
        assert "no such file or folder" in shown(field.query_one(".field--error", Static))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#import-error").display, "the error")
        assert "no such file or folder" in shown(screen.query_one("#import-error", Static))


async def test_dry_run_reports_and_writes_nothing(make_app, tmp_path, settings):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, EXPORT)
        screen.query_one("#dry", Checkbox).value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#summary").display, "the summary")
        summary = shown(screen.query_one("#summary", Static))
        assert "(dry run: nothing was written)" in summary
        assert "contacts: 7 added" in summary
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "back to welcome")
    assert contact_count(tmp_path / "outreach.db", settings) == 0


async def test_tab_completes_the_path(make_app, tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "linkedin.zip").write_bytes(b"")
    assert complete(str(tmp_path / "exp")) == str(tmp_path / "exports") + "/"
    assert complete(str(tmp_path / "exports" / "l")) == str(tmp_path / "exports" / "linkedin.zip")
    assert complete(str(tmp_path / "zzz")) is None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportScreen))
        box = app.screen.query_one("#path", PathInput)
        box.value = str(tmp_path / "exp")
        await until(pilot, lambda: bool(box._suggestion), "a suggestion")
        await pilot.press("tab")
        assert box.value == str(tmp_path / "exports") + "/"


def test_snapshot_after_an_import(snap_compare, tmp_path, monkeypatch, settings):
    """The summary of the LinkedIn export, imported from the welcome screen (relative
    paths, frozen clock: the same picture every time)."""
    import shutil

    from tests.ui.conftest import FrozenClock
    from tracker.ui.app import OutreachApp

    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXPORT, tmp_path / "export")
    app = OutreachApp(Path("outreach.db"), settings, now=FrozenClock(), demo_path=Path("demo.db"))

    async def run_before(pilot: Pilot[None]) -> None:
        screen = await open_import(pilot, Path("export"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.query_one("#summary").display, "the summary")
        screen.query_one("#path", PathInput).cursor_blink = False
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def write_sms_backup(path: Path, texts: int) -> None:
    """An SMS backup read in many chunks (its messages from 500 numbers)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count='{texts}'>\n"
        )
        for n in range(texts):
            out.write(
                f'<sms protocol="0" address="+1312555{n % 500 + 1000:04d}" '
                f'date="{1700000000000 + n * 1000}" type="{1 + n % 2}" body="Text {n}" '
                f'read="1" status="-1" contact_name="Person {n % 500}" />\n'
            )
        out.write("</smses>\n")


HOLD_LIMIT = 120.0
"""Seconds a held import waits to be let go, or the test for it to get there: a bound on
a hang if the test breaks, never a wait that a passing run reaches."""


async def test_escape_cancels_a_running_import_and_saves_nothing(
    make_app, tmp_path, settings, monkeypatch
):
    backup = tmp_path / "sms.xml"
    write_sms_backup(backup, 20_000)
    # The import is held inside its transaction, half-way through the file (its rows so far
    # written), until the test lets it go: escape lands while it certainly runs.
    halfway, release = threading.Event(), threading.Event()
    held_at: list[tuple[int, int]] = []
    run_import = importers.run_import

    def held_import(tracker, path, kind=None, options=None, progress=None):
        def hold(done: int, total: int) -> None:
            progress(done, total)  # the screen's own callback: raises once cancelled
            if not halfway.is_set() and done * 2 >= total:
                held_at.append((done, total))
                halfway.set()
                release.wait(HOLD_LIMIT)

        return run_import(tracker, path, kind, options, hold)

    monkeypatch.setattr(importers, "run_import", held_import)
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_import(pilot, backup)
            screen.query_one("#create", Checkbox).value = True
            await pilot.press("ctrl+s")
            assert await asyncio.to_thread(halfway.wait, HOLD_LIMIT), "never half-way"
            [(done, total)] = held_at
            assert 0 < done < total  # more of the file to go: the import is mid-file
            bar = screen.query_one("#progress", ProgressBar)
            await until_handled(pilot, lambda: (bar.progress or 0) > 0, "the progress shown")
            assert screen.running
            assert str(screen.query_one("#back", Button).label) == "Cancel (esc)"
            await pilot.press("escape")
            release.set()
            await until(pilot, lambda: not screen.running, "the import to stop")
            error = shown(screen.query_one("#import-error", Static)).strip()
            assert error == "Import cancelled: nothing from this file was saved."
            assert not screen.query_one("#summary").display
            assert str(screen.query_one("#back", Button).label) == "Back (escape)"
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "back to welcome")
    finally:
        release.set()
    tracker = Tracker.open(tmp_path / "outreach.db", settings)
    try:
        assert tracker.store.count_contacts() == 0
        assert tracker.store.scalar("SELECT count(*) FROM touches") == 0
        assert tracker.store.scalar("PRAGMA integrity_check") == "ok"
    finally:
        tracker.close()


async def test_import_from_the_demo_says_it_goes_into_your_own_data(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("d")  # explore the demo
        await until(pilot, lambda: isinstance(app.screen, TodayScreen) and app.queue)
        await pilot.press("2")
        await until(pilot, lambda: type(app.screen).__name__ == "ContactsScreen")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportScreen), "the import screen")
        said = shown(app.screen.query_one("#import-demo", Static))
        assert "exploring the demo" in said and str(tmp_path / "outreach.db") in said
