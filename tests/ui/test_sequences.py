"""Sequences in the app: enroll from a contact (a picker of sequences), the contact's
plan, the step on Today with its draft, done on it, and a pause said on Today."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from tests.ui.conftest import NOW, has_item, opened, select, settle, until
from tests.ui.test_insights import panel
from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.enroll import SequencePicker
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.item_detail import ItemDetail, ItemHint
from tracker.ui.widgets.status_bar import StatusBar


def people(path: Path, settings: Settings, enrolled: bool = False) -> dict[str, int]:
    """Two contacts (one already enrolled in call-first from today, when asked)."""
    tracker = Tracker.open(path, settings)
    try:
        dana = tracker.add_contact(
            {"name": "Dana Fictional", "phone": "+13125550142", "email": "dana@example.com"},
            at=NOW,
        )
        lee = tracker.add_contact({"name": "Lee Example", "phone": "+12065550123"}, at=NOW)
        if enrolled:
            tracker.enroll([dana.id], "call-first", None, NOW)
        return {"Dana Fictional": dana.id, "Lee Example": lee.id}
    finally:
        tracker.close()


def plan_of(path: Path, settings: Settings, contact_id: int) -> list[str]:
    tracker = Tracker.open(path, settings)
    try:
        return [p.sequence for p in tracker.contact_plans(contact_id, tracker.clock(NOW))]
    finally:
        tracker.close()


async def test_enroll_from_the_contact_screen(make_app, tmp_path: Path, settings: Settings):
    db = tmp_path / "outreach.db"
    ids = people(db, settings)
    app = make_app(db)
    async with app.run_test(size=(100, 40)) as pilot:
        await opened(pilot)
        app.open_contact(ids["Dana Fictional"])
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "the contact")
        await settle(pilot)
        screen = app.screen
        assert "none (s enrolls them in one)" in str(screen.query_one("#profile-text").render())
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SequencePicker), "the picker")
        labels = [label for label, _ in app.screen.options]
        assert labels[0].startswith("linkedin-first  5 steps: invite, message, message")
        await pilot.press("2")  # call-first
        await until(pilot, lambda: app.screen is screen, "back on the contact")
        await until(pilot, lambda: has_item(app, "Dana Fictional", "sequence_step"), "the step")
        profile = str(screen.query_one("#profile-text").render())
        assert "call-first · active, step 1 of 5 due today" in profile
        assert "→ 1. Call (call): due today" in profile
        assert "· 2. Text: thanks, and the next step (text): the same day" in profile
        assert plan_of(db, settings, ids["Dana Fictional"]) == ["call-first"]
        assert screen.check_action("enroll", ()) is None  # one sequence at a time
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: not has_item(app, "Dana Fictional", "sequence_step"), "ended")
        assert "exited" in str(screen.query_one("#profile-text").render())
        await pilot.press("u")
        await until(pilot, lambda: has_item(app, "Dana Fictional", "sequence_step"), "undone")


async def test_the_step_on_today_with_its_draft(
    make_app, tmp_path: Path, settings: Settings, outreach_home: Path
):
    db = tmp_path / "outreach.db"
    ids = people(db, settings, enrolled=True)
    tracker = Tracker.open(db, settings)
    tracker.log(tracker.contact(ids["Dana Fictional"]), Channel.CALL, Direction.OUT, NOW)
    tracker.close()
    app = make_app(db, settings=replace(settings, my_name="Sam Seller"))
    async with app.run_test(size=(140, 34)) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, TodayScreen)
        entry = await select(pilot, "Dana Fictional", "sequence_step")
        assert entry.item.details["title"] == "Text: thanks, and the next step"
        detail = app.screen.query_one(ItemDetail)
        await until(pilot, lambda: "Suggested text" in str(detail.render()), "the draft")
        shown = str(detail.render())
        assert "Step: 2 of 5 of call-first · Text: thanks, and the next step" in shown
        assert "Hi Dana, Sam Seller here. Thanks for the call today." in shown
        hint = str(app.screen.query_one(ItemHint).render())
        assert hint.startswith("l logs it · d done")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm), "the log form")
        assert app.screen.channel is Channel.SMS
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        await pilot.press("d")  # done: the next step (an invitation) is a business day on
        await until(
            pilot, lambda: not has_item(app, "Dana Fictional", "sequence_step"), "step done"
        )
        assert app.queue is not None and app.queue.done == 1


async def test_a_pause_is_said_on_today(make_app, tmp_path: Path, settings: Settings):
    db = tmp_path / "outreach.db"
    people(db, settings, enrolled=True)
    tracker = Tracker.open(db, settings)
    tracker.pause_sequences(None, date(2026, 11, 30), None, NOW)
    tracker.close()
    app = make_app(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await opened(pilot)
        assert not has_item(app, "Dana Fictional", "sequence_step")
        bar = str(app.screen.query_one(StatusBar).render())
        assert "1 sequence paused until Mon 30 Nov 2026" in bar
        assert "1 sequence paused until Mon 30 Nov 2026." in str(
            app.screen.query_one("#empty").render()
        )


async def test_the_sequences_panel_in_insights(make_app, tmp_path: Path, settings: Settings):
    db = tmp_path / "outreach.db"
    ids = people(db, settings, enrolled=True)
    tracker = Tracker.open(db, settings)
    tracker.log(tracker.contact(ids["Dana Fictional"]), Channel.CALL, Direction.OUT, NOW)
    tracker.log(
        tracker.contact(ids["Dana Fictional"]), Channel.SMS, Direction.IN, NOW, "Call me back"
    )
    tracker.close()
    app = make_app(db)
    async with app.run_test(size=(160, 50)) as pilot:
        await opened(pilot)
        await pilot.press("3")
        await until(pilot, lambda: getattr(app.screen, "figures", None) is not None)
        text = panel(app.screen, "sequences")
        assert "call-first  1 enrolled · 0 running · 1 replied · 0 finished" in text
        assert "1. Call" in text and "Replied after" in text
        row = next(line for line in text.splitlines() if line.startswith("1. Call"))
        assert row.split()[-3:] == ["1", "0", "1"]  # done, skipped, replied after


async def test_w_withdraws_on_the_step_that_asks_for_it(
    make_app, tmp_path: Path, settings: Settings
):
    db = tmp_path / "outreach.db"
    tracker = Tracker.open(db, settings)
    priya = tracker.add_contact(
        {"name": "Priya Sample", "linkedin_url": "https://www.linkedin.com/in/priya-sample"},
        at=NOW,
    )
    start = NOW - timedelta(days=14)
    tracker.enroll([priya.id], "linkedin-first", start.date(), start)
    tracker.log(priya, Channel.LINKEDIN_INVITE, Direction.OUT, start, "")
    tracker.close()
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        entry = await select(pilot, "Priya Sample", "sequence_step")
        assert entry.item.details["title"] == "Withdraw the invitation"
        assert not has_item(app, "Priya Sample", "stale_invite")  # the sequence's own
        assert str(app.screen.query_one(ItemHint).render()).startswith("w withdrawn · d done")
        assert app.screen.check_action("invitation", ("accepted",)) is False
        await pilot.press("w")
        await until(pilot, lambda: not has_item(app, "Priya Sample", "sequence_step"), "withdrawn")
    tracker = Tracker.open(db, settings)
    assert tracker.latest_invitation(tracker.contact(priya.id)).status == "withdrawn"
    tracker.close()
