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
width, in the screen's order (``?`` first, or F1 while a text field takes ``?``), and
``?`` lists the rest.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; Footer's own keys

GAP, WIDE_GAP = 1, 2
"""Spaces after each key (tracker.tcss: ``margin-right`` of a footer key)."""
PALETTE_KEY_WIDTH = 10
"""The palette's key on the right: its border, padding, ``^p`` and ``Find``."""
HELP_ANYWHERE = "f1"
"""The app's help key that works in a text field too."""


class KeyFooter(Footer):
    """A compact ``Footer`` that skips rebuilds which would show the same keys."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: Hashable | None = None
        self._pending = False

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        app = self.app
        for binding, enabled, tooltip in self._fitting():
            key = FooterKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
                classes="-compact",
            )
            yield key.data_bind(compact=Footer.compact)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _, binding, enabled, tooltip = palette
                yield FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette -compact",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def _fitting(self) -> list[tuple[Binding, bool, str]]:
        """The screen's footer bindings that fit the footer, in order (one per action),
        each drawn as its key's name, a space and its label, then a gap (wider on a wide
        screen, as tracker.tcss spaces them); the palette's key keeps its place on the
        right. While a text field takes ``?`` as a character, F1 stands in for it."""
        app = self.app
        active = self.screen.active_bindings
        room = app.size.width
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            room -= PALETTE_KEY_WIDTH
        gap = WIDE_GAP if self.screen.has_class("-wide") else GAP
        wanted = [
            (binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in active.items()
            if binding.show and key != app.COMMAND_PALETTE_BINDING
        ]
        helped = any(binding.action.endswith("help") for binding, _, _ in wanted)
        if not helped and HELP_ANYWHERE in active:
            _, binding, enabled, tooltip = active[HELP_ANYWHERE]
            wanted.insert(0, (binding, enabled, tooltip))
        fitting: list[tuple[Binding, bool, str]] = []
        actions: set[str] = set()
        used = 0
        for binding, enabled, tooltip in wanted:
            if binding.action in actions:
                continue
            actions.add(binding.action)
            width = cell_len(app.get_key_display(binding))
            if binding.description:
                width += 1 + cell_len(binding.description)
            if used + width > room:
                break
            used += width + gap
            fitting.append((binding, enabled, tooltip))
        return fitting

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
        palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        shown = tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for binding, enabled, tooltip in self._fitting()
        )
        return (
            shown,
            palette[1:] if palette else None,
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
        )
