"""Search in the app: ``/`` in Contacts and the ``ctrl+p`` palette find contacts by any
word of their fields or messages, show the matching snippet, and ``enter`` opens the best
match."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from tests.ui.conftest import SIZE, opened, searched, until
from tracker.config import Settings
from tracker.search import ContactMatch
from tracker.service import Tracker
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.widgets.paged_table import PagedTable


def people_db(path: Path, settings: Settings) -> Path:
    """Ann Lee (email ann.lee415@...) and Adam Fox, whose phone holds 415, plus a message."""
    tracker = Tracker.open(path, settings)
    try:
        tracker.add_contact({"name": "Adam Fox", "phone": "+1 415 555 0100", "company": "Acme"})
        tracker.add_contact({"name": "Ann Lee", "emails": ["ann.lee415@example.com"]})
    finally:
        tracker.close()
    return path


async def open_contacts(pilot) -> PagedTable:  # type: ignore[no-untyped-def]
    await opened(pilot)
    await pilot.press("2")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactsScreen))
    table = pilot.app.screen.query_one("#contacts", PagedTable)
    await until(pilot, lambda: table.total is not None and table.current is not None)
    return table


async def test_slash_finds_a_contact_by_a_word_of_a_message_with_its_snippet(
    make_app, demo_db
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        await pilot.press("slash", *"scope")
        await until(pilot, lambda: table.total == 1 and table.current is not None)
        match = table.current
        assert isinstance(match, ContactMatch)
        assert match.row.name == "Tomás Herrera" and match.hit.touch_id is not None
        assert "match" in [column.key for column in table.columns]
        row = "".join(segment.text for segment in table.render_line(1))
        assert "Tomás Herrera" in row and "…pilot scope; wants pricing by Friday · Cal" in row
        count = app.screen.query_one("#count", Static)
        await until(pilot, lambda: str(count.render()) == "1 of 40 contacts")
        await pilot.press("enter")  # from the search box: opens the best match
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        assert app.screen.contact_id == match.row.id
        await pilot.press("q")
        await pilot.press("escape")  # clears the search: every contact, no match column
        await until(pilot, lambda: table.total == 40)
        assert "match" not in [column.key for column in table.columns]


async def test_slash_ranks_the_email_above_a_phone_holding_the_digits(
    make_app, tmp_path: Path, settings: Settings
) -> None:
    app = make_app(people_db(tmp_path / "outreach.db", settings))
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        assert table.total == 2
        await pilot.press("slash", *"ann.lee415")
        await until(pilot, lambda: table.total == 1 and table.current is not None)
        assert table.current.row.name == "Ann Lee"
        assert table.current.hit.field == "email"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        assert app.screen.contact_id == table.current.row.id


async def test_slash_with_nothing_found_says_so_on_enter(make_app, demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        await pilot.press("slash", *"zebra", "enter")
        await until(pilot, lambda: table.total == 0)
        await until(
            pilot, lambda: any("No contacts match" in n.message for n in app._notifications)
        )
        assert isinstance(app.screen, ContactsScreen)


async def test_palette_finds_a_contact_by_a_word_in_a_message(make_app, demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"route planning")
        await searched(pilot, "route planning")
        first = app.screen.query_one(CommandList).get_option_at_index(0)
        prompt = str(first.prompt)
        assert "Tomás Herrera" in prompt
        assert "Intro from Jess: route planning pilot" in prompt
        assert "Bluebird Freight" in prompt and "Email" in prompt
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert app.screen.detail.contact.name == "Tomás Herrera"


async def test_palette_enter_opens_the_best_match(
    make_app, tmp_path: Path, settings: Settings
) -> None:
    app = make_app(people_db(tmp_path / "outreach.db", settings))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"ann.lee415")
        await searched(pilot, "ann.lee415")
        hits = app.screen.query_one(CommandList)
        assert hits.option_count == 1  # not Adam Fox, whose phone holds 415
        assert "ann.lee415@example.com" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert app.screen.detail.contact.name == "Ann Lee"
