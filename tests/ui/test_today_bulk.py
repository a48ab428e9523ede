"""Today on many items at once: marking (space, v for a range, ctrl+a for a group), the
same keys acting on every marked item with one undo, d (done for today), and the older
(lapsed) items: counted in the top line, shown with o, announced once after an import."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import NOW, SIZE, FrozenClock, has_item, opened, select, settle, until
from tracker import importers
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.ui.dialogs.choice import SnoozeDialog
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.queue_list import QueueList
from tracker.ui.widgets.status_bar import StatusBar

YEARS = Path(__file__).resolve().parent.parent / "fixtures" / "sms" / "years.xml"


def marked(app) -> list[tuple[str, str]]:
    queue = app.screen.query_one(QueueList)
    return [(e.item.contact, e.item.kind.value) for e in queue.marked_entries()]


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


def top_line(app) -> str:
    return str(app.screen.query_one(StatusBar).render())


async def test_space_marks_and_unmarks_and_escape_clears(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Nora Quinn", "stale_invite")
        await pilot.press("space")
        assert marked(app) == [("Nora Quinn", "stale_invite")]
        await pilot.press("down", "space")
        assert marked(app) == [("Nora Quinn", "stale_invite"), ("Ben Schultz", "stale_invite")]
        await pilot.press("space")
        assert marked(app) == [("Nora Quinn", "stale_invite")]
        await pilot.press("escape")
        assert marked(app) == []
        assert isinstance(app.screen, TodayScreen)


async def test_v_marks_a_range_that_follows_the_cursor(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await pilot.press("v", "down", "down")
        assert marked(app) == [
            ("Ben Schultz", "stale_invite"),
            ("Fatima Zahra", "stale_invite"),
            ("Oliver Grant", "stale_invite"),
        ]
        await pilot.press("up")  # the range shrinks with the cursor
        assert len(marked(app)) == 2
        await pilot.press("up", "up")  # and grows past its start the other way
        assert marked(app) == [("Nora Quinn", "stale_invite"), ("Ben Schultz", "stale_invite")]
        await pilot.press("v", "down", "down", "down")  # v again ends it
        assert marked(app) == [("Nora Quinn", "stale_invite"), ("Ben Schultz", "stale_invite")]


async def test_ctrl_a_marks_the_group_or_everything_by_priority(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Rosa Delgado", "no_reply")
        await pilot.press("ctrl+a")
        assert sorted(marked(app)) == [
            ("Hannah Lindqvist", "no_reply"),
            ("Rosa Delgado", "no_reply"),
            ("Victor Nguyen", "no_reply"),
        ]
        await pilot.press("ctrl+a")  # all marked already: unmarks the group
        assert marked(app) == []
        await pilot.press("p", "ctrl+a")
        assert len(marked(app)) == 24


async def test_a_bulk_snooze_leaves_together_and_one_u_brings_all_back(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Rosa Delgado", "no_reply")
        await pilot.press("ctrl+a", "s")
        await until(pilot, lambda: isinstance(app.screen, SnoozeDialog))
        await pilot.press("1")  # tomorrow
        await settle(pilot)
        for name in ("Rosa Delgado", "Hannah Lindqvist", "Victor Nguyen"):
            assert not has_item(app, name, "no_reply")
        assert "Snoozed 3 items until Tue 24 Nov 2026. (u undoes)" in said(app)
        assert marked(app) == []
        await pilot.press("u")
        await settle(pilot)
        for name in ("Rosa Delgado", "Hannah Lindqvist", "Victor Nguyen"):
            assert has_item(app, name, "no_reply")
        assert app.queue is not None and app.queue.done == 0


async def test_invitation_keys_on_marked_items_skip_the_others(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Victor Nguyen", "no_reply")
        await pilot.press("space")
        await select(pilot, "Nora Quinn", "stale_invite")
        await pilot.press("space", "down", "space", "w")
        await settle(pilot)
        assert not has_item(app, "Nora Quinn", "stale_invite")
        assert not has_item(app, "Ben Schultz", "stale_invite")
        assert has_item(app, "Victor Nguyen", "no_reply")
        assert (
            "2 invitations marked withdrawn; 1 skipped (1 not an invitation). (u undoes)"
            in said(app)
        )
        # Only non-invitations marked: nothing to do, and the marks stay.
        await select(pilot, "Victor Nguyen", "no_reply")
        await pilot.press("space", "a")
        await settle(pilot)
        assert marked(app) == [("Victor Nguyen", "no_reply")]
        assert any("is an invitation: nothing changed" in text for text in said(app))
    tracker = Tracker.open(demo_db, settings)
    statuses = [
        tracker.latest_invitation(tracker.resolve(n)) for n in ("Nora Quinn", "Ben Schultz")
    ]
    tracker.close()
    assert [t.status for t in statuses if t] == ["withdrawn", "withdrawn"]


async def test_accepting_marked_invitations_asks_when_once(make_app, demo_db):
    from tracker.ui.dialogs.choice import AcceptedDialog

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Fatima Zahra", "stale_invite")
        await pilot.press("v", "down", "v", "a")
        await until(pilot, lambda: isinstance(app.screen, AcceptedDialog))
        await pilot.press("1")  # today
        await settle(pilot)
        for name in ("Fatima Zahra", "Oliver Grant"):
            assert not has_item(app, name, "stale_invite")
            assert has_item(app, name, "thank_new_connection")
        assert "2 invitations marked accepted. (u undoes)" in said(app)
        await pilot.press("u")
        await settle(pilot)
        assert has_item(app, "Fatima Zahra", "stale_invite")
        assert not has_item(app, "Oliver Grant", "thank_new_connection")


async def test_d_is_done_for_today_and_back_tomorrow(make_app, demo_db, clock: FrozenClock):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Jake Moreno", "unanswered_text")
        await pilot.press("d")
        await settle(pilot)
        assert not has_item(app, "Jake Moreno", "unanswered_text")
        assert app.queue is not None and (app.queue.done, app.queue.total) == (1, 24)
        assert "1/24 done" in top_line(app)
        await select(pilot, "Mei Tanaka", "unanswered_text")
        await pilot.press("space")
        await select(pilot, "Laura Benson", "step_back")
        await pilot.press("space", "d")
        await settle(pilot)
        assert (app.queue.done, app.queue.total) == (3, 24)
        await pilot.press("u")  # one u takes back the pair
        await settle(pilot)
        assert has_item(app, "Mei Tanaka", "unanswered_text")
        assert has_item(app, "Laura Benson", "step_back")
        assert (app.queue.done, app.queue.total) == (1, 24)
        clock.advance(1)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert has_item(app, "Jake Moreno", "unanswered_text")  # still due: back
        assert app.queue.done == 0


async def test_older_items_are_counted_on_top_and_shown_with_o(make_app, demo_db, settings):
    tracker = Tracker.open(demo_db, settings)
    kit = tracker.add_contact({"name": "Kit Archive", "phone": "+13125550299"})
    tracker.log(kit, Channel.SMS, Direction.OUT, NOW.replace(year=2024), "Coffee?")
    tracker.close()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert "1 older hidden" in top_line(app)
        assert not has_item(app, "Kit Archive", "unanswered_text")
        queue = app.screen.query_one(QueueList)
        assert len(queue.entries) == 24
        await pilot.press("o")
        await settle(pilot)
        assert len(queue.entries) == 25
        older = [e for e in queue.entries if e.item.contact == "Kit Archive"]
        assert len(older) == 1 and older[0].item.lapsed
        assert "1 older shown" in top_line(app)
        assert app.queue is not None and app.queue.total == 24  # the day's work is the same
        await pilot.press("o")
        await settle(pilot)
        assert len(queue.entries) == 24 and "1 older hidden" in top_line(app)


async def test_the_first_today_after_an_import_says_what_it_hid_once(make_app, tmp_path, settings):
    db = tmp_path / "outreach.db"
    tracker = Tracker.open(db, settings)
    importers.run_import(tracker, YEARS, "sms", importers.ImportOptions(create_contacts=True))
    tracker.close()
    word = (
        "Your import brought 3 years of history: 4 older items are hidden "
        "(due more than 30 days ago). Press o to see them."
    )
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await until(pilot, lambda: word in said(app), "the word about the import")
        assert app.queue is not None and app.queue.import_notice is None
        assert "4 older hidden" in top_line(app)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await settle(pilot)
        assert word not in said(app)
        assert isinstance(app.screen, TodayScreen)


async def test_keys_are_in_the_help(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        described = {k.keys: k.description for k in screen.help_keys()}
        for key in ("space", "v", "^a", "d", "o"):
            assert any(key in keys.split() for keys in described), key
        ids = {b.id for bindings in screen._bindings.key_to_bindings.values() for b in bindings}
        assert {"today.mark", "today.mark_range", "today.mark_group", "today.done"} <= ids
        assert "today.show_lapsed" in ids
