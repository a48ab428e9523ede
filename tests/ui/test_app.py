"""The app around the screens: first run and the demo, the palette, export, help, theme,
and user text that must never reach the terminal as control codes."""

from __future__ import annotations

import csv
from pathlib import Path

from textual.command import CommandPalette

from tests.ui.conftest import SIZE, opened, searched, select, settle, until
from tracker.service import Tracker, open_store
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.export import ExportDialog
from tracker.ui.dialogs.help import HelpScreen
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.screens.welcome import WelcomeScreen
from tracker.ui.widgets.queue_list import QueueList
from tracker.ui.widgets.status_bar import StatusBar


async def test_first_run_offers_the_demo_in_its_own_file(make_app, tmp_path: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen) and app.queue)
        assert app.demo and app.data.db_path == tmp_path / "demo.db"
        assert "DEMO" in str(app.screen.query_one(StatusBar).render())
        assert len(app.queue.entries) == 24
    real = open_store(tmp_path / "outreach.db")
    assert real.is_empty()
    real.close()


async def test_first_run_add_a_first_contact(make_app, tmp_path: Path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Dana Fictional", "enter")
        # The new contact opens, over Today (q goes back to the queue).
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert app.screen.detail.contact.name == "Dana Fictional"
        assert not app.demo
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
    store = open_store(tmp_path / "outreach.db")
    assert store.counts()["contacts"] == 1
    store.close()


async def test_palette_finds_a_contact_by_phone(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"(720) 555-0134")
        await searched(pilot, "(720) 555-0134")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert app.screen.detail.contact.name == "Jake Moreno"


async def test_palette_finds_by_tag_and_lists_commands(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Export con")
        await searched(pilot, "Export con")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"denver")
        await searched(pilot, "denver")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert app.screen.detail.contact.name == "Jake Moreno"


async def test_export_contacts_and_the_queue(make_app, demo_db, tmp_path: Path):
    app = make_app(demo_db)
    target = tmp_path / "out" / "people.csv"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("2", "e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog))
        said = [n.message for n in app._notifications]
        assert any(f"Exported 40 contacts to {target}" in m for m in said)
        await pilot.press("1", "e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        queue_file = tmp_path / "out" / "queue.csv"
        app.screen.query_one("#path").value = str(queue_file)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: queue_file.exists())
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40 and rows[0]["name"] == "Priya Raman"
    with queue_file.open(encoding="utf-8") as handle:
        queue = list(csv.DictReader(handle))
    assert len(queue) == 24 and queue[0]["kind"] == "thank_new_connection"


async def test_export_to_a_missing_folder_says_so(make_app, demo_db, tmp_path: Path):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#path").value = str(tmp_path / "nowhere" / "x.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no such folder" in app.screen.query_one("#path-field").error


async def test_help_lists_every_binding_of_the_screen(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Sam Whitaker", "follow_up_due")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = {(k.keys, k.description) for k in app.screen.keys}
        for expected in (
            ("r", "Log their reply (a touch from them)"),
            ("w", "Mark the invitation withdrawn (not now)"),
            ("x", "Close today's review (the streak counts days closed with an item dealt with)"),
            ("q", "Quit"),
            ("/", "Filter the queue as you type"),
            ("u", "Take back the last change"),
            ("^q", "Quit the app"),
        ):
            assert expected in listed, expected
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_theme_choice_is_remembered(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme == "textual-light"
    again = make_app(demo_db)
    async with again.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert again.theme == "textual-light"


async def test_control_characters_never_reach_the_screen(make_app, demo_db, settings, clock):
    tracker = Tracker.open(demo_db, settings)
    evil = tracker.add_contact(
        {"name": "Eve \x1b[31mRed[/] \u202eesrever", "company": "[bold]Acme\x07"},
        at=clock(),
    )
    tracker.follow_up(evil, clock().date(), "call \x1b]52;c;bad\x07 back", at=clock())
    tracker.close()
    app = make_app(demo_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(pilot)
        await select(pilot, evil.name, "follow_up_due")
        queue = app.screen.query_one(QueueList)
        lines = [queue.render_line(y).text for y in range(queue.size.height)]
        shown = "\n".join(lines)
        assert "Eve \\x1b[31mRed[/] \\u202eesrever" in shown
        assert "[bold]Acme\\x07" in shown
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        profile = str(app.screen.query_one("#profile-text").render())
        assert "\x1b" not in profile and "\\x1b]52" in profile
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        name_box = app.screen.query_one("#name")
        assert name_box.value == "Eve \\x1b[31mRed[/] \\u202eesrever"
        app.screen.query_one("#company").value = "Acme"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await settle(pilot)
    tracker = Tracker.open(demo_db, settings)
    saved = tracker.store.get_contact(evil.id)
    tracker.close()
    assert saved.name == evil.name and saved.company == "Acme"  # untouched field kept as is
