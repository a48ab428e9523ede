"""Contacts: a table paged from SQLite, sorted by any column, filtered as you type."""

from __future__ import annotations

import time
from pathlib import Path

from tests.ui.conftest import SIZE, opened, settle, until
from tracker.config import Settings
from tracker.service import open_store
from tracker.ui.dialogs.choice import ChoiceDialog
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.widgets.paged_table import PAGE_SIZE, PagedTable


def many_contacts(path: Path, count: int) -> None:
    """``count`` contacts named ``Person 00001`` ... with a company cycling over ten."""
    store = open_store(path)
    rows = [
        {"name": f"Person {n:05d}", "company": f"Company {n % 10}", "phone": f"+1312555{n:04d}"}
        for n in range(count)
    ]
    tags = [("even",) if n % 2 == 0 else ("odd",) for n in range(count)]
    store.insert_contacts_bulk(rows, tags)
    store.refresh_stale()
    store.close()


async def open_contacts(pilot) -> PagedTable:
    await opened(pilot)
    await pilot.press("2")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactsScreen))
    table = pilot.app.screen.query_one("#contacts", PagedTable)
    await until(pilot, lambda: table.total is not None and table.current is not None)
    return table


def visible_names(table: PagedTable) -> list[str]:
    top = int(table.scroll_offset.y)
    rows = [table.row_at(i) for i in range(top, min(top + 5, table.total or 0))]
    return [row.name for row in rows if row is not None]


async def test_pages_thousands_of_rows_lazily(make_app, tmp_path: Path):
    db = tmp_path / "outreach.db"
    many_contacts(db, 5_000)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        assert table.total == 5_000
        assert len(table._pages) == 1  # only the first page was read
        assert visible_names(table)[:2] == ["Person 00000", "Person 00001"]
        await pilot.press("end")
        await until(pilot, lambda: table.current is not None)
        assert table.cursor == 4_999 and table.current.name == "Person 04999"
        assert len(table._pages) == 2
        await pilot.press("home", "pagedown")
        await settle(pilot)
        assert table.cursor > 10 and table.current is not None


async def test_thirty_thousand_contacts_open_at_once(make_app, tmp_path: Path):
    db = tmp_path / "outreach.db"
    many_contacts(db, 30_000)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        started = time.perf_counter()
        await pilot.press("2")
        table = await open_contacts(pilot)
        elapsed = time.perf_counter() - started
        assert table.total == 30_000
        assert elapsed < 2.0, f"contacts took {elapsed:.2f}s to show"
        assert len(table._pages) <= 2
        assert PAGE_SIZE * len(table._pages) < 1_000


async def test_sort_by_any_column_and_reverse(make_app, tmp_path: Path):
    db = tmp_path / "outreach.db"
    many_contacts(db, 300)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        screen = app.screen
        screen.sort_by("name")  # the current column again: reverse
        await until(pilot, lambda: table.current is not None)
        assert table.current.name == "Person 00299"
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("2")  # Company
        await until(pilot, lambda: table.current is not None and screen.sort == "company")
        assert table.current.company == "Company 0" and not screen.descending
        await pilot.click(PagedTable, offset=(25, 0))  # the Company header: reverse
        await until(pilot, lambda: screen.descending and table.current is not None)
        assert table.current.company == "Company 9"


async def test_filter_as_you_type_and_open(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        assert table.total == 40
        await pilot.press("slash", *"health")
        await until(pilot, lambda: table.total == 4)
        names = {table.row_at(i).row.name for i in range(4)}
        assert "Priya Raman" in names and "Yara Haddad" in names
        best = table.row_at(0).row
        await pilot.press("enter")  # opens the best match
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        assert app.screen.contact_id == best.id
        await pilot.press("q")
        assert isinstance(app.screen, ContactsScreen)
        assert app.focused is table  # the keys go to the list, not the search box
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"555-0134")
        await until(pilot, lambda: table.total == 1)
        assert table.current.row.name == "Jake Moreno"
        await pilot.press("escape")
        await until(pilot, lambda: table.total == 40)


async def test_number_keys_switch_screens_after_a_search_opened_a_contact(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        await pilot.press("slash", *"health")
        await until(pilot, lambda: table.total == 4)
        await pilot.press("enter")  # opens the best match
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await pilot.press("3")  # Insights, from the contact
        await until(pilot, lambda: type(app.screen).__name__ == "InsightsScreen")
        await pilot.press("2")  # back to the list, still filtered
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert app.screen.query_one("#filter").value == "health" and table.total == 4
        await pilot.press("1")  # Today: not a "1" typed into the search
        await until(pilot, lambda: type(app.screen).__name__ == "TodayScreen")


async def test_q_leaves_contacts_for_today(make_app, demo_db, settings: Settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("q")
        assert type(app.screen).__name__ == "TodayScreen"


async def test_back_from_a_new_contact_the_cursor_is_on_them(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_contacts(pilot)
        first = table.current
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "ContactForm")
        await pilot.press(*"Zed Alpha", "enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await until(pilot, lambda: table.current is not None and table.current.name == "Zed Alpha")
        assert first is not None and first.name != "Zed Alpha"
        await pilot.press("1", "2")  # Contacts again, from Today: the cursor stays put
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert table.current is not None and table.current.name == "Zed Alpha"
