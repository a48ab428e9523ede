"""The app's key bindings by id, as ``[app] keymap`` in ``config.toml`` may remap them.

Every binding of the app carries an id (``today.snooze``); this module lists each with its
default keys and where it is live, so the settings can refuse, naming it, an id that does
not exist or a key the keymap gives to two bindings live in the same place, like any other
typo in the file (without importing the app). ``tests/ui`` checks that this list and the
app's bindings agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

BINDINGS: dict[str, str] = {
    # Everywhere (the app).
    "quit": "ctrl+q",
    "command_palette": "ctrl+p",
    "help": "question_mark",
    "help_anywhere": "f1",
    "undo": "u",
    "toggle_theme": "ctrl+t",
    # Today, and its list.
    "today.help": "question_mark",
    "today.reply": "r",
    "today.log": "l",
    "today.withdrawn": "w",
    "today.accepted": "a",
    "today.ignored": "i",
    "today.snooze": "s",
    "today.done": "d",
    "today.mark": "space",
    "today.mark_range": "v",
    "today.mark_group": "ctrl+a",
    "today.show_lapsed": "o",
    "today.follow_up": "f",
    "today.clear": "F",
    "today.compose": "m",
    "today.copy": "c",
    "today.open_link": "O",
    "today.close": "x",
    "today.quit": "q",
    "today.contacts": "2",
    "today.insights": "3",
    "today.priority": "p",
    "today.open": "enter",
    "today.filter": "slash",
    "today.clear_marks": "escape",
    "today.clear_filter": "escape",
    "today.new_contact": "n",
    "today.export": "e",
    "today.refresh": "ctrl+r,f5",
    "queue.down": "down,j",
    "queue.up": "up,k",
    "queue.first": "home",
    "queue.last": "end",
    "queue.page_down": "pagedown",
    "queue.page_up": "pageup",
    # Contacts, a contact, and their tables.
    "contacts.help": "question_mark",
    "contacts.filter": "slash",
    "contacts.clear": "escape",
    "contacts.sort": "s",
    "contacts.new": "n",
    "contacts.export": "e",
    "contacts.import": "i",
    "contacts.today": "1",
    "contacts.insights": "3",
    "contacts.back": "q",
    "contact.help": "question_mark",
    "contact.log": "l",
    "contact.compose": "m",
    "contact.edit": "e",
    "contact.edit_touch": "t",
    "contact.delete_touch": "d",
    "contact.follow_up": "f",
    "contact.clear": "F",
    "contact.merge": "M",
    "contact.delete_contact": "D",
    "contact.open_link": "o",
    "contact.opt_out": "O",
    "contact.opt_in": "O",
    "contact.enroll": "s",
    "contact.unenroll": "S",
    "contact.today": "1",
    "contact.contacts": "2",
    "contact.insights": "3",
    "contact.back": "q",
    "table.down": "down,j",
    "table.up": "up,k",
    "table.page_down": "pagedown",
    "table.page_up": "pageup",
    "table.first": "home",
    "table.last": "end",
    "table.open": "enter",
    # Insights, Import, the welcome screen.
    "insights.help": "question_mark",
    "insights.period": "p",
    "insights.period_back": "P",
    "insights.segment": "s",
    "insights.tag": "t",
    "insights.guess": "g",
    "insights.refresh": "ctrl+r,f5",
    "insights.today": "1",
    "insights.contacts": "2",
    "insights.back": "q",
    "import.help": "question_mark",
    "import.run": "ctrl+s",
    "import.back": "escape",
    "path.complete": "tab",
    "welcome.help": "question_mark",
    "welcome.add": "a",
    "welcome.import": "i",
    "welcome.demo": "d",
    "welcome.quit": "q",
    # Dialogs.
    "dialog.cancel": "escape",
    "dialog.help": "question_mark",
    "form.save": "ctrl+s",
    "export.run": "ctrl+s",
    "choice.previous": "left",
    "choice.next": "right,space",
    "compose.log": "ctrl+s",
    "compose.copy": "ctrl+o",
    "compose.finding": "ctrl+g",
    "compose.reset": "ctrl+r",
    "confirm.yes": "y",
    "confirm.no": "n",
    "help.close": "question_mark,q",
    "merge.up": "up",
    "merge.down": "down",
    "merge.yes": "y",
    "merge.swap": "k",
    "merge.no": "n",
    **{f"choice.{n}": str(n) for n in range(1, 10)},
    "choice.down": "down",
    "choice.up": "up",
}
"""Binding id -> its default keys (Textual's names, comma-separated)."""

APP_IDS = frozenset({"quit", "command_palette", "help", "help_anywhere", "undo", "toggle_theme"})
MENU_IDS = frozenset({*(f"choice.{n}" for n in range(1, 10)), "choice.down", "choice.up"})

PLACES: dict[str, tuple[str, ...]] = {
    "Today": ("app", "today", "queue"),
    "Contacts": ("app", "contacts", "table"),
    "a contact": ("app", "contact", "table"),
    "Insights": ("app", "insights"),
    "Import": ("app", "import", "path"),
    "the welcome screen": ("app", "welcome"),
    "a form": ("app", "dialog", "form", "choice"),
    "an export": ("app", "dialog", "export"),
    "Write": ("app", "dialog", "compose", "choice"),
    "a question": ("app", "dialog", "confirm"),
    "a menu": ("app", "dialog", "menu"),
    "the list of keys": ("app", "dialog", "help"),
    "a merge": ("app", "dialog", "merge"),
}
"""Where a person can be, and the groups of bindings live there together."""


def group_of(binding_id: str) -> str:
    """The group a binding belongs to: ``app``, ``menu`` (a choice dialog's), or the
    part of its id before the dot."""
    if binding_id in APP_IDS:
        return "app"
    if binding_id in MENU_IDS:
        return "menu"
    return binding_id.partition(".")[0]


def normal_keys(keys: str) -> tuple[str, ...]:
    """``"?, j"`` -> ``("question_mark", "j")``: each key as Textual names it."""
    return tuple(_key_name(key.strip()) for key in keys.split(",") if key.strip())


def _key_name(key: str) -> str:
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return {
        "solidus": "slash",
        "reverse_solidus": "backslash",
        "commercial_at": "at",
        "hyphen_minus": "minus",
        "plus_sign": "plus",
        "low_line": "underscore",
    }.get(name, name)


def keymap_problem(keymap: Mapping[str, str]) -> str:
    """What is wrong with a keymap (binding id -> keys), in words; empty when nothing:
    an id no binding has, a binding left without a key, or a key it gives to two
    bindings live in the same place (where the defaults did not already share it)."""
    for binding_id, keys in keymap.items():
        if binding_id not in BINDINGS:
            return (
                f"unknown key binding {binding_id!r} in [app] keymap"
                " (`?` in the app shows each key's binding id)"
            )
        if not normal_keys(keys):
            return f"[app] keymap leaves {binding_id!r} without a key"
    for place, groups in PLACES.items():
        live = [i for i in BINDINGS if group_of(i) in groups]
        shared = _shared(live, {})
        for key, first, second in sorted(_shared(live, keymap) - shared):
            mine, other = (first, second) if first in keymap else (second, first)
            return (
                f"[app] keymap gives {key!r} to {mine!r}, but {other!r} has it too"
                f" (both live on {place}); give one of them another key"
            )
    return ""


def _shared(ids: list[str], keymap: Mapping[str, str]) -> set[tuple[str, str, str]]:
    """(key, id, id) for each key two of ``ids`` share once ``keymap`` is applied."""
    holders: dict[str, list[str]] = {}
    for binding_id in ids:
        for key in normal_keys(keymap.get(binding_id, BINDINGS[binding_id])):
            holders.setdefault(key, []).append(binding_id)
    return {
        (key, first, second)
        for key, held in holders.items()
        for index, first in enumerate(held)
        for second in held[index + 1 :]
    }
