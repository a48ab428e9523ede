"""A one-line path field: ``~`` means the home folder, and the rest of a file or folder
name is suggested as you type (dimmed); tab or → accepts it. The folder is listed in a
thread, so a slow disk never stalls the screen."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

LISTING_LIMIT = 2_000


def complete(typed: str) -> str | None:
    """``typed`` completed to the first matching entry of its folder (a folder gets a
    trailing slash), keeping ``~`` as typed. Hidden entries only when asked for."""
    if not typed:
        return None
    if typed == "~":
        return "~" + os.sep
    folder_text, sep, prefix = typed.rpartition(os.sep)
    folder = Path(os.path.expanduser(folder_text or os.sep)) if sep else Path(".")
    try:
        with os.scandir(folder) as entries:
            names: list[tuple[str, bool]] = []
            for index, entry in enumerate(entries):
                if index >= LISTING_LIMIT:
                    break
                if entry.name.startswith(prefix) and entry.name != prefix:
                    if entry.name.startswith(".") and not prefix.startswith("."):
                        continue
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    if not names:
        return None
    name, is_dir = min(names)
    return typed[: len(typed) - len(prefix)] + name + (os.sep if is_dir else "")


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete, value)


class PathInput(Input):
    """An ``Input`` with path suggestions; tab takes the suggestion, else moves on."""

    BINDINGS = [
        Binding("tab", "complete", "Complete the path", show=False, id="path.complete"),
    ]

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            value, placeholder=placeholder, suggester=PathSuggester(), compact=True, id=id
        )

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()

    @property
    def path(self) -> Path | None:
        """What the field names, ``~`` expanded (``None`` when empty)."""
        text = self.value.strip()
        return Path(os.path.expanduser(text)) if text else None
