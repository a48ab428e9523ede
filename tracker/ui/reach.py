"""Copying text and opening a contact's links from the app, saying where each went.

Copying goes through the system's clipboard tool when there is one (in a worker: the tool
may take a moment), else to the terminal's clipboard by OSC 52, which no program can
confirm: the words say which. Opening a link hands a URL built from the contact's stored
fields (``tracker.links``) to the system's opener, or shows it when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from tracker import system

if TYPE_CHECKING:
    from tracker.links import Link
    from tracker.ui.app import OutreachApp


def copy_text(app: OutreachApp, text: str, then: Callable[[str], None]) -> None:
    """Copy ``text``; ``then`` gets where it went, in words to go after a colon
    ("copied to the system clipboard (xclip)", "sent to the terminal's clipboard...")."""

    def done(tool: str | None) -> None:
        if tool is None:
            app.copy_to_clipboard(text)
            then(system.OSC52_WORDS)
        else:
            then(f"copied to the system clipboard ({tool})")

    def work() -> None:
        tool = system.copy_with_tool(text)
        app.call_from_thread(done, tool)

    app.run_worker(work, thread=True, group="clipboard")


def open_links(app: OutreachApp, who: str, links: Sequence[Link]) -> None:
    """Open one of ``links`` (``who``'s): at once when there is one, else from a menu."""
    from tracker.ui.dialogs.choice import ChoiceDialog

    if not links:
        app.say(f"No LinkedIn profile, phone number or email on file for {who}.", "warning")
        return
    if len(links) == 1:
        open_link(app, links[0])
        return

    def chosen(index: Hashable | None) -> None:
        if isinstance(index, int):
            open_link(app, links[index])

    options = [(link.label, index) for index, link in enumerate(links)]
    app.push_screen(ChoiceDialog("Reach them", options, subtitle=who), chosen)


def open_link(app: OutreachApp, link: Link) -> None:
    """Hand ``link`` to the system's opener and say so; without one, show its URL."""
    opener = system.open_link(link.url)
    if opener is None:
        app.say(f"Nothing here opens links (no display or no opener): {link.url}", "warning")
    else:
        app.say(f"Opened {link.url} ({opener}).")
