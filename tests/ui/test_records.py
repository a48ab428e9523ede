"""The app records what LinkedIn would: the log form never offers an invitation LinkedIn
would refuse (a connected contact's defaults to a LinkedIn message), a refused invitation
is recorded only when confirmed, accepting asks when, and a meeting can be logged ahead."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.ui.conftest import NOW, SIZE, has_item, opened, select, settle, until
from tracker.config import Settings
from tracker.models import Channel, Direction, InviteStatus, Touch
from tracker.service import Tracker
from tracker.timeutil import start_of_day
from tracker.ui.dialogs.choice import AcceptedDialog
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.choice import Choice


def _home(path: Path, settings: Settings) -> None:
    """Dana accepted an invitation three days ago (her last touch); Ben's has been pending
    for three weeks."""
    tracker = Tracker.open(path, settings)
    try:
        dana = tracker.add_contact({"name": "Dana Fictional", "email": "dana@example.com"})
        sent = tracker.log(dana, Channel.LINKEDIN_INVITE, at=NOW - timedelta(days=5))
        tracker.set_invitation(dana, InviteStatus.ACCEPTED, NOW - timedelta(days=3))
        assert sent.is_invitation
        ben = tracker.add_contact({"name": "Ben Schultz", "email": "ben@example.com"})
        tracker.log(ben, Channel.LINKEDIN_INVITE, at=NOW - timedelta(days=21, hours=2))
    finally:
        tracker.close()


def _touches(path: Path, settings: Settings, name: str) -> list[Touch]:
    tracker = Tracker.open(path, settings)
    try:
        return tracker.store.touches_for(tracker.resolve(name).id)
    finally:
        tracker.close()


def _offered(form: TouchForm) -> list[str]:
    return [value for _, value in form.query_one("#channel", Choice).options]


async def test_log_form_of_a_connected_contact_defaults_to_a_linkedin_message(
    make_app, tmp_path, settings
):
    db = tmp_path / "outreach.db"
    _home(db, settings)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Dana Fictional", "thank_new_connection")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        await pilot.press("l")  # her last touch is the invitation she accepted
        await until(pilot, lambda: isinstance(app.screen, TouchForm), "the log form")
        form = app.screen
        await settle(pilot)
        assert form.query_one("#channel", Choice).value == Channel.LINKEDIN_MESSAGE.value
        assert Channel.LINKEDIN_INVITE.value not in _offered(form)
        form.query_one("#direction", Choice).value = Direction.IN.value  # they may invite you
        await settle(pilot)
        assert Channel.LINKEDIN_INVITE.value in _offered(form)
        form.query_one("#direction", Choice).value = Direction.OUT.value
        form.query_one("#text").insert("Thanks for connecting, Dana!")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "back on the contact")
        await settle(pilot)
    last = _touches(db, settings, "Dana Fictional")[-1]
    assert (last.channel, last.text) == (Channel.LINKEDIN_MESSAGE, "Thanks for connecting, Dana!")


async def test_log_form_offers_no_second_invitation_while_one_is_pending(
    make_app, tmp_path, settings
):
    db = tmp_path / "outreach.db"
    _home(db, settings)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm), "the log form")
        form = app.screen
        await until(pilot, lambda: "already pending" in form.invite_refusal, "the refusal")
        assert Channel.LINKEDIN_INVITE.value not in _offered(form)


async def test_write_never_offers_an_invitation_linkedin_would_refuse(make_app, tmp_path, settings):
    """Ben's invitation is pending: Write offers no second one, and says why."""
    db = tmp_path / "outreach.db"
    _home(db, settings)
    app = make_app(db, settings=replace(settings, my_name="Sam Seller"))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ComposeDialog) and app.screen.context)
        dialog = app.screen
        assert dialog.channel is not Channel.LINKEDIN_INVITE
        offered = [value for _, value in dialog.query_one("#channel", Choice).options]
        assert Channel.LINKEDIN_INVITE.value not in offered
        await until(pilot, lambda: dialog.result is not None, "the first checks")
        assert "already pending" in _findings(dialog)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
    assert [t.channel for t in _touches(db, settings, "Ben Schultz")] == [Channel.LINKEDIN_INVITE]


def _findings(dialog: ComposeDialog) -> str:
    return " ".join(str(w.render()) for w in dialog.query("#compose-findings"))


async def test_accepted_asks_when_and_takes_a_date(make_app, tmp_path, settings):
    db = tmp_path / "outreach.db"
    _home(db, settings)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Ben Schultz", "stale_invite")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AcceptedDialog), "accepted when?")
        dialog = app.screen
        labels = [label for label, _ in dialog.options]
        assert labels[0].startswith("Today") and labels[-1] == "On a date…"
        await pilot.press(str(len(labels)))  # on a date…
        await until(pilot, lambda: dialog.query_one("#accepted-on-field").display)
        sent_before = (NOW - timedelta(days=30)).date().isoformat()
        await pilot.press(*sent_before, "enter")
        await settle(pilot)
        assert "it was sent on" in dialog.query_one("#accepted-on-field").error
        accepted_on = (NOW - timedelta(days=4)).date()
        dialog.query_one("#accepted-on").value = accepted_on.isoformat()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await settle(pilot)
        assert not has_item(app, "Ben Schultz", "stale_invite")
    (invitation,) = _touches(db, settings, "Ben Schultz")
    assert invitation.status == InviteStatus.ACCEPTED
    assert invitation.status_at == start_of_day(accepted_on, NOW.tzinfo)  # type: ignore[arg-type]


async def test_a_meeting_can_be_logged_ahead_but_a_text_cannot(make_app, tmp_path, settings):
    db = tmp_path / "outreach.db"
    _home(db, settings)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Dana Fictional", "thank_new_connection")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm), "the log form")
        form = app.screen
        ahead = (NOW + timedelta(days=2)).strftime("%Y-%m-%d 10:00")
        form.query_one("#when").value = ahead
        form.query_one("#channel", Choice).value = Channel.SMS.value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "only a meeting can be logged ahead" in form.query_one("#when-field").error
        form.query_one("#channel", Choice).value = Channel.MEETING.value
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await settle(pilot)
        assert has_item(app, "Dana Fictional", "thank_new_connection")  # not held yet
    last = _touches(db, settings, "Dana Fictional")[-1]
    assert last.channel is Channel.MEETING and last.at > NOW
