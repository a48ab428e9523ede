"""The compose panel: the coach's templates, live checks and counters, copy, and logging
as sent, with blocks refused unless confirmed (from the panel and from the log form)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from tests.ui.conftest import NOW, SIZE, FrozenClock, has_item, opened, select, settle, until
from tracker.config import Settings
from tracker.demo import build_demo
from tracker.models import Channel, Direction, Touch
from tracker.service import Tracker
from tracker.ui.app import OutreachApp
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.override import OverrideDialog
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.item_detail import ItemDetail

DEFAULT_NOTE = "Hi Ethan, I'd like to add you to my professional network on LinkedIn."


@pytest.fixture
def named(settings: Settings) -> Settings:
    """The settings with the user's name set (the compose panel asks for it otherwise)."""
    return replace(settings, my_name="Sam Seller")


def touches(db: Path, settings: Settings, name: str) -> list[Touch]:
    tracker = Tracker.open(db, settings)
    try:
        return tracker.store.touches_for(tracker.resolve(name).id)
    finally:
        tracker.close()


async def compose_for(pilot: Pilot[None], name: str, kind: str) -> ComposeDialog:
    """Open the compose panel from ``name``'s queue item and wait for its first checks."""
    app = pilot.app
    await select(pilot, name, kind)
    await pilot.press("m")
    await until(
        pilot,
        lambda: isinstance(app.screen, ComposeDialog) and app.screen.result is not None,
        "the compose panel's first checks",
    )
    assert isinstance(app.screen, ComposeDialog)
    return app.screen


def shown(dialog: ComposeDialog, widget_id: str) -> str:
    return str(dialog.query_one(f"#{widget_id}", Static).render())


async def test_step_back_refuses_a_text_until_confirmed(make_app, demo_db, settings, named):
    app = make_app(demo_db, settings=named)
    before = len(touches(demo_db, settings, "Chris Palmer"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Chris Palmer", "step_back")
        assert dialog.channel is Channel.SMS
        assert dialog.template is not None and dialog.template.name == "text-nudge"
        assert "3 texts in a row unanswered" in shown(dialog, "compose-findings")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OverrideDialog), "the override step")
        assert "3 texts in a row unanswered" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("enter")  # "Don't log" has the focus
        await settle(pilot)
        assert app.screen is dialog
        assert "Not logged: 3 texts in a row unanswered" in shown(dialog, "compose-status")
        assert len(touches(demo_db, settings, "Chris Palmer")) == before
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OverrideDialog), "the override step")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await settle(pilot)
    after = touches(demo_db, settings, "Chris Palmer")
    assert len(after) == before + 1
    last = after[-1]
    assert (last.channel, last.direction, last.template) == (
        Channel.SMS,
        Direction.OUT,
        "text-nudge",
    )
    assert last.text.startswith("Hi Chris")


async def test_a_note_to_a_stranger_passes_and_the_default_text_is_flagged(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Ethan Brooks", "resend_invite")
        area = dialog.query_one("#compose-text", TextArea)
        assert dialog.channel is Channel.LINKEDIN_INVITE
        assert dialog.template is not None and dialog.template.name == "note-cold"
        assert "Pinecrest Hospitality" in area.text and "{" not in area.text
        assert dialog.result is not None and dialog.result.findings == []
        assert "No findings" in shown(dialog, "compose-findings")
        area.select_all()
        app.post_message(events.Paste(DEFAULT_NOTE))  # as the terminal delivers a paste
        await until(pilot, lambda: area.text == DEFAULT_NOTE, "the pasted note")
        await until(
            pilot,
            lambda: any(f.rule == "default_text" for f in dialog.result.findings),  # type: ignore[union-attr]
            "the default-text finding",
        )
        findings = shown(dialog, "compose-findings")
        assert "LinkedIn's default text" in findings
        assert "“I'd like to add you to my professional network”" in findings
        await pilot.press("ctrl+g")  # selects the words the first finding is about
        assert area.selected_text == "I'd like to add you to my professional network"
        await pilot.press("escape")  # the text is the user's own now: it asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_counters_follow_the_typing_and_copy(make_app, demo_db, named):
    app = make_app(demo_db, settings=named)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Jake Moreno", "unanswered_text")
        area = dialog.query_one("#compose-text", TextArea)
        area.clear()
        area.insert("a" * 160)
        await until(pilot, lambda: "160 characters" in shown(dialog, "compose-counters"))
        assert "GSM-7 160 of 160 · 1 SMS segment" in shown(dialog, "compose-counters")
        await pilot.press("b")
        await until(pilot, lambda: "161 characters" in shown(dialog, "compose-counters"))
        assert "GSM-7 161 of 306 · 2 SMS segments" in shown(dialog, "compose-counters")
        area.clear()
        area.insert("a" * 68 + "🙂")  # an emoji is two UCS-2 units
        await until(pilot, lambda: "UCS-2" in shown(dialog, "compose-counters"))
        assert "UCS-2 70 of 70 · 1 SMS segment" in shown(dialog, "compose-counters")
        await pilot.press("b")
        await until(
            pilot, lambda: "UCS-2 71 of 134 · 2 SMS segments" in shown(dialog, "compose-counters")
        )
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.clipboard == "a" * 68 + "🙂b"  # no clipboard tool here: by OSC 52
        said = shown(dialog, "compose-status")
        assert "Sent to the terminal's clipboard" in said and "set-clipboard on" in said


async def test_log_as_sent_records_the_template_and_the_item_leaves(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await compose_for(pilot, "Priya Raman", "thank_new_connection")
        assert dialog.channel is Channel.LINKEDIN_MESSAGE
        # The coach's choice is the thank-you it can fill; the one with a topic is next.
        assert dialog.template is not None and dialog.template.name == "message-thanks-short"
        assert not dialog.query_one("#compose-fields").display
        dialog.query_one("#template", Choice).value = "message-thanks"
        await until(pilot, lambda: dialog.template.name == "message-thanks")  # type: ignore[union-attr]
        assert dialog.query_one("#extra-topic").display
        assert not dialog.query_one("#extra-event").display
        area = dialog.query_one("#compose-text", TextArea)
        assert "{topic}" in area.text
        dialog.query_one("#field-topic", Input).focus()
        await pilot.press(*"an intake checklist")
        await until(pilot, lambda: "useful given your work at Lumen Health: an intake" in area.text)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await settle(pilot)
        assert not has_item(app, "Priya Raman", "thank_new_connection")
    last = touches(demo_db, settings, "Priya Raman")[-1]
    assert (last.channel, last.direction, last.template) == (
        Channel.LINKEDIN_MESSAGE,
        Direction.OUT,
        "message-thanks",
    )
    assert "an intake checklist" in last.text


async def test_suggestions_come_from_the_coach_and_the_log_form_checks(make_app, demo_db, settings):
    app = make_app(demo_db)
    before = len(touches(demo_db, settings, "Chris Palmer"))
    async with app.run_test(size=(140, 34)) as pilot:
        await opened(pilot)
        await select(pilot, "Chris Palmer", "step_back")
        detail = app.screen.query_one(ItemDetail)
        await until(pilot, lambda: "No text suggested" in str(detail.render()))
        assert "3 texts in a row unanswered" in str(detail.render())
        await pilot.press("c")
        await settle(pilot)
        assert not app.clipboard
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm), "the log form")
        form = app.screen
        form.query_one("#channel", Choice).value = "sms"
        form.query_one("#text", TextArea).insert("Chris, one more try?")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OverrideDialog), "the override step")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form
        assert "The coach blocks this" in str(form.query_one("#text-field .field--error").render())
        assert len(touches(demo_db, settings, "Chris Palmer")) == before
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, OverrideDialog), "the override step")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await settle(pilot)
        # A pending invitation: no connection note, and why.
        await select(pilot, "Ben Schultz", "stale_invite")
        await until(pilot, lambda: "No LinkedIn note suggested" in str(detail.render()))
        assert "already pending (sent 2026-10-31)" in str(detail.render())
        await pilot.press("c")
        await settle(pilot)
        assert not app.clipboard
        await select(pilot, "Ethan Brooks", "resend_invite")
        await until(pilot, lambda: "Suggested LinkedIn note" in str(detail.render()))
        await pilot.press("c")
        await until(pilot, lambda: app.clipboard.startswith("Hi Ethan, I came across"))
    after = touches(demo_db, settings, "Chris Palmer")
    assert len(after) == before + 1 and after[-1].text == "Chris, one more try?"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_compose_snapshot(snap_compare, here, named):
    db = Path("outreach.db")
    tracker = Tracker.open(db, named)
    build_demo(tracker, NOW)
    tracker.close()
    app = OutreachApp(db, named, now=FrozenClock(), demo_path=Path("demo.db"))

    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await compose_for(pilot, "Chris Palmer", "step_back")
        app.screen.query_one(TextArea).cursor_blink = False
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
