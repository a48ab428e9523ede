"""Keys that arrive together (over SSH, from a fast typist, a macro): the keys after one
that moves the focus into a text field are the field's, never the screen's shortcuts."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.ui.conftest import SIZE, opened, settle, until
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.queue_list import QueueList


def burst(app, keys: str) -> None:
    """Post every key at once, as a terminal hands over keys that came in one read."""
    for character in keys:
        key = "slash" if character == "/" else character
        app.post_message(events.Key(key, character))


async def test_a_word_typed_right_after_slash_filters_and_acts_on_nothing(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        before = app.queue
        assert before is not None
        queue = app.screen.query_one(QueueList)
        first = queue.current
        burst(app, "/stale")  # s snoozes, a marks accepted, ... had they reached the queue
        await until(pilot, lambda: bool(app.screen.query("#filter")))
        box = app.screen.query_one("#filter", Input)
        await until(pilot, lambda: box.value == "stale")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)  # no dialog opened
        assert app.focused is box and box.value == "stale"
        assert app.queue is not None and app.queue.done == before.done
        assert first is not None and app.data.snapshot().done == before.done


async def test_a_search_typed_right_after_slash_on_contacts_stays_there(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, ContactsScreen))
        screen = app.screen
        burst(app, "/health1")  # 1 would have gone back to Today
        box = screen.query_one("#filter", Input)
        await until(pilot, lambda: box.value == "health1")
        await settle(pilot)
        assert app.screen is screen and app.focused is box


async def test_keys_meant_for_a_dialog_still_reach_it(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        queue = app.screen.query_one(QueueList)
        first = queue.current
        assert first is not None
        burst(app, "s1")  # snooze, then 1 (tomorrow) in the dialog
        await until(pilot, lambda: queue.current is not None and queue.current.key != first.key)
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert all(entry.key != first.key for entry in queue.entries)
