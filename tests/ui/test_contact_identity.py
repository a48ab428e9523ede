"""One person, one contact, in the app: a contact's phones and emails and first name on
their screen and in the edit form; merging two contacts from a contact's screen; deleting
a contact; ``u`` undoing each exactly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import OptionList

from tests.ui.conftest import NOW, SIZE, identifier_line, opened, settle, until
from tracker.errors import NotFoundError
from tracker.models import Channel, Direction
from tracker.service import Tracker
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.help import HelpScreen
from tracker.ui.dialogs.merge import MergeConfirm, MergePicker
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.field import Field
from tracker.ui.widgets.identifiers import IdentifierList


async def open_contact(pilot, name: str | int) -> ContactScreen:
    """Open the contact called ``name`` (or with that id)."""
    app = pilot.app
    await opened(pilot)
    contact_id = name if isinstance(name, int) else app.data.run(lambda t: t.resolve(name).id)
    app.open_contact(contact_id)
    await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
    return app.screen


def profile(screen: ContactScreen) -> str:
    return str(screen.query_one("#profile-text").render())


def choices(picker: MergePicker) -> list[str]:
    """What the merge picker lists, line by line."""
    options = picker.query_one("#merge-choices", OptionList).options
    return [str(option.prompt) for option in options]


def phones(db, settings, name: str) -> list[tuple[str, str, bool]]:
    tracker = Tracker.open(db, settings)
    try:
        held = tracker.identifiers(tracker.resolve(name).id)
    finally:
        tracker.close()
    return [(i.value, i.label, i.primary) for i in held if i.kind == "phone"]


@pytest.fixture
def twins(demo_db, settings) -> tuple[int, int]:
    """The demo's Chris Palmer, and a second "Chris Palmer" (no company, an address of his
    own, one email from him): the same person, imported apart. Their ids."""
    tracker = Tracker.open(demo_db, settings)
    try:
        first = tracker.resolve("Chris Palmer").id
        chris = tracker.add_contact(
            {"name": "Chris Palmer", "emails": ["home:chris.palmer@example.net"]}
        )
        tracker.log(
            chris,
            Channel.EMAIL,
            Direction.IN,
            at=NOW - timedelta(days=1),
            text="Sent from my personal address",
            now=NOW,
        )
        return first, chris.id
    finally:
        tracker.close()


async def test_screen_shows_every_phone_and_email_and_the_first_name(make_app, demo_db, settings):
    tracker = Tracker.open(demo_db, settings)
    grace = tracker.resolve("Grace Okafor")
    tracker.edit_contact(grace, {}, add={"phone": ["work:(312) 555-0188"]})
    tracker.close()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Grace Okafor")
        shown = profile(screen)
        assert "First name    Grace" in shown
        assert "Mobile ★      +1 312-555-0167" in shown  # the primary, marked
        assert "Work phone    +1 312-555-0188" in shown
        assert "Email         grace@meridiandental.example" in shown  # one: nothing to mark


async def test_add_a_work_number_make_it_primary_and_undo(make_app, demo_db, settings):
    before = phones(demo_db, settings, "Grace Okafor")
    assert before == [("+13125550167", "mobile", True)]
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Grace Okafor")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        assert identifier_line(form, "phone").input.value == "+1 312-555-0167"
        assert identifier_line(form, "phone").button.disabled  # the primary's: "★ primary"

        form.query_one("#phones .identifier-add").focus()
        await pilot.press("enter")  # + Add phone: a new line, focused, labelled work
        await until(pilot, lambda: len(form.query_one("#phones", IdentifierList).lines) == 2)
        added = identifier_line(form, "phone", 1)
        await until(pilot, lambda: added.input.has_focus)
        assert added.label == "work"
        await pilot.press(*"(312) 555-0188")
        added.button.focus()
        await pilot.press("enter")  # make primary: the line moves to the top
        await settle(pilot)
        assert identifier_line(form, "phone") is added and added.button.disabled
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await until(pilot, lambda: screen.detail.contact.phone == "+13125550188")
        assert "Work phone ★  +1 312-555-0188" in profile(screen)
        assert phones(demo_db, settings, "Grace Okafor") == [
            ("+13125550188", "work", True),
            ("+13125550167", "mobile", False),
        ]

        await pilot.press("u")
        await until(pilot, lambda: screen.detail.contact.phone == "+13125550167")
        assert len(screen.detail.phones) == 1
    assert phones(demo_db, settings, "Grace Okafor") == before


async def test_a_bad_line_is_named_and_nothing_is_saved(make_app, demo_db, settings):
    before = phones(demo_db, settings, "Grace Okafor")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(pilot, "Grace Okafor")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        form.query_one("#phones", IdentifierList).add_line("555-12")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = form.query_one("#phones-field", Field).error
        assert error.startswith("phone 2: invalid phone number")
        assert identifier_line(form, "phone", 1).has_class("-invalid")
        assert form.focused is identifier_line(form, "phone", 1).input

        identifier_line(form, "phone", 1).input.value = ""  # an empty line is dropped
        identifier_line(form, "email").input.value = ""  # and so is the only address
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await until(pilot, lambda: app.screen.detail.contact.email == "")
    assert phones(demo_db, settings, "Grace Okafor") == before


async def test_the_first_name_follows_the_name_until_changed(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        await pilot.press(*"Dr. Jane Smith")
        await until(pilot, lambda: form.query_one("#first_name").value == "Jane")
        form.query_one("#first_name").value = "Janey"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen) and app.screen.detail)
        assert "First name    Janey" in profile(app.screen)

        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactForm))
        form = app.screen
        assert form.query_one("#first_name").value == "Janey"
        form.query_one("#name").value = "Dr. Jane Smith-Jones"
        await settle(pilot)
        assert form.query_one("#first_name").value == "Janey"  # set by hand: it stays
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen))
        await until(pilot, lambda: app.screen.detail.contact.name == "Dr. Jane Smith-Jones")
        contact = app.screen.detail.contact
        assert (contact.first_name, contact.last_name) == ("Janey", "Smith-Jones")


async def test_merge_a_likely_duplicate_and_undo(make_app, demo_db, twins):
    kept, twin = twins
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, kept)
        touches = len(screen.detail.touches)
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, MergePicker) and app.screen.loaded)
        picker = app.screen
        assert picker.candidates == [(twin, "Chris Palmer")]
        assert picker.reasons[twin] == "same name, one has no company"
        await pilot.press("enter")  # the highlighted candidate
        await until(pilot, lambda: isinstance(app.screen, MergeConfirm) and app.screen.result)
        plan = str(app.screen.query_one("#merge-plan").render())
        assert f"Keep    Chris Palmer (#{kept}) · Vantage Fitness  (on screen)" in plan
        assert f"Remove  Chris Palmer (#{twin})" in plan
        assert "Would move: 1 touch" in plan and "chris.palmer@example.net" in plan
        await pilot.press("y")
        await until(pilot, lambda: len(screen.detail.touches) == touches + 1)
        assert screen.contact_id == kept
        assert any(e.value == "chris.palmer@example.net" for e in screen.detail.emails)
        with pytest.raises(NotFoundError):
            app.data.run(lambda t: t.contact(twin))

        await pilot.press("u")
        await until(pilot, lambda: len(screen.detail.touches) == touches)
        assert app.data.run(lambda t: len(t.touches(twin))) == 1
        assert not any(e.value == "chris.palmer@example.net" for e in screen.detail.emails)


async def test_merge_one_found_by_search_keeping_the_other(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, "Rosa Delgado")
        rosa = screen.contact_id
        rosa_touches = len(screen.detail.touches)
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, MergePicker) and app.screen.loaded)
        await pilot.press(*"Ridgeline")  # Jake Moreno's company
        await until(pilot, lambda: "Jake Moreno" in choices(app.screen)[0])
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MergeConfirm) and app.screen.result)
        await pilot.press("k")  # keep Jake: Rosa goes into him
        await until(pilot, lambda: app.screen.result and app.screen.result.keep.id != rosa)
        assert "Keep    Jake Moreno" in str(app.screen.query_one("#merge-plan").render())
        await pilot.press("y")
        await until(pilot, lambda: screen.detail.contact.name == "Jake Moreno")
        jake = screen.contact_id
        assert any(t.contact_id == jake for t in screen.detail.touches)
        with pytest.raises(NotFoundError):
            app.data.run(lambda t: t.contact(rosa))

        await pilot.press("u")
        await until(pilot, lambda: app.data.run(lambda t: len(t.touches(rosa))) == rosa_touches)
        await until(pilot, lambda: screen.detail.contact.name == "Jake Moreno")


async def test_delete_a_contact_asks_first_and_undo_restores_them(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        items = sum(1 for e in app.queue.entries if e.item.contact == "Chris Palmer")
        assert items
        screen = await open_contact(pilot, "Chris Palmer")
        chris, touches = screen.contact_id, len(screen.detail.touches)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Chris Palmer" in app.screen.heading
        assert f"Chris Palmer and their {touches} touches" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen

        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen))
        await until(pilot, lambda: not any(e.item.contact_id == chris for e in app.queue.entries))
        with pytest.raises(NotFoundError):
            app.data.run(lambda t: t.contact(chris))

        await pilot.press("u")
        await until(pilot, lambda: any(e.item.contact_id == chris for e in app.queue.entries))
        assert app.data.run(lambda t: len(t.touches(chris))) == touches
        assert sum(1 for e in app.queue.entries if e.item.contact == "Chris Palmer") == items


async def test_help_on_a_contact_lists_merge_and_delete(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(pilot, "Chris Palmer")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = {key.keys: key.description for key in app.screen.keys}
        assert keys["M"].startswith("Merge with another contact")
        assert keys["D"].startswith("Delete this contact")
