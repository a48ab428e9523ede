"""The app's side of account health and key dates: the Insights panel, the warning on the
top line, the limit warnings in Write and the log form (warnings, never refusals), and
key dates shown on a contact and changed in the edit form."""

from __future__ import annotations

import io
from dataclasses import replace

from rich.console import Console
from textual.widgets import Input, Static

from tests.ui.conftest import SIZE, opened, settle, until
from tests.ui.test_compose import compose_for
from tests.ui.test_insights import open_insights
from tracker.models import BIRTHDAY, Channel, KeyDate
from tracker.service import Tracker
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.widgets.field import Field
from tracker.ui.widgets.status_bar import StatusBar


def text_of(widget: Static, width: int = 120) -> str:
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(widget.content)
    return " ".join(console.export_text().split())


async def test_insights_open_on_account_health(make_app, demo_db, settings):
    tight = replace(settings, weekly_invite_limit=3)  # the demo sent 3 this week
    app = make_app(demo_db, settings=tight)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        health = text_of(screen.query_one("#panel-health", Static))
        assert health.startswith("LinkedIn account health as of now, whatever the period")
        assert "Invitations, 7 days" in health and "3 of 3 weekly limit" in health
        assert "Pending now" in health and "7 of 500 ceiling, the oldest 29 days" in health
        assert "44% of 9 decided (2 new)" not in health  # its own wording:
        assert "44% of 9 decided, 2 new (yours to keep above 30%)" in health
        assert (
            "Withdraw: 5 pending more than 14 days (too few acceptances to go by: your "
            "stale_invite_days, 14). Record it with outreach withdraw --older-than 14" in health
        )
        assert "⚠ 3 invitations in the last 7 days: at your weekly limit of 3; room again" in (
            health
        )
        first = screen.query_one("#insights-columns").query(".panel").first()
        assert first.id == "panel-health"  # the first thing on the page


async def test_the_top_line_warns_at_80_percent(make_app, demo_db, settings):
    for limit, shown in ((3, "⚠ 3/3 invitations this week"), (4, "")):  # 100%, 75%
        app = make_app(demo_db, settings=replace(settings, weekly_invite_limit=limit))
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            line = str(app.screen.query_one(StatusBar).render())
            assert (shown in line) if shown else ("⚠" not in line), line


async def test_a_narrow_top_line_drops_the_streak_and_date_before_the_screens_name(
    make_app, demo_db, settings
):
    tight = replace(settings, weekly_invite_limit=3)
    app = make_app(demo_db, settings=tight)
    async with app.run_test(size=(64, 24)) as pilot:
        await opened(pilot)
        line = str(app.screen.query_one(StatusBar).render()).strip()
        assert line.startswith("Outreach › Today"), line
        assert "…" not in line and "streak" not in line and "Nov" not in line
        assert line.endswith("⚠ 3/3 invitations this week"), line
        assert "/24 done" in line
    app = make_app(demo_db, settings=tight)
    async with app.run_test(size=(120, 24)) as pilot:  # room for all of it
        await opened(pilot)
        line = str(app.screen.query_one(StatusBar).render())
        assert "streak" in line and "Nov" in line and "⚠ 3/3 invitations this week" in line


async def test_write_warns_that_a_note_passes_the_limit(make_app, demo_db, settings):
    tight = replace(settings, weekly_invite_limit=3, my_name="Sam Seller")
    app = make_app(demo_db, settings=tight)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Ethan Brooks", "resend_invite")
        assert dialog.channel is Channel.LINKEDIN_INVITE
        assert dialog.result is not None
        found = [(f.severity.value, f.rule) for f in dialog.result.findings]
        assert found == [("warn", "weekly_invite_limit")]  # a warning: it can still go
        assert "this is invitation 4 in 7 days" in str(
            dialog.query_one("#compose-findings", Static).render()
        )


async def test_the_log_form_warns_and_logs(make_app, demo_db, settings):
    tight = replace(settings, weekly_invite_limit=3)
    tracker = Tracker.open(demo_db, tight)
    contact = tracker.add_contact({"name": "Nia Newcontact"})
    tracker.close()
    app = make_app(demo_db, settings=tight)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        logged: list[object] = []
        form = TouchForm(
            "Nia Newcontact", app.now, app.tz, Channel.LINKEDIN_INVITE, contact_id=contact.id
        )
        app.push_screen(form, logged.append)
        await until(pilot, lambda: app.screen is form, "the log form")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(logged), "the form to close")
        said = [n.message for n in app._notifications]
        assert any("this is invitation 4 in 7 days" in message for message in said), said
        assert getattr(logged[0], "channel", None) is Channel.LINKEDIN_INVITE


async def test_key_dates_on_a_contact_and_in_the_edit_form(make_app, demo_db, settings):
    tracker = Tracker.open(demo_db, settings)
    dana = tracker.add_contact({"name": "Dana Dated"})
    tracker.edit_contact(dana, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 5, 12, 1988)})
    tracker.close()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        app.push_screen(ContactScreen(dana.id))
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert "Key dates birthday May 12, 1988" in text_of(screen.query_one("#profile-text"))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm), "the edit form")
        form = app.screen
        assert form.query_one("#birthday", Input).value == "1988-05-12"
        form.query_one("#key_dates", Input).value = "renewal=2027-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            "renewal '2027-02-30' is not a date" in form.query_one("#key_dates-field", Field).error
        )
        form.query_one("#key_dates", Input).value = "renewal=2027-03-01"
        form.query_one("#birthday", Input).value = "--05-12"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the contact again")
        await until(pilot, lambda: len(screen.detail.key_dates) == 2, "the new dates")
        assert screen.detail.key_dates == (
            KeyDate(BIRTHDAY, 5, 12),
            KeyDate("renewal", 3, 1, 2027),
        )
        await pilot.press("u")
        await until(pilot, lambda: len(screen.detail.key_dates) == 1, "the undo")
        assert screen.detail.key_dates == (KeyDate(BIRTHDAY, 5, 12, 1988),)


async def test_a_birthday_on_today(make_app, demo_db, settings):
    from tracker.ui.widgets.item_detail import ItemHint
    from tracker.ui.widgets.queue_list import QueueList

    tracker = Tracker.open(demo_db, settings)
    bea = tracker.add_contact({"name": "Bea Birthday", "phone": "+13125550199"})
    tracker.edit_contact(bea, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 11, 23, 1990)})
    tracker.close()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        from tests.ui.conftest import select

        entry = await select(pilot, "Bea Birthday", "key_date")
        assert entry.item.reason == "birthday today (turns 36); nothing sent since"
        queue = app.screen.query_one(QueueList)
        assert queue._headline(entry, 60).plain.endswith("birthday today")
        hint = app.screen.query_one(ItemHint).render().plain
        assert hint.startswith("m writes the note for it")
