"""CPython's cyclic garbage collector, paused while the app starts.

The start makes long-lived objects (modules, styles, widgets, the first reads) and next to
no garbage, yet the collector walks the growing heap again and again as they pile up:
tens of milliseconds of the start. So it is off from the launch (``outreach`` pauses it
before importing the app) or the app's load until its first screen has painted; then
everything alive is frozen (``gc.freeze``), so the passes while the app runs walk only
what is new and stay short (what the start made and drops later in a cycle, a screen
replaced, waits for the app's end: a bounded price). The app's end unfreezes: a test
suite runs many apps in one process, and a closed app is garbage to collect. No Textual
here: the CLI pauses it too.
"""

from __future__ import annotations

import gc


class StartPause:
    """The collector off while the app starts (``pause`` to ``resume``)."""

    def __init__(self) -> None:
        self._paused = False
        self._frozen = False

    def pause(self) -> None:
        """Stop collecting, unless stopped already: by this pause (the launcher's, which
        the app then ends) or by something else (which resumes it)."""
        if not self._paused and gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self) -> None:
        """The first screen has painted: freeze what the start made and collect again."""
        if self._paused:
            self._paused = False
            gc.freeze()
            self._frozen = True
            gc.enable()

    def end(self) -> None:
        """The app is closing (or did not start): what the start made can be collected
        like the rest."""
        self.resume()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()


START_PAUSE = StartPause()
"""The process's one pause, so that the launcher's and the app's are the same."""
