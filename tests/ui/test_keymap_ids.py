"""The app's bindings and ``tracker.keymap`` agree: every binding has an id the settings
know, with the same default keys, so a remap the settings accept is one the app applies;
and ``?`` shows each binding's id."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import tracker.ui
from tests.ui.conftest import SIZE, opened, until
from tracker.keymap import BINDINGS
from tracker.ui.dialogs.help import HelpScreen


def app_bindings() -> dict[str, str]:
    """Every binding declared in ``tracker.ui``: id -> keys."""
    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(tracker.ui.__path__, "tracker.ui."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if not (inspect.isclass(value) and issubclass(value, DOMNode)):
                continue
            if value.__module__ != module.__name__:
                continue
            for binding in value.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    assert binding.id, f"{value.__name__}: a binding of {binding.key} has no id"
                    found[binding.id] = binding.key
    return found


def test_the_settings_know_every_binding_of_the_app() -> None:
    assert app_bindings() == BINDINGS


async def test_help_shows_each_binding_id(make_app, demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        ids = {k.description: k.ids for k in app.screen.keys}
        assert ids["Snooze: tomorrow, in 3 days, next week or a date"] == "today.snooze"
        assert ids["Take back the last change"] == "undo"
        assert "today.open_link" in ids["Open their LinkedIn profile, or call, text or email them"]


async def test_a_remapped_key_shows_in_help(make_app, demo_db, settings) -> None:
    from dataclasses import replace

    app = make_app(demo_db, settings=replace(settings, keymap={"today.snooze": "z"}))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        snooze = next(k for k in app.screen.keys if k.ids == "today.snooze")
        assert snooze.keys == "z"
