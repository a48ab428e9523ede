"""The footer of every main screen: Textual's compact ``Footer``, rebuilt only when the keys
it shows change.

Textual's footer recomposes every key on each "bindings changed" signal, and a screen sends
several while it opens (mount, focus, a first highlight) and one each time it is covered or
uncovered. Each rebuild mounts and styles a dozen widgets twice (once as mounted, once more
for the ``-compact`` class its keys receive), about 35 ms apiece on these machines, so
opening Contacts spent most of its time redrawing footers, some of them on screens no
longer in view. This one rebuilds at most once per refresh, only when its screen can be
seen, and only when the keys (labels, enabled state, key names) differ from those shown;
its keys are born with ``-compact``, so each is styled once. It looks exactly like
``Footer(compact=True)``, but never cuts a key in half: it shows the keys that fit its
width, in the screen's order (``?`` first), and ``?`` lists the rest.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; Footer's own keys

GAP, WIDE_GAP = 1, 2
"""Spaces after each key (tracker.tcss: ``margin-right`` of a footer key)."""
PALETTE_KEY_WIDTH = 10
"""The palette's key on the right: its border, padding, ``^p`` and ``Find``."""


class KeyFooter(Footer):
    """A compact ``Footer`` that skips rebuilds which would show the same keys."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: Hashable | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        fitting = set(self._fitting())
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                palette = widget.has_class("-command-palette")
                if not palette and widget.key not in fitting:
                    continue
                widget.add_class("-compact", update=False)
            yield widget

    def _fitting(self) -> tuple[str, ...]:
        """The keys of the screen's footer bindings that fit the footer, in order: each
        is its key's name, a space and its label, then a gap (wider on a wide screen,
        as tracker.tcss spaces them); the palette's key keeps its place on the right."""
        app = self.app
        room = app.size.width
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            room -= PALETTE_KEY_WIDTH
        gap = WIDE_GAP if self.screen.has_class("-wide") else GAP
        fitting: list[str] = []
        actions: set[str] = set()
        used = 0
        for key, (_, binding, _, _) in self.screen.active_bindings.items():
            if not binding.show or key == app.COMMAND_PALETTE_BINDING:
                continue
            if binding.action in actions:
                continue  # Footer shows one key per action
            actions.add(binding.action)
            width = cell_len(app.get_key_display(binding))
            if binding.description:
                width += 1 + cell_len(binding.description)
            if used + width > room:
                break
            used += width + gap
            fitting.append(binding.key)
        return tuple(fitting)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready:  # another width may fit more keys, or fewer
            self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached or not self._in_view():
            self._shown = None  # rebuilt when its screen is uncovered (which signals again)
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()

    def _in_view(self) -> bool:
        """Its screen is the top one, or under dialogs only (which show it dimmed)."""
        for screen in reversed(self.app.screen_stack):
            if screen is self.screen:
                return True
            if not screen.is_modal:
                return False
        return False

    def _keys(self) -> Hashable:
        """What ``compose`` would show: each binding shown, its state and key name."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        shown = tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )
        return (
            shown,
            self._fitting(),
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
        )
