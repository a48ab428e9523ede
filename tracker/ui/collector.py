"""CPython's cyclic garbage collector, paused while the app starts.

The start makes long-lived objects (modules, styles, widgets, the first reads) and next to
no garbage, yet the collector walks the growing heap again and again as they pile up:
tens of milliseconds of the start, one full pass alone. So it is off from the app's load
until its first screen has painted; then everything alive is frozen (``gc.freeze``), so
the passes while the app runs walk only what is new and stay short. Unmounting unfreezes:
a test suite runs many apps in one process, and a closed app is garbage to collect.
"""

from __future__ import annotations

import gc


class StartPause:
    """The collector off while the app starts (``pause`` to ``resume``)."""

    def __init__(self) -> None:
        self._paused = False
        self._frozen = False

    def pause(self) -> None:
        """Stop collecting, unless something else has stopped it already (it resumes)."""
        if gc.isenabled():
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
        """The app is closing: what the start made can be collected like the rest."""
        self.resume()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()
