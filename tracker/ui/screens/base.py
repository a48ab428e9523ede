"""What the main screens share: the status bar, the footer, leaving with ``q``, and the
list of keys ``?`` shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.binding import Binding, BindingsMap, BindingType
from textual.screen import Screen
from textual.widget import Widget

from tracker.ui.styles import need_screen_styles

if TYPE_CHECKING:
    from tracker.service.session import Session
    from tracker.ui.app import OutreachApp
    from tracker.ui.dialogs.help import KeyHelp


EVERYWHERE = {"app.focus_next", "app.focus_previous", "screen.copy_text"}
Row = tuple[str, str, str, str, str] | tuple[str, str, str, str, str, bool]


def keys(screen: str, rows: Sequence[Row]) -> list[BindingType]:
    """Bindings from rows of (keys, action, footer label, longer help, name[, in footer]).

    Each gets the id ``<screen>.<name>``, which ``[app] keymap`` in the config remaps.
    """
    return [
        Binding(
            row[0],
            row[1],
            row[2],
            tooltip=row[3],
            id=f"{screen}.{row[4]}",
            show=row[-1] if len(row) == 6 else True,
        )
        for row in rows
    ]


class MainScreen(Screen[None]):
    """A full screen of the app (not a dialog)."""

    WHERE = ""
    TIPS: tuple[str, ...] = ()
    STYLES = True
    """Uses ``screens.tcss`` (every screen but Today and Contacts)."""

    def __init__(self) -> None:
        super().__init__()
        if self.STYLES:
            need_screen_styles(self.app)
        # The width class (``-narrow`` / ``-wide``) the screen's first Resize would add,
        # set now: added after the widgets are styled, it restyles every one of them.
        width = self.app.size.width
        breakpoints = self.HORIZONTAL_BREAKPOINTS
        if breakpoints is None:
            breakpoints = self.app.HORIZONTAL_BREAKPOINTS or []
        fits = [(least, name) for least, name in breakpoints if width >= least]
        wanted = max(fits)[1] if fits else ""
        self.update_classes({name: name == wanted for _, name in breakpoints}, update=False)
        self._resumed = False

    @classmethod
    def read_ahead(cls, data: Session) -> None:
        """Read what this screen shows first, as the app opens on it (a worker thread,
        before the screen exists). Nothing by default."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. The first resume follows the mount, which
        # styled every widget a moment ago: Textual's restyle of the whole screen is
        # skipped then (later resumes, after a dialog or another screen, still do it).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    @property
    def outreach(self) -> OutreachApp:
        return cast("OutreachApp", self.app)

    def remapped_bindings(self) -> BindingsMap:
        """The screen's own bindings with the user's keymap applied (as the app applies
        it when a key is pressed)."""
        return remapped_bindings(self)

    def help_keys(self) -> list[KeyHelp]:
        """Every binding of this screen (even those not usable on the current item), then
        the focused list's and the app's, each with the ids that remap it."""
        return screen_keys(self, self.WHERE)


def remapped_bindings(screen: Screen[Any]) -> BindingsMap:
    """``screen``'s own bindings with the user's keymap applied."""
    bindings = screen._bindings.copy()
    keymap = getattr(screen.app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def screen_keys(screen: Screen[Any], where: str, focused: str = "In the list") -> list[KeyHelp]:
    """What ``?`` lists for ``screen`` (a main screen or a dialog): each of its own
    bindings under ``where`` (with "(not now)" when it does nothing at the moment), then
    those of the focused widget (under ``focused``) and of the app ("Everywhere"), each
    with the ids that remap it."""
    from textual.actions import parse as parse_action

    from tracker.ui.dialogs.help import KeyHelp

    grouped: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    usable: dict[tuple[str, str], bool] = {}

    def add(section: str, binding: Binding, enabled: bool) -> None:
        if binding.system or not binding.description:
            return
        if binding.action in EVERYWHERE:
            section = "Everywhere"
        entry = (section, binding.tooltip or binding.description)
        keys = grouped.setdefault(entry, [])
        shown = screen.app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
        named = ids.setdefault(entry, [])
        if binding.id and binding.id not in named:
            named.append(binding.id)
        usable[entry] = usable.get(entry, False) or enabled

    for bindings in remapped_bindings(screen).key_to_bindings.values():
        for binding in bindings:
            _, name, parameters = parse_action(binding.action)
            add(where, binding, screen.check_action(name, parameters) is not False)
    for active in screen.active_bindings.values():
        node = active.node
        if isinstance(node, Screen):
            continue
        if isinstance(node, Widget) and not active.binding.id:
            continue  # scrolling keys every Textual widget has
        section = focused if isinstance(node, Widget) else "Everywhere"
        add(section, active.binding, active.enabled)
    if screen.is_modal:  # over a dialog, only the app's priority keys still work
        for bindings in screen.app._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.priority:
                    add("Everywhere", binding, True)
    order = {where: 0, focused: 1, "Everywhere": 2}
    found = [
        KeyHelp(
            " ".join(keys),
            description + ("" if usable[(section, description)] else " (not now)"),
            section,
            " ".join(ids[(section, description)]),
        )
        for (section, description), keys in grouped.items()
    ]
    found.sort(key=lambda k: order.get(k.section, 3))
    return found
