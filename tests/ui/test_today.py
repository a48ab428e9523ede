"""Today: every action on a queue item, without leaving the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from tests.ui.conftest import SIZE, FrozenClock, has_item, opened, select, settle, until
from tracker.config import Settings
from tracker.models import Direction
from tracker.service import Tracker
from tracker.ui.dialogs.choice import AcceptedDialog, SnoozeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.queue_list import QueueList


def _tracker(db: Path, settings: Settings) -> Tracker:
    return Tracker.open(db, settings)


async def test_opens_on_today_grouped_by_kind(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, TodayScreen)
        queue = app.screen.query_one(QueueList)
        kinds = [e.item.kind for e in queue.entries]
        assert len(set(kinds)) == 9
        assert kinds == sorted(kinds, key=lambda k: k.rank)
        stale = [e.item for e in queue.entries if e.item.kind.value == "stale_invite"]
        assert [i.age_days for i in stale] == sorted((i.age_days for i in stale), reverse=True)
        assert app.queue is not None and app.queue.done == 0 and app.queue.total == 24


async def test_log_a_reply_and_the_item_leaves(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Jake Moreno", "unanswered_text")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        await pilot.press(*"Yes, hold a slot")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        await settle(pilot)
        assert not has_item(app, "Jake Moreno", "unanswered_text")
        assert app.queue is not None and app.queue.done == 1 and app.queue.total == 24
    tracker = _tracker(demo_db, settings)
    jake = tracker.resolve("Jake Moreno")
    last = tracker.store.touches_for(jake.id)[-1]
    tracker.close()
    assert (last.direction, last.channel.value, last.text) == (
        Direction.IN,
        "sms",
        "Yes, hold a slot",
    )


async def test_withdraw_then_resend_after_21_days(make_app, demo_db, clock: FrozenClock):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Nora Quinn", "stale_invite")
        await pilot.press("w")
        queue = app.screen.query_one(QueueList)
        assert all(e.item.contact != "Nora Quinn" for e in queue.entries)  # gone at once
        await settle(pilot)
        assert not has_item(app, "Nora Quinn", "stale_invite")
        clock.advance(20)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not has_item(app, "Nora Quinn", "resend_invite")
        clock.advance(1)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert has_item(app, "Nora Quinn", "resend_invite")


async def test_invitation_keys_do_nothing_on_other_items(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Sam Whitaker", "follow_up_due")
        await pilot.press("w", "a", "i")
        await settle(pilot)
        assert has_item(app, "Sam Whitaker", "follow_up_due")
        assert app.queue is not None and app.queue.done == 0


async def test_snooze_to_a_date_hides_until_that_day(make_app, demo_db, clock: FrozenClock):
    app = make_app(demo_db)
    until_day = (clock() + timedelta(days=5)).date()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Victor Nguyen", "no_reply")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        await pilot.press("4", *until_day.isoformat(), "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert not has_item(app, "Victor Nguyen", "no_reply")
        clock.advance(4)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not has_item(app, "Victor Nguyen", "no_reply")
        clock.advance(1)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert has_item(app, "Victor Nguyen", "no_reply")


async def test_snooze_tomorrow_and_a_bad_date(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Rosa Delgado", "no_reply")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        await pilot.press("4", *"2026-11-20", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SnoozeDialog)
        assert "after today" in app.screen.query_one("#until-field").error
        await pilot.press("escape")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        await pilot.press("1")
        await settle(pilot)
        assert not has_item(app, "Rosa Delgado", "no_reply")


async def test_follow_up_set_and_cleared(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Sam Whitaker", "follow_up_due")
        await pilot.press("f")
        await settle(pilot)
        due = app.screen.query_one("#due")
        due.value = "+2d"
        await pilot.press("enter")
        await settle(pilot)
        assert not has_item(app, "Sam Whitaker", "follow_up_due")
        await select(pilot, "Daniel Cho", "follow_up_due")
        await pilot.press("F")
        await settle(pilot)
        assert not has_item(app, "Daniel Cho", "follow_up_due")
    tracker = _tracker(demo_db, settings)
    sam, daniel = tracker.resolve("Sam Whitaker"), tracker.resolve("Daniel Cho")
    tracker.close()
    assert sam.follow_up_on == date(2026, 11, 25)
    assert sam.follow_up_reason == "send the ROI worksheet he asked for"
    assert daniel.follow_up_on is None


async def test_copy_a_suggestion_then_log_it(make_app, demo_db, settings):
    # The coach's texts name you: with no name set it offers none to copy.
    app = make_app(demo_db, settings=replace(settings, my_name="Sam Seller"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Tomás Herrera", "after_call_text")
        await pilot.press("c")  # the coach drafts it in a worker
        await until(pilot, lambda: app.clipboard.startswith("Hi Tomás"), "the copied text")
        assert "Thanks for the call yesterday." in app.clipboard
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        assert app.screen.query_one("#text").text == app.clipboard
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not has_item(app, "Tomás Herrera", "after_call_text")


async def test_undo_brings_the_item_back(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await pilot.press("a")  # asks when: 1 is today
        await until(pilot, lambda: isinstance(app.screen, AcceptedDialog))
        await pilot.press("1")
        await settle(pilot)
        assert not has_item(app, "Ben Schultz", "stale_invite")
        assert has_item(app, "Ben Schultz", "thank_new_connection")
        await pilot.press("u")
        await settle(pilot)
        assert has_item(app, "Ben Schultz", "stale_invite")
        assert not has_item(app, "Ben Schultz", "thank_new_connection")
        assert app.queue is not None and app.queue.done == 0
        current = app.screen.query_one(QueueList).current
        assert current is not None and current.item.contact == "Ben Schultz"  # the cursor on it


async def test_undo_of_done_puts_the_cursor_back_on_the_item(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        queue = app.screen.query_one(QueueList)
        first = queue.current
        assert first is not None
        await pilot.press("d")  # done for today: the cursor moves on to the next item
        await until(pilot, lambda: queue.current is not None and queue.current.key != first.key)
        await settle(pilot)
        await pilot.press("u")
        await until(pilot, lambda: queue.current is not None and queue.current.key == first.key)
        assert app.queue is not None and app.queue.done == 0


async def test_close_review_asks_and_increments_streak(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert app.queue is not None and app.queue.streak == 4
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await settle(pilot)
        assert not app.queue.closed
        # Closed with nothing dealt with: the day does not count toward the streak.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await settle(pilot)
        assert app.queue.closed and app.queue.streak == 4
        said = [n.message for n in app._notifications]
        assert any("nothing dealt with, so the streak stays at 4 days" in m for m in said)
        # One item dealt with (snoozed), then closed again: the day counts.
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        await pilot.press("1")
        await settle(pilot)
        assert app.queue.done == 1
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await settle(pilot)
        assert app.queue.closed and app.queue.streak == 5
    tracker = _tracker(demo_db, settings)
    closed = tracker.store.closed_reviews()[-1]
    tracker.close()
    assert closed["day"] == "2026-11-23" and closed["items_left"] == 23
    assert closed["items_done"] == 1


async def test_filter_the_queue(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("slash", *"invitation")
        await pilot.pause()
        queue = app.screen.query_one(QueueList)
        kinds = {e.item.kind.value for e in queue.entries}
        assert kinds <= {"stale_invite", "resend_invite", "thank_new_connection"}
        assert len(queue.entries) == 9
        await pilot.press("escape")
        await pilot.pause()
        assert len(queue.entries) == 24


async def test_enter_opens_the_contact_and_q_comes_back(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        entry = await select(pilot, "Chris Palmer", "step_back")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == entry.item.contact_id
        await pilot.press("q")
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_keymap_remaps_a_binding(make_app, demo_db):
    app = make_app(
        demo_db, settings=Settings(timezone="America/Chicago", keymap={"today.snooze": "z"})
    )
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeDialog)


async def test_mouse_selects_then_opens_an_item(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        queue = app.screen.query_one(QueueList)
        await pilot.click(QueueList, offset=(10, 5))  # the second item's middle line
        assert queue.cursor == 1
        assert isinstance(app.screen, TodayScreen)
        await pilot.click(QueueList, offset=(10, 4))
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        assert app.screen.contact_id == queue.entries[1].item.contact_id
