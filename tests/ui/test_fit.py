"""Every main screen and main dialog at the two sizes the app must fit, 80x24 and
120x40: nothing cut off that matters, the primary button in view, the footer's keys whole.

Frozen clock, the demo database, relative paths, no blinking cursor: the same code always
draws the same picture. After a deliberate change of look, run
``pytest tests/ui/test_fit.py --snapshot-update`` and look at every new SVG.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button

from tests.ui.conftest import NOW, FrozenClock, opened, select, settle, until
from tests.ui.test_snapshots import steady
from tracker.config import Settings
from tracker.demo import build_demo
from tracker.service import Tracker
from tracker.ui.app import OutreachApp
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.screens.imports import ImportScreen
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.widgets.paged_table import PagedTable

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Go = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> OutreachApp:
    """The demo, with the rep's name set (the drafts sign with it)."""
    monkeypatch.chdir(tmp_path)
    named = replace(settings, my_name="Sam Seller")
    db = Path("outreach.db")
    tracker = Tracker.open(db, named)
    build_demo(tracker, NOW)
    tracker.close()
    return OutreachApp(db, named, now=FrozenClock(), demo_path=Path("demo.db"))


async def on_top(pilot: Pilot[None], kind: type[Screen[object]]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)


async def contact(pilot: Pilot[None]) -> None:
    await select(pilot, "Grace Okafor", "after_call_text")
    await pilot.press("enter")
    await on_top(pilot, ContactScreen)
    await until(pilot, lambda: pilot.app.screen.detail is not None, "the contact")


async def today(pilot: Pilot[None]) -> None:
    await select(pilot, "Ben Schultz", "stale_invite")


async def contacts(pilot: Pilot[None]) -> None:
    await pilot.press("2")
    await on_top(pilot, ContactsScreen)


async def insights(pilot: Pilot[None]) -> None:
    await pilot.press("3")
    await on_top(pilot, InsightsScreen)
    await until(pilot, lambda: pilot.app.screen.figures is not None, "the figures")


async def import_screen(pilot: Pilot[None]) -> None:
    await pilot.press("2", "i")
    await on_top(pilot, ImportScreen)


async def log_form(pilot: Pilot[None]) -> None:
    await select(pilot, "Jake Moreno", "unanswered_text")
    await pilot.press("l")
    await on_top(pilot, TouchForm)
    await pilot.press(*"Left a voicemail about the catalog pricing")


async def edit_form(pilot: Pilot[None]) -> None:
    await contact(pilot)
    await pilot.press("e")
    await on_top(pilot, ContactForm)


async def compose(pilot: Pilot[None]) -> None:
    await select(pilot, "Chris Palmer", "step_back")
    await pilot.press("m")
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, ComposeDialog) and pilot.app.screen.result,
        "the checked draft",
    )


SCREENS: dict[str, Go] = {
    "today": today,
    "contacts": contacts,
    "contact": contact,
    "insights": insights,
    "import": import_screen,
    "log_form": log_form,
    "edit_form": edit_form,
    "compose": compose,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_fits(snap_compare, app: OutreachApp, name: str, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await opened(pilot)
        await SCREENS[name](pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["log_form", "edit_form", "compose", "import"])
async def test_the_primary_button_is_in_view(
    app: OutreachApp, name: str, size: tuple[int, int]
) -> None:
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        await SCREENS[name](pilot)
        await settle(pilot)
        dialog = app.screen
        primary = next(b for b in dialog.query(Button) if b.variant == "primary")
        assert dialog.region.contains_region(primary.region), (primary.region, size)
        assert primary.region.height > 0
        if name != "import":  # a screen, not a dialog: its buttons sit above the footer
            frame = dialog.query_one(".dialog").region
            assert frame.contains_region(primary.region)


async def test_dates_of_another_year_show_the_year_whole(app: OutreachApp, settings: Settings):
    """At 80 columns, a last touch of last year reads "Nov 13 2025" in the list (not cut)
    and in the contact's timeline."""
    from tracker.models import Channel

    tracker = Tracker.open(Path("outreach.db"), settings)
    aaron = tracker.add_contact({"name": "Aaron Abbott", "company": "Abbott Tools"}, at=NOW)
    old = NOW.replace(year=2025, month=11, day=13, hour=10)
    tracker.log(aaron, Channel.EMAIL, at=old, text="Catalog for next season", now=NOW)
    tracker.close()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await contacts(pilot)
        table = app.screen.query_one("#contacts", PagedTable)
        await until(pilot, lambda: table.current is not None, "the first contact")
        assert table.current.name == "Aaron Abbott"
        assert "Nov 13 2025 " in table.render_line(1).text
        await pilot.press("enter")
        await on_top(pilot, ContactScreen)
        await until(pilot, lambda: app.screen.detail is not None, "Aaron")
        timeline = app.screen.query_one("#timeline", PagedTable)
        await until(pilot, lambda: timeline.current is not None, "the timeline")
        assert timeline.render_line(1).text.startswith("Nov 13 2025 ")


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_shows_whole_keys_and_help_first(
    app: OutreachApp, size: tuple[int, int]
) -> None:
    """On every main screen: the keys that fit, each whole, left of the palette's key,
    ``?`` (or F1 in a text field) first; ``?`` lists those left out."""
    from textual.widgets._footer import FooterKey

    from tracker.ui.screens.today import TodayScreen
    from tracker.ui.widgets.key_footer import KeyFooter

    async def check(kind: type[Screen[object]]) -> None:
        await on_top(pilot, kind)
        await settle(pilot)
        screen = app.screen
        keys = list(screen.query_one(KeyFooter).query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette]
        assert shown and shown[0].key in ("question_mark", "f1"), kind
        for key in shown:
            label = f"{key.key_display} {key.description}"
            assert key.region.width == len(label), (kind, label, key.region)
            assert key.region.right <= palette.region.x, (kind, label)
        listed = {k.description.removesuffix(" (not now)") for k in screen.help_keys()}
        in_footer = {key.key for key in shown}
        left_out = [
            active.binding
            for active in screen.active_bindings.values()
            if active.binding.show and active.binding.key not in in_footer
        ]
        for binding in left_out:  # a ? away
            assert (binding.tooltip or binding.description) in listed, (kind, binding)

    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        await check(TodayScreen)
        await pilot.press("2")
        await check(ContactsScreen)
        await pilot.press("enter")
        await check(ContactScreen)
        await pilot.press("q", "3")
        await check(InsightsScreen)
        await pilot.press("2", "i")
        await check(ImportScreen)
