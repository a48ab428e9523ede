"""The app in plain words, and the small things: Write keeps your text when the channel
changes and starts in the first empty field; escape asks before losing typed text; w/a/i
say why nothing happened; o reaches a contact; copying says where it went; Today's filter
takes each word; dates in forms keep the time of day and name the field; exports never
land on an earlier file; the app opens on a contact."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

import tracker.system
from tests.ui.conftest import NOW, SIZE, opened, select, settle, until
from tracker.config import Settings
from tracker.models import Channel
from tracker.ui.dialogs.choice import ChoiceDialog
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.export import ExportDialog
from tracker.ui.dialogs.follow_up import FollowUpForm
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.field import Field
from tracker.ui.widgets.queue_list import QueueList


@pytest.fixture
def named(settings: Settings) -> Settings:
    return replace(settings, my_name="Sam Seller")


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def compose_for(pilot, name: str, kind: str) -> ComposeDialog:
    app = pilot.app
    await select(pilot, name, kind)
    await pilot.press("m")
    await until(
        pilot,
        lambda: isinstance(app.screen, ComposeDialog) and app.screen.result is not None,
        "the compose panel's first checks",
    )
    return app.screen


# -- Write -----------------------------------------------------------------------------
async def test_switching_channel_keeps_what_you_typed(make_app, demo_db, named):
    app = make_app(demo_db, settings=named)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Mei Tanaka", "unanswered_text")
        area = dialog.query_one("#compose-text", TextArea)
        area.load_text("Mei, my own words about the guide. Does Friday work?")
        dialog.query_one("#channel", Choice).value = Channel.EMAIL.value
        await until(pilot, lambda: dialog.channel is Channel.EMAIL, "the email channel")
        assert area.text == "Mei, my own words about the guide. Does Friday work?"
        assert "Your text is kept" in str(dialog.query_one("#compose-status", Static).render())
        await pilot.press("ctrl+r")  # the template's text, asked for
        assert area.text != "Mei, my own words about the guide. Does Friday work?"
        # Text untouched since the template filled it follows the channel.
        dialog.query_one("#channel", Choice).value = Channel.SMS.value
        await until(pilot, lambda: dialog.channel is Channel.SMS, "back to a text")
        assert area.text == dialog._rendered


async def test_write_starts_in_the_first_empty_field(make_app, demo_db, named, outreach_home: Path):
    (outreach_home / "templates.toml").write_text(
        '[[template]]\nname = "text-nudge"\nchannel = "sms"\n'
        'text = "Hi {first_name}, Sam Seller here. About {topic}: still useful?"\n',
        encoding="utf-8",
    )
    app = make_app(demo_db, settings=named)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Mei Tanaka", "unanswered_text")
        assert dialog.template is not None and "topic" in dialog.template.fields
        assert app.focused is dialog.query_one("#field-topic", Input)
    plain = make_app(demo_db, settings=named)
    (outreach_home / "templates.toml").unlink()
    async with plain.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Mei Tanaka", "unanswered_text")
        assert plain.focused is dialog.query_one("#compose-text", TextArea)


async def test_escape_asks_before_losing_what_you_wrote(make_app, demo_db, named):
    app = make_app(demo_db, settings=named)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await compose_for(pilot, "Mei Tanaka", "unanswered_text")
        await pilot.press("escape")  # nothing typed: it just closes
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")
        dialog = await compose_for(pilot, "Mei Tanaka", "unanswered_text")
        dialog.query_one("#compose-text", TextArea).load_text("My own words")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")  # keep editing
        await until(pilot, lambda: app.screen is dialog, "back to the text")
        assert dialog.query_one("#compose-text", TextArea).text == "My own words"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")


async def test_escape_on_a_form_with_typed_text_asks(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Raj Patel", "keep_in_touch")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        await pilot.press("escape")  # untouched: closes at once
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        form = app.screen
        await pilot.press(*"Congrats")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")  # no: back to the form, the text still there
        await until(pilot, lambda: app.screen is form, "the form")
        assert form.query_one("#text", TextArea).text == "Congrats"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")


# -- Today -----------------------------------------------------------------------------
async def test_invitation_keys_on_another_item_say_why(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        before = app.queue
        await select(pilot, "Sam Whitaker", "follow_up_due")
        await pilot.press("w")
        await settle(pilot)
        assert any(
            "w, a and i mark a pending invitation: nothing changed for Sam Whitaker" in m
            and "“Follow-up due”" in m
            for m in said(app)
        )
        await select(pilot, "Ethan Brooks", "resend_invite")
        await pilot.press("a")
        await settle(pilot)
        assert any("withdrawn already; l logs a new one" in m for m in said(app))
        assert app.queue is before and app.data_version == 0  # nothing was written


async def test_the_filter_takes_each_word(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("slash")
        await pilot.press(*"fitness chris")  # company then first name, out of order
        await settle(pilot)
        shown = app.screen.query_one(QueueList).entries
        assert [e.item.contact for e in shown] == ["Chris Palmer"]
        box = app.screen.query_one("#filter", Input)
        box.value = "stale ben"
        await settle(pilot)
        shown = app.screen.query_one(QueueList).entries
        assert [(e.item.contact, e.item.kind.value) for e in shown] == [
            ("Ben Schultz", "stale_invite")
        ]


async def test_copy_says_where_it_went(make_app, demo_db, named, monkeypatch):
    app = make_app(demo_db, settings=named)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Mei Tanaka", "unanswered_text")
        await pilot.press("c")
        await until(pilot, lambda: app.clipboard != "", "the copy")
        await settle(pilot)
        osc = [m for m in said(app) if "The coach's text for Mei Tanaka" in m]
        assert osc and "sent to the terminal's clipboard" in osc[-1]
        assert "set -g set-clipboard on" in osc[-1] and "Copied." not in osc[-1]
        copied: list[str] = []

        def tool(text: str, command: object = None) -> str:
            copied.append(text)
            return "wl-copy"

        monkeypatch.setattr(tracker.system, "copy_with_tool", tool)
        await pilot.press("c")
        await settle(pilot)
        assert copied == [app.clipboard]
        assert "copied to the system clipboard (wl-copy)" in said(app)[-1]


async def test_reach_opens_a_link_or_shows_it(make_app, demo_db, monkeypatch):
    opened_urls: list[str] = []
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Jake Moreno", "unanswered_text")  # a phone only
        await pilot.press("O")  # on Today (o shows the older items there)
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the menu")
        labels = [label for label, _ in app.screen.options]
        assert [label.split(" ")[0] for label in labels] == ["Call", "Text"]
        await pilot.press("2")
        await settle(pilot)
        assert "Nothing here opens links" in said(app)[-1] and "sms:+" in said(app)[-1]

        def opener(url: str, command: object = None) -> str:
            opened_urls.append(url)
            return "xdg-open"

        monkeypatch.setattr(tracker.system, "open_link", opener)
        await select(pilot, "Victor Nguyen", "no_reply")  # LinkedIn only: no menu
        await pilot.press("O")
        await settle(pilot)
        assert opened_urls and opened_urls[0].startswith("https://www.linkedin.com/in/")
        assert said(app)[-1].startswith("Opened https://www.linkedin.com/in/")


async def test_o_on_a_contact_reaches_them(make_app, demo_db, monkeypatch):
    opened_urls: list[str] = []
    monkeypatch.setattr(
        tracker.system, "open_link", lambda url, command=None: opened_urls.append(url) or "open"
    )
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Rosa Delgado", "no_reply")  # an email only
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "her screen")
        screen = app.screen
        await until(pilot, lambda: screen.detail is not None, "her details")
        await pilot.press("o")
        await settle(pilot)
        assert opened_urls == [f"mailto:{screen.detail.contact.email}"]


# -- dates in forms --------------------------------------------------------------------
async def test_yesterday_keeps_the_time_of_day_and_errors_name_the_field(
    make_app, demo_db, settings
):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Raj Patel", "keep_in_touch")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        form = app.screen
        form.query_one("#when", Input).value = "soonish"
        draft = form.collect()
        error = form.query_one("#when-field", Field).error
        assert draft is None and error.startswith("When: not a date I can read; use ")
        assert "yesterday" in error and "2pm" in error and "soonish" not in error
        form.query_one("#when", Input).value = "yesterday"
        draft = form.collect()
        assert draft is not None
        assert draft.at == (NOW - timedelta(days=1)).astimezone(draft.at.tzinfo)
        form.query_one("#when", Input).value = "yesterday 2pm"
        draft = form.collect()
        assert draft is not None and draft.at.astimezone(NOW.tzinfo).hour == 14


async def test_a_follow_up_date_error_names_the_field(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Raj Patel", "keep_in_touch")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, FollowUpForm))
        form = app.screen
        form.query_one("#due", Input).value = "2026-02-30"
        assert form.collect() is None
        assert form.query_one("#due-field", Field).error == "On: no such day"
        form.query_one("#due", Input).value = "friday"
        follow = form.collect()
        assert follow is not None and follow.due.weekday() == 4 and follow.due > NOW.date()


# -- export and opening on a contact ----------------------------------------------------
async def test_export_picks_a_free_name_and_asks_before_replacing(
    make_app, demo_db, tmp_path: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    first = tmp_path / "outreach-contacts-2026-11-23.csv"
    first.write_text("earlier\n", encoding="utf-8")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("2")  # Contacts: its export starts on contacts
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        box = app.screen.query_one("#path", Input)
        assert box.value == str(tmp_path / "outreach-contacts-2026-11-23-2.csv")
        box.value = str(first)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")
        await settle(pilot)
        assert first.read_text(encoding="utf-8") == "earlier\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the export")
        await settle(pilot)
        assert first.read_text(encoding="utf-8").startswith("id,name,")


async def test_the_app_opens_on_a_contact(make_app, demo_db, settings):
    from tracker.service import Tracker

    tracker = Tracker.open(demo_db, settings)
    dana = tracker.resolve("Mei Tanaka")
    tracker.close()
    app = make_app(demo_db)
    app.start_contact = dana.id
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "her screen")
        await settle(pilot)
        assert app.screen.contact_id == dana.id
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "Today")
