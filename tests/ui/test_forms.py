"""Forms: validation shown under the field, and nothing saved until the form is valid."""

from __future__ import annotations

from tests.ui.conftest import SIZE, identifier_line, opened, select, settle, until
from tracker.service import Tracker
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.widgets.field import Field


def count(db, settings) -> tuple[int, int]:
    tracker = Tracker.open(db, settings)
    counts = tracker.store.counts()
    tracker.close()
    return counts["contacts"], counts["touches"]


async def test_bad_phone_shows_an_error_and_saves_nothing(make_app, demo_db, settings):
    before = count(demo_db, settings)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Morgan Example")
        identifier_line(app.screen, "phone").input.value = "555-12"
        identifier_line(app.screen, "email").input.value = "not an email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert "invalid phone number" in form.query_one("#phones-field", Field).error
        assert "invalid email" in form.query_one("#emails-field", Field).error
        assert form.query_one("#name-field", Field).error == ""
        assert count(demo_db, settings) == before

        identifier_line(form, "phone").input.value = "(312) 555-0111"
        identifier_line(form, "email").input.value = "morgan@example.com"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        assert app.screen.detail.contact.phone == "+13125550111"
    assert count(demo_db, settings) == (before[0] + 1, before[1])


async def test_a_phone_another_contact_has_is_refused_under_the_field(make_app, demo_db, settings):
    before = count(demo_db, settings)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press(*"Jake Twin")
        identifier_line(app.screen, "phone").input.value = "720 555 0134"
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert "Jake Moreno" in form.query_one("#phones-field", Field).error
        assert form.query_one("#name").value == "Jake Twin"  # still all there
    assert count(demo_db, settings) == before


async def test_a_name_is_required(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        await pilot.press("enter")
        await settle(pilot)
        assert "needs a name" in app.screen.query_one("#name-field", Field).error


async def test_touch_form_checks_time_and_follow_up(make_app, demo_db, settings):
    before = count(demo_db, settings)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await select(pilot, "Raj Patel", "keep_in_touch")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        form = app.screen
        form.query_one("#when").value = "2026-13-45"
        form.query_one("#follow_days").value = "soon"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#when-field", Field).error == "When: no such day"
        assert "number of days" in form.query_one("#follow_days-field", Field).error
        form.query_one("#when").value = "2026-12-01 10:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "future" in form.query_one("#when-field", Field).error
        assert count(demo_db, settings) == before

        form.query_one("#when").value = "yesterday 16:00"
        form.query_one("#follow_days").value = "14"
        form.query_one("#follow_reason").value = "ask about the pilot"
        form.query_one("#text").text = "Congrats on the new fund!"
        await pilot.press("ctrl+s")
        await settle(pilot)
    tracker = Tracker.open(demo_db, settings)
    raj = tracker.resolve("Raj Patel")
    last = tracker.store.touches_for(raj.id)[-1]
    tracker.close()
    assert count(demo_db, settings) == (before[0], before[1] + 1)
    assert last.text == "Congrats on the new fund!" and last.channel.value == "linkedin_message"
    assert last.at.isoformat() == "2026-11-22T22:00:00+00:00"
    assert (raj.follow_up_on.isoformat(), raj.follow_up_reason) == (
        "2026-12-07",
        "ask about the pilot",
    )
