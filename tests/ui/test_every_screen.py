"""Nothing crashes, anywhere: on every screen and every dialog, in the dark and the light
theme, ``?`` opens the list of that screen's keys (with at least one key of its own) and
``ctrl+p`` opens the command palette; each closes with escape and the app runs on.

In a dialog whose text field has the focus, ``?`` is a character: F1 opens the list
there, and ``?`` does once the focus is on a button."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, TextArea

from tests.ui.conftest import opened, select, settle, until
from tracker.config import Settings
from tracker.service import Tracker
from tracker.ui.app import DARK, LIGHT, OutreachApp
from tracker.ui.dialogs.choice import AcceptedDialog, ChoiceDialog, SnoozeDialog
from tracker.ui.dialogs.compose import ComposeDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.dialogs.contact_form import ContactForm
from tracker.ui.dialogs.enroll import SequencePicker
from tracker.ui.dialogs.export import ExportDialog
from tracker.ui.dialogs.follow_up import FollowUpForm
from tracker.ui.dialogs.help import HelpScreen
from tracker.ui.dialogs.merge import MergeConfirm, MergePicker
from tracker.ui.dialogs.override import OverrideDialog
from tracker.ui.dialogs.touch_form import TouchForm
from tracker.ui.dialogs.your_name import YourNameDialog
from tracker.ui.screens.contact import ContactScreen
from tracker.ui.screens.contacts import ContactsScreen
from tracker.ui.screens.imports import ImportScreen
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.screens.welcome import WelcomeScreen

Go = Callable[[Pilot[None]], Awaitable[None]]


async def on_top(pilot: Pilot[None], kind: type[Screen[object]]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await settle(pilot)


def keys(*presses: str, then: type[Screen[object]], item: tuple[str, str] | None = None) -> Go:
    """From Today: put the cursor on ``item`` (name, kind), press ``presses``, and wait
    for ``then`` on top."""

    async def go(pilot: Pilot[None]) -> None:
        if item is not None:
            await select(pilot, *item)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        await on_top(pilot, then)

    return go


def to_contact(*presses: str, then: type[Screen[object]]) -> Go:
    """Open Grace Okafor (she has touches to edit and delete), then press ``presses``."""

    async def go(pilot: Pilot[None]) -> None:
        await select(pilot, "Grace Okafor", "after_call_text")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ContactScreen))
        await until(pilot, lambda: pilot.app.screen.detail is not None, "the contact")
        for key in presses:
            await pilot.press(key)
        await on_top(pilot, then)

    return go


def compose_then_name(name_too: bool) -> Go:
    """Write a text after a call: the draft needs the user's name, which is asked for
    (``name_too``: stay on that question; else answer "not now")."""

    async def go(pilot: Pilot[None]) -> None:
        await keys("m", then=YourNameDialog, item=("Grace Okafor", "after_call_text"))(pilot)
        if not name_too:
            await pilot.press("escape")
            await on_top(pilot, ComposeDialog)

    return go


async def merge_confirm(pilot: Pilot[None]) -> None:
    """What merging a second contact into Grace Okafor would move."""
    await to_contact(then=ContactScreen)(pilot)
    grace = pilot.app.screen.contact_id
    pilot.app.push_screen(MergeConfirm(grace, grace + 1, grace))
    await on_top(pilot, MergeConfirm)


async def override(pilot: Pilot[None]) -> None:
    pilot.app.push_screen(OverrideDialog("Chris Palmer sent 3 texts in a row without a reply"))
    await on_top(pilot, OverrideDialog)


async def tags(pilot: Pilot[None]) -> None:
    """A menu long enough to open with a filter box (Insights' tag menu on many tags)."""
    options = [(f"tag-{n}", f"tag-{n}") for n in range(12)]
    pilot.app.push_screen(ChoiceDialog("Only contacts tagged", options))
    await on_top(pilot, ChoiceDialog)


# name: (database, how to get there, what is on top, a description its help must list)
CASES: dict[str, tuple[bool, Go, type[Screen[object]], str]] = {
    "welcome": (False, keys(then=WelcomeScreen), WelcomeScreen, "Explore a demo"),
    "today": (True, keys(then=TodayScreen), TodayScreen, "Log their reply"),
    "contacts": (True, keys("2", then=ContactsScreen), ContactsScreen, "Sort by a column"),
    "contact": (True, to_contact(then=ContactScreen), ContactScreen, "Edit the contact's"),
    "insights": (True, keys("3", then=InsightsScreen), InsightsScreen, "Next period"),
    "import": (True, keys("2", "i", then=ImportScreen), ImportScreen, "Import the file"),
    "log form": (
        True,
        keys("l", then=TouchForm, item=("Jake Moreno", "unanswered_text")),
        TouchForm,
        "Save",
    ),
    "edit form": (True, to_contact("e", then=ContactForm), ContactForm, "Save"),
    "first contact form": (False, keys("a", then=ContactForm), ContactForm, "Save"),
    "compose": (True, compose_then_name(False), ComposeDialog, "Log as sent"),
    "your name": (True, compose_then_name(True), YourNameDialog, "Save"),
    "snooze": (
        True,
        keys("s", then=SnoozeDialog, item=("Jake Moreno", "unanswered_text")),
        SnoozeDialog,
        "Pick the option",
    ),
    "follow-up": (
        True,
        keys("f", then=FollowUpForm, item=("Sam Whitaker", "follow_up_due")),
        FollowUpForm,
        "Save",
    ),
    "accepted when": (
        True,
        keys("a", then=AcceptedDialog, item=("Ben Schultz", "stale_invite")),
        AcceptedDialog,
        "Pick the option",
    ),
    "close review": (True, keys("x", then=ConfirmDialog), ConfirmDialog, "Yes"),
    "delete touch": (True, to_contact("d", then=ConfirmDialog), ConfirmDialog, "Yes"),
    "delete contact": (True, to_contact("D", then=ConfirmDialog), ConfirmDialog, "Yes"),
    "merge picker": (True, to_contact("M", then=MergePicker), MergePicker, "Next contact"),
    "merge confirm": (True, merge_confirm, MergeConfirm, "Keep the other"),
    "sequence picker": (
        True,
        to_contact("s", then=SequencePicker),
        SequencePicker,
        "Pick the option",
    ),
    "override": (True, override, OverrideDialog, "Yes"),
    "sort": (True, keys("2", "s", then=ChoiceDialog), ChoiceDialog, "Pick the option"),
    "tag": (True, tags, ChoiceDialog, "Next option"),
    "export": (True, keys("e", then=ExportDialog), ExportDialog, "Export"),
}


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """The demo database and an empty one, built once and copied for each case
    (closing a database folds its write-ahead log into the file)."""
    from tests.ui.conftest import NOW
    from tracker.demo import build_demo

    made = {}
    for demo in (True, False):
        path = tmp_path_factory.mktemp("db") / "outreach.db"
        tracker = Tracker.open(path, Settings(timezone="America/Chicago"))
        try:
            if demo:
                build_demo(tracker, NOW)
        finally:
            tracker.close()
        made[demo] = path
    return made


def _help_opens(pilot: Pilot[None], top: Screen[object]) -> list[str]:
    help_screen = pilot.app.screen
    assert isinstance(help_screen, HelpScreen), f"? did not open the keys over {top}"
    return [key.description for key in help_screen.keys]


async def _press_help(pilot: Pilot[None], top: Screen[object]) -> list[str]:
    """``?``, and F1 first when a text field has the focus (``?`` is then pressed from
    a button of the dialog, or with nothing focused)."""
    focused = pilot.app.focused
    described: list[str] = []
    if isinstance(focused, Input | TextArea):
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "F1's keys")
        described = _help_opens(pilot, top)
        await pilot.press("f1")  # closes it again
        await until(pilot, lambda: pilot.app.screen is top, "back from F1's keys")
        assert pilot.app.focused is focused
        button = next((b for b in top.query(Button) if b.focusable), None)
        if button is not None:
            button.focus()
        else:
            top.set_focus(None)
        await pilot.pause()
    await pilot.press("question_mark")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the keys")
    return described or _help_opens(pilot, top)


@pytest.mark.parametrize("case", list(CASES))
async def test_help_and_palette_open_everywhere(
    case: str, databases: dict[bool, Path], tmp_path: Path, settings: Settings, clock
) -> None:
    """In the dark theme, then in the light one (as ``ctrl+t`` or the palette's
    "Dark / light" switches it, with the screen or dialog open)."""
    demo, go, kind, described = CASES[case]
    db = tmp_path / "outreach.db"
    db.write_bytes(databases[demo].read_bytes())
    app = OutreachApp(db, settings, now=clock, demo_path=tmp_path / "demo.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await go(pilot)
        top = app.screen
        assert isinstance(top, kind)
        for theme in (DARK, LIGHT):
            app.theme = theme
            await settle(pilot)
            descriptions = await _press_help(pilot, top)
            assert any(described in text for text in descriptions), descriptions
            assert any(text.startswith("Find a contact") for text in descriptions)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is top, "back from the keys")

            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
            await settle(pilot)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is top, "back from the palette")
            assert app.is_running
            assert app.current_theme.name == theme
