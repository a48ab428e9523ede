"""Keys that arrive together: the ones after a key that moves the focus into a text field
are that field's, never the screen's shortcuts.

Textual hands each key to the widget focused when the key arrives, and checks the
screen's shortcuts once the key has come back up to the app. Keys that reach the app in
one read (over SSH, from a fast typist, a macro) are all handed out before the first of
them has moved the focus: after ``/`` on Today, the ``s`` of "stale" would open the snooze
dialog and its ``a`` would try to mark an invitation accepted. So a printable key that
reaches the shortcuts while a text field has the focus was typed for that field (a field
takes every printable key it is given, so none of its own comes back up): it is handed
to the field instead. A screen can also say why a key does nothing where it is
(``explain_key``), in turn with the other keys.
"""

from __future__ import annotations

import sys
import weakref
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input


@runtime_checkable
class ExplainsKeys(Protocol):
    """A screen that says why a key does nothing where it is."""

    def explain_key(self, key: str) -> bool:
        """Say why ``key`` does nothing here, if it does nothing; whether it said so."""


def text_field(widget: Widget | None) -> bool:
    """Whether ``widget`` takes typed text: an ``Input`` or a ``TextArea`` (which loads
    with the first form that has one, not at the app's start: none is focused before)."""
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


class KeyRouting(App[None]):
    """The app's last look at a key before the screen's shortcuts."""

    _handed_on: weakref.WeakSet[events.Key]

    def on_key(self, event: events.Key) -> None:
        handed_on = self.__dict__.setdefault("_handed_on", weakref.WeakSet())
        field = self.focused
        if (
            field is not None
            and event.is_printable
            and text_field(field)
            and event not in handed_on  # handed on once already: the field left it
        ):
            event.prevent_default()  # no shortcut for it
            event.stop()
            again = events.Key(event.key, event.character)
            handed_on.add(again)
            field._forward_event(again)
            return
        screen = self.screen
        if isinstance(screen, ExplainsKeys) and screen.explain_key(event.key):
            event.prevent_default()
            event.stop()
