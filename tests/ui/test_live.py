"""The screen shows what the database holds: what another program writes (the CLI in
another pane, an import, a second app) appears on the open screen on its own, within a
second or so, with the cursor on the same item where it still exists; and when nothing
changed, nothing is read again or redrawn.

"Another program" is a second ``Tracker`` on the same file: another SQLite connection,
as the CLI would open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import NOW, has_item, opened, select, settle, until
from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.paged_table import PagedTable
from tracker.ui.widgets.queue_list import QueueList

SIZE = (100, 30)
LIVE = 300
"""How many looks ``until`` takes at most here: a change is seen at the watch's next
tick (twice a second), not on a worker the test could wait for."""


@pytest.fixture
def elsewhere(demo_db: Path, settings: Settings) -> Iterator[Tracker]:
    """Another program on the app's database."""
    other = Tracker.open(demo_db, settings)
    yield other
    other.close()


async def shows(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    await until(pilot, condition, what, rounds=LIVE)
    await settle(pilot)


def queue_list(pilot: Pilot[None]) -> QueueList:
    return pilot.app.screen.query_one(QueueList)


async def test_today_shows_new_items_and_keeps_the_cursor(make_app, demo_db, elsewhere):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        jake = await select(pilot, "Jake Moreno", "unanswered_text")
        before = queue_list(pilot).cursor

        amara = elsewhere.resolve("Amara Osei")
        elsewhere.follow_up(amara, NOW.date(), "send the proposal", at=NOW)

        def listed() -> bool:
            return any(e.item.contact == "Amara Osei" for e in queue_list(pilot).entries)

        await shows(pilot, listed, "Amara's follow-up on Today")
        assert has_item(app, "Amara Osei", "follow_up_due")
        queue = queue_list(pilot)
        assert queue.current is not None and queue.current.key == jake.key
        assert queue.cursor == before + 1  # a follow-up now comes before it

        moreno = elsewhere.resolve("Jake Moreno")
        elsewhere.log(moreno, Channel.SMS, Direction.IN, at=NOW, text="Yes, Tuesday works")
        await shows(
            pilot, lambda: not has_item(app, "Jake Moreno", "unanswered_text"), "Jake's reply"
        )
        queue = queue_list(pilot)
        assert all(e.key != jake.key for e in queue.entries)
        assert queue.current is not None  # on the item that took its place
        assert app.queue is not None and app.queue.done == 1
        assert isinstance(app.screen, TodayScreen)


async def contacts_on_the_sixth_row(pilot: Pilot[None]) -> tuple[PagedTable, Any]:
    """Contacts open, the cursor five rows down: the table and the row under it."""
    await opened(pilot)
    await pilot.press("2")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactsScreen))
    await settle(pilot)
    table = pilot.app.screen.query_one("#contacts", PagedTable)
    for _ in range(5):
        await pilot.press("down")
    await settle(pilot)
    return table, table.current


async def test_contacts_list_shows_a_new_contact_and_keeps_the_cursor(make_app, demo_db, elsewhere):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table, chosen = await contacts_on_the_sixth_row(pilot)
        assert chosen is not None and table.cursor == 5

        elsewhere.add_contact({"name": "Aaron Abbott", "company": "Abbott Tools"}, at=NOW)
        await shows(pilot, lambda: table.total == 41, "the new contact in the list")
        assert table.current is not None and table.current.id == chosen.id
        assert table.cursor == 6  # Aaron sorts first by name
        assert "41 contacts" in str(app.screen.query_one("#count").content)


async def test_two_reloads_in_a_row_keep_the_cursor_on_its_row(make_app, demo_db, elsewhere):
    """A second reload before the first one's fresh page has come follows the row the
    first one found, not the older row shown at the cursor's new index meanwhile."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        table, chosen = await contacts_on_the_sixth_row(pilot)
        assert chosen is not None
        elsewhere.add_contact({"name": "Aaron Abbott", "company": "Abbott Tools"}, at=NOW)
        loads = table._load
        table._load = lambda *args: None  # type: ignore[method-assign]  # no fresh page yet
        table.reload()
        await until(pilot, lambda: table.total == 41)
        assert table.cursor == 6  # found one row down; the page shown is still the old one
        table._load = loads  # type: ignore[method-assign]
        table.reload()  # before that page came: it follows the row found, not row 6 shown
        await settle(pilot)
        assert table.current is not None and table.current.id == chosen.id


async def test_a_contact_shows_a_touch_logged_elsewhere_and_keeps_the_cursor(
    make_app, demo_db, elsewhere
):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Grace Okafor", "after_call_text")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        timeline = screen.query_one("#timeline", PagedTable)
        await pilot.press("down")
        await settle(pilot)
        touch = screen.selected
        assert touch is not None and timeline.cursor == 1
        count = len(screen.touches.rows)

        grace = elsewhere.resolve("Grace Okafor")
        text = "Thanks for the call: the three-location quote is on its way"
        elsewhere.log(grace, Channel.SMS, at=NOW - timedelta(minutes=5), text=text, now=NOW)
        await shows(pilot, lambda: len(screen.touches.rows) == count + 1, "the new touch")
        assert screen.touches.rows[0].text == text
        assert screen.selected is not None and screen.selected.id == touch.id
        assert timeline.cursor == 2
        title = str(screen.query_one("#timeline-title").content)
        assert f"{count + 1} touches" in title


async def test_insights_count_what_was_logged_elsewhere(make_app, demo_db, elsewhere):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen) and app.screen.figures)
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        figures = screen.figures

        marcus = elsewhere.resolve("Marcus Bell")
        elsewhere.log(marcus, Channel.LINKEDIN_MESSAGE, at=NOW, text="Thanks for connecting!")
        await shows(pilot, lambda: screen.figures != figures, "fresh figures")
        assert "working" not in str(screen.query_one("#insights-filters").content)


async def test_nothing_changed_nothing_is_read_again(make_app, demo_db, monkeypatch):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        asked = []
        ask = app.data.changed_elsewhere

        def counted() -> bool:
            asked.append(True)
            return ask()

        monkeypatch.setattr(app.data, "changed_elsewhere", counted)
        queue, version = app.queue, app.data_version
        await until(pilot, lambda: len(asked) >= 4, "four looks at the database", rounds=LIVE)
        await settle(pilot)
        assert app.queue is queue
        assert app.data_version == version


async def test_the_same_queue_read_again_redraws_nothing(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        queue, version = app.queue, app.data_version
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.queue is queue  # equal: not replaced, so Today is not drawn again
        assert app.data_version == version + 1  # the other screens did read again


async def test_welcome_gives_way_to_today_when_another_program_fills_the_database(
    make_app, tmp_path: Path, settings: Settings
):
    from tracker.ui.screens.welcome import WelcomeScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        other = Tracker.open(tmp_path / "outreach.db", settings)
        try:
            other.add_contact({"name": "Dana Fictional"}, at=NOW)
        finally:
            other.close()
        await shows(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")
        assert not app.demo
