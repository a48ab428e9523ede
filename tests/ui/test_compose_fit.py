"""The compose panel fits the contact and never lets an unfilled field out: it asks for
your name the first time a draft needs it (and saves it in config.toml), refuses to copy
a text with a ``{field}`` in it and blocks logging it, and offers no connection note to a
contact already connected."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Input, TextArea

from tests.ui.conftest import SIZE, has_item, opened, select, settle, until
from tracker.config import load_settings
from tracker.models import Channel
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.override import OverrideDialog
from tracker.ui.dialogs.your_name import YourNameDialog
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.item_detail import ItemDetail


def shown(dialog: ComposeDialog, widget_id: str) -> str:
    return str(dialog.query_one(f"#{widget_id}").render())


def checked(app, dialog: ComposeDialog):  # type: ignore[no-untyped-def]
    return lambda: app.screen is dialog and dialog.result is not None


async def test_the_first_draft_that_needs_your_name_asks_for_it(
    make_app, demo_db, outreach_home: Path
):
    app = make_app(demo_db)
    async with app.run_test(size=(140, 34)) as pilot:
        await opened(pilot)
        await select(pilot, "Tomás Herrera", "after_call_text")
        detail = app.screen.query_one(ItemDetail)
        await until(pilot, lambda: "No text suggested" in str(detail.render()))
        assert "{my_name} is not filled in" in str(detail.render())
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, YourNameDialog), "the name dialog")
        await pilot.press(*"Sam Seller", "enter")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog), "back to the draft")
        dialog = app.screen
        assert isinstance(dialog, ComposeDialog)
        area = dialog.query_one("#compose-text", TextArea)
        await until(pilot, lambda: "Sam Seller here" in area.text, "the draft with the name")
        assert area.text == (
            "Hi Tomás, Sam Seller here. Thanks for the call yesterday. What would be a good "
            "next step on your side?"
        )
        await until(pilot, lambda: dialog.result is not None and not dialog.result.blocked)
        assert "Saved your name (Sam Seller)" in shown(dialog, "compose-status")
        assert load_settings(outreach_home / "config.toml").my_name == "Sam Seller"
        assert 'timezone = "America/Chicago"' in (outreach_home / "config.toml").read_text()
        assert app.settings.my_name == "Sam Seller"
        await pilot.press("ctrl+o")
        assert app.clipboard == area.text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        # The coach's suggestions use the name from now on, and nobody asks again.
        await select(pilot, "Jake Moreno", "unanswered_text")
        await until(pilot, lambda: "Suggested text" in str(detail.render()))
        assert "Sam Seller here" in str(detail.render())
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog), "the compose panel")
        await settle(pilot)
        assert isinstance(app.screen, ComposeDialog)


async def test_not_now_keeps_the_field_and_blocks_copy_and_log(
    make_app, demo_db, outreach_home: Path
):
    before = (outreach_home / "config.toml").read_bytes()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Tomás Herrera", "after_call_text")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, YourNameDialog), "the name dialog")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog))
        dialog = app.screen
        assert isinstance(dialog, ComposeDialog)
        await until(pilot, checked(app, dialog), "the first checks")
        area = dialog.query_one("#compose-text", TextArea)
        assert "{my_name}" in area.text
        assert "{my_name} is not filled in" in shown(dialog, "compose-findings")
        await pilot.press("ctrl+o")
        assert not app.clipboard
        assert "Not copied: fill in {my_name} first." in shown(dialog, "compose-status")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OverrideDialog), "the override step")
        assert "{my_name} is not filled in" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("n")
        await until(pilot, lambda: app.screen is dialog)
        # Written in by hand, the text goes.
        typed = (
            "Hi Tomás, Sam Seller here. Thanks for the call yesterday. What is a good next step?"
        )
        area.replace(typed, area.document.start, area.document.end)
        await until(pilot, lambda: dialog.result is not None and not dialog.result.blocked)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "logged")
        await settle(pilot)
        assert not has_item(app, "Tomás Herrera", "after_call_text")
        # Asked once per run: another draft that needs the name does not ask again.
        await select(pilot, "Jake Moreno", "unanswered_text")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog), "the compose panel")
        await settle(pilot)
        assert isinstance(app.screen, ComposeDialog)
    assert (outreach_home / "config.toml").read_bytes() == before


async def test_no_note_for_a_connected_contact_and_fields_fill_in(make_app, demo_db, settings):
    app = make_app(demo_db, settings=replace(settings, my_name="Sam Seller"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Raj Patel", "keep_in_touch")  # he wrote to you on LinkedIn
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog))
        dialog = app.screen
        assert isinstance(dialog, ComposeDialog)
        await until(pilot, checked(app, dialog), "the first checks")
        assert dialog.channel is Channel.LINKEDIN_MESSAGE
        offered = [value for _, value in dialog.query_one("#channel", Choice).options]
        assert Channel.LINKEDIN_INVITE.value not in offered
        assert "No LinkedIn invitation offered: already connected" in shown(
            dialog, "compose-findings"
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        # A template with a field the tracker cannot know: copy waits until it is filled.
        await select(pilot, "Priya Raman", "thank_new_connection")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog))
        dialog = app.screen
        assert isinstance(dialog, ComposeDialog)
        await until(pilot, checked(app, dialog), "the first checks")
        dialog.query_one("#template", Choice).value = "message-thanks"
        await until(pilot, lambda: dialog.query_one("#extra-topic").display)
        await pilot.press("ctrl+o")
        assert not app.clipboard
        assert "fill in {topic} first" in shown(dialog, "compose-status")
        dialog.query_one("#field-topic", Input).focus()
        await pilot.press(*"an intake checklist")
        area = dialog.query_one("#compose-text", TextArea)
        await until(pilot, lambda: "{" not in area.text, "the filled draft")
        await pilot.press("ctrl+o")
        assert "an intake checklist" in app.clipboard
