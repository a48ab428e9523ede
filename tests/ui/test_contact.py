"""One contact: profile and timeline; log, edit and delete touches; edit the contact."""

from __future__ import annotations

from datetime import timedelta

from tests.ui.conftest import SIZE, identifier_line, opened, settle, until
from tracker.service import Tracker
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.widgets.paged_table import PagedTable


async def open_contact(pilot, name: str) -> ContactScreen:
    app = pilot.app
    await opened(pilot)
    contact_id = next(e.item.contact_id for e in app.queue.entries if e.item.contact == name)
    app.open_contact(contact_id)
    await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
    return app.screen


def timeline(screen: ContactScreen) -> list[str]:
    return [t.text for t in screen.touches.rows]


async def test_profile_and_timeline_newest_first(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Chris Palmer")
        assert timeline(screen)[0] == "Chris, would a quick call be easier this week?"
        assert timeline(screen)[-1] == "Send me something in writing."
        profile = str(screen.query_one("#profile-text").render())
        assert "Vantage Fitness" in profile and "+1 602-555-0155" in profile
        assert "Step back" in profile  # what is due today
        table = screen.query_one("#timeline", PagedTable)
        assert table.total == 4


async def test_log_edit_delete_and_undo_a_touch(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Laura Benson")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        app.screen.query_one("#channel").value = "email"
        await pilot.press(*"Pricing by email as promised")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(timeline(screen)) == 3)
        assert timeline(screen)[0] == "Pricing by email as promised"

        await pilot.press("t")  # edit the newest touch
        await until(pilot, lambda: isinstance(app.screen, TouchForm))
        area = app.screen.query_one("#text")
        area.text = "Pricing sheet sent by email"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: timeline(screen)[0] == "Pricing sheet sent by email")

        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(timeline(screen)) == 3
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: len(timeline(screen)) == 2)
        await pilot.press("u")
        await until(pilot, lambda: len(timeline(screen)) == 3)
        assert timeline(screen)[0] == "Pricing sheet sent by email"


async def test_edit_the_contact(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Rosa Delgado")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        app.screen.query_one("#company").value = "Summit Realty Group"
        identifier_line(app.screen, "phone").input.value = "(303) 555-0177"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await until(pilot, lambda: screen.detail.contact.company == "Summit Realty Group")
    tracker = Tracker.open(demo_db, settings)
    rosa = tracker.resolve("Rosa Delgado")
    tracker.close()
    assert (rosa.company, rosa.phone, rosa.email) == (
        "Summit Realty Group",
        "+13035550177",
        "rosa@summitrealty.example",
    )


async def test_opt_out_of_texts_hides_text_items(make_app, demo_db, clock):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Mei Tanaka")
        assert any(e.item.contact == "Mei Tanaka" for e in app.queue.entries)
        # One key, O, records the change of consent: opting out (she never opted out);
        # o reaches the contact instead (its own test).
        await pilot.press("O")
        await until(pilot, lambda: screen.detail.contact.opted_out())
        assert not any(e.item.contact == "Mei Tanaka" for e in app.queue.entries)
        clock.moment += timedelta(minutes=5)
        await pilot.press("O")
        await until(pilot, lambda: not screen.detail.contact.opted_out())


async def test_help_on_a_contact_lists_its_keys(make_app, demo_db):
    from tracker.ui.dialogs.help import HelpScreen

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(pilot, "Chris Palmer")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        described = [key.description for key in app.screen.keys]
        assert any(d.startswith("Record that they opted out of texts") for d in described)
        assert any(d.startswith("Record that they opted in to texts") for d in described)
        assert app.is_running
